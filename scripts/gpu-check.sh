#!/usr/bin/env bash
# The GPU figures of issue 31 in one go (~2-4 minutes), on a Linux x86_64 machine with an NVIDIA
# GPU, no internet and no Node.js. Run from the repository root with .gpu-bundle/ carried beside
# it (built by scripts/gpu-bundle.sh):
#
#   bash scripts/gpu-check.sh
#
# Steps, in order of what the targets need most: prepare (unpack the bundle into a temp folder),
# env (GPU, driver, Vulkan ICD, loaders, Python/PyTorch), doctor (webgpu, then wasm), profile
# (mlp-wide inference at batch 64 on webgpu and wasm: p50/p95 per batch), torch (PyTorch CUDA,
# scripts/torch-bench.py --device cuda, the zoo and mlp-wide inference at batch 64), then bench for each zoo model (train and infer, wasm and
# webgpu; the ratio of the webgpu row is webgpu over wasm). Each step runs under `timeout`, within
# an overall budget; a failing step is recorded and the script goes on.
#
# Output: JSON lines appended to ONE file, $OUT/gpu-check.jsonl when $OUT is set, else
# ./gpu-check.jsonl (FMNIST_GPU_CHECK_OUT names another). Every line has "step". A command's own
# JSON records carry its fields after "step"; each step ends with a status line:
#   {"step":"bench-cnn","status":"ok|failed|timeout|skipped","rc":0,"seconds":12.3,"records":4,"command":"...","stderrTail":"..."}
# A short human summary goes to stdout at the end.
#
# Environment (defaults in brackets):
#   FMNIST_GPU_BUNDLE            the bundle folder [.gpu-bundle]
#   FMNIST_GPU_CHECK_MODELS      bench's models [mlp-wide,cnn,vgg-style,mlp-small]
#   FMNIST_GPU_CHECK_MIN_TIME_MS bench's and torch-bench's time per case [1000]
#   FMNIST_GPU_CHECK_BATCH       bench's batch for both modes [bench's own: 64 train, 1024 infer]
#   FMNIST_GPU_CHECK_BUDGET_S    the whole run's budget in seconds [270]
#   FMNIST_GPU_CHECK_STEP_TIMEOUT_S  a cap on every step's own timeout (60-100 s) [none]
#   FMNIST_GPU_CHECK_WASM_THREADS wasm's threads (FMNIST_THREADS), or "all" for every core [2: the
#                                targets compare with our 2-core wasm figures]
#   FMNIST_GPU_CHECK_QUICK=1     a smoke run on any machine: min-time 1 ms, batch 8, budget 240
#   FMNIST_GPU_CHECK_CARRIED_LIBS auto (the carried loaders only where the system lacks them) | always | never [auto]
#   FMNIST_GPU_CHECK_KEEP=1      keep the unpacked temp folder
#   FMNIST_PYTHON                the Python for torch-bench [python3]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
bundle=${FMNIST_GPU_BUNDLE:-$root/.gpu-bundle}
default_out=$root/gpu-check.jsonl
[[ -n "${OUT:-}" ]] && default_out=$OUT/gpu-check.jsonl
out_file=${FMNIST_GPU_CHECK_OUT:-$default_out}
quick=${FMNIST_GPU_CHECK_QUICK:-0}
if [[ $quick == 1 ]]; then q_min=1 q_batch=8 q_budget=240; else q_min=1000 q_batch='' q_budget=270; fi
models=${FMNIST_GPU_CHECK_MODELS:-mlp-wide,cnn,vgg-style,mlp-small}
min_time_ms=${FMNIST_GPU_CHECK_MIN_TIME_MS:-$q_min}
batch=${FMNIST_GPU_CHECK_BATCH:-$q_batch}
budget_s=${FMNIST_GPU_CHECK_BUDGET_S:-$q_budget}
step_cap=${FMNIST_GPU_CHECK_STEP_TIMEOUT_S:-600}
wasm_threads=${FMNIST_GPU_CHECK_WASM_THREADS:-2}
carried_libs=${FMNIST_GPU_CHECK_CARRIED_LIBS:-auto}
python=${FMNIST_PYTHON:-python3}
started=$SECONDS
mkdir -p "$(dirname "$out_file")"

