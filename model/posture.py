"""Force postures as a Richardson (1960) arms-race system, discretised exactly (one step = one day).

    dx/dt = a*y - m*x + g        (challenger)
    dy/dt = b*x - n*y + h        (defenders)

``a`` and ``b`` are reactions to the other's posture (the security dilemma), ``m`` and ``n`` fatigue,
``g`` and ``h`` grievances. The system is stable (a unique equilibrium that attracts) iff m*n > a*b.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit
from scipy.linalg import expm

from model.numerics import dot


def richardson_matrix(a: float, b: float, m: float, n: float) -> np.ndarray:
    return np.array([[-m, a], [b, -n]], dtype=float)


def is_stable(a: float, b: float, m: float, n: float) -> bool:
    """Richardson's stability condition: m*n > a*b (with positive fatigue)."""
    return m > 0 and n > 0 and m * n > a * b


def equilibrium(a, b, m, n, g, h) -> np.ndarray:
    """The fixed point x* = -A^{-1} (g, h)."""
    return -np.linalg.solve(richardson_matrix(a, b, m, n), np.array([g, h], dtype=float))


def expm2(A: np.ndarray) -> np.ndarray:
    """exp(A) of a 2 x 2 matrix by scaling and squaring in plain Python floats (no BLAS/LAPACK, so the
    same bits on every machine)."""
    a, b, c, d = (float(v) for v in np.asarray(A, dtype=float).ravel())
    norm = max(abs(a) + abs(b), abs(c) + abs(d))
    k = 0
    while norm > 0.5:
        norm /= 2.0
        k += 1
    s = 2.0 ** -k
    a, b, c, d = a * s, b * s, c * s, d * s
    # Taylor series to 20 terms
    ra, rb, rc, rd = 1.0, 0.0, 0.0, 1.0
    ta, tb, tc, td = 1.0, 0.0, 0.0, 1.0
    for n in range(1, 21):
        ta, tb, tc, td = ((ta * a + tb * c) / n, (ta * b + tb * d) / n, (tc * a + td * c) / n, (tc * b + td * d) / n)
        ra, rb, rc, rd = ra + ta, rb + tb, rc + tc, rd + td
    for _ in range(k):
        ra, rb, rc, rd = ra * ra + rb * rc, ra * rb + rb * rd, rc * ra + rd * rc, rc * rb + rd * rd
    return np.array([[ra, rb], [rc, rd]])


@lru_cache(maxsize=256)
def step_operator(a, b, m, n, dt: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(Phi, Gamma) with x(t+dt) = Phi x(t) + Gamma (g, h): the exact solution over one step (computed once
    per set of coefficients; read-only arrays)."""
    A = richardson_matrix(a, b, m, n) * dt
    phi = expm2(A)
    det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
    if abs(det) > 1e-14:
        inv = np.array([[A[1, 1], -A[0, 1]], [-A[1, 0], A[0, 0]]]) / det
        pm = phi - np.eye(2)
        gamma = np.array([[inv[i, 0] * pm[0, j] + inv[i, 1] * pm[1, j] for j in range(2)] for i in range(2)]) * dt
    else:  # singular A: integrate the series numerically
        ts = np.linspace(0.0, 1.0, 201)
        gamma = np.trapezoid([expm2(A * s) for s in ts], ts, axis=0) * dt
    phi.flags.writeable = gamma.flags.writeable = False
    return phi, gamma


@njit(cache=True)
def daily_step(phi: np.ndarray, gamma: np.ndarray, x: float, y: float, g: float, h: float = 0.0
               ) -> tuple[float, float]:
    """One day of ``step_operator``'s update, ``(x, y) -> Phi (x, y) + Gamma (g, h)``, written out for two
    numbers (the model takes this step every day)."""
    return ((phi[0, 0] * x + phi[0, 1] * y) + (gamma[0, 0] * g + gamma[0, 1] * h),
            (phi[1, 0] * x + phi[1, 1] * y) + (gamma[1, 0] * g + gamma[1, 1] * h))


def closed_form(x0, a, b, m, n, g, h, t: float) -> np.ndarray:
    """x(t) = e^{At} (x0 - x*) + x* (for a non-singular A)."""
    A = richardson_matrix(a, b, m, n)
    xs = equilibrium(a, b, m, n, g, h)
    return dot(expm(A * t), np.asarray(x0, dtype=float) - xs) + xs


def simulate(x0, a, b, m, n, g, h, days: int) -> np.ndarray:
    """Iterate the daily step ``days`` times; returns (days + 1) x 2 postures."""
    phi, gamma = step_operator(a, b, m, n)
    out = np.empty((days + 1, 2))
    out[0] = x0
    gh = np.array([g, h], dtype=float)
    for t in range(days):
        out[t + 1] = dot(phi, out[t]) + dot(gamma, gh)
    return out
