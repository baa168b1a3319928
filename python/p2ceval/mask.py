"""pycocotools.mask on libp2ceval: encode, decode, area, toBbox, iou, merge,
frPyObjects with pycocotools' argument and return types (masks are uint8
numpy arrays in Fortran order, h x w or h x w x n; RLEs are dicts
{'size': [h, w], 'counts': bytes}). Needs numpy. Malformed RLE strings raise
ValueError where pycocotools reads garbage (docs/rle.md)."""
import ctypes

import numpy as np

from . import _lib
from ._lib import lib

__all__ = ["encode", "decode", "area", "toBbox", "iou", "merge", "frPyObjects"]

_COLUMN_MAJOR = 0


class _R:
    """Owned p2c_rle handles, freed together."""

    def __init__(self):
        self.hs = []

    def add(self, h):
        self.hs.append(h)
        return h

    def __enter__(self):
        return self

    def __exit__(self, *a):
        for h in self.hs:
            lib.p2c_rle_free(h)


def _err():
    return _lib.error_struct()


def check(rc, err=None):
    """Bad masks are ValueError here (pycocotools raises or returns garbage)."""
    if rc < 0:
        msg = _lib.dec(err.message) if err is not None and err.message else None
        raise ValueError(msg or _lib.dec(lib.p2c_strerror(rc)))
    return rc


def _from_dict(r, owner):
    h, w = int(r["size"][0]), int(r["size"][1])
    out = ctypes.c_void_p()
    e = _err()
    counts = r["counts"]
    if isinstance(counts, (bytes, str)):
        b = counts.encode() if isinstance(counts, str) else counts
        rc = lib.p2c_rle_from_string(h, w, b, len(b), ctypes.byref(out), ctypes.byref(e))
    else:
        arr = (ctypes.c_uint32 * max(1, len(counts)))(*[int(c) for c in counts])
        rc = lib.p2c_rle_from_counts(h, w, arr, len(counts), ctypes.byref(out), ctypes.byref(e))
    check(rc, e)
    return owner.add(out.value)


def _to_dict(hnd):
    n = lib.p2c_rle_to_string(hnd, None, 0)
    buf = ctypes.create_string_buffer(n + 1)
    lib.p2c_rle_to_string(hnd, buf, n + 1)
    return {"size": [lib.p2c_rle_height(hnd), lib.p2c_rle_width(hnd)], "counts": buf.raw[:n]}


def _handles(rleObjs, owner):
    objs = [rleObjs] if isinstance(rleObjs, dict) else list(rleObjs)
    return [_from_dict(r, owner) for r in objs]


def encode(bimask):
    """h x w (-> one RLE) or h x w x n (-> a list) uint8 mask."""
    if len(bimask.shape) == 2:
        return encode(bimask.reshape((bimask.shape[0], bimask.shape[1], 1), order="F"))[0]
    h, w, n = bimask.shape
    out = []
    with _R() as owner:
        for i in range(n):
            m = np.asfortranarray(bimask[:, :, i], dtype=np.uint8)
            hnd = ctypes.c_void_p()
            e = _err()
            check(lib.p2c_rle_encode(m.ctypes.data, h, w, _COLUMN_MAJOR, ctypes.byref(hnd),
                                     ctypes.byref(e)), e)
            owner.add(hnd.value)
            out.append(_to_dict(hnd.value))
    return out


def decode(rleObjs):
    """One RLE -> h x w, a list -> h x w x n; uint8, Fortran order."""
    with _R() as owner:
        hs = _handles(rleObjs, owner)
        if not hs:
            raise ValueError("decode: no RLE given")
        h, w = lib.p2c_rle_height(hs[0]), lib.p2c_rle_width(hs[0])
        out = np.zeros((h, w, len(hs)), dtype=np.uint8, order="F")
        for i, hnd in enumerate(hs):
            if lib.p2c_rle_height(hnd) != h or lib.p2c_rle_width(hnd) != w:
                raise ValueError("decode: RLEs of different sizes")
            col = np.zeros((h, w), dtype=np.uint8, order="F")
            check(lib.p2c_rle_decode(hnd, col.ctypes.data, _COLUMN_MAJOR))
            out[:, :, i] = col
    return out[:, :, 0] if isinstance(rleObjs, dict) else out


def area(rleObjs):
    """np.uint32 area of one RLE, or an array of them for a list."""
    with _R() as owner:
        a = np.array([lib.p2c_rle_area(h) for h in _handles(rleObjs, owner)], dtype=np.uint32)
    return a[0] if isinstance(rleObjs, dict) else a


def toBbox(rleObjs):
    """[x, y, w, h] (float64) of one RLE, or an n x 4 array for a list."""
    with _R() as owner:
        hs = _handles(rleObjs, owner)
        bb = np.zeros((len(hs), 4), dtype=np.float64)
        b = (ctypes.c_double * 4)()
        for i, h in enumerate(hs):
            lib.p2c_rle_bbox(h, b)
            bb[i] = list(b)
    return bb[0] if isinstance(rleObjs, dict) else bb


