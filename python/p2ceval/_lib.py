"""Loading libp2ceval and declaring the C functions the package calls.

The library is found, in this order: the file named by $P2CEVAL_LIBRARY; the
in-tree build (../../build/libp2ceval.so.0 next to this source tree, or
$P2CEVAL_BUILD); the system's (ctypes.util.find_library, then libp2ceval.so.0).
"""
import ctypes
import ctypes.util
import os

__all__ = ["lib", "P2CError", "check", "error_struct", "library_path"]

_c_p = ctypes.c_void_p
_c_str = ctypes.c_char_p
_size = ctypes.c_size_t
_i64 = ctypes.c_int64
_int = ctypes.c_int
_dbl = ctypes.c_double

# p2c_status values (include/p2ceval.h), pinned.
OK = 0
ERR_NOMEM = -1
ERR_INVALID_ARG = -2
ERR_IO = -3
ERR_PARSE = -4
ERR_SCHEMA = -5
ERR_MISMATCH = -6
ERR_VERSION = -10
ERR_EMPTY = -11
ERR_STATE = -12


class P2CError(RuntimeError):
    """A libp2ceval failure: .code is the p2c_status, str() the library's message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class error_struct(ctypes.Structure):
    _fields_ = [("code", _int), ("message", ctypes.c_char * 512)]


def _candidates():
    env = os.environ.get("P2CEVAL_LIBRARY")
    if env:
        return [env]
    out = []
    here = os.path.dirname(os.path.abspath(__file__))
    builds = []
    if os.environ.get("P2CEVAL_BUILD"):
        builds.append(os.environ["P2CEVAL_BUILD"])
    builds.append(os.path.join(here, "..", "..", "build"))
    for b in builds:
        for name in ("libp2ceval.so.0", "libp2ceval.so", "libp2ceval.dylib"):
            p = os.path.normpath(os.path.join(b, name))
            if os.path.exists(p):
                out.append(p)
    found = ctypes.util.find_library("p2ceval")
    if found:
        out.append(found)
    out.append("libp2ceval.so.0")
    return out


def _load():
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError(
        "p2ceval: cannot load libp2ceval; build it (make) or install it (make install), "
        "or set P2CEVAL_LIBRARY to the .so. Tried: " + "; ".join(tried))


lib, library_path = _load()


def _decl(name, restype, *argtypes):
    f = getattr(lib, name, None)
    if f is None:
        return None
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


def enc(s):
    """A Python str (or bytes) as NUL-terminated UTF-8 for C."""
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    return str(s).encode("utf-8")


def dec(b):
    return b.decode("utf-8", "replace") if b is not None else None


def check(rc, message=None, err=None):
    """Raise P2CError when rc is a failure, with the best message available."""
    if rc >= 0:
        return rc
    msg = None
    if err is not None and err.message:
        msg = dec(err.message)
    if not msg and message is not None:
        msg = message() if callable(message) else message
        msg = dec(msg) if isinstance(msg, bytes) else msg
    if not msg:
        msg = dec(lib.p2c_strerror(rc))
    raise P2CError(rc, msg)


# ---- core -------------------------------------------------------------------
_decl("p2c_strerror", _c_str, _int)
_decl("p2c_version_string", _c_str)

# ---- datasets ------------------------------------------------------------------
class load_options(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("kind", _int), ("png_dir", _c_str),
                ("max_json_bytes", _size)]


class category_info(ctypes.Structure):
    _fields_ = [("id", _i64), ("name", _c_str), ("isthing", _int)]


_decl("p2c_dataset_load", _int, _c_str, ctypes.POINTER(load_options), ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_dataset_free", None, _c_p)
_decl("p2c_dataset_num_categories", _size, _c_p)
_decl("p2c_dataset_num_images", _size, _c_p)
_decl("p2c_dataset_category", _int, _c_p, _size, ctypes.POINTER(category_info))

# ---- tokenizer ---------------------------------------------------------------
_decl("p2c_tokenizer_create", _int, ctypes.POINTER(_c_p), ctypes.POINTER(error_struct))
_decl("p2c_tokenizer_free", None, _c_p)
_decl("p2c_tokenize", _int, _c_p, _c_str, _size, ctypes.POINTER(_c_str), ctypes.POINTER(_size))
_decl("p2c_tokenizer_last_error", _c_str, _c_p)

# ---- caption metrics ------------------------------------------------------------
class captions_options(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("text", _int), ("metrics", _c_str)]


_decl("p2c_captions_metric_known", _c_str, _size)
_decl("p2c_captions_create", _int, ctypes.POINTER(captions_options), ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_captions_free", None, _c_p)
_decl("p2c_captions_last_error", _c_str, _c_p)
_decl("p2c_captions_set_option", _int, _c_p, _c_str, _c_str)
_decl("p2c_captions_add", _int, _c_p, _c_str, ctypes.POINTER(_c_str), _size, _c_str)
_decl("p2c_captions_score", _int, _c_p)
_decl("p2c_captions_num_items", _size, _c_p)
_decl("p2c_captions_num_metrics", _size, _c_p)
_decl("p2c_captions_metric_name", _c_str, _c_p, _size)
_decl("p2c_captions_metric_variant", _c_str, _c_p, _size)
_decl("p2c_captions_metric_index", _int, _c_p, _c_str, ctypes.POINTER(_size))
_decl("p2c_captions_corpus", _int, _c_p, _size, ctypes.POINTER(_dbl))
_decl("p2c_captions_item_score", _int, _c_p, _size, _size, ctypes.POINTER(_dbl))

# ---- RLE ---------------------------------------------------------------------------
_u8p = ctypes.POINTER(ctypes.c_uint8)
_u32p = ctypes.POINTER(ctypes.c_uint32)
_decl("p2c_rle_encode", _int, _c_p, _int, _int, _int, ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_rle_from_counts", _int, _int, _int, _u32p, _size, ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_rle_from_string", _int, _int, _int, _c_str, _size, ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_rle_from_bbox", _int, _int, _int, ctypes.POINTER(_dbl), ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_rle_from_polygon", _int, _int, _int, ctypes.POINTER(_dbl), _size,
      ctypes.POINTER(_c_p), ctypes.POINTER(error_struct))
_decl("p2c_rle_free", None, _c_p)
_decl("p2c_rle_height", _int, _c_p)
_decl("p2c_rle_width", _int, _c_p)
_decl("p2c_rle_num_counts", _size, _c_p)
_decl("p2c_rle_counts", _u32p, _c_p)
_decl("p2c_rle_to_string", _size, _c_p, _c_p, _size)
_decl("p2c_rle_decode", _int, _c_p, _c_p, _int)
_decl("p2c_rle_area", ctypes.c_uint64, _c_p)
_decl("p2c_rle_bbox", None, _c_p, ctypes.POINTER(_dbl))
_decl("p2c_rle_iou", _int, ctypes.POINTER(_c_p), _size, ctypes.POINTER(_c_p), _size, _u8p,
      ctypes.POINTER(_dbl), ctypes.POINTER(error_struct))
_decl("p2c_rle_merge", _int, ctypes.POINTER(_c_p), _size, _int, ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))

# ---- panoptic quality ------------------------------------------------------------------
class pq_options(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("threads", _int), ("on_image", _c_p),
                ("user", _c_p), ("panopticapi_processes", _int)]


class pq_summary(ctypes.Structure):
    _fields_ = [("pq", _dbl), ("sq", _dbl), ("rq", _dbl), ("n", _int)]


class pq_class(ctypes.Structure):
    _fields_ = [("category_id", _i64), ("isthing", _int), ("tp", _i64), ("fp", _i64),
                ("fn", _i64), ("iou", _dbl), ("pq", _dbl), ("sq", _dbl), ("rq", _dbl),
                ("counted", _int)]


_decl("p2c_pq_compute", _int, _c_p, _c_p, ctypes.POINTER(pq_options), ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_pq_free", None, _c_p)
_decl("p2c_pq_get_summary", _int, _c_p, _int, ctypes.POINTER(pq_summary))
_decl("p2c_pq_num_classes", _size, _c_p)
_decl("p2c_pq_get_class", _int, _c_p, _size, ctypes.POINTER(pq_class))


def load_dataset(path, kind, png_dir=None):
    """A p2c_dataset handle (an int) for path; the caller frees it with p2c_dataset_free."""
    opts = load_options(1, kind, enc(png_dir), 0)
    out = _c_p()
    err = error_struct()
    check(lib.p2c_dataset_load(enc(os.fspath(path)), ctypes.byref(opts), ctypes.byref(out),
                               ctypes.byref(err)), err=err)
    return out.value

# ---- evaluator (protocol) ---------------------------------------------------------
_progress_fn = ctypes.CFUNCTYPE(None, _c_p, _size, _size)


class eval_options(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("protocol", _int), ("threads", _int),
                ("compat_cpus", _int), ("class_agnostic", _int), ("wordnet_dir", _c_str),
                ("meteor_data_dir", _c_str), ("keep_segments", _int), ("progress", _c_p),
                ("progress_user", _c_p)]


class eval_segment(ctypes.Structure):
    _fields_ = [("id", _i64), ("category_id", _i64), ("iscrowd", _int), ("area", _i64),
                ("caption", _c_str), ("score", _dbl), ("has_score", _int),
                ("caption_kind", _int), ("caption_list", _c_str), ("caption_list_len", _size)]


class eval_image(ctypes.Structure):
    _fields_ = [("image_id", _i64), ("order", ctypes.c_uint64), ("width", _int), ("height", _int),
                ("gt_ids", _c_p), ("pred_ids", _c_p), ("gt", ctypes.POINTER(eval_segment)),
                ("num_gt", _size), ("pred", ctypes.POINTER(eval_segment)), ("num_pred", _size)]


_decl("p2c_protocol_from_name", _int, _c_str, ctypes.POINTER(_int))
_decl("p2c_evaluator_create", _int, _c_p, ctypes.POINTER(eval_options), ctypes.POINTER(_c_p),
      ctypes.POINTER(error_struct))
_decl("p2c_evaluator_create_from_categories", _int, ctypes.POINTER(category_info), _size,
      ctypes.POINTER(eval_options), ctypes.POINTER(_c_p), ctypes.POINTER(error_struct))
_decl("p2c_evaluator_free", None, _c_p)
_decl("p2c_evaluator_last_error", _c_str, _c_p)
_decl("p2c_evaluator_run", _int, _c_p, _c_p, _c_p)
_decl("p2c_evaluator_add", _int, _c_p, ctypes.POINTER(eval_image))
_decl("p2c_evaluator_finish", _int, _c_p)
_decl("p2c_evaluator_json", _c_str, _c_p)
_decl("p2c_evaluator_state", _int, _c_p, ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
      ctypes.POINTER(_size))
_decl("p2c_evaluator_merge_state", _int, _c_p, _c_p, _size)
_decl("p2c_evaluator_from_state", _int, _c_p, _size, ctypes.POINTER(eval_options),
      ctypes.POINTER(_c_p), ctypes.POINTER(error_struct))
_decl("p2c_dataset_find_image", _int, _c_p, _i64, ctypes.POINTER(_size))
_decl("p2c_idmap_read_png", _int, _c_str, ctypes.POINTER(_c_p), ctypes.POINTER(error_struct))
_decl("p2c_idmap_free", None, _c_p)
_decl("p2c_idmap_width", _int, _c_p)
_decl("p2c_idmap_height", _int, _c_p)
_decl("p2c_idmap_data", ctypes.POINTER(ctypes.c_uint32), _c_p)


def protocol_number(name):
    if name is None:
        return 0
    p = _int()
    if lib.p2c_protocol_from_name(enc(name), ctypes.byref(p)) != 0:
        raise ValueError("unknown protocol %r (known: p2c-v1, pix2cap-official)" % (name,))
    return p.value


def eval_opts(protocol=None, threads=None, compat_cpus=None, class_agnostic=False,
              wordnet_dir=None, meteor_data_dir=None):
    return eval_options(1, protocol_number(protocol), int(threads or 1), int(compat_cpus or 1),
                        int(bool(class_agnostic)), enc(wordnet_dir), enc(meteor_data_dir), 0,
                        None, None)

# ---- SPICE-style detail ------------------------------------------------------------
class spice_prf(ctypes.Structure):
    _fields_ = [("pr", _dbl), ("re", _dbl), ("f", _dbl), ("tp", ctypes.c_long),
                ("fp", ctypes.c_long), ("fn", ctypes.c_long)]


SPICE_NUM_KINDS = 7


class spice_detail(ctypes.Structure):
    _fields_ = [("kind", spice_prf * SPICE_NUM_KINDS)]


_decl("p2c_spice_kind_name", _c_str, _int)
_decl("p2c_captions_spice_detail", _int, _c_p, _size, ctypes.POINTER(spice_detail))
