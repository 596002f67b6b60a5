#!/usr/bin/env bash
# One-shot check of @distilbert/backend-gpu on a real GPU (written for an NVIDIA H100 with no network):
# adapter info, parity on every fixture and the full-size model, then throughput at 1/8/32/64 × 128 (and a
# per-kernel time profile at 32×128) beside PyTorch fp32 (eager, then torch.compile) and onnxruntime-node's
# WebGPU provider on an ONNX export of the same weights (made here by the export-onnx step with
# @distilbert/backend-onnx, or GPU_CHECK_ONNX=path/to/model.onnx), whose output is checked against ours.
# Every step is time-boxed and the whole run stays under 8 minutes; results go to $OUT/gpu-check.md.
#
#   OUT=/some/dir bash scripts/gpu-check.sh      (GPU_CHECK_SCRATCH: where bulky files go, default /tmp/...)
#   dry run on a software adapter: GPU_CHECK_BATCHES=1 GPU_CHECK_SEQ=16 GPU_CHECK_PROFILE_BATCH=1 OUT=... bash ...
#
# Needs, carried with the checkout: .cache/gpu-check (made here by `node scripts/gpu-check/pack.mjs --node`:
# bundled scripts, Dawn, onnxruntime-node, an xz'd node binary; without it: node_modules + built dist/ of
# core, hub, backend-gpu and backend-onnx, and node >= 20 on PATH or $NODE) and the Vulkan loader as
# .gl/*.deb (libvulkan1). On the machine: python3 with numpy and torch, the NVIDIA driver with its Vulkan ICD.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/gpu-check-out}
# Bulky files (node, the unpacked pack, weights, the ONNX export) go to a scratch folder, so that $OUT holds
# only the reports and logs.
SCRATCH=${GPU_CHECK_SCRATCH:-${TMPDIR:-/tmp}/gpu-check-scratch}
mkdir -p "$OUT" "$SCRATCH"
rm -f "$SCRATCH"/ours-*.f32 # last run's outputs, which ort-webgpu would compare against
START=$SECONDS
BUDGET=${GPU_CHECK_BUDGET:-450}
STEPS="$OUT/steps.tsv"
: >"$STEPS"
log() { echo "[gpu-check +$((SECONDS - START))s] $*"; }

# step NAME CAP_SECONDS CMD...: runs CMD under a time limit (trimmed to what is left of the budget), logs it
# to $OUT/NAME.log and records its status; a failing or hanging step never stops the next.
step() {
  local name=$1 cap=$2
  shift 2
  local left=$((BUDGET - (SECONDS - START) - 15))
  if ((left < 20)); then
    log "$name: skipped, time budget spent"
    printf '%s\tskipped (budget)\t0\n' "$name" >>"$STEPS"
    return 1
  fi
  ((cap > left)) && cap=$left
  log "$name (limit ${cap}s)"
  local t0=$SECONDS
  timeout -k 5 "$cap" "$@" 2>&1 | grep --line-buffered -v 'artificially reduced' | tee "$OUT/$name.log"
  local rc=${PIPESTATUS[0]}
  local status=ok
  ((rc == 124 || rc == 137)) && status="TIMED OUT after ${cap}s"
  ((rc != 0 && rc != 124 && rc != 137)) && status="failed (exit $rc)"
  printf '%s\t%s\t%s\n' "$name" "$status" "$((SECONDS - t0))" >>"$STEPS"
  return "$rc"
}

# --- Vulkan loader and the NVIDIA ICD ---
# unpack_deb DEB DIR: dpkg -x, or (no dpkg) Python reading the ar archive's data.tar.*.
unpack_deb() {
  if command -v dpkg >/dev/null; then
    dpkg -x "$1" "$2"
  else
    python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], "rb").read()
pos = 8
while pos < len(data):
    name, size = data[pos:pos + 16].decode().strip(), int(data[pos + 48:pos + 58])
    body = data[pos + 60:pos + 60 + size]
    if name.startswith("data.tar"):
        tarfile.open(fileobj=io.BytesIO(body)).extractall(sys.argv[2])
    pos += 60 + size + (size & 1)
