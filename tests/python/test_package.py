"""The package itself: the offline wheel build, library lookup, version."""
import os
import sys
import tempfile
import zipfile

from util import ROOT

import p2ceval


def test_wheel_builds_offline_with_every_module():
    sys.path.insert(0, os.path.join(ROOT, "python"))
    try:
        import p2ceval_build
    finally:
        sys.path.pop(0)
    assert p2ceval_build.get_requires_for_build_wheel() == []
    with tempfile.TemporaryDirectory() as d:
        name = p2ceval_build.build_wheel(d)
        with zipfile.ZipFile(os.path.join(d, name)) as z:
            names = set(z.namelist())
            record = z.read("p2ceval-0.1.0.dist-info/RECORD").decode()
    for mod in ("p2ceval/__init__.py", "p2ceval/mask.py", "p2ceval/panopticapi/evaluation.py",
                "p2ceval/pycocoevalcap/cider/cider.py", "p2ceval/pycocoevalcap/bleu/bleu.py",
                "p2ceval/pycocoevalcap/meteor/meteor.py", "p2ceval/pycocoevalcap/rouge/rouge.py",
                "p2ceval/pycocoevalcap/spice/spice.py",
                "p2ceval/pycocoevalcap/tokenizer/ptbtokenizer.py",
                "p2ceval-0.1.0.dist-info/METADATA", "p2ceval-0.1.0.dist-info/WHEEL"):
        assert mod in names, mod
        assert mod in record, mod
    return "wheel %s: %d files" % (name, len(names))


def test_library_found_and_versioned():
    # run.sh points P2CEVAL_LIBRARY at the build being tested
    assert os.path.samefile(p2ceval.library_path, os.environ["P2CEVAL_LIBRARY"])
    assert p2ceval.library_version() == p2ceval.__version__
