#!/usr/bin/env python3
"""Writes OUT/gpu-check.md from the JSON files the GPU check's steps left in OUT (missing ones are noted)."""
import json
import os
import sys
import time

OUT = sys.argv[1]


def load(name):
    try:
        with open(os.path.join(OUT, name)) as f:
            return json.load(f)
    except Exception:
        return None


def fmt(x, spec=".2f"):
    return "—" if x is None else format(x, spec)


def sci(x):
    # JSON has no Infinity: a NaN/size mismatch in parity.mjs arrives as null.
    return "inf/NaN" if x is None else f"{x:.2e}"


adapter = load("adapter.json")
parity = load("parity.json")
ours = load("ours.json")
eager = load("torch_eager.json")
compiled = load("torch_compile.json")
ort = load("ort_webgpu.json")
env = open(os.path.join(OUT, "env.log")).read().strip() if os.path.exists(os.path.join(OUT, "env.log")) else ""
steps = []
if os.path.exists(os.path.join(OUT, "steps.tsv")):
    steps = [l.rstrip("\n").split("\t") for l in open(os.path.join(OUT, "steps.tsv")) if l.strip()]

L = [f"# GPU check ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", ""]
if adapter:
    a = adapter["adapter"]
    L.append(f"WebGPU adapter (Dawn/Vulkan): **{a.get('description') or a.get('device')}** (vendor {a.get('vendor')}, "
             f"architecture {a.get('architecture')}); shader-f16: {adapter.get('f16')}; "
             f"maxStorageBufferBindingSize {adapter['limits'].get('maxStorageBufferBindingSize')}")
else:
    L.append("WebGPU adapter: **none found** (see adapter.log)")
if eager:
    L.append(f"PyTorch {eager.get('torch')} on {eager.get('gpu')}, fp32 (allow_tf32={eager.get('allow_tf32')})")
if env:
    L += ["", "```", env, "```"]

L += ["", "## Parity (our WebGPU backend vs the PyTorch float64 reference outputs)", ""]
if parity:
    L += ["| model | cases | max abs diff | atol | ok | per output |", "| --- | --- | --- | --- | --- | --- |"]
    for r in parity["results"]:
        per = ", ".join(f"{k} {sci(v)}" for k, v in r["outputs"].items())
        L.append(f"| {r['model']} | {r['cases']} | {sci(r['maxAbsDiff'])} | {r['atol']:g} | {'yes' if r['ok'] else '**NO**'} | {per} |")
else:
    L.append("not measured (see parity.log)")
if eager and eager.get("parity_max_abs_diff") is not None:
    L.append(f"\nPyTorch eager fp32 (our torch port) vs the same full-size outputs: max abs diff {sci(eager['parity_max_abs_diff'])}")

L += ["", "## Throughput, full-size model (768/12/6/3072), bare encoder, fp32", ""]
L += ["| batch×seq | ours ms (GPU done) | ours seq/s | ours ms incl. readback | torch eager ms | torch eager seq/s | "
      "torch.compile ms | ORT WebGPU ms (incl. readback) | ours / torch eager | ours / ORT |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
by = lambda d, b: next((r for r in (d or {}).get("rows", []) if r["batch"] == b), None)
S = next((r["seq"] for d in (ours, eager, ort) for r in (d or {}).get("rows", [])), 128)  # 128 but in dry runs
goal_lines = []
for b in [1, 8, 32, 64]:
    o, e, c, x = by(ours, b), by(eager, b), by(compiled, b), by(ort, b)
    ratio_t = (e["ms"] / o["msSync"]) if o and e else None
    ratio_o = (x["ms"] / o["msRead"]) if o and x else None
    L.append(f"| {b}×{S} | {fmt(o and o['msSync'])} | {fmt(o and o['seqPerSec'], '.1f')} | {fmt(o and o['msRead'])} | "
             f"{fmt(e and e['ms'])} | {fmt(e and e['seqPerSec'], '.1f')} | {fmt(c and c['ms'])} | {fmt(x and x['ms'])} | "
             f"{fmt(ratio_t)}× | {fmt(ratio_o)}× |")
    if b == 32 and ratio_t is not None:
        goal_lines.append(f"- Goal ≥ 0.5× PyTorch eager at 32×128: {ratio_t:.2f}× → {'met' if ratio_t >= 0.5 else 'NOT met'}")
    if ratio_o is not None and ratio_o < 1:
        goal_lines.append(f"- Slower than ORT WebGPU at {b}×{S} ({ratio_o:.2f}×)")
if ort is None:
    goal_lines.append("- ORT WebGPU: not measured (no ONNX export: see export-onnx.log, or set GPU_CHECK_ONNX)")
for x in (ort or {}).get("rows", []):
    if "maxAbsDiffVsOurs" in x:
        goal_lines.append(f"- ORT WebGPU vs ours, same inputs ({x['batch']}×{x['seq']}, last_hidden_state): "
                          f"max abs diff {sci(x['maxAbsDiffVsOurs'])}")
L += ["", "ours / X > 1 means ours is faster. 'GPU done' waits for the queue (as torch.cuda.synchronize); "
      "'incl. readback' also copies last_hidden_state to the host, as onnxruntime-node returns it.", ""] + goal_lines
profile = load("profile.json")
if profile:
    L += ["", f"## Where the time goes: one forward at {profile['batch']}×{S} ({profile['forwardMs']:.2f} ms, "
          f"{profile['dispatches']} dispatches, each replayed alone)", "",
          "| kernel [shape] | calls | ms | GFLOP/s |", "| --- | --- | --- | --- |"]
    for r in profile["rows"][:14]:
        gf = f"{r['flops'] / (r['ms'] * 1e6):.0f}" if r["flops"] else ""
        L.append(f"| {r['kernel']} | {r['calls']} | {r['ms']:.3f} | {gf} |")
L += ["", "## Steps", "", "| step | status | seconds |", "| --- | --- | --- |"] + [f"| {s[0]} | {s[1]} | {s[2]} |" for s in steps]
with open(os.path.join(OUT, "gpu-check.md"), "w") as f:
    f.write("\n".join(L) + "\n")
print("\n".join(L))