PY
  fi
}
if compgen -G ".gl/*.deb" >/dev/null; then
  if [ -w /usr/lib ]; then
    for f in .gl/*.deb; do unpack_deb "$f" /; done
    ldconfig 2>/dev/null || true
  else
    for f in .gl/*.deb; do unpack_deb "$f" "$SCRATCH/gl"; done
    export LD_LIBRARY_PATH="$SCRATCH/gl/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
  fi
fi
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"
done
for icd in "${VK_DRIVER_FILES:-}" /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json \
  /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
  if [ -n "$icd" ] && [ -f "$icd" ]; then
    export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
    break
  fi
done

PY=${PYTHON:-python3}
# unxz SRC DST: xz, or Python's lzma where xz is missing.
unxz() {
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"
  else "$PY" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
NODE=${NODE:-$(command -v node || true)}
if [ -z "$NODE" ] && [ -f .cache/gpu-check/node.xz ]; then
  unxz .cache/gpu-check/node.xz "$SCRATCH/node" && chmod +x "$SCRATCH/node" && NODE=$SCRATCH/node
fi
# The packed bundles (no node_modules needed) if present, else the scripts on the built workspace. The pack
# ships its big native libraries (Dawn, onnxruntime) xz'd to fit the carry budget: it is copied to the
# scratch folder and unpacked there (the bundles find the checkout through GPU_CHECK_ROOT).
JS=scripts/gpu-check
if [ -f .cache/gpu-check/app/parity.mjs ]; then
  rm -rf "$SCRATCH/app" && cp -r .cache/gpu-check/app "$SCRATCH/app"
  JS=$SCRATCH/app
  export GPU_CHECK_ROOT=$ROOT
  while IFS= read -r f; do
    unxz "$f" "${f%.xz}" && rm -f "$f" || log "could not unpack $f"
  done < <(find "$JS/node_modules" -name '*.xz')
fi

{
  echo "host: $(uname -srm); $(nvidia-smi -L 2>/dev/null | head -1 || echo 'nvidia-smi: n/a')"
  echo "node: ${NODE:-none} $([ -n "$NODE" ] && "$NODE" -v); scripts: $JS"
  echo "python: $($PY -c 'import sys, numpy, torch; print(sys.version.split()[0], "numpy", numpy.__version__, "torch", torch.__version__, "cuda", torch.cuda.is_available())' 2>&1 | tail -1)"
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}; libvulkan: $(ldconfig -p 2>/dev/null | grep -m1 -o 'libvulkan.so.1 .*' || ls "$SCRATCH"/gl/usr/lib/x86_64-linux-gnu/libvulkan.so.1 2>/dev/null || echo 'not found')"
} | tee "$OUT/env.log"

FULL=${FULLSIZE_DIR:-$SCRATCH/fullsize}
BATCHES=${GPU_CHECK_BATCHES:-1,8,32,64}
SEQ=${GPU_CHECK_SEQ:-128} # shorter only for dry runs on a software adapter
if [ -n "$NODE" ]; then
  step adapter 45 "$NODE" "$JS/adapter.mjs" --json "$OUT/adapter.json"
else
  log "no node binary: set NODE=/path/to/node (>= 20) or pack one (node scripts/gpu-check/pack.mjs --node); our backend's steps are skipped"
  printf 'node\tmissing\t0\n' >>"$STEPS"
fi
[ -f "$FULL/model.safetensors" ] || step make-fullsize 60 "$PY" fixtures/tools/make_fullsize.py "$FULL"
if [ -n "$NODE" ]; then
  step parity 90 "$NODE" "$JS/parity.mjs" "$FULL" --json "$OUT/parity.json"
  step ours 100 "$NODE" "$JS/throughput.mjs" "$FULL" --batches "$BATCHES" --seq "$SEQ" --json "$OUT/ours.json" --dump "$SCRATCH"
  step profile 45 "$NODE" "$JS/profile.mjs" "$FULL" --batch "${GPU_CHECK_PROFILE_BATCH:-32}" --seq "$SEQ" --json "$OUT/profile.json"
fi
step torch-eager 60 "$PY" scripts/gpu-check/torch_bench.py "$FULL" --mode eager --batches "$BATCHES" --seq "$SEQ" --json "$OUT/torch_eager.json"
ONNX=${GPU_CHECK_ONNX:-}
for c in "$FULL/onnx/model.onnx" "$FULL/model.onnx" "$SCRATCH/fullsize-onnx/onnx/model.onnx"; do
  [ -z "$ONNX" ] && [ -f "$c" ] && ONNX=$c
done
# No export yet: make one of the bare encoder with @distilbert/backend-onnx (the same weights as ours).
if [ -z "$ONNX" ] && [ -n "$NODE" ] && [ -f "$FULL/model.safetensors" ] &&
  step export-onnx 90 "$NODE" "$JS/export.mjs" "$FULL" "$SCRATCH/fullsize-onnx"; then
  ONNX=$SCRATCH/fullsize-onnx/onnx/model.onnx
fi
if [ -n "$ONNX" ] && [ -n "$NODE" ]; then
  step ort-webgpu 90 "$NODE" "$JS/ort.mjs" "$ONNX" --ep webgpu --batches "$BATCHES" --seq "$SEQ" --json "$OUT/ort_webgpu.json" --compare "$SCRATCH"
else
  log "no ONNX export (GPU_CHECK_ONNX unset, none in $FULL, export-onnx failed): onnxruntime WebGPU column left empty"
  printf 'ort-webgpu\tno ONNX export\t0\n' >>"$STEPS"
fi
step torch-compile 150 "$PY" scripts/gpu-check/torch_bench.py "$FULL" --mode compile --batches "$BATCHES" --seq "$SEQ" --json "$OUT/torch_compile.json"
BUDGET=$((BUDGET + 30)) step report 20 "$PY" scripts/gpu-check/report.py "$OUT"
log "done in $((SECONDS - START))s: $OUT/gpu-check.md"
