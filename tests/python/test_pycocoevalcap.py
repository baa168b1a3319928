"""p2ceval.pycocoevalcap: pycocoevalcap's classes, module paths and return
shapes, with the goldens computed by pycocoevalcap itself."""
from util import Cmp, load_json, numpy, parity

from p2ceval.pycocoevalcap.bleu.bleu import Bleu
from p2ceval.pycocoevalcap.cider.cider import Cider
from p2ceval.pycocoevalcap.meteor.meteor import Meteor
from p2ceval.pycocoevalcap.rouge.rouge import Rouge
from p2ceval.pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
import p2ceval.pycocoevalcap as pkg


def _cases(name):
    return load_json(parity("captions/" + name))["cases"]


def _check_case(case, cmp):
    gts, res = case["input"]["gts"], case["input"]["res"]
    out = case["output"]
    keys = list(gts.keys())
    b, bs = Bleu(4).compute_score(gts, res)
    r, rs = Rouge().compute_score(gts, res)
    c, cs = Cider().compute_score(gts, res)
    for k in range(4):
        name = "Bleu_%d" % (k + 1)
        cmp(b[k], out["corpus"][name], case["name"] + " " + name)
        for i, key in enumerate(keys):
            cmp(bs[k][i], out["per_key"][key][name], case["name"] + " " + key)
    for got, got_items, name in ((r, rs, "ROUGE_L"), (c, cs, "CIDEr")):
        cmp(got, out["corpus"][name], case["name"] + " " + name)
        for i, key in enumerate(keys):
            cmp(got_items[i], out["per_key"][key][name], case["name"] + " " + key + " " + name)


def _has_output(case):
    return isinstance(case.get("output"), dict) and "corpus" in case["output"]


_SCORERS = {"Bleu": lambda: Bleu(4), "Rouge": Rouge, "Cider": Cider}


def test_edge_cases_goldens():
    cmp = Cmp("pycocoevalcap edge cases")
    raised = 0
    for case in _cases("edge_cases.json"):
        errors = case["output"].get("errors")
        if not errors:
            _check_case(case, cmp)
            continue
        gts, res = case["input"]["gts"], case["input"]["res"]
        for scorer, message in errors.items():
            exc = AssertionError if message.startswith("AssertionError") else ValueError
            try:
                _SCORERS[scorer]().compute_score(gts, res)
            except exc:
                raised += 1
            else:
                raise AssertionError("%s %s: no %s" % (case["name"], scorer, exc.__name__))
        out = case["output"]["corpus"]
        for scorer in ("Bleu", "Rouge"):
            if scorer in errors:
                continue
            if scorer == "Bleu":
                got = Bleu(4).compute_score(gts, res)[0]
                for k in range(4):
                    cmp(got[k], out["Bleu_%d" % (k + 1)], case["name"])
            else:
                cmp(Rouge().compute_score(gts, res)[0], float(out["ROUGE_L"]), case["name"])
    return cmp.done() + "; %d expected exceptions raised" % raised


def test_realistic_and_coco_demo_goldens():
    cmp = Cmp("realistic_300 + coco_demo_1000")
    for f in ("realistic_300.json", "coco_demo_1000.json"):
        for case in _cases(f):
            _check_case(case, cmp)
    return cmp.done()


def test_tokenizer_then_scorers_end_to_end():
    # pycocoevalcap's usual pipeline: PTBTokenizer on raw captions, then the scorers
    cmp = Cmp("raw captions -> PTBTokenizer -> Bleu/Rouge/Cider")
    for case in _cases("realistic_300.json"):
        tok = PTBTokenizer()
        raw = case["raw"]
        gts = tok.tokenize({k: [{"caption": c} for c in v] for k, v in raw["gts"].items()})
        res = tok.tokenize({k: [{"caption": c} for c in v] for k, v in raw["res"].items()})
        assert gts == case["input"]["gts"] and res == case["input"]["res"]
        _check_case(dict(case, input={"gts": gts, "res": res}), cmp)
    return cmp.done()


