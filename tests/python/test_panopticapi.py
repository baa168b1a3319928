"""p2ceval.panopticapi.pq_compute against panopticapi's own outputs."""
import os

from util import Cmp, load_json, parity

from p2ceval.panopticapi.evaluation import pq_compute
from p2ceval import panopticapi, P2CError


def _compare(res, want, cmp, label):
    assert set(res) == {"All", "Things", "Stuff", "per_class"}, sorted(res)
    for group in ("All", "Things", "Stuff"):
        if group not in want:
            continue
        assert set(res[group]) == {"pq", "sq", "rq", "n"}
        assert res[group]["n"] == want[group]["n"] and type(res[group]["n"]) is int
        for k in ("pq", "sq", "rq"):
            cmp(res[group][k], want[group][k], "%s %s %s" % (label, group, k))
    assert sorted(str(k) for k in res["per_class"]) == sorted(want["per_class"])
    for cid, v in res["per_class"].items():
        assert type(cid) is int
        w = want["per_class"][str(cid)]
        for k in ("pq", "sq", "rq"):
            # the same Python types: panopticapi's sq is the int 0 when tp == 0
            assert type(v[k]) is type(w[k]), (label, cid, k, v[k], w[k])
            cmp(v[k], w[k], "%s class %d %s" % (label, cid, k))


def test_panopticapi_sample_perturbed():
    base = parity("panoptic/panopticapi_sample")
    gt = os.path.join(base, "inputs/gt/panoptic_examples.json")
    pred = os.path.join(base, "inputs/pred_perturbed/pred.json")
    cmp = Cmp("panopticapi sample (perturbed)")
    res = pq_compute(gt, pred, os.path.join(base, "inputs/gt/panoptic_examples"),
                     os.path.join(base, "inputs/pred_perturbed/pred"))
    _compare(res, load_json(os.path.join(base, "outputs/perturbed.cpu1.result.json"))["result"],
             cmp, "perturbed")
    return cmp.done()


def test_synthetic_sets_default_folders():
    cmp = Cmp("small/medium/edge pq_compute")
    for name in ("small", "medium", "edge"):
        base = parity("panoptic/" + name)
        # panopticapi's default folders: the JSON path without ".json"
        res = panopticapi.pq_compute(os.path.join(base, "inputs/gt.json"),
                                     os.path.join(base, "inputs/pred.json"), threads=2)
        want = load_json(os.path.join(base, "outputs/pq_panopticapi.cpu1.result.json"))["result"]
        _compare(res, want, cmp, name)
    return cmp.done()


def test_errors_as_panopticapi():
    base = parity("panoptic/panopticapi_sample")
    gt = os.path.join(base, "inputs/gt/panoptic_examples.json")
    want = load_json(os.path.join(base, "outputs/errors.cpu2.json"))["errors"]
    n = 0
    for case in ("err_png_not_json", "err_unknown_category", "err_json_not_png"):
        w = want[case]
        try:
            pq_compute(gt, os.path.join(base, "inputs/pred_" + case, "pred.json"),
                       os.path.join(base, "inputs/gt/panoptic_examples"),
                       os.path.join(base, "inputs/gt/panoptic_examples"))
        except KeyError as e:
            assert w["type"] == "KeyError" and e.args[0] == w["args0"], (case, e.args, w)
            n += 1
        except P2CError as e:
            raise AssertionError("%s: %s, want %s" % (case, e, w))
    return "%d/3 panopticapi error messages identical" % n
