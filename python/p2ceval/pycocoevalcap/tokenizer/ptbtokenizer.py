"""pycocoevalcap.tokenizer.ptbtokenizer.PTBTokenizer without Java: Stanford
PTBTokenizer 3.4.1 (-preserveLines -lowerCase) and pycocoevalcap's punctuation
filter, reimplemented in libp2ceval (docs/tokenizer.md). Each caption is
tokenized on its own (a line break inside one never shifts the others)."""
import ctypes

from ... import _lib
from ..._lib import lib, enc, dec, check


class PTBTokenizer:
    def tokenize(self, captions_for_image):
        """{key: [{'caption': str}, ...]} -> {key: [tokenized str, ...]}."""
        h = ctypes.c_void_p()
        err = _lib.error_struct()
        check(lib.p2c_tokenizer_create(ctypes.byref(h), ctypes.byref(err)), err=err)
        try:
            out = {}
            res = ctypes.c_char_p()
            n = ctypes.c_size_t()
            for key, caps in captions_for_image.items():
                toks = []
                for c in caps:
                    b = enc(c["caption"])
                    check(lib.p2c_tokenize(h, b, len(b), ctypes.byref(res), ctypes.byref(n)),
                          lambda: lib.p2c_tokenizer_last_error(h))
                    toks.append(dec(ctypes.string_at(res, n.value)))
                out[key] = toks
            return out
        finally:
            lib.p2c_tokenizer_free(h)
