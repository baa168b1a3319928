"""Caption scoring through the library's p2c_captions handle."""
import ctypes

from . import _lib
from ._lib import lib, enc, dec, check

TEXT_RAW = 0
TEXT_TOKENIZED = 1


def known_metrics():
    """The caption metric names this library build knows ("Bleu_1", ...)."""
    out, i = [], 0
    while True:
        name = lib.p2c_captions_metric_known(i)
        if name is None:
            return out
        out.append(dec(name))
        i += 1


class _Handle:
    def __init__(self, metrics, text=TEXT_TOKENIZED, options=None):
        opts = _lib.captions_options(1, text, enc(",".join(metrics)))
        self.h = ctypes.c_void_p()
        err = _lib.error_struct()
        check(lib.p2c_captions_create(ctypes.byref(opts), ctypes.byref(self.h), ctypes.byref(err)),
              err=err)
        for name, value in (options or {}).items():
            self._check(lib.p2c_captions_set_option(self.h, enc(name), enc(value)))

    def _check(self, rc):
        return check(rc, lambda: lib.p2c_captions_last_error(self.h))

    def close(self):
        if self.h:
            lib.p2c_captions_free(self.h)
            self.h = None

    __del__ = close


def score(items, metrics, text=TEXT_TOKENIZED, options=None):
    """Score items, a list of (refs, hyp), with the named metrics.

    Returns (names, variants, corpus, per_item): corpus[m] the corpus value of
    metric names[m], per_item[m][i] the value of item i."""
    h = _Handle(metrics, text, options)
    try:
        for i, (refs, hyp) in enumerate(items):
            arr = (ctypes.c_char_p * max(1, len(refs)))(*[enc(r) for r in refs])
            h._check(lib.p2c_captions_add(h.h, str(i).encode(), arr, len(refs), enc(hyp)))
        h._check(lib.p2c_captions_score(h.h))
        nm = lib.p2c_captions_num_metrics(h.h)
        names = [dec(lib.p2c_captions_metric_name(h.h, m)) for m in range(nm)]
        variants = [dec(lib.p2c_captions_metric_variant(h.h, m)) for m in range(nm)]
        corpus, per_item = [], []
        x = ctypes.c_double()
        for m in range(nm):
            h._check(lib.p2c_captions_corpus(h.h, m, ctypes.byref(x)))
            corpus.append(x.value)
            col = []
            for i in range(len(items)):
                h._check(lib.p2c_captions_item_score(h.h, i, m, ctypes.byref(x)))
                col.append(x.value)
            per_item.append(col)
        return names, variants, corpus, per_item
    finally:
        h.close()