# A JSON string: backslash, quote and the common escapes; other control characters (colour codes) dropped.
json_str() {
  local s
  s=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037')
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}
emit() { printf '%s\n' "$1" >>"$out_file"; }
log() { printf '[%3ds] %s\n' "$((SECONDS - started))" "$*" >&2; }

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/fmnist-gpu-check.XXXXXX")
[[ ${FMNIST_GPU_CHECK_KEEP:-0} == 1 ]] || trap 'rm -rf "$run_dir"' EXIT

# run_step NAME TIMEOUT_S COMMAND...: runs it (stdout's JSON lines become records tagged with
# NAME), then writes the status line.
run_step() {
  local name=$1 limit=$2
  shift 2
  local left=$((budget_s - (SECONDS - started) - 5))
  if ((left < 10)); then
    emit "{\"step\":$(json_str "$name"),\"status\":\"skipped\",\"reason\":\"out of time (budget ${budget_s} s)\",\"command\":$(json_str "$*")}"
    log "$name: skipped (out of time)"
    return
  fi
  ((limit > step_cap)) && limit=$step_cap
  ((limit > left)) && limit=$left
  local t0 t1 rc status records
  t0=$(date +%s.%N)
  # timeout runs programs, not shell functions: a function runs in a child bash that inherits it.
  if [[ $(type -t "$1") == function ]]; then
    timeout -k 5 "$limit" bash -c '"$@"' "$1" "$@" >"$run_dir/step.out" 2>"$run_dir/step.err" </dev/null
  else
    timeout -k 5 "$limit" "$@" >"$run_dir/step.out" 2>"$run_dir/step.err" </dev/null
  fi
  rc=$?
  t1=$(date +%s.%N)
  records=0
  while IFS= read -r line; do
    if [[ $line == '{"'*'}' ]]; then
      emit "{\"step\":$(json_str "$name"),${line#\{}"
      records=$((records + 1))
    fi
  done <"$run_dir/step.out"
  if ((rc == 0)); then status=ok; elif ((rc == 124 || rc == 137)); then status=timeout; else status=failed; fi
  local err other
  err=$(tail -n 15 "$run_dir/step.err" | tail -c 2000)
  other=$(grep -v '^{"' "$run_dir/step.out" | tail -n 5 | tail -c 1000)
  emit "{\"step\":$(json_str "$name"),\"status\":\"$status\",\"rc\":$rc,\"seconds\":$(awk "BEGIN{printf \"%.1f\", $t1-$t0}"),\"timeoutS\":$limit,\"records\":$records,\"command\":$(json_str "$*"),\"stderrTail\":$(json_str "$err"),\"stdoutOther\":$(json_str "$other")}"
  log "$name: $status (rc $rc, $records records, $(awk "BEGIN{printf \"%.1f\", $t1-$t0}") s)"
}

