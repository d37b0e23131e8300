"""Force postures as a Richardson (1960) arms-race system, discretised exactly (one step = one day).

    dx/dt = a*y - m*x + g        (challenger)
    dy/dt = b*x - n*y + h        (defenders)

``a`` and ``b`` are reactions to the other's posture (the security dilemma), ``m`` and ``n`` fatigue,
``g`` and ``h`` grievances. The system is stable (a unique equilibrium that attracts) iff m*n > a*b.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm


def richardson_matrix(a: float, b: float, m: float, n: float) -> np.ndarray:
    return np.array([[-m, a], [b, -n]], dtype=float)


def is_stable(a: float, b: float, m: float, n: float) -> bool:
    """Richardson's stability condition: m*n > a*b (with positive fatigue)."""
    return m > 0 and n > 0 and m * n > a * b


def equilibrium(a, b, m, n, g, h) -> np.ndarray:
    """The fixed point x* = -A^{-1} (g, h)."""
    return -np.linalg.solve(richardson_matrix(a, b, m, n), np.array([g, h], dtype=float))


def step_operator(a, b, m, n, dt: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(Phi, Gamma) with x(t+dt) = Phi x(t) + Gamma (g, h): the exact solution over one step."""
    A = richardson_matrix(a, b, m, n)
    phi = expm(A * dt)
    if abs(np.linalg.det(A)) > 1e-14:
        gamma = np.linalg.solve(A, phi - np.eye(2))
    else:  # singular A: integrate the series numerically
        ts = np.linspace(0.0, dt, 201)
        gamma = np.trapezoid([expm(A * s) for s in ts], ts, axis=0)
    return phi, gamma


def closed_form(x0, a, b, m, n, g, h, t: float) -> np.ndarray:
    """x(t) = e^{At} (x0 - x*) + x* (for a non-singular A)."""
    A = richardson_matrix(a, b, m, n)
    xs = equilibrium(a, b, m, n, g, h)
    return expm(A * t) @ (np.asarray(x0, dtype=float) - xs) + xs


def simulate(x0, a, b, m, n, g, h, days: int) -> np.ndarray:
    """Iterate the daily step ``days`` times; returns (days + 1) x 2 postures."""
    phi, gamma = step_operator(a, b, m, n)
    out = np.empty((days + 1, 2))
    out[0] = x0
    gh = np.array([g, h], dtype=float)
    for t in range(days):
        out[t + 1] = phi @ out[t] + gamma @ gh
    return out
