"""Beliefs about resolve: Beta distributions updated by signals, and the credibility rules.

- ``reputation`` (Mercer 1996; the Kross essay): observers judge resolve by past behaviour, so every
  signal counts, cheap talk included; conciliatory moves read as weakness.
- ``current_calculus`` (Press 2005): credibility = balance of power x interests at stake; only what
  changes the balance (deployments, deliveries) or the interests (tied hands) moves it.
- ``mix``: a weighted average of the two.

Costly signals inform more than cheap ones (Fearon 1997): the pseudo-counts a signal adds grow with
its sunk cost and its hands-tying.
"""

from __future__ import annotations

import numpy as np
from numba import njit

REPUTATION, CURRENT_CALCULUS, MIX = 0, 1, 2
RULES = {"reputation": REPUTATION, "current_calculus": CURRENT_CALCULUS, "mix": MIX}
"""The credibility rules, and the codes compiled code knows them by."""


@njit(cache=True)
def beta_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean of Beta(a, b)."""
    return a / (a + b)


def signal_weight(cost: float, hands_tying: float, cheap_weight: float, costly_weight: float) -> float:
    """Pseudo-counts one signal adds to the observer's Beta belief (before noise and channel weight)."""
    return cheap_weight + costly_weight * (cost + hands_tying)


@njit(cache=True)
def update_resolve(belief_a: np.ndarray, belief_b: np.ndarray, senders: np.ndarray, direction: int,
                   weight: np.ndarray) -> None:
    """Bayesian update, in place, of every observer's Beta belief about each sender's resolve by a firm
    (+1) or conciliatory (-1) signal: observer ``i`` adds ``weight[i]`` pseudo-counts.

    A firm signal is evidence for a resolved sender (``a += weight``), a conciliatory one for an
    irresolute sender (``b += weight``); a neutral signal leaves the belief unchanged.
    """
    if direction == 0:
        return
    counts = belief_a if direction > 0 else belief_b
    for j in senders:
        for i in range(counts.shape[0]):
            counts[i, j] += weight[i]


@njit(cache=True)
def tie_hands(commitment: np.ndarray, commitment_age: np.ndarray, senders: np.ndarray, hands_tying: float) -> None:
    """A public signal that ties the senders' hands: each one's standing commitment is the strongest it has
    made; a stronger one starts its audience cost growing again (age 0)."""
    for j in senders:
        if hands_tying > commitment[j]:
            commitment[j] = hands_tying
            commitment_age[j] = 0.0


def memory_keep(half_life_days: float) -> float:
    """Share of a belief's departure from the prior kept after one day (old behaviour is forgotten)."""
    return 0.5 ** (1.0 / half_life_days)


@njit(cache=True)
def relax(x: np.ndarray, target: np.ndarray, keep: float) -> None:
    """In place: ``x = target + (x - target) * keep``: pseudo-counts relaxing towards the prior (with
    ``keep = memory_keep(half_life)``), and trust drifting back to its baseline. (Contiguous arrays of
    the same shape.)"""
    flat, goal = x.reshape(-1), target.reshape(-1)
    for i in range(flat.shape[0]):
        flat[i] = (flat[i] - goal[i]) * keep + goal[i]


@njit(cache=True)
def audience_cost(hands_tying, age_days, sensitivity, growth_days: float):
    """Audience cost of backing down from a public commitment: grows while the commitment stands
    (Fearon 1994), saturating at ``sensitivity x hands_tying``."""
    return sensitivity * hands_tying * (1.0 - np.exp(-(age_days * 1.0) / growth_days))


@njit(cache=True)
def calculus_resolve(power_share, interest, interest_weight: float):
    """Press (2005) credibility: power balance x interests at stake (a weighted geometric mean, 0-1)."""
    p = np.minimum(np.maximum(power_share, 1e-9), 1.0)
    i = np.minimum(np.maximum(interest, 1e-9), 1.0)
    return p ** (1.0 - interest_weight) * i ** interest_weight


@njit(cache=True)
def calculus_of(idx, capability, posture, stake, commitment, commitment_age, audience_sensitivity, challenger,
                theatre_share, growth_days, interest_weight):
    """Press's current-calculus credibility of the states ``idx``: theatre power balance against the
    challenger's deployed forces x the interests at stake (their own plus the audience cost of backing
    down from their commitments)."""
    theatre = capability[idx] * (0.05 + posture[idx])
    ch_power = capability[challenger] * theatre_share * max(posture[challenger], 0.05)
    share = theatre / (theatre + ch_power)
    interest = np.minimum(np.maximum(stake[idx] + audience_cost(commitment[idx], commitment_age[idx],
                                                                audience_sensitivity[idx], growth_days), 0.0), 1.0)
    return calculus_resolve(share, interest, interest_weight)


def effective_resolve(reputation_belief, calculus_belief, rule: str, weight: float):
    """The believed resolve an observer acts on, under the chosen credibility rule."""
    if rule == "reputation":
        return reputation_belief
    if rule == "current_calculus":
        return np.broadcast_to(calculus_belief, np.shape(reputation_belief))
    return mixed_resolve(reputation_belief, calculus_belief, weight)


@njit(cache=True)
def mixed_resolve(reputation_belief, calculus_belief, weight: float):
    """The ``mix`` rule: a weighted average of the reputation and current-calculus beliefs."""
    return weight * reputation_belief + (1.0 - weight) * calculus_belief


@njit(cache=True)
def resolve_row(belief_a_row, belief_b_row, calculus, rule: int, weight: float):
    """``effective_resolve`` for one observer's beliefs about some states (a row each), with the rule by
    its code (``RULES``): what compiled code calls."""
    reputation = beta_mean(belief_a_row, belief_b_row)
    if rule == REPUTATION:
        return reputation
    if rule == CURRENT_CALCULUS:
        return calculus.copy()
    return mixed_resolve(reputation, calculus, weight)


@njit(cache=True)
def believed_resolve_of(belief_a, belief_b, observer, subjects, rule, weight, capability, posture, stake, commitment,
                        commitment_age, audience_sensitivity, challenger, theatre_share, growth_days, interest_weight):
    """The resolve ``observer`` believes each of ``subjects`` has, under the rule coded ``rule``: its
    Beta beliefs' means, the current calculus (``calculus_of``), or their mix."""
    calculus = np.empty(0)
    if rule != REPUTATION:  # the calculus plays a part
        calculus = calculus_of(subjects, capability, posture, stake, commitment, commitment_age, audience_sensitivity,
                               challenger, theatre_share, growth_days, interest_weight)
    return resolve_row(belief_a[observer][subjects], belief_b[observer][subjects], calculus, rule, weight)
