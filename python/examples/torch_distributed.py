"""Evaluate a Pix2Cap-COCO model with torch.distributed: every rank scores its
own images, rank 0 merges the states and gets the numbers of one run over all
images, bit for bit (whatever the world size or the sampler's split).

    torchrun --nproc_per_node 4 torch_distributed.py GT.json GT_PNG_DIR

Replace `predict` with your model; it must return a panoptic id map (h x w
uint32 ids) and its segments_info ({"id", "category_id", "caption", "score"}).
"""
import json
import os
import sys

import torch.distributed as dist

import p2ceval


def predict(image_id, gt_ids, gt_segments):
    # a stand-in model: predicts the ground truth with its descriptions
    return gt_ids, [dict(s, caption=s.get("description", ""), score=1.0) for s in gt_segments]


def main(gt_json, gt_dir):
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    with open(gt_json) as f:
        gt = json.load(f)
    # the GT JSON path gives the categories and the images' evaluation order
    ev = p2ceval.Evaluator(gt_json, protocol="p2c-v1")
    for k, ann in enumerate(gt["annotations"]):
        if k % world != rank:  # this rank's shard (any split works)
            continue
        gt_ids = p2ceval.read_idmap(os.path.join(gt_dir, ann["file_name"]))
        pred_ids, pred_segments = predict(ann["image_id"], gt_ids, ann["segments_info"])
        ev.add(ann["image_id"], gt_ids, ann["segments_info"], pred_ids, pred_segments)
    states = [None] * world
    dist.all_gather_object(states, ev.state())
    if rank == 0:
        total = p2ceval.Evaluator.from_state(states[0])
        for s in states[1:]:
            total.merge(s)
        print(json.dumps(total.summarize(), indent=1))
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
