"""The whole Pix2Cap-COCO evaluation from Python: p2ceval.evaluate (files in,
the p2c-eval JSON out) and p2ceval.Evaluator (images from memory, one at a
time, with a state that can be serialized and merged across processes)."""
import array
import ctypes
import gzip
import json
import os

from . import _lib
from ._lib import lib, enc, dec, check

try:
    import numpy as _np
except ImportError:
    _np = None

__all__ = ["evaluate", "Evaluator", "read_idmap"]


def evaluate(gt_json, pred_json, gt_dir=None, pred_dir=None, protocol=None, threads=None,
             compat_cpus=None, class_agnostic=False, wordnet_dir=None):
    """p2c-eval GT PRED [--protocol P] [--threads N]: the --json output as a dict.
    Folders default to the JSON path without '.json', as panopticapi."""
    gt = pred = None
    ev = ctypes.c_void_p()
    try:
        gt = _lib.load_dataset(gt_json, 0, gt_dir)
        pred = _lib.load_dataset(pred_json, 1, pred_dir)
        opts = _lib.eval_opts(protocol, threads, compat_cpus, class_agnostic, wordnet_dir)
        err = _lib.error_struct()
        check(lib.p2c_evaluator_create(gt, ctypes.byref(opts), ctypes.byref(ev), ctypes.byref(err)),
              err=err)
        last = lambda: lib.p2c_evaluator_last_error(ev)  # noqa: E731
        check(lib.p2c_evaluator_run(ev, gt, pred), last)
        check(lib.p2c_evaluator_finish(ev), last)
        return json.loads(dec(lib.p2c_evaluator_json(ev)))
    finally:
        lib.p2c_evaluator_free(ev)
        lib.p2c_dataset_free(pred)
        lib.p2c_dataset_free(gt)


def read_idmap(path):
    """A panoptic PNG's ids (R + 256 G + 65536 B) as an h x w uint32 numpy array
    (a list of rows without numpy), decoded by the library."""
    h = ctypes.c_void_p()
    err = _lib.error_struct()
    check(lib.p2c_idmap_read_png(enc(os.fspath(path)), ctypes.byref(h), ctypes.byref(err)), err=err)
    try:
        w, ht = lib.p2c_idmap_width(h), lib.p2c_idmap_height(h)
        buf = ctypes.string_at(lib.p2c_idmap_data(h), 4 * w * ht)
    finally:
        lib.p2c_idmap_free(h)
    if _np is not None:
        return _np.frombuffer(buf, dtype=_np.uint32).reshape(ht, w).copy()
    a = array.array("I")
    a.frombytes(buf)
    return [a[r * w:(r + 1) * w].tolist() for r in range(ht)]


def _ids(m):
    """(width, height, a C buffer of row-major uint32 ids, keep-alive). An
    h x w x 3 array is an RGB panoptic PNG: id = R + 256 G + 65536 B."""
    if _np is not None and not isinstance(m, list):
        a = _np.asarray(m)
        if a.ndim == 3:
            a = a[..., 0].astype(_np.uint32) + 256 * a[..., 1].astype(_np.uint32) \
                + 65536 * a[..., 2].astype(_np.uint32)
        a = _np.ascontiguousarray(a, dtype=_np.uint32)
        return a.shape[1], a.shape[0], a.ctypes.data, a
    rows = [list(r) for r in m]
    h, w = len(rows), len(rows[0]) if rows else 0
    if any(len(r) != w for r in rows):
        raise ValueError("id map rows of different lengths")
    buf = (ctypes.c_uint32 * max(1, w * h))(*[int(v) for r in rows for v in r])
    return w, h, ctypes.addressof(buf), buf


def _segments(segs, caption_key):
    arr = (_lib.eval_segment * max(1, len(segs)))()
    keep = []
    for i, s in enumerate(segs):
        key = caption_key if caption_key in s or caption_key == "caption" else "caption"
        cap = s.get(key)
        c = enc(cap) if isinstance(cap, str) else None
        # a caption that is present but not a string (the official protocol
        # counts those apart); a list keeps its strings
        kind, packed, n = 0, None, 0
        if cap is not None and not isinstance(cap, str):
            kind = 2
            if isinstance(cap, list):
                items = [enc(x if isinstance(x, str) else str(x)) for x in cap]
                packed, n = b"".join(x + b"\0" for x in items), len(items)
        keep.append((c, packed))
        score = s.get("score")
        arr[i] = _lib.eval_segment(int(s["id"]), int(s["category_id"]), int(s.get("iscrowd", 0)),
                                   int(s.get("area", -1)), c,
                                   float(score) if score is not None else 0.0,
                                   int(score is not None), kind, packed, n)
    return arr, keep


