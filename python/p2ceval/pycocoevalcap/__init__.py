"""pycocoevalcap's scorers on libp2ceval: no Java, the same numbers.

Migrating is an import change: pycocoevalcap.X.Y -> p2ceval.pycocoevalcap.X.Y
(bleu.bleu.Bleu, meteor.meteor.Meteor, rouge.rouge.Rouge, cider.cider.Cider,
spice.spice.Spice, tokenizer.ptbtokenizer.PTBTokenizer). Each compute_score(gts,
res) takes the tokenized {key: [captions]} dicts and returns (corpus, per_item)
with pycocoevalcap's types. docs/migration.md lists the differences.
"""
from .bleu.bleu import Bleu
from .cider.cider import Cider
from .meteor.meteor import Meteor
from .rouge.rouge import Rouge
from .spice.spice import Spice
from .tokenizer.ptbtokenizer import PTBTokenizer

__all__ = ["Bleu", "Cider", "Meteor", "Rouge", "Spice", "PTBTokenizer"]
