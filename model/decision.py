"""The challenger's decision rule: expected utilities of five actions and a logit (quantal) choice.

A bargaining model of war (Fearon 1995): the challenger compares attacking now with holding, climbing
or descending the ladder, or accepting what is on the table.

    U(attack)  = p_win * V - c_war - E[sanctions] + window + preventive
    U(hold)    = hope(rung) * V - upkeep                          (+ status-quo inertia)
    U(climb)   = hope(rung + 1) * V - upkeep - escalation risk
    U(descend) = hope(rung - 1) * V - upkeep / 2 - back-down cost
    U(accept)  = deal - back-down cost * (1 - deal / V)           (only if a deal is on the table)

with p_win from the capability balance including expected third-party support (a Tullock contest),
E[sanctions] = sum over senders of credibility x cost, where credibility falls with the boomerang on
the sender and, for collective threats, with the alliance's cohesion; V the value of the stake over
the challenger's horizon; hope the expected concession from coercion while talks are open; window the
value of acting before the target's integration with the West makes war costlier (the commitment problem).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from model.numerics import pairwise_sum

ACTIONS = ("hold", "climb", "descend", "accept", "attack")
HOLD, CLIMB, DESCEND, ACCEPT, ATTACK = range(5)
MAX_COERCIVE_RUNG = 6


@njit(cache=True)
def win_probability(own_power: float, opposing_power: float, decisiveness: float) -> float:
    """Tullock contest success function: own^d / (own^d + opposing^d)."""
    o = max(own_power, 0.0) ** decisiveness
    d = max(opposing_power, 0.0) ** decisiveness
    return o / (o + d) if o + d > 0 else 0.5


@njit(cache=True)
def sanction_credibility(believed_resolve: np.ndarray, exposure_to_challenger: np.ndarray,
                         boomerang_sensitivity: float, cohesion_factor: np.ndarray) -> np.ndarray:
    """Credibility of each sender's sanctions threat: resolve, discounted by the boomerang on its own
    economy (seed 003) and, for a collective threat, by its alliance's cohesion (Kross's chain)."""
    boomerang = np.minimum(np.maximum(boomerang_sensitivity * exposure_to_challenger, 0.0), 1.0)
    return believed_resolve * (1.0 - boomerang) * cohesion_factor


@njit(cache=True)
def expected_sanctions(credibility: np.ndarray, cost: np.ndarray) -> float:
    """E[sanctions] = sum of credibility x cost over the senders with a package on the table."""
    return pairwise_sum(credibility * cost)


@njit(cache=True)
def stake_value(core_value: float, horizon_years: float, horizon_weight: float) -> float:
    """Value of the stake over the decision-maker's horizon: strategic goals weigh more (claim 9)."""
    return core_value * (1.0 + horizon_weight * np.log1p(horizon_years))


@njit(cache=True)
def coercion_hope(believed_resolve: float, rung: int, talks_open: float, efficacy: float) -> float:
    """Expected share of the core demands that coercion at this rung extracts (Schelling's compellence):
    more from irresolute defenders, more at higher rungs, more while talks are open."""
    pressure = min(1.0, efficacy * max(0, min(rung, MAX_COERCIVE_RUNG) - 2))
    return (1.0 - believed_resolve) * pressure * (0.5 + 0.5 * talks_open)


@njit(cache=True)
def window_value(p_win: float, value: float, window_rate: float, foresight_days: float) -> float:
    """What the challenger loses by waiting while the target integrates with the West (Fearon 1995)."""
    return p_win * value * window_rate * foresight_days


@dataclass(frozen=True)
class Situation:
    """Everything the challenger weighs on one day (all in stake units unless noted)."""

    p_win: float
    value: float
    war_cost: float
    sanctions: float
    window: float
    preventive: float
    believed_resolve: float
    talks_open: float
    rung: int
    upkeep: float
    backdown: float
    deal: float
    escalation_risk: float
    efficacy: float


