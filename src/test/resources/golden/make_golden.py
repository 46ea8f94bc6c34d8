#!/usr/bin/env python3
"""Golden data for the merge techniques, computed with numpy only (independent of the Java code).

Writes tiny checkpoints (models/{base,a,b,c}), one recipe per case (cases/<case>.yaml) and the
expected merged tensors (expected/<case>.json). Run from anywhere:
    python3 src/test/resources/golden/make_golden.py
Semantics follow DESIGN.md section 4. TIES trimming keeps exactly k = max(1, floor(density * n))
entries per tensor and model: the largest |tau|, and among equal magnitudes at the threshold
the lowest flat (row-major) index first -- a stable sort by descending |tau|.
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
F32 = np.float32


# ---------- dtype helpers (bf16 has no numpy type: keep its bits in uint16) ----------
def bf16_bits_from_f32(x):
    u = np.asarray(x, dtype=F32).view(np.uint32).astype(np.uint64)
    nan = np.isnan(np.asarray(x, dtype=F32))
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    rounded[nan] = 0x7FC0
    return rounded


def f32_from_bf16_bits(bits):
    return (np.asarray(bits, dtype=np.uint32) << 16).view(F32)


def to_f32(t):
    dtype, arr = t
    if dtype == "BF16":
        return f32_from_bf16_bits(arr)
    return arr.astype(F32)


def encode(values_f32, dtype):
    """float32 result -> (dtype, stored array) the way a checkpoint stores it."""
    if dtype == "BF16":
        return ("BF16", bf16_bits_from_f32(values_f32))
    if dtype == "F16":
        return ("F16", values_f32.astype(np.float16))
    return ("F32", values_f32.astype(F32))


# ---------- safetensors writer ----------
def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, (dtype, arr) in tensors.items():
        raw = np.ascontiguousarray(arr).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in blobs:
            f.write(raw)


# ---------- the models ----------
def make_models():
    rng = np.random.RandomState(20261122)
    shapes = {
        "embed.weight": ("F32", (8, 4)),
        "layers.0.attn.q.weight": ("F32", (6, 5)),
        "layers.0.norm.weight": ("F16", (7,)),
        "layers.1.mlp.weight": ("BF16", (4, 6)),
        "layers.1.tied.weight": ("F32", (12,)),
        "position_ids": ("I64", (10,)),
        "head.weight": ("F32", (3, 4)),
    }
    models = {m: {} for m in ("base", "a", "b", "c")}
    for name, (dtype, shape) in shapes.items():
        if dtype == "I64":
            for m in models:
                models[m][name] = ("I64", np.arange(10, dtype=np.int64) * (3 if m == "base" else 1))
            continue
        if name == "layers.1.tied.weight":
            # Task vectors with many equal magnitudes (multiples of 0.25) to pin down tie breaking.
            base = np.ones(shape, dtype=F32)
            models["base"][name] = ("F32", base)
            for m in ("a", "b", "c"):
                steps = rng.randint(-3, 4, size=shape).astype(F32) * F32(0.25)
                models[m][name] = ("F32", base + steps)
            continue
        base = rng.normal(0, 1, size=shape).astype(F32)
        for m in models:
            vals = base if m == "base" else base + rng.normal(0, 0.1, size=shape).astype(F32)
            models[m][name] = encode(vals.astype(F32), dtype)
    for m, tensors in models.items():
        write_safetensors(os.path.join(HERE, "models", m, "model.safetensors"), tensors)
    with open(os.path.join(HERE, "models", "base", "config.json"), "w") as f:
        f.write('{"architecture": "golden-toy", "hidden_size": 4}\n')
    return models


# ---------- reference techniques (float32 arithmetic, as DESIGN section 4) ----------
def linear(thetas, weights):
    acc = np.zeros_like(thetas[0])
    for w, t in zip(weights, thetas):
        acc = acc + F32(w) * t
    return acc / F32(sum(weights))


def trim(tau, density):
    n = tau.size
    k = max(1, int(np.floor(density * n)))
    order = np.argsort(-np.abs(tau).ravel(), kind="stable")
    keep = np.zeros(n, dtype=bool)
    keep[order[:k]] = True
    return np.where(keep.reshape(tau.shape), tau, F32(0))


def generalized(base, thetas, weights, densities, lam, normalize, trim_fn, consensus):
    taus = [trim_fn(t - base, d) for t, d in zip(thetas, densities)]
    w = [F32(x) for x in weights]
    if consensus:
        total = np.zeros_like(base)
        for wi, t in zip(w, taus):
            total = total + wi * t
        gamma = np.where(total >= 0, F32(1), F32(-1))
        agree = [np.sign(t) == gamma for t in taus]
    else:
        agree = [np.ones(base.shape, dtype=bool) for _ in taus]
    num = np.zeros_like(base)
    den = np.zeros_like(base)
    for wi, t, a in zip(w, taus, agree):
        num = num + wi * np.where(a, t, F32(0))
        den = den + wi * a.astype(F32)
    if normalize:
        den = np.where(den == 0, F32(1), den)
        num = num / den
    return base + F32(lam) * num


def no_trim(tau, density):
    return tau


METHODS = {
    "task_arithmetic": dict(trim_fn=no_trim, consensus=False, normalize=False),
    "ties": dict(trim_fn=trim, consensus=True, normalize=True),
}


# ---------- cases ----------
MODEL_PATHS = {m: f"../models/{m}" for m in ("base", "a", "b", "c")}


def merge_block(models, names, base_name, model_names, method, p):
    out = {}
    for name in names:
        ref = models[base_name or model_names[0]][name]
        if ref[0] == "I64":
            out[name] = ref
            continue
        thetas = [to_f32(models[m][name]) for m in model_names]
        if method == "linear":
            res = linear(thetas, p["weights"])
        else:
            spec = METHODS[method]
            res = generalized(
                to_f32(models[base_name][name]), thetas, p["weights"],
                p.get("densities", [1.0] * len(thetas)), p.get("lambda", 1.0),
                p.get("normalize", spec["normalize"]), spec["trim_fn"], spec["consensus"])
        out[name] = encode(res, p.get("dtype") or ref[0])
    return out


def native_recipe(base, models, blocks):
    lines = []
    if base:
        lines.append(f"base_model: {MODEL_PATHS[base]}")
    lines.append("models: [" + ", ".join(MODEL_PATHS[m] for m in models) + "]")
    lines.append("seed: 7")
    lines.append("blocks:")
    for b in blocks:
        lines.append(f"  - name: {b['name']}")
        lines.append(f"    tensors: '{b['tensors']}'")
        lines.append(f"    merge_method: {b['method']}")
        lines.append(f"    parameters: {b['yaml']}")
    return "\n".join(lines) + "\n"


def route(names, blocks):
    import re
    groups = {b["name"]: [] for b in blocks}
    for n in names:
        for b in blocks:
            if re.search(b["tensors"], n):
                groups[b["name"]].append(n)
                break
    return groups


def native_case(models, base, model_names, blocks):
    names = list(models["base"].keys())
    out = {}
    for b, group in zip(blocks, route(names, blocks).values()):
        out.update(merge_block(models, group, base, model_names, b["method"], b["p"]))
    return native_recipe(base, model_names, blocks), out


def cases(models):
    all_ = lambda method, p, yaml: [dict(name="all", tensors=".*", method=method, p=p, yaml=yaml)]
    yield "linear_two", native_case(
        models, None, ["a", "b"],
        all_("linear", {"weights": [0.25, 0.75]}, "{weight: 0.25}"))
    yield "linear_three", native_case(
        models, "base", ["a", "b", "c"],
        all_("linear", {"weights": [2.0, 1.0, 1.0]}, "{weights: [2, 1, 1]}"))
    yield "task_arithmetic_three", native_case(
        models, "base", ["a", "b", "c"],
        all_("task_arithmetic", {"weights": [0.5, 0.3, 0.4], "lambda": 0.7},
             "{weights: [0.5, 0.3, 0.4], lambda: 0.7}"))
    yield "ties_two", native_case(
        models, "base", ["a", "b"],
        all_("ties", {"weights": [0.6, 0.4], "densities": [0.5, 0.5]},
             "{weights: [0.6, 0.4], density: 0.5}"))
    yield "ties_three", native_case(
        models, "base", ["a", "b", "c"],
        all_("ties", {"weights": [1.0, 1.0, 1.0], "densities": [0.8, 0.5, 0.3], "lambda": 1.2,
                      "normalize": False},
             "{weights: [1, 1, 1], densities: [0.8, 0.5, 0.3], lambda: 1.2, normalize: false}"))
    yield "ties_tied_magnitudes", native_case(
        models, "base", ["a", "b", "c"],
        all_("ties", {"weights": [0.5, 0.25, 0.25], "densities": [0.5, 0.42, 0.75]},
             "{weights: [0.5, 0.25, 0.25], densities: [0.5, 0.42, 0.75]}"))
    yield "multi_block", native_case(models, "base", ["a", "b"], [
        dict(name="tokenizer", tensors=r"^embed\.", method="linear",
             p={"weights": [0.25, 0.75]}, yaml="{weight: 0.25}"),
        dict(name="layer0", tensors=r"^layers\.0\.", method="ties",
             p={"weights": [0.6, 0.4], "densities": [0.7, 0.7]},
             yaml="{weights: [0.6, 0.4], density: 0.7}"),
        dict(name="layer1", tensors=r"^layers\.1\.", method="task_arithmetic",
             p={"weights": [1.0, 1.0], "lambda": 0.5}, yaml="{weights: [1, 1], lambda: 0.5}"),
        dict(name="rest", tensors=".*", method="ties",
             p={"weights": [0.5, 0.5], "densities": [0.8, 0.8], "lambda": 0.9},
             yaml="{weights: [0.5, 0.5], density: 0.8, lambda: 0.9}"),
    ])
    # mergekit-style recipe: per-model parameters, global normalize, int8_mask, dtype.
    names = list(models["base"].keys())
    p = {"weights": [0.7, 0.3], "densities": [0.6, 0.9], "normalize": True, "dtype": "F16"}
    expected = merge_block(models, names, "base", ["a", "b"], "ties", p)
    recipe = (
        "merge_method: ties\n"
        f"base_model: {MODEL_PATHS['base']}\n"
        "models:\n"
        f"  - model: {MODEL_PATHS['base']}\n"
        f"  - model: {MODEL_PATHS['a']}\n"
        "    parameters: {weight: 0.7, density: 0.6}\n"
        f"  - model: {MODEL_PATHS['b']}\n"
        "    parameters: {weight: 0.3, density: 0.9}\n"
        "parameters:\n  normalize: true\n  int8_mask: true\n"
        "dtype: float16\n")
    yield "mergekit_ties_f16", (recipe, expected)


def as_json(tensors):
    out = {}
    for name, (dtype, arr) in tensors.items():
        if dtype in ("F16",):
            data = arr.view(np.uint16).ravel().tolist()
        elif dtype == "BF16":
            data = arr.ravel().tolist()
        elif dtype == "I64":
            data = arr.ravel().tolist()
        else:
            data = [float(x) for x in arr.astype(F32).ravel()]
        out[name] = {"dtype": dtype, "shape": list(arr.shape), "data": data}
    return out


def main():
    models = make_models()
    os.makedirs(os.path.join(HERE, "cases"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    names = []
    for name, (recipe, expected) in cases(models):
        names.append(name)
        with open(os.path.join(HERE, "cases", name + ".yaml"), "w") as f:
            f.write(recipe)
        with open(os.path.join(HERE, "expected", name + ".json"), "w") as f:
            json.dump(as_json(expected), f, indent=1)
    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    print("wrote", len(names), "cases:", ", ".join(names))


if __name__ == "__main__":
    main()