class Evaluator:
    """Accumulates images one at a time and finishes to the numbers of
    p2ceval.evaluate over the same images, bit for bit, however the images
    were split across processes and in whatever order states are merged.

        ev = Evaluator(categories, protocol="p2c-v1")   # COCO panoptic categories[]
        ev.add(image_id, gt_ids, gt_segments, pred_ids, pred_segments)
        blob = ev.state()            # bytes: send to rank 0 ...
        ev0.merge(blob)              # ... and merge there
        result = ev0.summarize()     # the p2c-eval JSON as a dict

    categories: a list of {"id", "isthing"} dicts (the GT JSON's categories),
    or a path to the GT JSON. gt_segments / pred_segments: segments_info
    dicts ({"id", "category_id", "iscrowd", "area", "description"} for the
    GT, {"id", "category_id", "caption", "score"} for predictions; a GT
    without "area" uses its pixel count). Images are finished in ascending
    `order`, whatever order they were added or merged in. The default is
    p2c-eval's when categories is the GT JSON's path (its position in
    annotations[] for pix2cap-official, in images[] for p2c-v1), else the
    image id: then pass order= to follow another sequence.
    """

    def __init__(self, categories, protocol=None, threads=None, compat_cpus=None,
                 class_agnostic=False, wordnet_dir=None, _handle=None):
        self._h = ctypes.c_void_p(_handle)
        self._gt = None
        self._ann_order = None
        if _handle is not None:
            return
        opts = _lib.eval_opts(protocol, threads, compat_cpus, class_agnostic, wordnet_dir)
        err = _lib.error_struct()
        if isinstance(categories, (str, bytes, os.PathLike)):
            self._gt = _lib.load_dataset(categories, 0, os.devnull)
            if opts.protocol == 1:
                # the official scripts walk annotations[]: that is the evaluation order
                opener = gzip.open if os.fspath(categories).endswith(".gz") else open
                with opener(categories, "rb") as f:
                    anns = json.load(f).get("annotations", [])
                self._ann_order = {a["image_id"]: k for k, a in enumerate(anns)}
            check(lib.p2c_evaluator_create(self._gt, ctypes.byref(opts), ctypes.byref(self._h),
                                           ctypes.byref(err)), err=err)
            return
        cats = (_lib.category_info * max(1, len(categories)))()
        for i, c in enumerate(categories):
            cats[i] = _lib.category_info(int(c["id"]), None, int(c.get("isthing", 1)))
        check(lib.p2c_evaluator_create_from_categories(cats, len(categories), ctypes.byref(opts),
                                                       ctypes.byref(self._h), ctypes.byref(err)),
              err=err)

    @classmethod
    def from_state(cls, data, threads=None, wordnet_dir=None):
        """A new Evaluator holding a serialized state (categories and protocol
        options come from it)."""
        opts = _lib.eval_opts(None, threads, None, False, wordnet_dir)
        h = ctypes.c_void_p()
        err = _lib.error_struct()
        check(lib.p2c_evaluator_from_state(data, len(data), ctypes.byref(opts), ctypes.byref(h),
                                           ctypes.byref(err)), err=err)
        return cls(None, _handle=h.value)

    def _check(self, rc):
        return check(rc, lambda: lib.p2c_evaluator_last_error(self._h))

    def _order(self, image_id):
        if self._ann_order is not None and image_id in self._ann_order:
            return self._ann_order[image_id]
        if self._gt is not None:
            idx = ctypes.c_size_t()
            if lib.p2c_dataset_find_image(self._gt, int(image_id), ctypes.byref(idx)) == 0:
                return idx.value
        return int(image_id)

    def add(self, image_id, gt_ids, gt_segments, pred_ids, pred_segments, order=None):
        """Add one image: its GT and predicted id maps (h x w ids, or h x w x 3
        RGB as in the PNGs; numpy arrays or nested lists) and segments."""
        gw, gh, gbuf, gkeep = _ids(gt_ids)
        pw, ph, pbuf, pkeep = _ids(pred_ids)
        if (gw, gh) != (pw, ph):
            raise ValueError("image %s: the GT id map is %dx%d, the prediction's %dx%d"
                             % (image_id, gw, gh, pw, ph))
        g, gk = _segments(gt_segments, "description")
        p, pk = _segments(pred_segments, "caption")
        img = _lib.eval_image(int(image_id), self._order(image_id) if order is None else int(order),
                              gw, gh, gbuf, pbuf, g, len(gt_segments), p, len(pred_segments))
        self._check(lib.p2c_evaluator_add(self._h, ctypes.byref(img)))
        del gkeep, pkeep, gk, pk

    def state(self):
        """Everything added so far, as bytes (docs/state-format.md)."""
        data = ctypes.POINTER(ctypes.c_ubyte)()
        n = ctypes.c_size_t()
        self._check(lib.p2c_evaluator_state(self._h, ctypes.byref(data), ctypes.byref(n)))
        return ctypes.string_at(data, n.value)

    def merge(self, data):
        """Add the images of another Evaluator's state()."""
        if isinstance(data, Evaluator):
            data = data.state()
        self._check(lib.p2c_evaluator_merge_state(self._h, data, len(data)))

    def summarize(self):
        """Finish and return the p2c-eval JSON as a dict (call once)."""
        self._check(lib.p2c_evaluator_finish(self._h))
        return json.loads(dec(lib.p2c_evaluator_json(self._h)))

    def close(self):
        if getattr(self, "_h", None):
            lib.p2c_evaluator_free(self._h)
            self._h = ctypes.c_void_p()
        if getattr(self, "_gt", None):
            lib.p2c_dataset_free(self._gt)
            self._gt = None

    __del__ = close
