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
    # Colinear task: every model a multiple of the base, so SLERP takes its linear branch.
    x = np.random.RandomState(7).normal(0, 1, size=(5,)).astype(F32)
    for m, factor in (("base", 1.0), ("a", 2.0), ("b", 0.5), ("c", -1.0)):
        models[m]["layers.1.colinear.weight"] = ("F32", (x * F32(factor)).astype(F32))
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


def generalized(base, thetas, weights, densities, lam, normalize, trim_fn, consensus, indexed=False):
    if indexed:
        taus = [trim_fn(t - base, d, i) for i, (t, d) in enumerate(zip(thetas, densities))]
    else:
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


def band(gamma):
    """Model Breadcrumbs: drop the floor(gamma n) largest |tau| and the smallest, keeping floor(density n)."""
    def fn(tau, density):
        n = tau.size
        keep = max(1, int(np.floor(density * n)))
        top = int(np.floor(gamma * n))
        bottom = n - keep - top
        if bottom < 0:
            top += bottom
            bottom = 0
        order = np.argsort(-np.abs(tau).ravel(), kind="stable")  # descending, equal ones by index
        mask = np.zeros(n, dtype=bool)
        mask[order[top:n - bottom]] = True
        return np.where(mask.reshape(tau.shape), tau, F32(0))
    return fn


# ---- Java's mask streams, replayed: MaskKey.streamSeed and SplittableRandom (SplitMix64) ----
M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def mix_stafford(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def stream_seed(seed, tensor_name, model_index):
    h = 0xCBF29CE484222325
    for byte in tensor_name.encode():
        h ^= byte
        h = (h * 0x100000001B3) & M64
    mix = lambda z: mix_stafford((z + GOLDEN_GAMMA) & M64)
    return mix((mix(mix(seed & M64) ^ h) + model_index + 1) & M64)


def uniform(stream, element):
    element = int(element)
    draw = mix_stafford((stream + ((element >> 1) + 1) * GOLDEN_GAMMA) & M64)
    return draw >> 32 if element % 2 == 0 else draw & 0xFFFFFFFF


def rows_of(a):
    return a.reshape(a.shape[0], -1) if a.ndim >= 2 else a.reshape(1, -1)


def magprune(eps, seed, name):
    """DELLA: per row, ascending |tau| rank r kept with p = (rho - eps) + 2 eps r / (m - 1), then / p."""
    def fn(tau, density, model_index):
        stream = stream_seed(seed, name, model_index)
        rows = rows_of(tau)
        m = rows.shape[1]
        out = np.zeros(tau.size, dtype=F32)
        for r0 in range(rows.shape[0]):
            order = np.argsort(np.abs(rows[r0]), kind="stable")
            for rank, j in enumerate(order):
                p = density if m == 1 else (density - eps) + 2 * eps * rank / (m - 1)
                kept = uniform(stream, r0 * m + j) < int(np.floor(p * 4294967296.0))
                out[r0 * m + j] = (rows[r0][j] * F32(1 if kept else 0)) / F32(p)
        return out.reshape(tau.shape)
    return fn


def slerp(v0, v1, t):
    a = v0.astype(np.float64).ravel()
    b = v1.astype(np.float64).ravel()
    n0, n1 = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))
    u0 = a / n0 if n0 > 1e-8 else a
    u1 = b / n1 if n1 > 1e-8 else b
    d = float(np.sum(u0 * u1))
    if abs(d) > 0.9995:
        c0, c1 = F32(1 - t), F32(t)
    else:
        th = np.arccos(d)
        c0, c1 = F32(np.sin((1 - t) * th) / np.sin(th)), F32(np.sin(t * th) / np.sin(th))
    return c0 * v0 + c1 * v1


def model_stock(base, thetas, filter_wise):
    n = len(thetas)
    rows_b = rows_of(base) if filter_wise else base.reshape(1, -1)
    rows_t = [rows_of(t) if filter_wise else t.reshape(1, -1) for t in thetas]
    out = np.zeros_like(rows_b)
    for r in range(rows_b.shape[0]):
        offsets = [(t[r] - rows_b[r]).astype(np.float64) for t in rows_t]
        cos = []
        for i in range(n):
            for j in range(i + 1, n):
                norms = np.linalg.norm(offsets[i]) * np.linalg.norm(offsets[j])
                cos.append(np.dot(offsets[i], offsets[j]) / max(norms, 1e-6))
        c = min(1.0, max(-1.0, float(np.mean(cos))))
        ratio = n * c / (1 + (n - 1) * c)
        acc = rows_t[0][r].copy()
        for t in rows_t[1:]:
            acc = acc + t[r]
        out[r] = F32(ratio) * (acc / F32(n)) + F32(1 - ratio) * rows_b[r]
    return out.reshape(base.shape)