# --- prepare: copy the bundle and unpack its .xz files (xz, else Python's lzma) -------------------
unxz_file() {
  if command -v xz >/dev/null; then
    xz -d "$1"
  elif command -v "$python" >/dev/null; then
    "$python" -c 'import lzma, shutil, sys, os
with lzma.open(sys.argv[1]) as src, open(sys.argv[1][:-3], "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)
os.remove(sys.argv[1])' "$1"
  else
    echo "neither xz nor $python to unpack $1" >&2
    return 1
  fi
}
prepare() {
  [[ -f "$bundle/fmnist.mjs" ]] || { echo "no bundle at $bundle: run scripts/gpu-bundle.sh and carry it" >&2; return 1; }
  cp -R "$bundle/." "$run_dir/b/" || return 1
  local f
  while IFS= read -r f; do unxz_file "$f" || return 1; done < <(find "$run_dir/b" -name '*.xz')
  chmod +x "$run_dir/b/bin/node"
  "$run_dir/b/bin/node" --version
}
mkdir -p "$run_dir/b"
emit "{\"step\":\"start\",\"time\":\"$(date -u +%FT%TZ)\",\"host\":$(json_str "$(uname -n)"),\"quick\":$([[ $quick == 1 ]] && echo true || echo false),\"minTimeMs\":$min_time_ms,\"batch\":$(json_str "$batch"),\"models\":$(json_str "$models"),\"budgetS\":$budget_s,\"wasmThreads\":$(json_str "$wasm_threads"),\"bundle\":$(tr -d '\n' <"$bundle/manifest.json" 2>/dev/null | grep . || echo null)}"
export bundle run_dir python
export -f json_str prepare unxz_file
run_step prepare 60 prepare
node_bin=$run_dir/b/bin/node
cli=$run_dir/b/fmnist.mjs

# --- the environment the CLI runs in -----------------------------------------------------------
# (The cache's list is read whole: grep -q in a pipe would end ldconfig early, and pipefail call it a failure.)
ld_cache=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || /usr/sbin/ldconfig -p 2>/dev/null)
has_lib() { [[ $ld_cache == *"$1 "* ]]; }
# The system's libstdc++.so.6 (the x86-64 one ldconfig knows), and whether it has GLIBCXX_3.4.30
# (GCC 12), which dawn.node needs.
sys_libstdcxx=$(printf '%s\n' "$ld_cache" | grep -F 'libstdc++.so.6 (' | grep -F 'x86-64' | head -n 1 | sed 's/.*=> *//')
glibcxx_3430=false
[[ -n $sys_libstdcxx && -f $sys_libstdcxx ]] && grep -qaF GLIBCXX_3.4.30 "$sys_libstdcxx" && glibcxx_3430=true
lib_dirs=()
carried=
# Dawn opens libvulkan.so.1 and libEGL.so (unversioned: only a -dev package installs that name);
# NVIDIA's libGLX_nvidia.so.0 links libX11 and libXext; dawn.node needs a GCC 12 libstdc++.
for pair in vulkan:libvulkan.so.1 egl:libEGL.so x11:libX11.so.6 x11:libXext.so.6 stdcxx:; do
  [[ -d $run_dir/b/lib/${pair%%:*} ]] || continue
  [[ " $carried" == *" ${pair%%:*} "* ]] && continue
  if [[ ${pair%%:*} == stdcxx ]]; then lacks=$([[ $glibcxx_3430 == true ]] && echo false || echo true)
  else lacks=$(has_lib "${pair#*:}" && echo false || echo true); fi
  if [[ $carried_libs == always ]] || { [[ $carried_libs == auto && $lacks == true ]]; }; then
    lib_dirs+=("$run_dir/b/lib/${pair%%:*}")
    carried="$carried${pair%%:*} "
  fi
done
# The driver's own libraries (libGLX_nvidia, libEGL_nvidia) where NVIDIA's container runtime mounts them.
for dir in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do [[ -d $dir ]] && lib_dirs+=("$dir"); done
[[ -n "${LD_LIBRARY_PATH:-}" ]] && lib_dirs+=("$LD_LIBRARY_PATH")
LD_LIBRARY_PATH=$(IFS=:; printf '%s' "${lib_dirs[*]}")
export LD_LIBRARY_PATH
icd=
# A driver file named by the caller (VK_DRIVER_FILES, its first entry) is the one the loader uses.
[[ -n "${VK_DRIVER_FILES:-}" && -f ${VK_DRIVER_FILES%%:*} ]] && icd=${VK_DRIVER_FILES%%:*}
[[ -z $icd ]] && for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [[ -f $f ]] && icd=$f && break
done
if [[ -n $icd && -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]]; then
  export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
fi
egl_vendors=
for dir in /usr/local/nvidia/share/glvnd/egl_vendor.d /usr/share/glvnd/egl_vendor.d /etc/glvnd/egl_vendor.d; do
  [[ -d $dir ]] && egl_vendors=$egl_vendors:$dir
