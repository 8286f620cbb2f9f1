#!/usr/bin/env bash
# Mesa's lavapipe (a software Vulkan driver) from bookworm-backports' mesa-vulkan-drivers, unpacked
# into a private folder (.fmnist-cache/lavapipe, ignored by git; FMNIST_LAVAPIPE_DIR elsewhere) for
# WebGPU on Dawn's Vulkan backend without a GPU. Debian 12's own Mesa 22.3 lavapipe is rejected by
# Dawn ("shaderUniform*ArrayDynamicIndexing required"); the system's Mesa stays untouched: the .debs
# are fetched with `apt-get download` through a private apt configuration (its own sources list,
# package lists and cache inside the folder) and unpacked with `dpkg -x`, never installed.
#
# Downloads mesa-vulkan-drivers and the libdrm it needs from backports, the Vulkan loader
# (libvulkan1), and whatever else of their dependencies (libllvm15, libxcb-*, ...) the system lacks;
# writes an ICD file naming the unpacked libvulkan_lvp.so by its absolute path, and checks with ldd
# that the driver finds all its libraries. Idempotent and quiet: a second run downloads nothing.
#
# Prints the environment to use on stdout, for `eval "$(bash scripts/lavapipe.sh)"`:
#   VK_DRIVER_FILES / VK_ICD_FILENAMES  the ICD file (the loader's new and old names), so only lavapipe is seen
#   LD_LIBRARY_PATH                     the unpacked loader and libraries; it must be set when the process
#                                       starts: Dawn dlopens libvulkan.so.1 by name, and the dynamic loader
#                                       reads LD_LIBRARY_PATH once, at startup
# `--check` prints nothing and exits 0 when the folder is ready, 1 when not (downloads nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${FMNIST_LAVAPIPE_DIR:-$PWD/.fmnist-cache/lavapipe}"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
SUITE=bookworm-backports
ROOT="$DIR/root"
ICD="$DIR/lvp_icd.json"
STAMP="$DIR/ready"

print_env() {
  local arch_dir
  arch_dir=$(cat "$STAMP")
  echo "export VK_DRIVER_FILES='$ICD'"
  echo "export VK_ICD_FILENAMES='$ICD'"
  local libs="$ROOT/usr/lib/$arch_dir"
  # Packages that are not merged-/usr (libtinfo6, ...) unpack into lib/.
  [ -d "$ROOT/lib/$arch_dir" ] && libs="$libs:$ROOT/lib/$arch_dir"
  echo "export LD_LIBRARY_PATH='$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}'"
}

if [ -f "$STAMP" ] && [ -f "$ICD" ]; then
  [ "${1:-}" = "--check" ] && exit 0
  print_env
  exit 0
fi
[ "${1:-}" = "--check" ] && exit 1

fail() {
  echo "lavapipe: $*" >&2
  exit 1
}
# shellcheck disable=SC1091
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ "$codename" = bookworm ] || fail "this script fetches Debian 12 (bookworm) packages; this is '${codename:-not Debian}' (on Debian 13 or later: apt-get install mesa-vulkan-drivers)"
command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "apt-get and dpkg are needed"
arch=$(dpkg --print-architecture)
case "$arch" in
  amd64) arch_dir=x86_64-linux-gnu ;;
  arm64) arch_dir=aarch64-linux-gnu ;;
  *) fail "no lavapipe for architecture $arch here (amd64 or arm64)" ;;
esac

echo "lavapipe: fetching mesa-vulkan-drivers from $SUITE into $DIR" >&2
APT="$DIR/apt"
mkdir -p "$APT/sources.d" "$APT/lists/partial" "$APT/cache/archives/partial" "$DIR/debs"
cat >"$APT/sources.d/fmnist-lavapipe.sources" <<EOF
Types: deb
URIs: ${FMNIST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
Suites: bookworm bookworm-updates $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# Only this folder's sources, lists and cache; the system's status file says what is installed.
opts=(
  -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$APT/sources.d"
  -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache" -o "Debug::NoLocking=1"
  -o "APT::Default-Release=$SUITE" -o "APT::Sandbox::User=$(id -un)"
)
apt-get "${opts[@]}" -qq update >"$DIR/apt.log" 2>&1 || fail "apt-get update failed (see $DIR/apt.log)"

# Always the driver, its libdrm (>= 2.4.121, newer than Debian 12's) and the loader; the rest of
# the dependency tree only where the system lacks it.
wanted=(mesa-vulkan-drivers libdrm2 libdrm-amdgpu1 libdrm-common libvulkan1)
for pkg in $(apt-cache "${opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "${wanted[@]}" | grep -v '^ ' | grep -v '^<' | sort -u); do
  case " ${wanted[*]} " in *" $pkg "*) continue ;; esac
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || wanted+=("$pkg")
done
(cd "$DIR/debs" && rm -f ./*.deb && apt-get "${opts[@]}" -qq download "${wanted[@]}" >>"$DIR/apt.log" 2>&1) ||
  fail "apt-get download ${wanted[*]} failed (see $DIR/apt.log)"

rm -rf "$ROOT"
for deb in "$DIR"/debs/*.deb; do dpkg -x "$deb" "$ROOT"; done
lib="$ROOT/usr/lib/$arch_dir/libvulkan_lvp.so"
[ -f "$lib" ] || fail "no libvulkan_lvp.so in the unpacked mesa-vulkan-drivers"
# The hardware drivers, layers and their ICD files are not needed (60 MB).
find "$ROOT/usr/lib/$arch_dir" -maxdepth 1 \( -name 'libvulkan_*.so' -o -name 'libVkLayer_*.so' \) ! -name libvulkan_lvp.so -delete
rm -rf "$ROOT/usr/share/vulkan/explicit_layer.d" "$ROOT/usr/share/vulkan/implicit_layer.d" "$ROOT/usr/share/doc" "$ROOT/usr/share/bug"
missing=$(LD_LIBRARY_PATH="$ROOT/usr/lib/$arch_dir:$ROOT/lib/$arch_dir" ldd "$lib" 2>&1 | grep -E 'not found' || true)
[ -z "$missing" ] || fail "libvulkan_lvp.so lacks libraries: $missing"
api=$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' "$ROOT"/usr/share/vulkan/icd.d/lvp_icd*.json | head -1)
cat >"$ICD" <<EOF
{
    "ICD": {
        "api_version": "${api:-1.3.0}",
        "library_path": "$lib"
    },
    "file_format_version": "1.0.0"
}
EOF
version=$(dpkg-deb -f "$DIR"/debs/mesa-vulkan-drivers_*.deb Version)
rm -rf "$APT/lists" "$APT/cache" "$DIR/debs"
echo "$arch_dir" >"$STAMP"
echo "lavapipe: Mesa $version ready ($ICD)" >&2
print_env
