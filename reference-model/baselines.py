#!/usr/bin/python3
"""Trivial caption baselines for the reference model.

    /usr/bin/python3 reference-model/baselines.py TRAIN_GT.json GT.json MODEL_PRED.json OUT_DIR

Writes OUT_DIR/class-caption/ (the model's masks and classes, every caption
replaced by the most frequent training caption of its class) and
OUT_DIR/gt-masks/ (the ground-truth segments, same captions, score 1).
"""
import collections
import json
import os
import shutil
import sys


def main():
    train_gt, gt_path, pred_path, out = sys.argv[1:5]
    counts = collections.defaultdict(collections.Counter)
    for a in json.load(open(train_gt))["annotations"]:
        for s in a["segments_info"]:
            counts[s["category_id"]][s["description"]] += 1
    # most frequent; ties to the alphabetically first, so the choice is stable
    best = {c: min(k.items(), key=lambda kv: (-kv[1], kv[0]))[0] for c, k in counts.items()}

    pred = json.load(open(pred_path))
    for a in pred["annotations"]:
        for s in a["segments_info"]:
            s["caption"] = best.get(s["category_id"], "")
    d = os.path.join(out, "class-caption")
    os.makedirs(d, exist_ok=True)
    shutil.rmtree(os.path.join(d, "pred"), ignore_errors=True)
    shutil.copytree(os.path.splitext(pred_path)[0], os.path.join(d, "pred"))
    json.dump(pred, open(os.path.join(d, "pred.json"), "w"))

    gt = json.load(open(gt_path))
    anns = []
    for a in gt["annotations"]:
        segs = [{"id": s["id"], "category_id": s["category_id"], "score": 1.0,
                 "caption": best.get(s["category_id"], "")} for s in a["segments_info"]]
        anns.append({"image_id": a["image_id"], "file_name": a["file_name"], "segments_info": segs})
    d = os.path.join(out, "gt-masks")
    os.makedirs(d, exist_ok=True)
    shutil.rmtree(os.path.join(d, "pred"), ignore_errors=True)
    shutil.copytree(os.path.splitext(gt_path)[0], os.path.join(d, "pred"))
    json.dump({"annotations": anns, "categories": gt["categories"]}, open(os.path.join(d, "pred.json"), "w"))


if __name__ == "__main__":
    main()
