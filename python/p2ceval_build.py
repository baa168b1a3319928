"""A PEP 517 build backend with no dependencies: the wheel is a zip of the
p2ceval/ sources plus the three dist-info files pip needs. It exists so that
`pip install ./python` works offline, with no setuptools to download."""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "p2ceval"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "py3-none-any"
METADATA = """Metadata-Version: 2.1
Name: {n}
Version: {v}
Summary: Pix2Cap-COCO evaluation over libp2ceval (ctypes)
Requires-Python: >=3.9
License: MIT
""".format(n=NAME, v=VERSION)
WHEEL = """Wheel-Version: 1.0
Generator: p2ceval_build
Root-Is-Purelib: true
Tag: {t}
""".format(t=TAG)


def _sources():
    for root, dirs, files in os.walk(os.path.join(HERE, NAME)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for f in sorted(files):
            if f.endswith(".py"):
                full = os.path.join(root, f)
                yield full, os.path.relpath(full, HERE).replace(os.sep, "/")


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def _wheel(wheel_directory, files):
    dist = "%s-%s.dist-info" % (NAME, VERSION)
    name = "%s-%s-%s.whl" % (NAME, VERSION, TAG)
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in files + [(dist + "/METADATA", METADATA.encode()),
                                  (dist + "/WHEEL", WHEEL.encode())]:
            z.writestr(arc, data)
            records.append(_record_line(arc, data))
        records.append(dist + "/RECORD,,")
        z.writestr(dist + "/RECORD", "\n".join(records) + "\n")
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = []
    for full, arc in _sources():
        with open(full, "rb") as f:
            files.append((arc, f.read()))
    return _wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # a .pth file pointing at this folder: edits take effect without reinstalling
    return _wheel(wheel_directory, [("p2ceval_editable.pth", (HERE + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    base = "%s-%s" % (NAME, VERSION)
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for f in ("pyproject.toml", "p2ceval_build.py"):
            t.add(os.path.join(HERE, f), base + "/" + f)
        for full, arc in _sources():
            t.add(full, base + "/" + arc)
        info = tarfile.TarInfo(base + "/PKG-INFO")
        data = METADATA.encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return name