def utilities(s: Situation, inertia: float) -> np.ndarray:
    """Expected utilities of (hold, climb, descend, accept, attack); -inf where not available."""
    return utility_vector(s.p_win, s.value, s.war_cost, s.sanctions, s.window, s.preventive, s.believed_resolve,
                          s.talks_open, s.rung, s.upkeep, s.backdown, s.deal, s.escalation_risk, s.efficacy, inertia)


@njit(cache=True)
def utility_vector(p_win, value, war_cost, sanctions, window, preventive, believed_resolve, talks_open, rung,
                   upkeep, backdown, deal, escalation_risk, efficacy, inertia) -> np.ndarray:
    """``utilities`` with the situation's fields as arguments (what compiled code calls)."""
    u = np.empty(5)
    u[HOLD] = coercion_hope(believed_resolve, rung, talks_open, efficacy) * value - upkeep + inertia
    u[CLIMB] = (coercion_hope(believed_resolve, rung + 1, talks_open, efficacy) * value - upkeep - escalation_risk
                if rung < MAX_COERCIVE_RUNG else -np.inf)
    u[DESCEND] = (coercion_hope(believed_resolve, rung - 1, talks_open, efficacy) * value - 0.5 * upkeep - backdown
                  if rung > 0 else -np.inf)
    met = 1.0 if deal >= value else deal / value   # share of the demand a deal meets (never > 1)
    u[ACCEPT] = deal - backdown * (1.0 - met) if deal > 0 else -np.inf
    u[ATTACK] = p_win * value - war_cost - sanctions + window + preventive
    return u


def choice_probabilities(u: np.ndarray, temperature: float) -> np.ndarray:
    """Logit (quantal response) probabilities; temperature 0 is the argmax (ties to the first)."""
    return logit_probabilities(np.asarray(u, dtype=float), float(temperature))


@njit(cache=True)
def logit_probabilities(u: np.ndarray, temperature: float) -> np.ndarray:
    """``choice_probabilities`` of a float array, compiled."""
    top, best = -np.inf, -1
    for i in range(u.shape[0]):   # the first of the finite maxima
        if math.isfinite(u[i]) and (best < 0 or u[i] > top):
            top, best = u[i], i
    p = np.zeros(u.shape[0])
    if temperature <= 0:
        p[best] = 1.0
        return p
    total = 0.0
    for i in range(u.shape[0]):
        if math.isfinite(u[i]):
            p[i] = math.exp((u[i] - top) / temperature)
        total += p[i]
    for i in range(u.shape[0]):
        p[i] /= total
    return p


def choose(u: np.ndarray, temperature: float, draw: float) -> int:
    """Pick an action given a uniform draw in [0, 1): the first whose cumulative probability exceeds it."""
    return logit_choice(np.asarray(u, dtype=float), float(temperature), float(draw))


@njit(cache=True)
def logit_choice(u: np.ndarray, temperature: float, draw: float) -> int:
    """``choose`` with a float array, compiled."""
    p = logit_probabilities(u, temperature)
    cumulative = 0.0
    for i in range(p.shape[0]):
        cumulative += p[i]
        if cumulative > draw:
            return i
    return p.shape[0] - 1


def bargaining_range(p_win: float, cost_challenger: float, cost_defender: float) -> tuple[float, float]:
    """Fearon (1995): the shares x of the stake both sides prefer to war, [p - c_A, p + c_B].

    Non-empty whenever c_A + c_B > 0: with complete information and no commitment problem, a bargain
    that both prefer to war exists.
    """
    return p_win - cost_challenger, p_win + cost_defender


def fearon_offer(u: np.ndarray, value: float, backdown: float, margin: float = 0.01) -> float:
    """The smallest deal the challenger strictly prefers to every other action (complete information)."""
    best_other = float(np.max(np.where(np.isfinite(u), u, -np.inf)[[HOLD, CLIMB, DESCEND, ATTACK]]))
    if value + backdown <= 0:   # nothing demanded and nothing to lose by backing down
        return max(0.0, best_other + margin)
    # solve x - backdown * (1 - x / value) >= best_other + margin for x (written so a tiny value cannot overflow)
    return max(0.0, (best_other + margin + backdown) * value / (value + backdown))
