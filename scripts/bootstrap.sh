#!/usr/bin/env bash
# Makes a fresh machine (Node 20 + npm) ready: pnpm, dependencies, the Fashion-MNIST data.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=9.15.9
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || npm install -g "pnpm@$PNPM_VERSION"
fi

SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 0
  if [ -z "${APT_UPDATED:-}" ]; then $SUDO apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1 || echo "bootstrap: apt-get install $* failed" >&2
}

if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && [ -z "${FMNIST_DATA_DIR:-}" ]; then
  echo "bootstrap: installing the Fashion-MNIST data (dataset-fashion-mnist)" >&2
  apt_install dataset-fashion-mnist
fi
for pkg in ${FMNIST_APT_EXTRA:-}; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_install "$pkg"
done

# Python readers that Debian does not package (FMNIST_PIP_EXTRA, e.g. 'tensorboard plotly': the
# TensorBoard callback's test reads our event files with TensorBoard's EventAccumulator, the tuner's
# opens our journal with optuna.visualization), installed with pip into .fmnist-cache/python (ignored
# by git; FMNIST_PYTHONPATH elsewhere), which those tests put on PYTHONPATH; the system stays untouched.
PIP_TARGET="${FMNIST_PYTHONPATH:-.fmnist-cache/python}"
PIP_PYTHON="${FMNIST_PYTHON:-/usr/bin/python3}"
for pkg in ${FMNIST_PIP_EXTRA:-}; do
  PYTHONPATH="$PIP_TARGET" "$PIP_PYTHON" -c "import $pkg" >/dev/null 2>&1 && continue
  "$PIP_PYTHON" -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  echo "bootstrap: installing $pkg (pip) into $PIP_TARGET" >&2
  "$PIP_PYTHON" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$PIP_TARGET" "$pkg" >/dev/null 2>&1 \
    || echo "bootstrap: pip install $pkg failed (its tests skip here, fail under CI=1)" >&2
done

# Mesa's lavapipe (software Vulkan) for the WebGPU tests' Vulkan leg (FMNIST_LAVAPIPE=1, as the root
# test script sets): Mesa 25 from bookworm-backports unpacked into .fmnist-cache/lavapipe, the
# system's Mesa untouched (scripts/lavapipe.sh).
if [ -n "${FMNIST_LAVAPIPE:-}" ] && ! bash scripts/lavapipe.sh --check; then
  bash scripts/lavapipe.sh >/dev/null || echo "bootstrap: lavapipe failed (its tests skip here, fail under CI=1)" >&2
fi

if [ ! -d node_modules/.pnpm ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  echo "bootstrap: installing dependencies" >&2
  pnpm install --frozen-lockfile --reporter=silent
fi
