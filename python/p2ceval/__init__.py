"""p2ceval: libp2ceval from Python, with no compiler and no Java.

    import p2ceval
    p2ceval.evaluate("gt.json", "pred.json")          # the p2c-eval JSON, as a dict
    p2ceval.Evaluator(...)                            # shard by shard, mergeable state
    from p2ceval.pycocoevalcap.cider.cider import Cider   # pycocoevalcap drop-ins
    from p2ceval.panopticapi.evaluation import pq_compute # panopticapi drop-in
    from p2ceval import mask                          # pycocotools.mask drop-in

The shared library is found through $P2CEVAL_LIBRARY, the in-tree build/
folder, or the system (see p2ceval._lib).
"""
from ._lib import P2CError, library_path, lib as _clib
from .evaluator import Evaluator, evaluate, read_idmap

__version__ = "0.1.0"


def library_version():
    """Version string of the libp2ceval actually loaded."""
    return _clib.p2c_version_string().decode()


__all__ = ["Evaluator", "evaluate", "read_idmap", "P2CError", "library_path", "library_version"]
