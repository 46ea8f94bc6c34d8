#!/usr/bin/env python3
"""An external evaluator for AutoMerge's command tasks: how close a checkpoint's weights are to a
target checkpoint's. Usage: weight_distance.py MODEL_DIR SPLIT TARGET_DIR

The val split compares the tensors at even positions (in name order), the test split those at odd
positions. Prints progress, then as its last stdout line {"loss": 1 + msd, "metrics": {...}} with
msd the mean squared difference, closeness = 1 / (1 + 100 * msd) and distance = 1 + sqrt(msd)
(lower is better)."""
import json
import os
import struct
import sys

import numpy as np


def load(directory):
    path = os.path.join(directory, "model.safetensors")
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[start:end]
        if info["dtype"] == "BF16":
            values = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
        else:
            values = np.frombuffer(raw, {"F32": np.float32, "F16": np.float16, "F64": np.float64}[info["dtype"]])
        tensors[name] = values.astype(np.float64).reshape(info["shape"])
    return tensors


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("val", "test"):
        print("usage: weight_distance.py MODEL_DIR val|test TARGET_DIR", file=sys.stderr)
        return 2
    model, split, target = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.isfile(os.path.join(model, "config.json")):
        print("no config.json in " + model, file=sys.stderr)
        return 3
    a, b = load(model), load(target)
    names = sorted(a)[0 if split == "val" else 1::2]
    print("comparing %d tensors of %s" % (len(names), model))
    squared = sum(float(((a[n] - b[n]) ** 2).sum()) for n in names)
    count = sum(a[n].size for n in names)
    msd = squared / count
    print(json.dumps({"loss": 1.0 + msd, "metrics": {"closeness": 1.0 / (1.0 + 100.0 * msd), "distance": 1.0 + msd ** 0.5}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