METHODS = {
    "task_arithmetic": dict(trim_fn=no_trim, consensus=False, normalize=False),
    "ties": dict(trim_fn=trim, consensus=True, normalize=True),
}


def round_to(values, compute, stored):
    """Inputs as mergekit's dtype loads them: rounded to the compute dtype unless stored in it."""
    if compute == stored or compute == "F32":
        return values
    return to_f32(encode(values, compute))


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
        if p.get("compute"):
            thetas = [round_to(t, p["compute"], models[m][name][0]) for t, m in zip(thetas, model_names)]
        base_f32 = None if base_name is None else to_f32(models[base_name][name])
        if base_f32 is not None and p.get("compute"):
            base_f32 = round_to(base_f32, p["compute"], models[base_name][name][0])
        if method == "linear":
            res = linear(thetas, p["weights"])
        elif method == "slerp":
            res = slerp(thetas[0], thetas[1], p["t"])
        elif method == "model_stock":
            res = model_stock(base_f32, thetas, p.get("filter_wise", False))
        elif method in ("breadcrumbs", "breadcrumbs_ties"):
            res = generalized(base_f32, thetas, p["weights"], p["densities"], p.get("lambda", 1.0),
                              False, band(p.get("gamma", 0.01)), method == "breadcrumbs_ties")
        elif method in ("della", "della_linear"):
            res = generalized(base_f32, thetas, p["weights"], p["densities"], p.get("lambda", 1.0),
                              method == "della", magprune(p.get("epsilon", 0.1), p.get("seed", 7), name),
                              method == "della", indexed=True)
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

    # ---- the techniques beyond the paper's five ----
    yield "slerp_two", native_case(
        models, None, ["a", "b"], all_("slerp", {"t": 0.3}, "{t: 0.3}"))
    yield "slerp_mergekit_base", mergekit_case(models, "base", ["a"], "slerp", (
        "merge_method: slerp\n"
        f"base_model: {MODEL_PATHS['base']}\n"
        f"models:\n  - model: {MODEL_PATHS['base']}\n  - model: {MODEL_PATHS['a']}\n"
        "parameters: {t: 0.6}\n"), lambda name, t: {"t": 0.6}, endpoints_from_base=True)
    yield "breadcrumbs_two", native_case(
        models, "base", ["a", "b"],
        all_("breadcrumbs", {"weights": [0.6, 0.4], "densities": [0.5, 0.5], "gamma": 0.1, "lambda": 0.9},
             "{weights: [0.6, 0.4], density: 0.5, gamma: 0.1, lambda: 0.9}"))
    yield "breadcrumbs_three_gamma0", native_case(
        models, "base", ["a", "b", "c"],
        all_("breadcrumbs", {"weights": [0.5, 0.3, 0.4], "densities": [0.5, 0.3, 0.8], "gamma": 0.0},
             "{weights: [0.5, 0.3, 0.4], densities: [0.5, 0.3, 0.8], gamma: 0}"))
    yield "breadcrumbs_bottom_negative", native_case(
        models, "base", ["a", "b"],
        all_("breadcrumbs", {"weights": [1.0, 1.0], "densities": [0.95, 0.9], "gamma": 0.2},
             "{weights: [1, 1], densities: [0.95, 0.9], gamma: 0.2}"))
    yield "breadcrumbs_ties_three", native_case(
        models, "base", ["a", "b", "c"],
        all_("breadcrumbs_ties", {"weights": [1.0, 0.5, 0.8], "densities": [0.6, 0.6, 0.6], "gamma": 0.05,
                                  "lambda": 1.3},
             "{weights: [1, 0.5, 0.8], density: 0.6, gamma: 0.05, lambda: 1.3}"))
    yield "della_linear_two", native_case(
        models, "base", ["a", "b"],
        all_("della_linear", {"weights": [0.7, 0.5], "densities": [0.6, 0.6], "epsilon": 0.2},
             "{weights: [0.7, 0.5], density: 0.6, epsilon: 0.2}"))
    yield "della_three", native_case(
        models, "base", ["a", "b", "c"],
        all_("della", {"weights": [0.5, 0.6, 0.4], "densities": [0.5, 0.6, 0.7], "epsilon": 0.15, "lambda": 1.1},
             "{weights: [0.5, 0.6, 0.4], densities: [0.5, 0.6, 0.7], epsilon: 0.15, lambda: 1.1}"))
    yield "model_stock_three", native_case(
        models, "base", ["a", "b", "c"], all_("model_stock", {}, "{}"))
    yield "model_stock_two_filter_wise", native_case(
        models, "base", ["b", "c"], all_("model_stock", {"filter_wise": True}, "{filter_wise: true}"))

    # ---- mergekit configs as people write them ----
    yield "mergekit_filtered_gradient", mergekit_case(models, "base", ["a", "b"], "task_arithmetic", (
        "merge_method: task_arithmetic\n"
        f"base_model: {MODEL_PATHS['base']}\n"
        "models:\n"
        f"  - model: {MODEL_PATHS['a']}\n"
        "    parameters:\n      weight: [{filter: attn, value: 0.3}, {value: 0.5}]\n"
        f"  - model: {MODEL_PATHS['b']}\n"
        "    parameters:\n      weight: [0.2, 0.8]\n"
        "parameters:\n  lambda: [{filter: mlp, value: [0.5, 1.5]}, {value: 1.0}]\n"),
        lambda name, t: {"weights": [0.3 if "attn" in name else 0.5, 0.2 + 0.6 * t],
                         "lambda": (0.5 + 1.0 * t) if "mlp" in name else 1.0})
    yield "mergekit_slices_ties", mergekit_case(models, "base", ["a", "b"], "ties", (
        "merge_method: ties\n"
        f"base_model: {MODEL_PATHS['base']}\n"
        "slices:\n"
        f"  - sources:\n      - {{model: {MODEL_PATHS['base']}, layer_range: [0, 1]}}\n"
        f"      - {{model: {MODEL_PATHS['a']}, layer_range: [0, 1], parameters: {{weight: 0.7}}}}\n"
        f"      - {{model: {MODEL_PATHS['b']}, layer_range: [0, 1], parameters: {{weight: 0.3}}}}\n"
        "    parameters: {density: 0.5}\n"
        f"  - sources:\n      - {{model: {MODEL_PATHS['base']}, layer_range: [1, 2]}}\n"
        f"      - {{model: {MODEL_PATHS['a']}, layer_range: [1, 2], parameters: {{weight: 0.4}}}}\n"
        f"      - {{model: {MODEL_PATHS['b']}, layer_range: [1, 2], parameters: {{weight: 0.6}}}}\n"
        "    parameters: {density: 0.8}\n"
        "parameters: {density: 0.3, normalize: true}\n"),
        lambda name, t, first=None: slice_params(name))
    yield "mergekit_dtype_out_dtype", mergekit_case(models, "base", ["a", "b"], "linear", (
        "merge_method: linear\n"
        f"base_model: {MODEL_PATHS['base']}\n"
        f"models:\n  - {{model: {MODEL_PATHS['a']}, parameters: {{weight: 2}}}}\n"
        f"  - {{model: {MODEL_PATHS['b']}, parameters: {{weight: 1}}}}\n"
        "dtype: bfloat16\nout_dtype: float32\n"),
        lambda name, t: {"weights": [2.0, 1.0], "compute": "BF16", "dtype": "F32"})

    llama = make_llama()
    yield "hub_llama_slerp_gradients", llama_case(llama)


