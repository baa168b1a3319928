"""METEOR as pycocoevalcap.meteor.meteor.Meteor, without Java: METEOR 1.5
(-l en -norm) reimplemented in libp2ceval. Without METEOR's paraphrase table
(paraphrase-en.gz, pass paraphrase=PATH) the variant is "meteor-1.5-nopara"
(docs/metrics.md); variant="nltk" gives NLTK 3.8's meteor_score instead."""
from .._common import run


class Meteor:
    def __init__(self, paraphrase=None, meteor_data=None, wordnet=None, line=None, variant="1.5"):
        self._options = {"METEOR.variant": variant}
        if variant == "1.5":
            for key, value in (("paraphrase", paraphrase), ("meteor_data", meteor_data),
                               ("line", line)):
                if value is not None:
                    self._options["METEOR." + key] = value
        if wordnet is not None:
            self._options["METEOR.wordnet"] = wordnet
        self.variant = None

    def compute_score(self, gts, res):
        """(corpus score, [per-key scores]) as floats, keys in gts' order."""
        _, variants, corpus, per_item = run(gts, res, ["METEOR"], self._options)
        self.variant = variants[0]
        return corpus[0], list(per_item[0])

    def method(self):
        return "METEOR"

    def close(self):
        pass
