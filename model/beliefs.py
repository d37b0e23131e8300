"""Beliefs about types, updated by Bayes' rule with likelihoods computed from the senders' decision rules.

Every actor has a private type drawn per run (``model/actortypes.py``): resolved or not, and for a
challenger an aim, limited or expansive. Observers hold the probability of each: ``belief_resolve[i, j]``
(i's belief that j is resolved) and ``belief_aim[i, c]`` (that challenger c's aim is expansive).

A move's evidential weight is its likelihood ratio: how likely each type of the sender was to make it,
under that type's own utilities and the quantal choice (``model/decision.py``) — never set by hand
(Fearon 1997: a cost only a resolved type would pay separates the types; a move every type makes equally
carries no weight). The credibility rule (``decision.effective_belief``) decides what an observer acts on:
these beliefs (``reputation``: past behaviour, background history included), the prior alone with present
power and interests (``current_calculus``, Press 2005), or a mix. Evidence fades: beliefs relax towards the
prior with a half-life (``belief_memory_days``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from model.decision import N_TYPES, smooth_step

FLOOR = 1e-9


@njit(cache=True)
def posterior(prior: float, likelihood_high: float, likelihood_low: float) -> float:
    """P(high | move) by Bayes' rule (the prior if the move is impossible under both types)."""
    num = prior * likelihood_high
    den = num + (1.0 - prior) * likelihood_low
    if den <= 0:
        return prior
    return min(max(num / den, FLOOR), 1.0 - FLOOR)


@njit(cache=True)
def update_resolve(belief: np.ndarray, observers: np.ndarray, subject: int, likelihood_high: float,
                   likelihood_low: float, noise: np.ndarray) -> None:
    """In place: each observer's belief that ``subject`` is resolved, after a move with these likelihoods
    under the high and low types. ``noise`` (one value per observer, or a single 1.0) scales each
    observer's log likelihood ratio: misperception (Jervis 1976)."""
    lh = max(likelihood_high, FLOOR)
    ll = max(likelihood_low, FLOOR)
    log_ratio = math.log(lh) - math.log(ll)
    for k in range(observers.shape[0]):
        i = observers[k]
        if i == subject:
            continue
        scale = noise[k] if noise.shape[0] > 1 else noise[0]
        b = belief[i, subject]
        num = b * math.exp(log_ratio * scale)
        belief[i, subject] = min(max(num / (num + 1.0 - b), FLOOR), 1.0 - FLOOR)


@njit(cache=True)
def update_challenger(belief_resolve: np.ndarray, belief_aim: np.ndarray, observers: np.ndarray, subject: int,
                      likelihoods: np.ndarray, noise: np.ndarray) -> None:
    """In place: each observer's beliefs about a challenger's resolve and aim after its move, whose
    likelihood under each of its types (``decision.TYPES`` order) is ``likelihoods``. The observer's joint
    prior is the product of its two marginal beliefs; the posterior's marginals are kept."""
    for k in range(observers.shape[0]):
        i = observers[k]
        if i == subject:
            continue
        scale = noise[k] if noise.shape[0] > 1 else noise[0]
        r = belief_resolve[i, subject]
        a = belief_aim[i, subject]
        joint = np.empty(N_TYPES)
        total = 0.0
        for t in range(N_TYPES):
            pr = r if t >= 2 else 1.0 - r
            pa = a if t % 2 == 1 else 1.0 - a
            lik = max(likelihoods[t], FLOOR) ** scale
            joint[t] = pr * pa * lik
            total += joint[t]
        if total <= 0:
            continue
        high = (joint[2] + joint[3]) / total
        expansive = (joint[1] + joint[3]) / total
        belief_resolve[i, subject] = min(max(high, FLOOR), 1.0 - FLOOR)
        belief_aim[i, subject] = min(max(expansive, FLOOR), 1.0 - FLOOR)


@njit(cache=True)
def send_likelihoods(gain_low: float, gain_high: float, temperature: float) -> tuple[float, float]:
    """(P(send | high), P(send | low)): each type sends when the signal is worth more to it than doing
    nothing, by the quantal choice (``decision.defender_signal_gain`` gives the gains)."""
    return smooth_step(gain_high, temperature), smooth_step(gain_low, temperature)


def memory_keep(half_life_days: float) -> float:
    """Share of a belief's departure from the prior kept after one day."""
    return 0.5 ** (1.0 / half_life_days)


@njit(cache=True)
def relax(belief: np.ndarray, prior: np.ndarray, keep: float) -> None:
    """In place: every belief moves towards its subject's prior, keeping ``keep`` of its departure
    (``belief[i, j] -> prior[j] + (belief[i, j] - prior[j]) * keep``)."""
    n, m = belief.shape
    for i in range(n):
        for j in range(m):
            belief[i, j] = prior[j] + (belief[i, j] - prior[j]) * keep
