#!/usr/bin/env python3
"""Task arithmetic with numpy, for timing against `automerge merge` on the same files.

    numpy_task_arithmetic.py OUT_DIR BASE MODEL... [--weights w1,w2,...] [--lambda L]

Reads safetensors checkpoints (a directory with model.safetensors or shards listed in
model.safetensors.index.json) through numpy memmaps, parsing the headers itself; computes
theta_0 + lambda * sum(w_i * (theta_i - theta_0)) per tensor in float32 (F32 tensors only, others
copied from the base) and writes OUT_DIR/model.safetensors. Default weights: 1/N each.
"""
import argparse
import json
import os
import struct

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64,
          "I32": np.int32, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def read_header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    return 8 + n, header


def open_checkpoint(path):
    """name -> (memmap array, dtype name) for a checkpoint directory or .safetensors file."""
    if os.path.isdir(path):
        index = os.path.join(path, "model.safetensors.index.json")
        if os.path.exists(index):
            with open(index) as f:
                files = sorted(set(json.load(f)["weight_map"].values()))
            files = [os.path.join(path, x) for x in files]
        else:
            files = [os.path.join(path, "model.safetensors")]
    else:
        files = [path]
    tensors = {}
    for file in files:
        start, header = read_header(file)
        for name, info in header.items():
            begin, end = info["data_offsets"]
            dtype = DTYPES[info["dtype"]]
            count = (end - begin) // np.dtype(dtype).itemsize
            arr = np.memmap(file, dtype=dtype, mode="r", offset=start + begin, shape=(count,))
            tensors[name] = (arr.reshape(info["shape"]), info["dtype"])
    return tensors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("base")
    ap.add_argument("models", nargs="+")
    ap.add_argument("--weights")
    ap.add_argument("--lambda", dest="lam", type=float, default=1.0)
    args = ap.parse_args()
    weights = ([float(x) for x in args.weights.split(",")] if args.weights
               else [1.0 / len(args.models)] * len(args.models))
    base = open_checkpoint(args.base)
    models = [open_checkpoint(m) for m in args.models]
    lam = np.float32(args.lam)

    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, (arr, dtype) in base.items():
        header[name] = {"dtype": dtype, "shape": list(arr.shape),
                        "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-len(blob) % 8)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for name, (theta0, dtype) in base.items():
            if dtype != "F32":
                f.write(np.ascontiguousarray(theta0).tobytes())
                continue
            acc = np.zeros(theta0.shape, dtype=np.float32)
            tau = np.empty_like(acc)
            for w, model in zip(weights, models):
                np.subtract(model[name][0], theta0, out=tau)
                tau *= np.float32(w)
                acc += tau
            acc *= lam
            acc += theta0
            f.write(acc.data)


if __name__ == "__main__":
    main()
