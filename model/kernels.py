"""The numeric core of one day, compiled (numba): what the model computes every day, signal or not.

- ``quiet_dynamics``: Richardson postures one day on, standing commitments age, beliefs relax towards
  the prior and trust towards its baseline, entrapment fear decays; returns the accident hazard's
  inputs (the forces' proximity and the highest rung).
- ``full_cohesion``: every alliance's cohesion recomputed from its members (after a signal);
- ``carry_cohesion``: on a day without signals, each alliance's cohesion from its members' mean trust
  and mean fear carried one day on (both move geometrically: see ``CrisisModel._update_cohesion``);
- ``challenger_situation`` / ``challenger_choice``: what the challenger weighs today, its utilities and
  its logit choice.

The rules themselves live in their domain modules (``model/beliefs.py``, ``model/posture.py``,
``model/decision.py``, ``model/cohesion.py``), compiled there; these functions only call them in the
day's order on the model's arrays, so one day costs one call into compiled code instead of dozens of
NumPy calls on 20-element arrays. Sums use ``pairwise_sum`` (NumPy's order, the same bits), and nothing
is compiled with ``fastmath``: no reassociation, no fused multiply-add, the same numbers as NumPy's
elementwise arithmetic.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.beliefs import audience_cost, believed_resolve_of, relax
from model.cohesion import cohesion_from_levels, mean_fear, trust_in_centre, trust_level, weighted_std
from model.decision import (
    _choose,
    expected_sanctions,
    sanction_credibility,
    stake_value,
    utility_vector,
    win_probability,
    window_value,
)
from model.effects import perceived_threat
from model.hazard import accident_hazard
from model.numerics import pairwise_sum
from model.posture import daily_step


@njit(cache=True)
def quiet_dynamics(grievance, war, carry, posture, defenders, challenger, phi, gamma, commitment, commitment_age,
                   belief, prior, keep_belief, beliefs_relax, trust, trust_baseline, keep_trust, entrapment,
                   keep_entrapment, rung, channels, prevention, base_hazard, rung_growth, channel_reduction,
                   prevention_reduction, trust_gap, fear, alliance_trust_baseline, alignment, burden, weights,
                   abandonment, entrapment_component, cohesion):
    """One day's continuous dynamics, in place; returns (the day's accident hazard, the highest rung).

    Postures: the challenger against the defenders' mean, one exact Richardson step (``daily_step``);
    every defender moves by the mean's change. Beliefs relax only when ``beliefs_relax`` (not under
    complete information). With ``carry`` (no signal since cohesion was last computed), every alliance's
    cohesion is carried one day on (``carry_cohesion``).
    """
    n_defenders = defenders.shape[0]
    if not war:
        x0 = posture[challenger]
        x1 = pairwise_sum(posture[defenders]) / n_defenders
        y0, y1 = daily_step(phi, gamma, x0, x1, grievance, 0.0)
        posture[challenger] = min(max(y0, 0.0), 1.0)
        shift = y1 - x1
        for i in defenders:
            posture[i] = min(max(posture[i] + shift, 0.0), 1.0)
    for i in range(commitment.shape[0]):
        if commitment[i] > 0:
            commitment_age[i] += 1.0
    if beliefs_relax:
        relax(belief, prior, keep_belief)
    relax(trust, trust_baseline, keep_trust)
    for i in range(entrapment.shape[0]):
        entrapment[i] *= keep_entrapment
    top_rung = rung.max()
    proximity = posture[challenger] * (pairwise_sum(posture[defenders]) / n_defenders)
    hazard = accident_hazard(float(top_rung), proximity, channels, prevention, base_hazard, rung_growth,
                             channel_reduction, prevention_reduction)
    if carry:
        carry_cohesion(trust_gap, fear, keep_trust, keep_entrapment, alliance_trust_baseline, alignment, burden,
                       weights, abandonment, entrapment_component, cohesion)
    return hazard, top_rung


@njit(cache=True)
def situation_terms(challenger, defenders, allies, targets, capability, posture, intention, exposure, package_alliance,
                    gdp, package, horizon, war_aversion, defence_multiplier, sanctions_scale, preventive_weight,
                    core_value, horizon_weight, war_cost):
    """The parts of the challenger's situation only signals change, in ``challenger_situation``'s order
    (without the deal on the table): the defenders' capabilities and their shares, the allies' and the
    targets' power, the defenders' exposure and sanctions packages, the preventive motive (their threat,
    capability-weighted), the stake's value and the war's cost."""
    cap = capability[defenders]
    weights = cap / pairwise_sum(cap)
    threat = (cap / (cap + capability[challenger])) * intention[challenger][defenders]
    gdp_defenders = gdp[defenders]
    return (cap, weights, pairwise_sum(capability[allies] * posture[allies]),
            defence_multiplier * pairwise_sum(capability[targets]), exposure[defenders], package_alliance[defenders],
            sanctions_scale * gdp_defenders / pairwise_sum(gdp_defenders) * package[defenders],
            preventive_weight * pairwise_sum(threat * weights),
            stake_value(core_value, horizon[challenger], horizon_weight), war_cost * 2.0 * war_aversion[challenger])


@njit(cache=True)
def challenger_situation(rung, talks_open, mobilised_days, belief_a, belief_b, challenger, defenders, rule,
                         credibility_weight, capability, posture, stake, commitment, commitment_age,
                         audience_sensitivity, cohesion, theatre_share, growth_days, interest_weight,
                         intervention_share, decisiveness, boomerang, window_rate, window_weight, upkeep_rate,
                         backdown_cost, efficacy, defender_capability, defender_weights, allies_power, targets_power,
                         defender_exposure, package_alliance, sanctions_cost, preventive, value, war_cost, deal):
    """The fields of ``decision.Situation``, in its order, from the challenger's rung, the talks, the days
    mobilised, the arrays as they are and the terms only signals change (``CrisisModel._situation_terms``)."""
    belief = believed_resolve_of(belief_a, belief_b, challenger, defenders, rule, credibility_weight, capability,
                                 posture, stake, commitment, commitment_age, audience_sensitivity, challenger,
                                 theatre_share, growth_days, interest_weight)
    own = capability[challenger] * theatre_share * posture[challenger] + allies_power
    opposing = targets_power + intervention_share * pairwise_sum(defender_capability * belief)
    p_win = win_probability(own, opposing, decisiveness)
    cohesion_factor = np.ones(defenders.shape[0])   # 1.0: a package threatened by no alliance
    for i in range(defenders.shape[0]):
        if package_alliance[i] >= 0:
            cohesion_factor[i] = cohesion[package_alliance[i]]
    sanctions = expected_sanctions(sanction_credibility(belief, defender_exposure, boomerang, cohesion_factor),
                                   sanctions_cost)
    commitment_cost = audience_cost(commitment[challenger], commitment_age[challenger],
                                    audience_sensitivity[challenger], growth_days)
    return (p_win, value, war_cost, sanctions, window_value(p_win, value, window_rate, window_weight), preventive,
            pairwise_sum(belief * defender_weights), talks_open, rung, upkeep_rate * mobilised_days,
            backdown_cost * 2.0 * commitment_cost, deal, 0.15 * sanctions + 0.02, efficacy)


@njit(cache=True)
def challenger_choice(inertia, temperature, draw, *situation_args):
    """The challenger's day: (p_win, expected sanctions, utilities, the chosen action's index), given a
    uniform ``draw`` and ``challenger_situation``'s arguments."""
    (p_win, value, war_cost, sanctions, window, preventive, believed, talks_open, rung, upkeep, backdown, deal,
     escalation_risk, efficacy) = challenger_situation(*situation_args)
    u = utility_vector(p_win, value, war_cost, sanctions, window, preventive, believed, talks_open, rung, upkeep,
                       backdown, deal, escalation_risk, efficacy, inertia)
    return p_win, sanctions, u, _choose(u, temperature, draw)


