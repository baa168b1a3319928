"""BLEU-1..n as pycocoevalcap.bleu.bleu.Bleu (its BleuScorer, option "closest")."""
from .._common import run


class Bleu:
    def __init__(self, n=4):
        if not 1 <= n <= 4:
            raise ValueError("p2ceval: Bleu supports n = 1..4")
        self._n = n

    def compute_score(self, gts, res, verbose=0):
        """(score, scores): score[k] the corpus BLEU-(k+1), scores[k] the
        per-key values, in gts' key order, as lists of floats."""
        names = ["Bleu_%d" % (k + 1) for k in range(self._n)]
        got, _, corpus, per_item = run(gts, res, names)
        col = [got.index(nm) for nm in names]
        return [corpus[c] for c in col], [list(per_item[c]) for c in col]

    def method(self):
        return "Bleu"
