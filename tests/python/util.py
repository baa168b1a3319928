"""Helpers of the Python tests: parity files, counted comparisons."""
import ast
import json
import math
import os

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class Skip(Exception):
    pass


def parity(sub):
    """Path of ../shared/parity/SUB, or Skip when the parity data is absent."""
    base = os.environ.get("P2C_PARITY_DIR") or os.path.join(ROOT, "..", "shared", "parity")
    p = os.path.join(base, sub)
    if not os.path.exists(p):
        raise Skip("parity data %s not present" % sub)
    return p


def load_json(path):
    with open(path) as f:
        return json.load(f)


def lit(v):
    """Golden fields stored as Python repr strings."""
    return ast.literal_eval(v) if isinstance(v, str) else v


def numpy():
    try:
        import numpy as np
    except ImportError:
        raise Skip("numpy not installed")
    return np


class Cmp:
    """Counts bit-identical values and the worst relative difference."""

    def __init__(self, what, rel=0.0):
        self.what, self.rel = what, rel
        self.n = self.same = 0
        self.worst = 0.0
        self.bad = []

    def __call__(self, got, want, where=""):
        got, want = float(got), float(want)
        self.n += 1
        if got == want or (math.isnan(got) and math.isnan(want)):
            self.same += 1
            return
        d = abs(got - want) / max(abs(want), 1e-300)
        self.worst = max(self.worst, d)
        if d > self.rel:
            self.bad.append("%s: got %r, want %r" % (where, got, want))

    def done(self):
        assert not self.bad, "%s: %d values differ: %s" % (self.what, len(self.bad),
                                                           "; ".join(self.bad[:5]))
        assert self.n > 0, "%s: nothing compared" % self.what
        return "%s %d/%d bit-identical, max rel diff %.3g" % (self.what, self.same, self.n,
                                                              self.worst)