@njit(cache=True)
def carry_cohesion(trust_gap, fear, keep_trust, keep_entrapment, trust_baseline, alignment, burden, weights,
                   abandonment, entrapment, cohesion):
    """A quiet day for every alliance, in place: the members' mean trust gap to its baseline and mean fear
    one day on, then abandonment, entrapment and cohesion from them (``cohesion_from_levels``)."""
    for k in range(trust_gap.shape[0]):
        trust_gap[k] *= keep_trust
        fear[k] *= keep_entrapment
    cohesion_from_levels(alignment, burden, trust_baseline + trust_gap, fear, weights, abandonment, entrapment,
                         cohesion)


@njit(cache=True)
def full_cohesion(members, leaders, trust, entrapment, capability, intention, challenger, burden, weights,
                  trust_baseline, alignment, abandonment, entrapment_component, cohesion, trust_gap, fear):
    """Every alliance's components and cohesion from its members (``model/cohesion.py``), in place, with
    the members' mean trust gap to its baseline and mean fear, which ``carry_cohesion`` carries on."""
    trust_now = trust_level(members, trust_in_centre(members, leaders, trust))
    fear[:] = mean_fear(members, entrapment)
    trust_gap[:] = trust_now - trust_baseline
    threat = perceived_threat(capability, intention, challenger)
    alignment[:] = np.minimum(np.maximum(1.0 - 2.0 * weighted_std(threat, members), 0.0), 1.0)
    cohesion_from_levels(alignment, burden, trust_now, fear, weights, abandonment, entrapment_component, cohesion)


DOWN, UP, STAY = 0, 1, 2
"""How a signal moves its senders' own rungs: down one (a de-escalation), up to its rung, or not at all."""


@njit(cache=True)
def move_rungs(rung, dyad_rung, rung_since, senders, addressees, signal_rung, mode, day):
    """A signal's senders' rungs (``mode``: ``DOWN``, ``UP`` — which also restarts their fading clock — or
    ``STAY``) and, for a signal above rung 0, the rungs of every sender-addressee dyad (both directions):
    up to the signal's rung, or down one for a de-escalation. Returns the dyads that changed (row in
    ``senders``, column in ``addressees``, new rung), in row order."""
    if mode == DOWN:
        for s in senders:
            rung[s] = max(rung[s] - 1, 0)
    elif mode == UP:
        for s in senders:
            rung[s] = max(rung[s], signal_rung)
            rung_since[s] = day
    n_rows, n_cols = senders.shape[0], addressees.shape[0]
    if n_cols == 0 or signal_rung <= 0:
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    new = np.empty((n_rows, n_cols), np.int64)
    changed = 0
    for a in range(n_rows):
        for b in range(n_cols):
            old = dyad_rung[senders[a], addressees[b]]
            new[a, b] = max(old - 1, 0) if mode == DOWN else max(old, signal_rung)
            if new[a, b] != old:
                changed += 1
    rows, cols, values = np.empty(changed, np.int64), np.empty(changed, np.int64), np.empty(changed, np.int64)
    k = 0
    for a in range(n_rows):
        for b in range(n_cols):
            if new[a, b] != dyad_rung[senders[a], addressees[b]]:
                rows[k], cols[k], values[k] = a, b, new[a, b]
                k += 1
    if changed:
        for a in range(n_rows):
            for b in range(n_cols):
                dyad_rung[senders[a], addressees[b]] = new[a, b]
        for a in range(n_rows):
            for b in range(n_cols):
                dyad_rung[addressees[b], senders[a]] = new[a, b]
    return rows, cols, values
