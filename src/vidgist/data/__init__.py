"""Benchmark data formats: eccv16 h5, split files, TVSum, QVHighlights, QFVS, the QMS layout.

Readers here import numpy/scipy/h5py only (never torch or the pipeline), except ``make_h5`` which runs
the pipeline's front half (frames, features, KTS) to build an h5 from the user's own videos.
"""

from vidgist.data.h5 import H5Video, read_eccv16, require_user_summary, write_eccv16
from vidgist.data.splits import Split, carve_validation, load_splits

__all__ = [
    "H5Video",
    "Split",
    "carve_validation",
    "load_splits",
    "read_eccv16",
    "require_user_summary",
    "write_eccv16",
]
