#!/usr/bin/python3
"""Train the reference model on p2c-synth scenes (CPU, seeded).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 reference-model/train.py \
        --train DATA/train --val DATA/val --out RUN --minutes 38 --epoch-steps 100 \
        --lr 8e-4 --warmup 30 --val-limit 60 --threads 2

Every --epoch-steps steps: a checkpoint RUN/ckpt.pt and RUN/weights.safetensors,
then the held-out split is predicted and scored in memory with p2ceval.Evaluator
(the library's Python package; build/libp2ceval.so from `make`); the log is
RUN/log.jsonl. See reference-model/README.md.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import data as D  # noqa: E402
from model import RefModel, panoptic  # noqa: E402
import export  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def match(logits, masks, tgt):
    """Hungarian matching for one image: (query indices, target indices)."""
    cls = torch.tensor([c for c, _, _ in tgt])
    tm = torch.stack([m for _, m, _ in tgt]).flatten(1).float()      # N,HW
    x = masks.flatten(1)                                              # Q,HW
    hw = x.shape[1]
    bce = (F.softplus(-x) @ tm.T + F.softplus(x) @ (1 - tm).T) / hw
    p = x.sigmoid()
    dice = 1 - (2 * p @ tm.T + 1) / (p.sum(-1)[:, None] + tm.sum(-1)[None] + 1)
    cost = -2 * logits.softmax(-1)[:, cls] + 5 * bce + 5 * dice
    r, c = linear_sum_assignment(cost.detach().numpy())
    return torch.as_tensor(r), torch.as_tensor(c)


def encode_caption(words, vocab_index):
    ids = [vocab_index.get(w, D.UNK) for w in words][: D.MAX_TOKENS - 1] + [D.EOS]
    return ids


def losses(model, img, tgts, caps, num_classes, points=1024):
    outs, emb, qn, mem = model.segment(img)
    B, Q = img.shape[0], qn.shape[1]
    # mask losses on `points` random pixels per batch (Mask2Former samples points
    # too); 0: every pixel
    hw = emb.shape[-1] * emb.shape[-2]
    pts = torch.randperm(hw)[:points] if 0 < points < hw else torch.arange(hw)
    embp = emb.flatten(2)[:, :, pts]                                  # B,EMB,P
    tgts = [[(c, m.flatten()[pts], d) for c, m, d in t] for t in tgts]
    final_logits, final_e = outs[-1]
    final_masks = final_e @ embp
    matches = [match(final_logits[b].detach(), final_masks[b].detach(), tgts[b]) for b in range(B)]
    total, parts = 0.0, {}
    for li, (logits, e) in enumerate(outs):
        masks = e @ embp
        tcls = torch.full((B, Q), num_classes, dtype=torch.long)
        mp, mt = [], []
        for b, (r, c) in enumerate(matches):
            tcls[b, r] = torch.tensor([tgts[b][j][0] for j in c.tolist()])
            mp.append(masks[b, r])
            mt.append(torch.stack([tgts[b][j][1] for j in c.tolist()]))
        w = torch.ones(num_classes + 1)
        w[-1] = 0.1
        l_cls = F.cross_entropy(logits.flatten(0, 1), tcls.flatten(), weight=w)
        mp = torch.cat(mp).flatten(1)
        mt = torch.cat(mt).flatten(1).float()
        l_bce = F.binary_cross_entropy_with_logits(mp, mt)
        p = mp.sigmoid()
        l_dice = (1 - (2 * (p * mt).sum(-1) + 1) / (p.sum(-1) + mt.sum(-1) + 1)).mean()
        l = 2 * l_cls + 5 * l_bce + 5 * l_dice
        total = total + l
        if li == len(outs) - 1:
            parts.update(cls=float(l_cls), bce=float(l_bce), dice=float(l_dice))
    # captions of the matched queries, teacher forcing
    h0, keys = model.caption_context(qn, mem)
    qi, ki, toks = [], [], []
    for b, (r, c) in enumerate(matches):
        for q, j in zip(r.tolist(), c.tolist()):
            qi.append(b * Q + q)
            ki.append(b)
            toks.append(caps[b][j])
    L = max(len(t) for t in toks)
    inp = torch.zeros(len(toks), L, dtype=torch.long)
    out = torch.zeros(len(toks), L, dtype=torch.long)
    for i, t in enumerate(toks):
        inp[i, 0] = D.BOS
        inp[i, 1:len(t)] = torch.tensor(t[:-1])
        out[i, :len(t)] = torch.tensor(t)
    qi = torch.tensor(qi)
    cl = model.caption_logits(qn.flatten(0, 1)[qi], h0.flatten(0, 1)[qi], keys[torch.tensor(ki)], inp)
    l_cap = F.cross_entropy(cl.flatten(0, 1), out.flatten(), ignore_index=D.PAD)
    parts["cap"] = float(l_cap)
    return total + 2 * l_cap, parts


@torch.no_grad()
def predict_images(model, images, image_infos, categories, stuff, vocab, batch=32):
    """Per image: (image info, h x w id map, segments_info with captions and scores)."""
    model.eval()
    out = []
    for s in range(0, len(images), batch):
        img = torch.from_numpy(images[s:s + batch])
        outs, emb, qn, mem = model.segment(img)
        logits, e = outs[-1]
        masks = model.masks(e, emb)
        h0, keys = model.caption_context(qn, mem)
        for b in range(img.shape[0]):
            segs = panoptic(logits[b], masks[b], stuff)
            idmap = np.zeros(masks.shape[-2:], np.uint32)
            seginfo = []
            if segs:
                qs = torch.tensor([sg[0] for sg in segs])
                toks = model.greedy(qn[b, qs], h0[b, qs], keys[b:b + 1].expand(len(segs), -1, -1),
                                    D.MAX_TOKENS, D.BOS, D.EOS)
                for k, sg in enumerate(segs):
                    words = []
                    for t in toks[k].tolist():
                        if t == D.EOS:
                            break
                        words.append(vocab[t])
                    sid = k + 1
                    idmap[sg[3].numpy()] = sid
                    seginfo.append({"id": sid, "category_id": categories[sg[1]],
                                    "caption": D.detokenize(words), "score": round(sg[2], 6)})
            out.append((image_infos[s + b], idmap, seginfo))
    model.train()
    return out


def write_predictions(preds, out_dir):
    """out_dir/pred.json and out_dir/pred/*.png: the format p2c-eval scores."""
    os.makedirs(os.path.join(out_dir, "pred"), exist_ok=True)
    anns = []
    for info, idmap, seginfo in preds:
        stem = os.path.splitext(info["file_name"])[0]
        rgb = np.stack([idmap & 255, (idmap >> 8) & 255, (idmap >> 16) & 255], -1).astype(np.uint8)
        D.write_png(os.path.join(out_dir, "pred", stem + ".png"), rgb)
        anns.append({"image_id": info["id"], "file_name": stem + ".png", "segments_info": seginfo})
    with open(os.path.join(out_dir, "pred.json"), "w") as f:
        json.dump({"annotations": anns}, f)


def validate(preds, vgt, gt_dir, protocol="p2c-v1"):
    """Scores of the predictions from p2ceval.Evaluator, fed from memory: the
    training-loop use of the library (no files written, no subprocess)."""
    import evaluate as E
    import p2ceval
    ann = {a["image_id"]: a for a in vgt["annotations"]}
    ev = p2ceval.Evaluator(vgt["categories"], protocol=protocol)
    try:
        for k, (info, idmap, seginfo) in enumerate(preds):
            a = ann[info["id"]]
            gt_ids = p2ceval.read_idmap(os.path.join(gt_dir, a["file_name"]))
            ev.add(info["id"], gt_ids, a["segments_info"], idmap, seginfo, order=k)
        return E.summarize(ev.summarize())
    except p2ceval.P2CError as e:
        return {"error": str(e)[-500:]}
    finally:
        ev.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epoch-steps", type=int, default=0, help="steps between validations (0: a pass over the data)")
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=0,
                    help="train for this long: the cosine schedule follows the elapsed time, and "
                         "the log records the steps it took (pass them as --max-steps to repeat the run)")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--resume", help="start from this checkpoint's weights (a fresh optimizer)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training images")
    ap.add_argument("--val-limit", type=int, default=200)
    ap.add_argument("--points", type=int, default=1024,
                    help="pixels per batch for the mask losses (0: every pixel)")
    ap.add_argument("--write-val", action="store_true",
                    help="also write the held-out predictions to RUN/val-pred/ (pred.json + PNGs)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "log.jsonl"), "a")

    gt, cats, images, targets = D.load_split(args.train)
    if args.limit:
        images, targets = images[:args.limit], targets[:args.limit]
    vocab = D.build_vocab(gt)
    vindex = {w: i for i, w in enumerate(vocab)}
    stuff = [c["isthing"] == 0 for c in sorted(gt["categories"], key=lambda c: cats.index(c["id"]))]
    vgt, _, vimages, _ = D.load_split(args.val, cats)
    vinfos = vgt["images"][:args.val_limit]
    vimages = vimages[:args.val_limit]
    vgt_small = dict(vgt, images=vinfos, annotations=vgt["annotations"][:args.val_limit])
    vgt_path = os.path.join(args.out, "val-gt.json")
    with open(vgt_path, "w") as f:
        json.dump(vgt_small, f)
    # the PNG folder of the ground truth sits next to its JSON
    if not os.path.exists(os.path.join(args.out, "val-gt")):
        os.symlink(os.path.abspath(os.path.join(args.val, "gt")), os.path.join(args.out, "val-gt"))
    tm = [[(c, torch.from_numpy(m), None) for c, m, _ in t] for t in targets]
    caps = [[encode_caption(D.tokenize(d), vindex) for _, _, d in t] for t in targets]

    model = RefModel(len(cats), len(vocab))
    if args.resume:
        # parameters the checkpoint lacks keep their initialisation (a
        # checkpoint of an earlier architecture: see README "The committed run")
        missing, unexpected = model.load_state_dict(torch.load(args.resume)["model"], strict=False)
        if unexpected:
            raise SystemExit(f"{args.resume}: parameters this model does not have: {unexpected}")
        if missing:
            print(f"{args.resume}: new parameters, initialised: {missing}", flush=True)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"{nparams} parameters, {len(images)} training images, vocab {len(vocab)}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = args.epoch_steps or len(images) // args.batch
    total_steps = steps_per_epoch * args.epochs
    warm = args.warmup
    # one fixed sample order over all epochs (repeating only if the steps need more data)
    reps = 20
    order = np.concatenate([np.random.permutation(len(images)) for _ in range(reps)])
    if args.max_steps:
        total_steps = args.max_steps
    budget = args.minutes * 60.0

    def progress():
        if budget:
            return min(1.0, (time.time() - t0) / budget)
        return min(1.0, step / total_steps)

    t0 = time.time()
    step = 0
    for epoch in range(10 ** 6):
        if progress() >= 1.0:
            break
        run = {}
        for i in range(steps_per_epoch):
            idx = order[step * args.batch:(step + 1) * args.batch]
            img = torch.from_numpy(images[idx])
            loss, parts = losses(model, img, [tm[j] for j in idx], [caps[j] for j in idx], len(cats),
                                 args.points)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            lr = args.lr * min(1.0, (step + 1) / warm) * 0.5 * (1 + math.cos(math.pi * progress()))
            for g in opt.param_groups:
                g["lr"] = lr
            opt.step()
            step += 1
            if progress() >= 1.0:
                break
            for k, v in parts.items():
                run[k] = run.get(k, 0.0) * 0.98 + v * 0.02 if k in run else v
            if step % 20 == 0:
                print(f"ep {epoch} step {step}/{total_steps} {time.time() - t0:.0f}s loss {float(loss):.3f} "
                      + " ".join(f"{k} {v:.3f}" for k, v in run.items()), flush=True)
        torch.save({"model": model.state_dict(), "vocab": vocab, "categories": cats, "stuff": stuff,
                    "epoch": epoch, "args": vars(args)}, os.path.join(args.out, "ckpt.pt"))
        export.export(model, vocab, cats, stuff, os.path.join(args.out, "weights.safetensors"))
        train_time = time.time() - t0
        preds = predict_images(model, vimages, vinfos, cats, stuff, vocab)
        scores = validate(preds, vgt_small, os.path.join(args.val, "gt"))
        if args.write_val:
            write_predictions(preds, os.path.join(args.out, "val-pred"))
        rec = {"epoch": epoch, "step": step, "train_seconds": round(train_time, 1),
               "losses": run, "scores": scores}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        print(json.dumps(rec)[:1500], flush=True)


if __name__ == "__main__":
    main()
