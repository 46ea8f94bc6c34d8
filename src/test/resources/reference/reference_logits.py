#!/usr/bin/env python3
"""Reference logits for the decoder families, in float64 numpy (independent of the Java code).

For each case in cases.txt, reads CASE/config.json and CASE/model.safetensors (the tiny random
checkpoint ReferenceLogitsTest writes) and writes expected/CASE.json: the input ids and the logits
[batch, time, vocab], flattened. Run from anywhere:
    python3 src/test/resources/reference/reference_logits.py
The forward pass follows the transformers modeling code of LlamaForCausalLM, MistralForCausalLM and
Qwen2ForCausalLM (RMSNorm, rotary "rotate_half" embeddings with llama3/linear frequency scaling,
grouped-query attention, SiLU-gated MLP, Qwen2's q/k/v biases, Mistral's sliding-window mask).
"""
import json
import math
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------- safetensors ----------
def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        buf = data[start:end]
        if info["dtype"] == "F32":
            arr = np.frombuffer(buf, dtype="<f4").astype(np.float64)
        elif info["dtype"] == "F16":
            arr = np.frombuffer(buf, dtype="<f2").astype(np.float64)
        elif info["dtype"] == "BF16":
            bits = np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32).astype(np.float64)
        else:
            raise ValueError(f"{path}: unexpected dtype {info['dtype']} of {name}")
        out[name] = arr.reshape(info["shape"])
    return out


# ---------- the model, read from config.json as transformers would ----------
class Config:
    def __init__(self, c):
        arch = c["architectures"][0]
        self.arch = arch
        self.hidden = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads") or self.heads
        self.head_dim = c.get("head_dim") or self.hidden // self.heads
        self.layers = c["num_hidden_layers"]
        self.eps = c["rms_norm_eps"]
        self.theta = c.get("rope_theta", 10000.0)
        self.scaling = c.get("rope_scaling")
        self.tied = c.get("tie_word_embeddings", False)
        self.vocab = c["vocab_size"]
        if arch == "LlamaForCausalLM":
            self.q_bias = self.o_bias = c.get("attention_bias", False)
            self.mlp_bias = c.get("mlp_bias", False)
            self.window = None
        elif arch == "MistralForCausalLM":
            self.q_bias = self.o_bias = self.mlp_bias = False
            self.window = c.get("sliding_window")
        elif arch == "Qwen2ForCausalLM":
            self.q_bias, self.o_bias, self.mlp_bias = True, False, False
            self.window = c.get("sliding_window") if c.get("use_sliding_window") else None
        else:
            raise ValueError(arch)


def inverse_frequencies(cfg):
    d = cfg.head_dim
    inv = 1.0 / cfg.theta ** (np.arange(0, d, 2, dtype=np.float64) / d)
    s = cfg.scaling
    if not s:
        return inv
    kind = s.get("rope_type", s.get("type"))
    if kind == "linear":
        return inv / s["factor"]
    assert kind == "llama3", kind
    factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
    old = s["original_max_position_embeddings"]
    out = np.empty_like(inv)
    for i, f in enumerate(inv):
        wavelen = 2 * math.pi / f
        if wavelen < old / high:  # high frequency: kept
            out[i] = f
        elif wavelen > old / low:  # low frequency: interpolated by the factor
            out[i] = f / factor
        else:  # in between: blend of the two
            smooth = (old / wavelen - low) / (high - low)
            out[i] = (1 - smooth) * f / factor + smooth * f
    return out


def rms_norm(x, w, eps):
    return w * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps))


def project(w, x, prefix, bias):
    y = x @ w[prefix + ".weight"].T
    if bias:
        y = y + w[prefix + ".bias"]
    return y


def rotate(x, cos, sin):
    """x: [time, head_dim]; the halves rotate as (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin)."""
    half = x.shape[-1] // 2
    x1, x2 = x[:, :half], x[:, half:]
    c, s = cos[:, :half], sin[:, :half]
    return np.concatenate([x1 * c - x2 * s, x2 * c + x1 * s], axis=-1)