def slice_params(name):
    layer = layer_of(name)
    first = layer == 0 or (layer < 0 and is_embedding(name))
    return {"weights": [0.7, 0.3] if first else [0.4, 0.6],
            "densities": [0.5, 0.5] if first else [0.8, 0.8], "normalize": True}


def layer_of(name):
    import re
    m = re.search(r"(?:^|\.)(?:layers|h|blocks)\.(\d+)\.", name)
    return int(m.group(1)) if m else -1


def is_embedding(name):
    return "embed" in name or "wte" in name or "wpe" in name


def position(name, layers):
    """mergekit's t: layer i of L at i / (L - 1); embeddings at 0, other non-layer tensors at 1."""
    layer = layer_of(name)
    if layer < 0:
        return 0.0 if is_embedding(name) else 1.0
    return layer / (layers - 1) if layers > 1 else 1.0


def mergekit_case(models, base, sources, method, recipe, params_for, endpoints_from_base=False):
    names = list(models[base].keys())
    layers = max(layer_of(n) for n in names) + 1
    out = {}
    model_names = ([base] if endpoints_from_base else []) + sources
    for name in names:
        p = params_for(name, position(name, layers))
        out.update(merge_block(models, [name], base, model_names, method, p))
    return recipe, out


# ---------- a tiny Llama in Hugging Face layout (bfloat16) ----------
LLAMA_LAYERS = 4


