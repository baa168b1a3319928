"""panopticapi.evaluation.pq_compute, bit for bit, in C with threads."""
import ctypes
import os

from .. import _lib
from .._lib import lib, check


def _average(pq, group):
    s = _lib.pq_summary()
    check(lib.p2c_pq_get_summary(pq, group, ctypes.byref(s)))
    if s.n == 0:
        # panopticapi divides by n: the same exception
        raise ZeroDivisionError("division by zero")
    return {"pq": s.pq, "sq": s.sq, "rq": s.rq, "n": s.n}


def pq_compute(gt_json_file, pred_json_file, gt_folder=None, pred_folder=None, threads=0):
    """panopticapi's results dict: {'All'|'Things'|'Stuff': {'pq', 'sq', 'rq', 'n'},
    'per_class': {category_id: {'pq', 'sq', 'rq'}}}; folders default to the
    JSON path without '.json', as panopticapi. threads (not in panopticapi):
    0 = every core; the numbers do not depend on it. Nothing is printed."""
    gt = pred = None
    pq = ctypes.c_void_p()
    try:
        if gt_folder is None:
            gt_folder = os.fspath(gt_json_file).replace(".json", "")
        if pred_folder is None:
            pred_folder = os.fspath(pred_json_file).replace(".json", "")
        gt = _lib.load_dataset(gt_json_file, 0, gt_folder)
        pred = _lib.load_dataset(pred_json_file, 1, pred_folder)
        opts = _lib.pq_options(1, int(threads), None, None, 0)
        err = _lib.error_struct()
        rc = lib.p2c_pq_compute(gt, pred, ctypes.byref(opts), ctypes.byref(pq), ctypes.byref(err))
        if rc == _lib.ERR_MISMATCH:
            # panopticapi raises KeyError for ids and categories the files disagree on
            # (the library's message starts with the PNG's path; panopticapi's does not)
            msg = _lib.dec(err.message)
            at = msg.find("In the image with ID")
            raise KeyError(msg[at:] if at > 0 else msg)
        check(rc, err=err)
        results = {}
        for name, group in (("All", 0), ("Things", 1), ("Stuff", 2)):
            results[name] = _average(pq, group)
            if name == "All":
                per_class = {}
                c = _lib.pq_class()
                for i in range(lib.p2c_pq_num_classes(pq)):
                    check(lib.p2c_pq_get_class(pq, i, ctypes.byref(c)))
                    if c.counted:
                        # panopticapi: sq = iou / tp if tp != 0 else 0 (an int)
                        per_class[c.category_id] = {"pq": c.pq, "sq": c.sq if c.tp else 0,
                                                    "rq": c.rq}
                    else:
                        per_class[c.category_id] = {"pq": 0.0, "sq": 0.0, "rq": 0.0}
                results["per_class"] = per_class
        return results
    finally:
        lib.p2c_pq_free(pq)
        lib.p2c_dataset_free(pred)
        lib.p2c_dataset_free(gt)
