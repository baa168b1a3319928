"""CIDEr-D as pycocoevalcap.cider.cider.Cider (n = 4, sigma = 6, document
frequencies from the references of the call)."""
from .._common import run, mean_and_array


class Cider:
    def __init__(self, test=None, refs=None, n=4, sigma=6.0):
        if n != 4 or sigma != 6.0:
            raise ValueError("p2ceval: Cider supports pycocoevalcap's n=4, sigma=6.0 only")
        self._n = n
        self._sigma = sigma

    def compute_score(self, gts, res):
        """(np.mean(scores), np.array(scores)), per key in gts' order."""
        _, _, corpus, per_item = run(gts, res, ["CIDEr"])
        return mean_and_array(corpus[0], per_item[0])

    def method(self):
        return "CIDEr"
