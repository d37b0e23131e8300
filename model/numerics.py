"""BLAS-free products. NumPy's ``@`` hands small products to OpenBLAS, whose kernel (chosen per CPU, or
by ``OPENBLAS_CORETYPE``) changes the rounding; elementwise products summed by NumPy's own pairwise
reduction give the same bits on every machine, so the same seed gives the same results everywhere."""

from __future__ import annotations

import numpy as np


def dot(a: np.ndarray, x: np.ndarray) -> np.ndarray | float:
    """``a @ x`` for a vector or matrix ``a`` and a vector ``x``, without BLAS."""
    out = (np.asarray(a) * np.asarray(x)).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def mean(x: np.ndarray) -> float:
    """``x.mean()`` (the same bits: NumPy's pairwise sum over the count) without the method's overhead."""
    return float(np.add.reduce(x, axis=None)) / x.size


def clip01(x: np.ndarray, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """``np.clip(x, lo, hi)`` for arrays (the same values) in two ufunc calls, without the wrapper."""
    return np.minimum(np.maximum(x, lo), hi)
