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


def score(items, metrics, text=TEXT_TOKENIZED, options=None, spice_detail=None):
    """Score items, a list of (refs, hyp), with the named metrics.

    Returns (names, variants, corpus, per_item): corpus[m] the corpus value of
    metric names[m], per_item[m][i] the value of item i. With a list as
    spice_detail (and SPICE selected), it receives each item's SPICE detail
    as pycocoevalcap's Spice reports it: {kind: {pr, re, f, tp, fp, fn, numImages}}."""
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
        if spice_detail is not None and "SPICE" in names:
            d = _lib.spice_detail()
            kinds = [dec(lib.p2c_spice_kind_name(k)) for k in range(_lib.SPICE_NUM_KINDS)]
            for i in range(len(items)):
                h._check(lib.p2c_captions_spice_detail(h.h, i, ctypes.byref(d)))
                spice_detail.append({
                    kinds[k]: {"pr": d.kind[k].pr, "re": d.kind[k].re, "f": d.kind[k].f,
                               "tp": float(d.kind[k].tp), "fp": float(d.kind[k].fp),
                               "fn": float(d.kind[k].fn), "numImages": 1.0}
                    for k in range(_lib.SPICE_NUM_KINDS)})
        return names, variants, corpus, per_item
    finally:
        h.close()
