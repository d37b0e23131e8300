"""What changes every day whether or not anyone signals, compiled: fading rungs (the ladder's rule), the
Richardson postures (``model/posture.py``), evidence and trust relaxing, fears decaying.

``CrisisModel._dynamics`` calls these in the day's order; the rules are the domain modules' (``FADE_DAYS`` in
``agents/ladder.py``, ``daily_step`` in ``model/posture.py``, ``relax`` in ``model/beliefs.py``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.beliefs import relax
from model.posture import daily_step


@njit(cache=True)
def fade_rungs(rung: np.ndarray, rung_since: np.ndarray, keeps: np.ndarray, day: int, fade_days: int) -> None:
    """A state whose rung is not held (``keeps`` False: not a challenger) drops one rung after ``fade_days``
    days without a move that holds it."""
    for i in range(rung.shape[0]):
        if not keeps[i] and rung[i] > 0 and day - rung_since[i] > fade_days:
            rung[i] -= 1
            rung_since[i] = day


@njit(cache=True)
def posture_step(posture: np.ndarray, challenger: int, defenders: np.ndarray, phi: np.ndarray, gamma: np.ndarray,
                 grievance: float) -> float:
    """One exact Richardson day: the challenger against the defenders' mean posture; every defender moves by
    the mean's change (all within [0, 1]). Returns the defenders' mean before the step."""
    others = 0.0
    for j in defenders:
        others += posture[j]
    others = others / defenders.shape[0] if defenders.shape[0] else 0.0
    x, y = daily_step(phi, gamma, posture[challenger], others, grievance, 0.0)
    posture[challenger] = min(max(x, 0.0), 1.0)
    for j in defenders:
        posture[j] = min(max(posture[j] + (y - others), 0.0), 1.0)
    return others


@njit(cache=True)
def relax_world(belief_resolve, resolve_prior, belief_aim, aim_prior, keep_belief, relax_beliefs, trust,
                trust_baseline, keep_trust, entrapment, keep_entrapment) -> None:
    """Evidence fades towards the priors (unless every type is known), trust drifts back to its baseline,
    fears of entrapment decay."""
    if relax_beliefs:
        relax(belief_resolve, resolve_prior, keep_belief)
        relax(belief_aim, aim_prior, keep_belief)
    n, m = trust.shape
    for i in range(n):
        for j in range(m):
            trust[i, j] = trust_baseline[i, j] + (trust[i, j] - trust_baseline[i, j]) * keep_trust
    for i in range(entrapment.shape[0]):
        entrapment[i] *= keep_entrapment
