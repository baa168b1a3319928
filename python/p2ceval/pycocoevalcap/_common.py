"""What the pycocoevalcap scorers share: the (gts, res) checks and result types."""
from .. import _captions, _lib

try:
    import numpy as _np
except ImportError:  # numpy is optional: plain floats and lists then
    _np = None


def items_of(gts, res):
    """[(refs, hyp)] in gts' key order, checked as pycocoevalcap asserts."""
    assert gts.keys() == res.keys()
    items = []
    for key in gts.keys():
        hypo, ref = res[key], gts[key]
        assert type(hypo) is list
        assert len(hypo) == 1
        assert type(ref) is list
        assert len(ref) >= 1
        items.append((ref, hypo[0]))
    return items


def run(gts, res, metrics, options=None, spice_detail=None):
    """(names, variants, corpus, per_item) of the metrics over gts/res. An
    empty corpus scores as pycocoevalcap does: BLEU 0.0, means NaN (numpy's
    mean of nothing); CIDEr raises ValueError there and when no reference
    holds a word, as pycocoevalcap's max() of an empty sequence does."""
    items = items_of(gts, res)
    if not items and "CIDEr" not in metrics:
        empty = [0.0 if m.startswith("Bleu") else float("nan") for m in metrics]
        return list(metrics), [None] * len(metrics), empty, [[] for _ in metrics]
    try:
        return _captions.score(items, metrics, _captions.TEXT_TOKENIZED, options, spice_detail)
    except _lib.P2CError as e:
        if e.code == _lib.ERR_EMPTY and "CIDEr" in metrics:
            raise ValueError(str(e)) from None
        raise


def mean_and_array(corpus, values):
    """(np.mean(np.array(values)), np.array(values)) as pycocoevalcap returns
    them; the mean is the library's (numpy's pairwise order, bit for bit)."""
    if _np is None:
        return float(corpus), list(values)
    return _np.float64(corpus), _np.array(values)
