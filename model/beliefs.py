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


def beta_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean of Beta(a, b)."""
    return a / (a + b)


def signal_weight(cost: float, hands_tying: float, cheap_weight: float, costly_weight: float) -> float:
    """Pseudo-counts one signal adds to the observer's Beta belief (before noise and channel weight)."""
    return cheap_weight + costly_weight * (cost + hands_tying)


def update_resolve(a: np.ndarray, b: np.ndarray, direction: int, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bayesian update of Beta beliefs about resolve by a firm (+1) or conciliatory (-1) signal.

    A firm signal is evidence for a resolved sender (``a += weight``), a conciliatory one for an
    irresolute sender (``b += weight``); a neutral signal leaves the belief unchanged.
    """
    if direction > 0:
        return a + weight, b
    if direction < 0:
        return a, b + weight
    return a, b


def memory_keep(half_life_days: float) -> float:
    """Share of a belief's departure from the prior kept after one day (old behaviour is forgotten)."""
    return 0.5 ** (1.0 / half_life_days)


def relax(x: np.ndarray, target: np.ndarray, keep: float) -> None:
    """In place: ``x = target + (x - target) * keep``: pseudo-counts relaxing towards the prior (with
    ``keep = memory_keep(half_life)``), and trust drifting back to its baseline."""
    np.subtract(x, target, out=x)
    np.multiply(x, keep, out=x)
    np.add(x, target, out=x)


def audience_cost(hands_tying, age_days, sensitivity, growth_days: float):
    """Audience cost of backing down from a public commitment: grows while the commitment stands
    (Fearon 1994), saturating at ``sensitivity x hands_tying``."""
    return sensitivity * hands_tying * (1.0 - np.exp(-np.asarray(age_days, dtype=float) / growth_days))


def calculus_resolve(power_share, interest, interest_weight: float):
    """Press (2005) credibility: power balance x interests at stake (a weighted geometric mean, 0-1)."""
    p = np.clip(power_share, 1e-9, 1.0)
    i = np.clip(interest, 1e-9, 1.0)
    return p ** (1.0 - interest_weight) * i ** interest_weight


def effective_resolve(reputation_belief, calculus_belief, rule: str, weight: float):
    """The believed resolve an observer acts on, under the chosen credibility rule."""
    if rule == "reputation":
        return reputation_belief
    if rule == "current_calculus":
        return np.broadcast_to(calculus_belief, np.shape(reputation_belief))
    return weight * reputation_belief + (1.0 - weight) * calculus_belief
