#!/usr/bin/python3
"""PyTorch side of the C parity test.

    /usr/bin/python3 reference-model/parity.py WEIGHTS IMAGES.json IMAGES_DIR OUT.bin

Loads WEIGHTS (safetensors) into model.RefModel, runs the forward pass in
float64 (so that the test measures the C float32 pass against the exact
result, not against another float32 summation order) on the first two images
and writes, per image, the final class logits (Q x (C+1))
and every 4th pixel of the mask logits (Q x 1024), little-endian float32.
tests/unit/test_refmodel.c compares the C forward pass with OUT.bin
(fixtures/refmodel/torch_forward.f32).
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
from model import RefModel  # noqa: E402


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, t in header.items():
        b, e = t["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(raw[base + b:base + e], "<f4").reshape(t["shape"]).copy())
    return tensors, meta


def load_model(path):
    tensors, meta = load_safetensors(path)
    vocab = json.loads(meta["vocab"])
    cats = json.loads(meta["categories"])
    m = RefModel(len(cats), len(vocab))
    m.load_state_dict(tensors)
    m.eval()
    return m, vocab, cats, [bool(s) for s in json.loads(meta["stuff"])]


def main():
    weights, images_json, images_dir, out = sys.argv[1:5]
    m, _, _, _ = load_model(weights)
    m.double()  # the input stays (x / 255 - 0.5) / 0.25 as in C, computed in float64
    gt = json.load(open(images_json))
    imgs = []
    for im in gt["images"][:2]:
        stem = os.path.splitext(im["file_name"])[0]
        imgs.append(D.read_png(os.path.join(images_dir, stem + ".png")).transpose(2, 0, 1))
    with torch.no_grad():
        outs, emb, qn, mem = m.segment(torch.from_numpy(np.stack(imgs)))
        logits, e = outs[-1]
        masks = m.masks(e, emb)
    blob = b""
    for b in range(len(imgs)):
        blob += logits[b].numpy().astype("<f4").tobytes()
        blob += masks[b].flatten(1)[:, ::4].numpy().astype("<f4").tobytes()
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
