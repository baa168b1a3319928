#!/usr/bin/python3
"""How high can caption metrics go on these scenes? Predictions that know every
scene exactly, from other draws of the captions (`p2c-synth --caption-draw K`).

    /usr/bin/python3 reference-model/ceiling.py GT.json OUT_DIR DRAW1/gt.json DRAW2/gt.json ...

GT.json is the scored ground truth (draw 0); every DRAW is the same scenes with
the captions drawn again. Writes two predictions on the ground-truth masks
(score 1), for reference-model/evaluate.py:

  OUT_DIR/another-draw/  every segment captioned by the first draw: what a
                         model that samples the generator's wording would get
  OUT_DIR/consensus/     every segment captioned by the draw that agrees most
                         with the other draws (minimum Bayes risk under a
                         smoothed sentence BLEU-4): close to the best single
                         caption a model that knows the scene can give
"""
import collections
import json
import math
import os
import re
import shutil
import sys

WORD = re.compile(r"[a-z0-9-]+|[^\sa-z0-9-]")


def tokens(text):
    return WORD.findall(text.lower())


def ngrams(toks, n):
    return collections.Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def sentence_bleu4(hyp, ref):
    """BLEU-4 of one hypothesis against one reference, add-one smoothing for n > 1."""
    if not hyp:
        return 0.0
    logp = 0.0
    for n in range(1, 5):
        h, r = ngrams(hyp, n), ngrams(ref, n)
        match = sum(min(c, r[g]) for g, c in h.items())
        total = max(len(hyp) - n + 1, 0)
        if n == 1:
            if match == 0:
                return 0.0
            logp += math.log(match / total)
        else:
            logp += math.log((match + 1) / (total + 1))
    bp = min(0.0, 1 - len(ref) / len(hyp))
    return math.exp(bp + logp / 4)


def consensus(captions):
    """The caption with the highest summed BLEU-4 against the others (first on ties)."""
    toks = [tokens(c) for c in captions]
    best, best_score = 0, -1.0
    for i, h in enumerate(toks):
        s = sum(sentence_bleu4(h, r) for j, r in enumerate(toks) if j != i)
        if s > best_score:
            best, best_score = i, s
    return captions[best]


def write(out, name, gt, gt_path, caption_of):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    anns = [{"image_id": a["image_id"], "file_name": a["file_name"],
             "segments_info": [{"id": s["id"], "category_id": s["category_id"], "score": 1.0,
                                "caption": caption_of(a["image_id"], s["id"])}
                               for s in a["segments_info"]]}
            for a in gt["annotations"]]
    shutil.rmtree(os.path.join(d, "pred"), ignore_errors=True)
    shutil.copytree(os.path.splitext(gt_path)[0], os.path.join(d, "pred"))
    with open(os.path.join(d, "pred.json"), "w") as f:
        json.dump({"annotations": anns, "categories": gt["categories"]}, f)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    gt_path, out, draw_paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    gt = json.load(open(gt_path))
    draws = []
    for p in draw_paths:
        d = json.load(open(p))
        draws.append({(a["image_id"], s["id"]): s["description"]
                      for a in d["annotations"] for s in a["segments_info"]})
    keys = [(a["image_id"], s["id"]) for a in gt["annotations"] for s in a["segments_info"]]
    for k, d in zip(draw_paths, draws):
        if any(key not in d for key in keys):
            sys.exit(f"{k}: not the same scenes as {gt_path} (a segment is missing)")
    write(out, "another-draw", gt, gt_path, lambda i, s: draws[0][(i, s)])
    chosen = {key: consensus([d[key] for d in draws]) for key in keys}
    write(out, "consensus", gt, gt_path, lambda i, s: chosen[(i, s)])


if __name__ == "__main__":
    main()