def merge(rleObjs, intersect=0):
    """Union (or intersection) of a list of RLEs, as one RLE."""
    with _R() as owner:
        hs = _handles(rleObjs, owner)
        arr = (ctypes.c_void_p * max(1, len(hs)))(*hs)
        out = ctypes.c_void_p()
        e = _err()
        check(lib.p2c_rle_merge(arr, len(hs), int(intersect), ctypes.byref(out), ctypes.byref(e)),
              e)
        owner.add(out.value)
        return _to_dict(out.value)


def _is_boxes(obj):
    if isinstance(obj, np.ndarray):
        return True
    return isinstance(obj, list) and len(obj) > 0 and not isinstance(obj[0], dict) \
        and len(obj[0]) == 4


def _box_iou(dt, gt, crowd):
    # pycocotools bbIou: I / U, or I / area(dt) for a crowd GT; 0 without overlap
    out = np.zeros((len(dt), len(gt)), dtype=np.float64)
    for g, G in enumerate(gt):
        ga = G[2] * G[3]
        for d, D in enumerate(dt):
            da = D[2] * D[3]
            w = min(D[2] + D[0], G[2] + G[0]) - max(D[0], G[0])
            if w <= 0:
                continue
            h = min(D[3] + D[1], G[3] + G[1]) - max(D[1], G[1])
            if h <= 0:
                continue
            i = w * h
            out[d, g] = i / (da if crowd[g] else da + ga - i)
    return out


def iou(dt, gt, pyiscrowd):
    """len(dt) x len(gt) float64 IoUs of RLE lists or of box arrays (n x 4),
    I / area(dt) where pyiscrowd[g] is set; [] when either side is empty."""
    def _boxes(x):
        a = np.asarray(x, dtype=np.float64)
        if a.size == 0:
            return a.reshape(0, 4)
        if a.ndim != 2 or a.shape[1] != 4:
            raise Exception("numpy ndarray input is only for *bounding boxes* "
                            "and should have Nx4 dimension")
        return a
    if isinstance(dt, dict):
        dt = [dt]
    if isinstance(gt, dict):
        gt = [gt]
    if len(dt) == 0 or len(gt) == 0:
        return []
    crowd = [int(c) for c in pyiscrowd]
    if len(crowd) != len(gt):
        raise Exception("iou(iscrowd=) must have the same length as gt")
    if _is_boxes(dt) and _is_boxes(gt):
        return _box_iou([tuple(map(float, d)) for d in _boxes(dt)],
                        [tuple(map(float, g)) for g in _boxes(gt)], crowd)
    if _is_boxes(dt) or _is_boxes(gt):
        raise Exception("The dt and gt should have the same data type, either RLEs, list or "
                        "np.ndarray")
    with _R() as owner:
        d = _handles(dt, owner)
        g = _handles(gt, owner)
        da = (ctypes.c_void_p * len(d))(*d)
        ga = (ctypes.c_void_p * len(g))(*g)
        cr = (ctypes.c_uint8 * len(g))(*crowd)
        out = np.zeros((len(d), len(g)), dtype=np.float64)
        e = _err()
        check(lib.p2c_rle_iou(da, len(d), ga, len(g), cr,
                              out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), ctypes.byref(e)),
              e)
    return out


def _fr_one(fn, h, w, *args):
    out = ctypes.c_void_p()
    e = _err()
    check(fn(h, w, *args, ctypes.byref(out), ctypes.byref(e)), e)
    try:
        return _to_dict(out.value)
    finally:
        lib.p2c_rle_free(out.value)


def _fr_bbox(boxes, h, w):
    out = []
    for b in np.asarray(boxes, dtype=np.float64).reshape(-1, 4):
        out.append(_fr_one(lib.p2c_rle_from_bbox, h, w, (ctypes.c_double * 4)(*b)))
    return out


def _fr_poly(polys, h, w):
    out = []
    for p in polys:
        xy = [float(v) for v in np.asarray(p, dtype=np.float64).ravel()]
        out.append(_fr_one(lib.p2c_rle_from_polygon, h, w,
                           (ctypes.c_double * max(1, len(xy)))(*xy), len(xy)))
    return out


def _fr_uncompressed(objs, h, w):
    out = []
    with _R() as owner:
        for r in objs:
            out.append(_to_dict(_from_dict(r, owner)))
    return out


def frPyObjects(pyobj, h, w):
    """Polygons, boxes (an n x 4 ndarray) or uncompressed RLEs -> compressed
    RLE(s), with pycocotools' dispatch and its TypeErrors (a list whose first
    element has 4 numbers is taken for boxes and refused, as pycocotools)."""
    if type(pyobj) == np.ndarray:
        return _fr_bbox(pyobj, h, w)
    if type(pyobj) == list and len(pyobj[0]) == 4:
        # pycocotools routes this to _frBbox, which takes only an ndarray
        raise TypeError("Argument 'bb' has incorrect type (expected numpy.ndarray, got list)")
    if type(pyobj) == list and len(pyobj[0]) > 4:
        return _fr_poly(pyobj, h, w)
    if type(pyobj) == list and type(pyobj[0]) == dict and "counts" in pyobj[0] \
            and "size" in pyobj[0]:
        return _fr_uncompressed(pyobj, h, w)
    if type(pyobj) == list and len(pyobj) > 4:
        return _fr_poly([pyobj], h, w)[0]
    if type(pyobj) == dict and "counts" in pyobj and "size" in pyobj:
        return _fr_uncompressed([pyobj], h, w)[0]
    raise Exception("input type is not supported.")
