#!/usr/bin/python3
"""Score a prediction with p2c-eval under both protocols; print one summary line each.

    /usr/bin/python3 reference-model/evaluate.py GT.json PRED.json [--p2c-eval BIN] [--json OUT]
"""
import argparse
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOLS = ("p2c-v1", "pix2cap-official")


def score(p2c_eval, gt, pred, protocol):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        r = subprocess.run([p2c_eval, gt, pred, "--quiet", "--protocol", protocol, "--json", out],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"p2c-eval failed ({r.returncode}): {r.stderr.strip()}")
        d = json.load(open(out))
    return summarize(d)


def summarize(d):
    """The headline numbers (x100) of a p2c-eval JSON result, either protocol."""
    if "caption_seg" in d:  # pix2cap-official: the scripts' layout (scaled values only)
        a = d["caption_seg"]["All"]
        return {"pq": 100 * a["pq"], "sq": 100 * a["sq"], "rq": 100 * a["rq"],
                "pairs": d["protocol"]["caption_pairs"], "bleu4": 100 * a["bleu"],
                "cider_d": 100 * a["cider"], "meteor": 100 * a["meteor"],
                "bleu4_mean": float("nan"), "cider_d_mean": float("nan"),
                "map": 100 * d["caption_seg"]["map"]}
    c = d["captions"]
    return {"pq": 100 * d["panoptic"]["All"]["pq"], "sq": 100 * d["panoptic"]["All"]["sq"],
            "rq": 100 * d["panoptic"]["All"]["rq"], "pairs": c["pairs"],
            "bleu4": 100 * c["scaled"]["bleu4"], "cider_d": 100 * c["scaled"]["cider_d"],
            "meteor": 100 * c["scaled"]["meteor"],
            "bleu4_mean": 100 * c["mean"]["bleu4"], "cider_d_mean": 100 * c["mean"]["cider_d"],
            "map": 100 * d["dense_map"]["map"]}


def summary(name, protocol, s):
    return (f"{name:28s} {protocol:17s} PQ {s['pq']:5.1f}  BLEU-4 {s['bleu4']:5.1f}  "
            f"CIDEr-D {s['cider_d']:6.1f}  METEOR {s['meteor']:5.1f}  mAP {s['map']:5.1f}  "
            f"(pairs {s['pairs']}; on pairs: BLEU-4 {s['bleu4_mean']:5.1f}, CIDEr-D {s['cider_d_mean']:6.1f})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gt")
    ap.add_argument("pred")
    ap.add_argument("--name", default="")
    ap.add_argument("--p2c-eval", default=os.path.join(HERE, "..", "build", "p2c-eval"))
    ap.add_argument("--json")
    a = ap.parse_args()
    res = {}
    for p in PROTOCOLS:
        res[p] = score(a.p2c_eval, a.gt, a.pred, p)
        print(summary(a.name or a.pred, p, res[p]), flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
