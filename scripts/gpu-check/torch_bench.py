#!/usr/bin/env python3
"""PyTorch fp32 DistilBERT encoder on the same GPU, from the same safetensors (transformers not needed).

  python3 scripts/gpu-check/torch_bench.py MODEL_DIR --mode eager|compile [--batches 1,8,32,64] [--seq 128]
      [--seconds 1.5] [--json OUT.json]

TF32 is off (torch.backends.cuda.matmul.allow_tf32 = False), so this is true fp32, like our WGSL kernels.
The forward follows fixtures/models/README.md (post-LN, erf GELU, finfo.min key mask, eps 1e-12). In eager
mode it first checks itself against the full-size fixture outputs. The JSON is rewritten after every shape,
so a time-out keeps what was measured.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "..", "fixtures", "models", "fullsize-distilbert-mlm")
DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] not in DTYPES:
            continue
        dt = np.dtype(DTYPES[info["dtype"]])
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data, dtype=dt, count=(e - b) // dt.itemsize, offset=b).reshape(info["shape"])
    return out


def load(model_dir, device):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    raw = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    w = {}
    for k, v in raw.items():
        k = k[len("distilbert."):] if k.startswith("distilbert.") else k
        w[k] = torch.from_numpy(v.copy()).to(device)
    return cfg, w


def make_forward(cfg, w):
    D, H, L = cfg["dim"], cfg["n_heads"], cfg["n_layers"]
    hd = D // H

    def forward(ids, mask):
        B, S = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:S]
        x = F.layer_norm(x, (D,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
        masked = (mask == 0).view(B, 1, 1, S)
        for i in range(L):
            p = f"transformer.layer.{i}."
            lin = lambda t, n: F.linear(t, w[p + n + ".weight"], w[p + n + ".bias"])
            heads = lambda t: t.view(B, S, H, hd).transpose(1, 2)
            q = heads(lin(x, "attention.q_lin")) / math.sqrt(hd)
            k = heads(lin(x, "attention.k_lin"))
            v = heads(lin(x, "attention.v_lin"))
            scores = (q @ k.transpose(2, 3)).masked_fill(masked, torch.finfo(q.dtype).min)
            ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, D)
            x = F.layer_norm(lin(ctx, "attention.out_lin") + x, (D,), w[p + "sa_layer_norm.weight"], w[p + "sa_layer_norm.bias"], 1e-12)
            h = lin(F.gelu(lin(x, "ffn.lin1")), "ffn.lin2")
            x = F.layer_norm(h + x, (D,), w[p + "output_layer_norm.weight"], w[p + "output_layer_norm.bias"], 1e-12)
        return x

    return forward


def parity(forward, device):
    """Max |diff| of last_hidden_state against the stored full-size outputs (only for the full-size weights)."""
    exp_json = os.path.join(FIXTURE, "expected.json")
    if not os.path.exists(exp_json):
        return None
    cases = json.load(open(exp_json))["cases"]
    tensors = read_safetensors(os.path.join(FIXTURE, "expected.safetensors"))
    worst = 0.0
    for c in cases:
        ids = torch.tensor(c["input_ids"], device=device)
        mask = torch.tensor(c["attention_mask"], device=device)
        got = forward(ids, mask).float().cpu().numpy()
        want = tensors[c["tensors"]["last_hidden_state"]["name"]]
        worst = max(worst, float(np.abs(got - want).max()))
    return worst


def synthetic(batch, seq, device):
    g = torch.Generator().manual_seed(batch * 1000 + seq)
    ids = torch.randint(1000, 30522, (batch, seq), generator=g)
    ids[:, 0], ids[:, -1] = 101, 102
    return ids.to(device), torch.ones(batch, seq, dtype=torch.long, device=device)


def time_ms(fn, seconds):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    rounds = []
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while n < 3 or time.perf_counter() - t0 < seconds / 3:
            fn()
            n += 1
        torch.cuda.synchronize()
        rounds.append((time.perf_counter() - t0) * 1000 / n)
    return sorted(rounds)[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--mode", choices=["eager", "compile"], default="eager")
    ap.add_argument("--batches", default="1,8,32,64")
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--json")
    a = ap.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    device = "cuda"
    cfg, w = load(a.model_dir, device)
    forward = make_forward(cfg, w)
    result = {
        "mode": a.mode,
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0),
        "allow_tf32": torch.backends.cuda.matmul.allow_tf32,
        "rows": [],
    }

    def save():
        if a.json:
            with open(a.json, "w") as f:
                json.dump(result, f, indent=2)

    with torch.inference_mode():
        if a.mode == "eager" and cfg["dim"] == 768:
            d = parity(forward, device)
            result["parity_max_abs_diff"] = d
            print(f"torch eager vs fixture outputs: max |diff| {d}", flush=True)
            save()
        fn = forward
        if a.mode == "compile":
            fn = torch.compile(forward, dynamic=False)
        for b in [int(x) for x in a.batches.split(",")]:
            ids, mask = synthetic(b, a.seq, device)
            t0 = time.perf_counter()
            fn(ids, mask)
            torch.cuda.synchronize()
            first = (time.perf_counter() - t0) * 1000
            ms = time_ms(lambda: fn(ids, mask), a.seconds)
            row = {"batch": b, "seq": a.seq, "ms": ms, "seqPerSec": b * 1000 / ms, "firstCallMs": first}
            result["rows"].append(row)
            print(f"torch {a.mode} {b}x{a.seq}: {ms:.2f} ms, {row['seqPerSec']:.1f} seq/s (first call {first:.0f} ms)", flush=True)
            save()
    save()


if __name__ == "__main__":
    sys.exit(main())