done
[[ -n $egl_vendors && -z "${__EGL_VENDOR_LIBRARY_DIRS:-}" ]] && export __EGL_VENDOR_LIBRARY_DIRS=${egl_vendors#:}
# nvidia-smi under NVIDIA's container layout.
[[ -x /usr/local/nvidia/bin/nvidia-smi ]] && PATH=$PATH:/usr/local/nvidia/bin
export PATH=$run_dir/b/bin:$PATH
export FMNIST_DATA_DIR=$run_dir/b/data FMNIST_CACHE_DIR=$run_dir/cache
[[ $wasm_threads == all ]] || export FMNIST_THREADS=$wasm_threads
if [[ -z "${XDG_RUNTIME_DIR:-}" ]]; then
  mkdir -m 700 "$run_dir/xdg" && export XDG_RUNTIME_DIR=$run_dir/xdg
fi

env_report() {
  local gpu driver_lib glibc torch
  if command -v nvidia-smi >/dev/null; then
    gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n 4)
  else
    gpu=
  fi
  driver_lib=$([[ -n $icd ]] && grep -o '"library_path"[^,}]*' "$icd" | head -n 1 | sed 's/.*: *"\(.*\)"/\1/')
  # Whether the loader can find the ICD's driver library (NVIDIA's container runtime mounts it only
  # with the graphics capability).
  local found=false dir resolved=
  if [[ $driver_lib == /* ]]; then
    [[ -e $driver_lib ]] && found=true && resolved=$driver_lib
  elif [[ -n $driver_lib ]]; then
    [[ $ld_cache == *"$driver_lib "* ]] && found=true &&
      resolved=$(printf '%s\n' "$ld_cache" | grep -F "$driver_lib (" | grep -F x86-64 | head -n 1 | sed 's/.*=> *//')
    for dir in ${LD_LIBRARY_PATH//:/ }; do [[ -e $dir/$driver_lib ]] && found=true && resolved=$dir/$driver_lib && break; done
  fi
  # The libraries the driver library links that cannot be found (with this LD_LIBRARY_PATH).
  local missing='[]' m
  if [[ -n $resolved && -e $resolved ]]; then
    missing=$(ldd "$resolved" 2>/dev/null | awk '/=> not found/ {print $1}' | while IFS= read -r m; do printf '%s,' "$(json_str "$m")"; done)
    missing="[${missing%,}]"
  fi
  local cpu_model avx512f=false
  cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
  [[ -z $cpu_model ]] && cpu_model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
  grep -qw avx512f /proc/cpuinfo 2>/dev/null && avx512f=true
  glibc=$(ldd --version 2>&1 | head -n 1)
  torch=$("$python" -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tail -n 1)
  printf '{"kernel":%s,"glibc":%s,"libstdcxx":%s,"glibcxx3430":%s,"cpuModel":%s,"avx512f":%s,"nvidiaSmi":%s,"vulkanIcd":%s,"icdLibrary":%s,"icdLibraryFound":%s,"icdLibraryMissing":%s,"carriedLibs":%s,"ldLibraryPath":%s,"eglVendorDirs":%s,"node":%s,"cpus":%s,"python":%s,"torch":%s}\n' \
    "$(json_str "$(uname -sr)")" "$(json_str "$glibc")" "$(json_str "$sys_libstdcxx")" "$glibcxx_3430" "$(json_str "$cpu_model")" "$avx512f" \
    "$(json_str "$gpu")" "$(json_str "$icd")" "$(json_str "$driver_lib")" "$found" "$missing" \
    "$(json_str "$carried")" "$(json_str "$LD_LIBRARY_PATH")" "$(json_str "${__EGL_VENDOR_LIBRARY_DIRS:-}")" \
    "$(json_str "$("$node_bin" --version 2>&1 | head -n 1)")" "$(nproc 2>/dev/null || echo null)" \
    "$(json_str "$("$python" --version 2>&1)")" "$(json_str "$torch")"
}
export icd carried node_bin ld_cache sys_libstdcxx glibcxx_3430
export -f env_report
run_step env 30 env_report

# --- our CLI and PyTorch ----------------------------------------------------------------------
fmnist() { "$node_bin" "$cli" "$@"; }
export node_bin cli
export -f fmnist
bench_batch=()
[[ -n $batch ]] && bench_batch=(--batch "$batch")
run_step doctor-webgpu 60 fmnist doctor --backend webgpu --json
run_step doctor-wasm 30 fmnist doctor --backend wasm --json
run_step profile-mlp-wide 90 fmnist profile --model mlp-wide --mode infer --batch 64 --backend webgpu,wasm --json
# The zoo at bench's batch sizes, then mlp-wide inference at the seed's batch of 64 (a sync after each batch).
torch_cuda() {
  local min_time
  min_time=$(awk "BEGIN{print $min_time_ms/1000}")
  "$python" scripts/torch-bench.py --device cuda --model "$models" --min-time "$min_time" &&
    "$python" scripts/torch-bench.py --device cuda --model mlp-wide --mode infer --batch 64 --min-time "$min_time"
}
export models min_time_ms
export -f torch_cuda
if "$python" -c 'import torch' >/dev/null 2>&1; then
  run_step torch-cuda 90 torch_cuda
else
  emit "{\"step\":\"torch-cuda\",\"status\":\"skipped\",\"reason\":$(json_str "no PyTorch here: $python -c 'import torch' failed")}"
  log "torch-cuda: skipped (no PyTorch)"
fi
for model in ${models//,/ }; do
  run_step "bench-$model" 100 fmnist bench --model "$model" --mode both --backend wasm,webgpu --min-time "$min_time_ms" "${bench_batch[@]}" --json
done
emit "{\"step\":\"end\",\"time\":\"$(date -u +%FT%TZ)\",\"seconds\":$((SECONDS - started))}"

# --- summary (with the carried Node; the JSON lines are the record) ----------------------------
log "done: $out_file"
"$node_bin" --input-type=module - "$out_file" <<'EOF' || grep '"status"' "$out_file" | tail -n 20
import { readFileSync } from 'node:fs';
const [file] = process.argv.slice(2);
const all = readFileSync(file, 'utf8').trim().split('\n').map((l) => { try { return JSON.parse(l); } catch { return {}; } });
// This run's lines only: the file may hold earlier runs (it is appended to).
const start = all.findLastIndex((r) => r.step === 'start');
const lines = all.slice(start);
const fmt = (n, d = 0) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
console.log(`\ngpu-check: ${file}`);
console.log(lines.filter((r) => r.status).map((r) => `  ${r.step}: ${r.status}${r.seconds !== undefined ? ` (${r.seconds} s)` : ''}${r.status === 'ok' ? '' : `: ${r.status === 'timeout' ? `timed out after ${r.timeoutS} s` : ((r.reason ?? r.stderrTail ?? '').split('\n').filter(Boolean).at(-1) ?? '')}`.slice(0, 200)}`).join('\n'));
const env = lines.find((r) => r.step === 'env' && !r.status);
if (env) console.log(`  GPU: ${env.nvidiaSmi || 'none reported'}; Vulkan ICD: ${env.vulkanIcd || 'none found'}; carried loaders: ${env.carriedLibs || 'none'}`);
const doc = lines.find((r) => r.step === 'doctor-webgpu' && !r.status);
const w = doc?.webgpu;
if (w) console.log(`  WebGPU adapter: ${w.device || w.description} (${w.dawnBackend}${w.software ? ', SOFTWARE: not GPU figures' : ''}; maxBufferSize ${w.maxBufferSize})`);
else console.log('  WebGPU adapter: none (see doctor-webgpu)');
const prof = lines.filter((r) => r.step === 'profile-mlp-wide' && !r.status);
for (const p of prof) {
  const pipelined = typeof p.pipelinedImagesPerSecond === 'number' ? `, ${fmt(p.pipelinedImagesPerSecond)} img/s pipelined` : '';
  console.log(`  mlp-wide infer batch 64 on ${p.backend}: p50 ${fmt(p.latencyMs?.p50, 3)} ms, p95 ${fmt(p.latencyMs?.p95, 3)} ms, ${fmt(p.imagesPerSecond)} img/s (synced)${pipelined}${p.gpuBytes != null ? `, GPU ${fmt(p.gpuBytes / 2 ** 20, 1)} MiB` : ''}`);
}
if (prof.length) console.log('    seed (PyTorch, GPU): 0.32 ms per batch of 64, 197,596 img/s');
const rows = lines.filter((r) => (r.step.startsWith('bench-') || r.step === 'torch-cuda') && !r.status && r.imagesPerSecond !== undefined);
if (rows.length) {
  console.log(`  ${'model'.padEnd(10)} ${'mode'.padEnd(5)} ${'backend'.padEnd(11)} ${'batch'.padStart(5)} ${'img/s'.padStart(12)} ${'ms/step'.padStart(9)} ${'ratio'.padStart(7)} ${'pipelined'.padStart(12)}`);
  for (const r of rows)
    console.log(`  ${r.model.padEnd(10)} ${r.mode.padEnd(5)} ${(r.backend + (r.device ? `-${r.device}` : '')).padEnd(11)} ${String(r.batch).padStart(5)} ${fmt(r.imagesPerSecond).padStart(12)} ${fmt(r.msPerStep, 2).padStart(9)} ${(r.ratio === undefined ? '' : fmt(r.ratio, 2)).padStart(7)} ${(typeof r.pipelinedImagesPerSecond === 'number' ? fmt(r.pipelinedImagesPerSecond) : '').padStart(12)}`);
}
EOF
