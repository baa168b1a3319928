"""p2ceval.evaluate and p2ceval.Evaluator: the CLI's numbers, the official
scripts' goldens, and sharded runs merged = one run, bit for bit."""
import json
import os
import random
import subprocess

from util import Cmp, load_json, parity, ROOT

import p2ceval
from p2ceval import Evaluator, P2CError


def _cli_json(gt, pred, *opts):
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "p2c_py_%d.json" % os.getpid())
    subprocess.run([os.path.join(os.environ["P2CEVAL_BIN"], "p2c-eval"), gt, pred, "--quiet",
                    "--json", out] + list(opts), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    with open(out) as f:
        d = json.load(f)
    os.remove(out)
    return d


def test_evaluate_equals_cli_json():
    n = 0
    for name, proto in (("small", "pix2cap-official"), ("medium", "p2c-v1"), ("edge", "p2c-v1")):
        base = parity("panoptic/%s/inputs" % name)
        gt, pred = os.path.join(base, "gt.json"), os.path.join(base, "pred.json")
        got = p2ceval.evaluate(gt, pred, protocol=proto, threads=2)
        assert got == _cli_json(gt, pred, "--protocol", proto), name
        n += 1
    return "evaluate() == p2c-eval --json on %d sets" % n


def test_official_goldens_through_python():
    # the paper's scripts' own outputs (caption_distribute_metrics / _map)
    cmp = Cmp("pix2cap-official through p2ceval.evaluate (PQ, captions, mAP)")
    for name in ("small", "medium", "edge"):
        base = parity("panoptic/" + name)
        res = p2ceval.evaluate(os.path.join(base, "inputs/gt.json"),
                               os.path.join(base, "inputs/pred.json"), protocol="pix2cap-official")
        got = res["caption_seg"]
        want = load_json(os.path.join(base, "outputs/metrics.cpu1.result.json"))["result"]["All"]
        for k in ("bleu", "cider", "rouge", "pq", "sq", "rq", "meteor"):
            cmp(got["All"][k], want[k], "%s %s" % (name, k))
        assert got["All"]["n"] == want["n"]
        m = load_json(os.path.join(base, "outputs/map.result.json"))["result"]
        cmp(got["map"], m["map"], name + " map")
        for k, v in m.get("ap_breakdown", {}).items():
            cmp(got["ap_breakdown"][k], v, "%s %s" % (name, k))
        cmp(got["detmap"], m["detmap"], name + " detmap")
        for k, v in m["det_breakdown"].items():
            cmp(got["det_breakdown"][k], v, "%s det %s" % (name, k))
    return cmp.done()


def _images(base):
    gt = load_json(os.path.join(base, "gt.json"))
    pred = load_json(os.path.join(base, "pred.json"))
    pred_by_id = {a["image_id"]: a for a in pred["annotations"]}
    out = []
    for a in gt["annotations"]:
        p = pred_by_id[a["image_id"]]
        out.append((a["image_id"],
                    p2ceval.read_idmap(os.path.join(base, "gt", a["file_name"])), a["segments_info"],
                    p2ceval.read_idmap(os.path.join(base, "pred", p["file_name"])),
                    p["segments_info"]))
    return gt, out


def test_sharded_evaluator_equals_single_run():
    n = 0
    for name, proto in (("medium", "p2c-v1"), ("small", "pix2cap-official"),
                        ("chunkdrop", "pix2cap-official")):
        base = parity("panoptic/%s/inputs" % name)
        gtj = os.path.join(base, "gt.json")
        want = p2ceval.evaluate(gtj, os.path.join(base, "pred.json"), protocol=proto)
        gt, images = _images(base)
        # one process, images in a shuffled order
        rng = random.Random(7)
        shuffled = images[:]
        rng.shuffle(shuffled)
        one = Evaluator(gtj, protocol=proto)
        for im in shuffled:
            one.add(*im)
        assert one.summarize() == want, name
        # three "ranks", interleaved shards, states merged in another order
        ranks = [Evaluator(gt["categories"], protocol=proto) for _ in range(3)]
        for i, im in enumerate(shuffled):
            ranks[i % 3].add(*im, order=[x[0] for x in images].index(im[0]))
        states = [r.state() for r in ranks]
        merged = Evaluator.from_state(states[2])
        merged.merge(states[0])
        merged.merge(states[1])
        got = merged.summarize()
        assert got == want, name
        assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)
        n += 1
    return "%d sets: shuffled single Evaluator and 3 merged shards == evaluate(), bit for bit" % n


def test_state_errors():
    base = parity("panoptic/small/inputs")
    gt, images = _images(base)
    ev = Evaluator(gt["categories"])
    ev.add(*images[0])
    s = ev.state()
    assert s[:8] == b"P2CSTATE" and s[8:12] == b"\x01\x00\x00\x00"  # version 1, little-endian
    bad = s[:8] + b"\x02\x00\x00\x00" + s[12:]
    for blob, code, words in ((bad, -10, "version 2"), (s[:-1], -4, "corrupted"),
                              (b"not a state", -4, "not a libp2ceval")):
        try:
            Evaluator(gt["categories"]).merge(blob)
        except P2CError as e:
            assert e.code == code and words in str(e), (code, str(e))
        else:
            raise AssertionError("no error for %r" % blob[:12])
    ev.merge(s)  # the same image twice
    try:
        ev.summarize()
    except P2CError as e:
        assert "more than once" in str(e)
    else:
        raise AssertionError("a repeated image was accepted")
    # any truncation or single corrupted byte is an error or a valid state, never a crash
    rng = random.Random(1)
    for _ in range(300):
        b = bytearray(s)
        if rng.random() < 0.5:
            b = b[:rng.randrange(len(b))]
        else:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        try:
            e2 = Evaluator(gt["categories"])
            e2.merge(bytes(b))
        except P2CError:
            pass
    return "version, truncation, garbage, repeated image and 300 corrupted states handled"