def test_return_types_match_pycocoevalcap():
    np = numpy()
    gts = {1: ["a dog runs on the grass", "a brown dog"], "x": ["a red car on a street"],
           3: ["two men play chess"]}
    res = {1: ["a dog on grass"], "x": ["a red car"], 3: ["men playing chess"]}
    b, bs = Bleu(4).compute_score(gts, res)
    assert type(b) is list and len(b) == 4 and all(type(v) is float for v in b)
    assert type(bs) is list and len(bs) == 4 and all(type(x) is list and len(x) == 3 for x in bs)
    b2, bs2 = Bleu(2).compute_score(gts, res)
    assert b2 == b[:2] and bs2 == bs[:2]
    for scorer in (Rouge(), Cider()):
        m, arr = scorer.compute_score(gts, res)
        assert isinstance(m, np.float64) and isinstance(arr, np.ndarray) and arr.shape == (3,)
        assert m == np.mean(arr) or abs(m - np.mean(arr)) < 1e-15
    assert Bleu().method() == "Bleu" and Rouge().method() == "Rouge" and Cider().method() == "CIDEr"
    assert pkg.Meteor is Meteor and Meteor().method() == "METEOR"
    # pycocoevalcap asserts on mismatched keys and on several hypotheses
    for bad in ({1: ["a"], "x": ["b"]}, {1: ["a", "b"], "x": ["c"], 3: ["d"]}):
        try:
            Bleu(4).compute_score(gts, bad)
        except AssertionError:
            pass
        else:
            raise AssertionError("no AssertionError for %r" % (bad,))


def test_meteor_15_corpus_and_items():
    import json
    lines = [json.loads(x) for x in open(parity("meteor/realistic_1000.jsonl"))]
    want = load_json(parity("meteor/realistic_1000.corpus.json"))
    gts = {d["id"]: d["refs"] for d in lines}
    res = {d["id"]: [d["hyp"]] for d in lines}
    m = Meteor(meteor_data=parity("meteor/data"))
    score, scores = m.compute_score(gts, res)
    assert type(score) is float and type(scores) is list and len(scores) == len(lines)
    cmp = Cmp("METEOR 1.5 (nopara, METEOR's synonym files)", rel=1e-9)
    cmp(score, want["meteor15_nopara_corpus"], "corpus")
    for d, s in zip(lines, scores):
        cmp(s, float(d["meteor15_nopara"]), d["id"])
    assert m.variant == "meteor-1.5-nopara"
    return cmp.done()


def test_meteor_nltk_variant():
    import json
    lines = [json.loads(x) for x in open(parity("meteor/realistic_1000.jsonl"))][:200]
    gts = {d["id"]: d["refs"] for d in lines}
    res = {d["id"]: [d["hyp"]] for d in lines}
    _, scores = Meteor(variant="nltk").compute_score(gts, res)
    cmp = Cmp("METEOR (NLTK 3.8 variant)")
    for d, s in zip(lines, scores):
        cmp(s, float(d["nltk_meteor"]), d["id"])
    return cmp.done()


_PUNCT = {"''", "'", "``", "`", ".", "?", "!", ",", ":", "-", "--", "...", ";"}


def test_tokenizer_oracle_cases():
    import json
    cases = [json.loads(x) for x in open(parity("tokenizer/ptb_oracle_captions.jsonl"))]
    tok = PTBTokenizer()
    n = 0
    for i, c in enumerate(cases):
        inp = c.get("input")
        if not isinstance(inp, str):
            continue
        want = c["tokenized"]
        if c.get("line_split"):
            # the Java tool cut the caption into lines (pycocoevalcap then shifts
            # the next captions); here it stays whole: all its lines' tokens
            want = " ".join(w for line in c["java_output_lines"] for w in line.split(" ")
                            if w and w not in _PUNCT)
        got = tok.tokenize({i: [{"caption": inp}]})[i][0]
        assert got == want, "%r -> %r, want %r" % (inp, got, want)
        n += 1
    assert n > 0
    return "PTBTokenizer %d/%d oracle captions identical" % (n, n)


def test_spice_shapes():
    np = numpy()
    from p2ceval.pycocoevalcap.spice.spice import Spice
    from p2ceval import _captions
    if "SPICE" not in _captions.known_metrics():
        from util import Skip
        raise Skip("no SPICE-style metric in this build")
    gts = {"a": ["a brown dog runs on the green grass"], "b": ["a red car parked on a street"],
           "c": ["two men play chess at a wooden table"]}
    res = {"a": ["a dog on grass"], "b": ["a red car"], "c": ["men playing chess"]}
    avg, scores = Spice().compute_score(gts, res)
    assert isinstance(avg, np.float64) and type(scores) is list and len(scores) == 3
    kinds = {"All", "Object", "Attribute", "Relation", "Cardinality", "Color", "Size"}
    for s in scores:
        assert set(s) == kinds
        for v in s.values():
            assert set(v) == {"pr", "re", "f", "tp", "fp", "fn", "numImages"}
            assert all(type(x) is float for x in v.values())
    # the per-key All F are the SPICE-style values; the corpus is their numpy mean
    _, _, corpus, per_item = _captions.score([(gts[k], res[k][0]) for k in gts], ["SPICE"])
    assert [s["All"]["f"] for s in scores] == per_item[0] and avg == corpus[0]
    assert avg == np.mean(np.array(per_item[0]))
