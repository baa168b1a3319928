"""Write the model as safetensors: F32 little-endian tensors, vocabulary and
categories in __metadata__ (strings, as the format requires)."""
import json
import struct

import numpy as np


def export(model, vocab, categories, stuff, path):
    sd = model.state_dict()
    header, blobs, off = {}, [], 0
    for name in sorted(sd):
        a = sd[name].detach().cpu().numpy().astype("<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    header["__metadata__"] = {
        "format": "p2c-refmodel-2",
        "vocab": json.dumps(vocab),
        "categories": json.dumps(categories),
        "stuff": json.dumps([int(s) for s in stuff]),
    }
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    import os
    os.replace(tmp, path)
