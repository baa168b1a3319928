"""SPICE as pycocoevalcap.spice.spice.Spice, through libp2ceval's SPICE-style
metric (no Java, no CoreNLP models: docs/metrics.md says how it differs from
SPICE 1.0). Per key only the 'All' F-score is computed."""
from .. import _common
from ... import _captions


class Spice:
    def compute_score(self, gts, res):
        """(average F, [{'All': {'f': F}} per key]), keys in gts' order."""
        if "SPICE" not in _captions.known_metrics():
            raise NotImplementedError("p2ceval: this libp2ceval build has no SPICE-style metric")
        _, _, corpus, per_item = _common.run(gts, res, ["SPICE"])
        avg = _common.mean_and_array(corpus[0], per_item[0])[0]
        return avg, [{"All": {"f": f}} for f in per_item[0]]

    def method(self):
        return "SPICE"
