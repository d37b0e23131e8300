"""BLAS-free products. NumPy's ``@`` hands small products to OpenBLAS, whose kernel (chosen per CPU, or
by ``OPENBLAS_CORETYPE``) changes the rounding; elementwise products summed by NumPy's own pairwise
reduction give the same bits on every machine, so the same seed gives the same results everywhere."""

from __future__ import annotations

import numpy as np


def dot(a: np.ndarray, x: np.ndarray) -> np.ndarray | float:
    """``a @ x`` for a vector or matrix ``a`` and a vector ``x``, without BLAS."""
    out = (np.asarray(a) * np.asarray(x)).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out
