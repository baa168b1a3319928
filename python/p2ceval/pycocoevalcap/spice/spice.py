"""SPICE as pycocoevalcap.spice.spice.Spice, through libp2ceval's SPICE-style
metric (no Java, no CoreNLP models: docs/metrics.md says how it differs from
SPICE 1.0)."""
from .. import _common
from ... import _captions


class Spice:
    def compute_score(self, gts, res):
        """(average All F, per key {kind: {pr, re, f, tp, fp, fn, numImages}}),
        keys in gts' order, kinds All, Object, Attribute, Relation,
        Cardinality, Color, Size as SPICE's JSON names them."""
        if "SPICE" not in _captions.known_metrics():
            raise NotImplementedError("p2ceval: this libp2ceval build has no SPICE-style metric")
        detail = []
        _, _, corpus, per_item = _common.run(gts, res, ["SPICE"], spice_detail=detail)
        avg = _common.mean_and_array(corpus[0], per_item[0])[0]
        return avg, detail

    def method(self):
        return "SPICE"
