"""ROUGE-L as pycocoevalcap.rouge.rouge.Rouge (beta 1.2)."""
from .._common import run, mean_and_array


class Rouge:
    def __init__(self):
        self.beta = 1.2

    def compute_score(self, gts, res):
        """(np.mean(scores), np.array(scores)), per key in gts' order."""
        _, _, corpus, per_item = run(gts, res, ["ROUGE_L"])
        return mean_and_array(corpus[0], per_item[0])

    def method(self):
        return "Rouge"
