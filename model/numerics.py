"""BLAS-free products, and the one pairwise sum compiled code uses.

NumPy's ``@`` hands small products to OpenBLAS, whose kernel (chosen per CPU, or by
``OPENBLAS_CORETYPE``) changes the rounding; elementwise products summed by NumPy's own pairwise
reduction give the same bits on every machine, so the same seed gives the same results everywhere.
The compiled day (``model/kernels.py``) sums with ``pairwise_sum``: NumPy's summation order, so a sum
is the same number whichever side computes it.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def dot(a: np.ndarray, x: np.ndarray) -> np.ndarray | float:
    """``a @ x`` for a vector or matrix ``a`` and a vector ``x``, without BLAS."""
    out = (np.asarray(a) * np.asarray(x)).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def mean(x: np.ndarray) -> float:
    """``x.mean()`` (the same bits: NumPy's pairwise sum over the count) without the method's overhead."""
    return float(np.add.reduce(x, axis=None)) / x.size


def clip01(x: np.ndarray, lo: float = 0.0, hi: float = 1.0, out: np.ndarray | None = None) -> np.ndarray:
    """``np.clip(x, lo, hi[, out=out])`` for arrays (the same values) in two ufunc calls, without the
    wrapper (``np.clip`` with ``out`` takes ~40 us on a 21 x 21 matrix here; this, 2 us)."""
    return np.minimum(np.maximum(x, lo, out=out), hi, out=out)


@njit(cache=True)
def _block(x, lo, n):
    # NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src) of at most 128 items: a plain
    # loop below 8, eight running sums otherwise
    if n < 8:
        res = 0.0
        for i in range(n):
            res += x[lo + i]
        return res
    r0, r1, r2, r3 = x[lo], x[lo + 1], x[lo + 2], x[lo + 3]
    r4, r5, r6, r7 = x[lo + 4], x[lo + 5], x[lo + 6], x[lo + 7]
    i = 8
    whole = n - n % 8
    while i < whole:
        j = lo + i
        r0 += x[j]
        r1 += x[j + 1]
        r2 += x[j + 2]
        r3 += x[j + 3]
        r4 += x[j + 4]
        r5 += x[j + 5]
        r6 += x[j + 6]
        r7 += x[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += x[lo + i]
        i += 1
    return res


@njit(cache=True)
def pairwise_sum(x) -> float:
    """``np.add.reduce(x)`` of a 1-D float array, bit for bit, in compiled code: above 128 items NumPy
    sums the two halves (the first a multiple of 8 long) and adds them; the halving is walked here with
    an explicit stack (numba cannot cache a recursive function)."""
    n = x.shape[0]
    if n <= 128:
        return _block(x, 0, n)
    seg_lo = np.empty(64, np.int64)
    seg_n = np.empty(64, np.int64)
    stage = np.empty(64, np.int64)
    sums = np.empty(64)
    top, filled = 0, 0
    seg_lo[0], seg_n[0], stage[0] = 0, n, 0
    while top >= 0:
        lo, m = seg_lo[top], seg_n[top]
        half = m // 2
        half -= half % 8
        if m <= 128:
            sums[filled] = _block(x, lo, m)
            filled += 1
            top -= 1
        elif stage[top] == 0:   # sum the first half
            stage[top] = 1
            top += 1
            seg_lo[top], seg_n[top], stage[top] = lo, half, 0
        elif stage[top] == 1:   # then the second
            stage[top] = 2
            top += 1
            seg_lo[top], seg_n[top], stage[top] = lo + half, m - half, 0
        else:                   # then add the two
            filled -= 1
            sums[filled - 1] = sums[filled - 1] + sums[filled]
            top -= 1
    return sums[0]