def make_llama():
    rng = np.random.RandomState(4242)
    hidden, inter, kv, vocab = 8, 12, 4, 16
    shapes = {"model.embed_tokens.weight": (vocab, hidden)}
    for i in range(LLAMA_LAYERS):
        pre = f"model.layers.{i}."
        shapes.update({
            pre + "self_attn.q_proj.weight": (hidden, hidden), pre + "self_attn.k_proj.weight": (kv, hidden),
            pre + "self_attn.v_proj.weight": (kv, hidden), pre + "self_attn.o_proj.weight": (hidden, hidden),
            pre + "mlp.gate_proj.weight": (inter, hidden), pre + "mlp.up_proj.weight": (inter, hidden),
            pre + "mlp.down_proj.weight": (hidden, inter),
            pre + "input_layernorm.weight": (hidden,), pre + "post_attention_layernorm.weight": (hidden,)})
    shapes.update({"model.norm.weight": (hidden,), "lm_head.weight": (vocab, hidden)})
    models = {"llama-base": {}, "llama-instruct": {}}
    for name, shape in shapes.items():
        base = rng.normal(0, 0.5, size=shape).astype(F32)
        tuned = base + rng.normal(0, 0.2, size=shape).astype(F32)
        models["llama-base"][name] = encode(base, "BF16")
        models["llama-instruct"][name] = encode(tuned, "BF16")
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": hidden,
              "intermediate_size": inter, "num_hidden_layers": LLAMA_LAYERS, "num_attention_heads": 2,
              "num_key_value_heads": 1, "vocab_size": vocab, "torch_dtype": "bfloat16"}
    for m, tensors in models.items():
        write_safetensors(os.path.join(HERE, "models", m, "model.safetensors"), tensors)
        with open(os.path.join(HERE, "models", m, "config.json"), "w") as f:
            json.dump(config, f, indent=1)
    vocab_map = {chr(ord("a") + i): i for i in range(vocab - 1)}
    vocab_map["[UNK]"] = vocab - 1
    tokenizer = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
                 "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None,
                 "decoder": None, "model": {"type": "WordLevel", "vocab": vocab_map, "unk_token": "[UNK]"}}
    with open(os.path.join(HERE, "models", "llama-base", "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=1)
    with open(os.path.join(HERE, "models", "llama-base", "tokenizer_config.json"), "w") as f:
        json.dump({"model_max_length": 64, "unk_token": "[UNK]"}, f, indent=1)
    return models


def llama_case(models):
    """The classic Hub model-card SLERP: filtered gradients for self_attn and mlp, bfloat16."""
    base, tuned = "../models/llama-base", "../models/llama-instruct"
    recipe = (
        "slices:\n"
        "  - sources:\n"
        f"      - model: {base}\n        layer_range: [0, {LLAMA_LAYERS}]\n"
        f"      - model: {tuned}\n        layer_range: [0, {LLAMA_LAYERS}]\n"
        "merge_method: slerp\n"
        f"base_model: {base}\n"
        "parameters:\n"
        "  t:\n"
        "    - filter: self_attn\n      value: [0, 0.5, 0.3, 0.7, 1]\n"
        "    - filter: mlp\n      value: [1, 0.5, 0.7, 0.3, 0]\n"
        "    - value: 0.5\n"
        "dtype: bfloat16\n"
        "tokenizer_source: base\n")

    def gradient(values, t):
        scaled = t * (len(values) - 1)
        i0 = int(scaled)
        i1 = min(len(values) - 1, i0 + 1)
        frac = scaled - i0
        return (1 - frac) * values[i0] + frac * values[i1]

    def t_for(name, t):
        if "self_attn" in name:
            return gradient([0, 0.5, 0.3, 0.7, 1], t)
        if "mlp" in name:
            return gradient([1, 0.5, 0.7, 0.3, 0], t)
        return 0.5

    names = list(models["llama-base"].keys())
    out = {}
    for name in names:
        p = {"t": t_for(name, position(name, LLAMA_LAYERS)), "compute": "BF16", "dtype": "BF16"}
        out.update(merge_block(models, [name], "llama-base", ["llama-base", "llama-instruct"], "slerp", p))
    return recipe, out


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
