"""Data for the reference model: p2c-synth scenes, a word vocabulary, PNG I/O.

p2c-synth writes PNGs without row filters (filter byte 0 on every row), so a
few lines of zlib read them; write_png writes the same kind of file.
"""
import json
import os
import struct
import zlib

import numpy as np

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]
MAX_TOKENS = 48


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, w = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype != 2:
                raise ValueError(f"{path}: only RGB8 is supported")
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(h, 1 + 3 * w)
    if not raw[:, 0].any():
        return raw[:, 1:].reshape(h, w, 3).copy()
    return unfilter(raw, h, w).reshape(h, w, 3)


def unfilter(raw, h, w, bpp=3):
    """PNG row filters (Sub, Up, Average, Paeth), row by row."""
    out = np.zeros((h, 3 * w), np.int64)
    prev = np.zeros(3 * w, np.int64)
    for y in range(h):
        f, line = raw[y, 0], raw[y, 1:].astype(np.int64)
        cur = np.zeros(3 * w, np.int64)
        for x in range(3 * w):
            a = cur[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 0:
                p = 0
            elif f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + p) & 255
        out[y] = cur
        prev = cur
    return out.astype(np.uint8)


def write_png(path, rgb):
    h, w, _ = rgb.shape
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, 3 * w).astype(np.uint8)], 1)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 3)) + chunk(b"IEND", b"")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(png)
    os.replace(tmp, path)


def tokenize(caption):
    return caption.lower().replace(",", " ,").replace(".", " .").split()


def detokenize(words):
    s = " ".join(words).replace(" ,", ",").replace(" .", ".")
    return s[:1].upper() + s[1:]


def build_vocab(gt):
    words = set()
    for a in gt["annotations"]:
        for s in a["segments_info"]:
            words.update(tokenize(s["description"]))
    return SPECIALS + sorted(words)


def load_split(folder, categories=None):
    """Images (N,3,H,W uint8), per image a list of (category index, mask, caption)."""
    gt = json.load(open(os.path.join(folder, "gt.json")))
    cats = categories or [c["id"] for c in gt["categories"]]
    cat_index = {c: i for i, c in enumerate(cats)}
    ann = {a["image_id"]: a for a in gt["annotations"]}
    images, targets = [], []
    for im in gt["images"]:
        stem = os.path.splitext(im["file_name"])[0]
        images.append(read_png(os.path.join(folder, "images", stem + ".png")).transpose(2, 0, 1))
        a = ann[im["id"]]
        idm = read_png(os.path.join(folder, "gt", a["file_name"])).astype(np.int64)
        idm = idm[..., 0] + 256 * idm[..., 1] + 65536 * idm[..., 2]
        segs = [(cat_index[s["category_id"]], idm == s["id"], s["description"]) for s in a["segments_info"]]
        targets.append(segs)
    return gt, cats, np.stack(images), targets
