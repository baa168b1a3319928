"""p2ceval.mask against pycocotools.mask's own outputs (masks/ goldens)."""
from util import Cmp, lit, load_json, numpy, parity

np = numpy()
from p2ceval import mask  # noqa: E402


def _mask(spec):
    spec = lit(spec)
    if "rows" in spec:
        rows = spec["rows"]
        return np.asfortranarray(np.array([[int(ch) for ch in r] for r in rows], dtype=np.uint8)
                                 .reshape(spec["h"], spec["w"]))
    h, w = spec["size"]
    flat = np.zeros(h * w, dtype=np.uint8)
    pos, v = 0, 0
    for c in spec["counts"]:
        flat[pos:pos + c] = v
        pos += c
        v ^= 1
    return flat.reshape((h, w), order="F")


def _rle(d):
    d = lit(d)
    c = d["counts"]
    return {"size": list(d["size"]), "counts": c.encode() if isinstance(c, str) else c}


def test_encode_decode_area_bbox():
    g = load_json(parity("masks/rle_cases.json"))
    cmp = Cmp("toBbox")
    n = 0
    for c in g["cases"]:
        m = _mask(c["mask"])
        r = mask.encode(m)
        want = _rle(c["encode"])
        assert r == want, (c["name"], r, want)
        assert type(r["counts"]) is bytes and r["size"] == list(m.shape)
        a = mask.area(r)
        assert a == int(lit(c["area"])) and isinstance(a, np.uint32), c["name"]
        b = mask.toBbox(r)
        assert b.dtype == np.float64 and b.shape == (4,)
        for x, y in zip(b, lit(c["bbox"])):
            cmp(x, y, c["name"])
        d = mask.decode(r)
        assert d.dtype == np.uint8 and d.flags.f_contiguous and (d == m).all(), c["name"]
        assert mask.frPyObjects(_rle(c["uncompressed_rle"]), 0, 0) == \
            _rle(c["frPyObjects_uncompressed"]), c["name"]
        n += 1
    # several at once: h x w x n in, lists out
    ms = [_mask(c["mask"]) for c in g["cases"][:6]]
    shape = ms[0].shape
    same = [x for x in ms if x.shape == shape]
    stack = np.asfortranarray(np.stack(same, axis=2))
    rs = mask.encode(stack)
    assert type(rs) is list and len(rs) == len(same)
    assert (mask.decode(rs) == stack).all() and mask.area(rs).shape == (len(same),)
    assert mask.toBbox(rs).shape == (len(same), 4)
    for c in g["nonbinary_encode_cases"]:
        m = np.asfortranarray(np.array(c["values"], dtype=np.uint8))
        assert mask.encode(m) == _rle(c["encode"]), c["description"]
    return "encode/decode/area %d/%d cases identical; " % (n, n) + cmp.done()


def test_iou():
    g = load_json(parity("masks/iou_cases.json"))
    cmp = Cmp("iou (RLE and boxes)")
    for c in g["cases"] + g["bbox_cases"]:
        dt, gt = lit(c["dt"]), lit(c["gt"])
        if any(isinstance(x, dict) for x in list(dt) + list(gt)):
            dt = [_rle(x) for x in dt]
            gt = [_rle(x) for x in gt]
        else:
            dt, gt = np.array(dt, dtype=np.float64), np.array(gt, dtype=np.float64)
        want = lit(c["iou"])
        if c["name"].startswith("size_mismatch"):
            _raises(ValueError, mask.iou, dt, gt, lit(c["iscrowd"]))
            continue
        got = mask.iou(dt, gt, lit(c["iscrowd"]))
        if c["name"] == "noncanonical_identical":
            # pycocotools stops at the zero-length run (0); canonical, a mask equals itself
            assert got.tolist() == [[1.0]]
            continue
        if isinstance(want, list) and want and isinstance(want[0], list):
            assert isinstance(got, np.ndarray) and got.shape == (len(want), len(want[0]))
            for i, row in enumerate(want):
                for j, v in enumerate(row):
                    cmp(got[i, j], v, "%s[%d,%d]" % (c["name"], i, j))
        else:
            assert list(got) == list(want), (c["name"], got, want)
    return cmp.done()


def test_merge():
    g = load_json(parity("masks/merge_cases.json"))
    same = other = 0
    for c in g["cases"]:
        rles = [_rle(r) for r in lit(c["rles"])]
        inter = int(lit(c["intersect"]))
        if c["name"].startswith("size_mismatch"):
            _raises(ValueError, mask.merge, rles, inter)  # pycocotools: an empty RLE
            other += 1
            continue
        got = mask.merge(rles, inter)
        if lit(c.get("result_is_canonical", False)):
            assert got == _rle(c["result"]), (c["name"], got)
            same += 1
        else:
            # zero-length runs in the input: pycocotools stops early, the
            # library gives the true union / intersection (docs/rle.md)
            d = mask.decode(rles)
            want = d.min(axis=2) if inter else d.max(axis=2)
            assert (mask.decode(got) == want).all(), c["name"]
            other += 1
    return "merge %d identical, %d deliberate differences checked" % (same, other)


def test_frPyObjects_polygons_boxes_dispatch():
    g = load_json(parity("masks/polygon_cases.json"))
    for c in g["cases"]:
        h, w = int(lit(c["h"])), int(lit(c["w"]))
        got = mask.frPyObjects(lit(c["polygons"]), h, w)
        assert got == [_rle(r) for r in lit(c["rles"])], c["name"]
        assert mask.merge(got) == _rle(c["merged"]), c["name"]
    for c in g["bbox_cases"]:
        got = mask.frPyObjects(np.array(lit(c["input"]), dtype=np.float64), int(lit(c["h"])),
                               int(lit(c["w"])))
        assert got == [_rle(r) for r in lit(c["rles"])], c["name"]
    for c in g["dispatch_cases"]:
        try:
            mask.frPyObjects(c["input"], c["h"], c["w"])
        except Exception as e:
            assert type(e).__name__ == c["exception"] and str(e) == c["message"], (c, e)
        else:
            raise AssertionError("no exception: %s" % c["description"])
    return "frPyObjects %d polygon, %d box, %d dispatch cases identical" % (
        len(g["cases"]), len(g["bbox_cases"]), len(g["dispatch_cases"]))


def test_malformed_strings_raise():
    g = load_json(parity("masks/invalid_cases.json"))
    n = 0
    ok = 0
    for c in g["cases"]:
        if not isinstance(c.get("counts_hex"), str):
            continue  # not a string at all
        r = {"size": lit(c["size"]), "counts": bytes.fromhex(c["counts_hex"])}
        if c["category"] in ("noncanonical", "non_minimal"):
            want = sum(lit(c["pycocotools"])["parsed_counts"][1::2])
            assert int(mask.area(r)) == want, c["name"]
            ok += 1
        else:
            _raises(ValueError, mask.area, r)
            n += 1
    assert n > 0
    return "%d malformed RLE strings rejected with ValueError, %d well-defined accepted" % (n, ok)


def _raises(exc, fn, *args):
    try:
        fn(*args)
    except exc:
        return
    raise AssertionError("%s%r did not raise %s" % (fn.__name__, args, exc.__name__))