def attention(cfg, w, prefix, x, cos, sin):
    t = x.shape[0]
    d = cfg.head_dim
    q = project(w, x, prefix + ".q_proj", cfg.q_bias).reshape(t, cfg.heads, d)
    k = project(w, x, prefix + ".k_proj", cfg.q_bias).reshape(t, cfg.kv_heads, d)
    v = project(w, x, prefix + ".v_proj", cfg.q_bias).reshape(t, cfg.kv_heads, d)
    allowed = np.zeros((t, t), dtype=bool)
    for i in range(t):
        for j in range(t):
            allowed[i, j] = j <= i and (cfg.window is None or j > i - cfg.window)
    group = cfg.heads // cfg.kv_heads
    out = np.zeros((t, cfg.heads, d))
    for h in range(cfg.heads):
        kv = h // group
        qh = rotate(q[:, h, :], cos, sin)
        kh = rotate(k[:, kv, :], cos, sin)
        scores = qh @ kh.T / math.sqrt(d)
        scores = np.where(allowed, scores, -np.inf)
        scores = scores - scores.max(axis=-1, keepdims=True)
        p = np.exp(scores)
        p = p / p.sum(axis=-1, keepdims=True)
        out[:, h, :] = p @ v[:, kv, :]
    return project(w, out.reshape(t, cfg.heads * d), prefix + ".o_proj", cfg.o_bias)


def mlp(cfg, w, prefix, x):
    g = project(w, x, prefix + ".gate_proj", cfg.mlp_bias)
    u = project(w, x, prefix + ".up_proj", cfg.mlp_bias)
    return project(w, g / (1 + np.exp(-g)) * u, prefix + ".down_proj", cfg.mlp_bias)


def forward(cfg, w, ids):
    t = len(ids)
    angles = np.outer(np.arange(t, dtype=np.float64), inverse_frequencies(cfg))
    cos = np.cos(np.concatenate([angles, angles], axis=-1))
    sin = np.sin(np.concatenate([angles, angles], axis=-1))
    x = w["model.embed_tokens.weight"][ids]
    for layer in range(cfg.layers):
        p = f"model.layers.{layer}"
        x = x + attention(cfg, w, p + ".self_attn", rms_norm(x, w[p + ".input_layernorm.weight"], cfg.eps), cos, sin)
        x = x + mlp(cfg, w, p + ".mlp", rms_norm(x, w[p + ".post_attention_layernorm.weight"], cfg.eps))
    x = rms_norm(x, w["model.norm.weight"], cfg.eps)
    head = w["model.embed_tokens.weight"] if cfg.tied else w["lm_head.weight"]
    return x @ head.T


def main():
    with open(os.path.join(HERE, "cases.txt")) as f:
        cases = [line.strip() for line in f if line.strip()]
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    for i, case in enumerate(cases):
        with open(os.path.join(HERE, case, "config.json")) as f:
            cfg = Config(json.load(f))
        weights = read_safetensors(os.path.join(HERE, case, "model.safetensors"))
        rng = np.random.RandomState(1000 + i)
        ids = rng.randint(0, cfg.vocab, size=(2, 12))
        logits = np.stack([forward(cfg, weights, row) for row in ids])
        out = {
            "case": case,
            "architecture": cfg.arch,
            "vocab_size": cfg.vocab,
            "input_ids": ids.tolist(),
            "logits": [float("%.9g" % v) for v in logits.reshape(-1)],
        }
        with open(os.path.join(HERE, "expected", case + ".json"), "w") as f:
            json.dump(out, f, separators=(",", ":"))
            f.write("\n")
        print(case, cfg.arch, "logits", logits.shape, "max |logit|", float(np.abs(logits).max()))


if __name__ == "__main__":
    main()
