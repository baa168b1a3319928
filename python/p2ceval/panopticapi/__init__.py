"""panopticapi's pq_compute on libp2ceval (p2ceval.panopticapi.evaluation.pq_compute,
also importable as p2ceval.panopticapi.pq_compute)."""
from .evaluation import pq_compute

__all__ = ["pq_compute"]
