"""The numeric core of one day, compiled (numba): what the model computes every day, signal or not.

- ``quiet_dynamics``: rungs off the challenger's side fade, Richardson postures one day on, standing
  commitments age, beliefs relax towards the prior and trust towards its baseline, entrapment fear
  decays, the accident hazard, and (on a day without signals) cohesion carried on (``carry_cohesion``);
- ``full_cohesion``: every alliance's cohesion recomputed from its members (after a signal);
- ``carry_cohesion``: on a day without signals, each alliance's cohesion from its members' mean trust
  and mean fear carried one day on (both move geometrically: see ``CrisisModel._update_cohesion``);
- ``challenger_situation`` / ``challenger_choice``: what the challenger weighs today, its utilities and
  its logit choice (``situation_terms``: the parts of it only signals change);
- ``move_rungs``: a signal's moves on the ladder (its senders' rungs and their dyads').

The rules themselves live in their domain modules (``model/beliefs.py``, ``model/posture.py``,
``model/decision.py``, ``model/cohesion.py``), compiled there; these functions only call them in the
day's order on the model's arrays, so a quiet day costs two calls into compiled code instead of dozens
of NumPy calls on 20-element arrays. Sums use ``pairwise_sum`` (NumPy's order, the same bits), and nothing
is compiled with ``fastmath``: no reassociation, no fused multiply-add, the same numbers as NumPy's
elementwise arithmetic.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.beliefs import audience_cost, believed_resolve_of, relax
from model.cohesion import alike, cohesion_from_levels, mean_fear, trust_in_centre, trust_level
from model.decision import (
    ATTACK,
    HOLD,
    expected_sanctions,
    logit_choice,
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
from model.world import Count, Matrix, Vector

# Scalars reach the kernels packed in float arrays, in the orders below: numba's cost per argument (~60 ns
# to type and unbox) is more than most of a day's arithmetic. ``day_coefficients`` and
# ``situation_coefficients`` pack them by name.
(KEEP_BELIEF, RELAX_BELIEFS, KEEP_TRUST, KEEP_ENTRAPMENT, CHANNELS, PREVENTION, BASE_HAZARD, RUNG_GROWTH,
 CHANNEL_REDUCTION, PREVENTION_REDUCTION, GRIEVANCE_PER_RUNG) = range(11)
(CREDIBILITY_WEIGHT, THEATRE_SHARE, GROWTH_DAYS, INTEREST_WEIGHT, INTERVENTION_SHARE, DECISIVENESS, BOOMERANG,
 WINDOW_RATE, WINDOW_WEIGHT, UPKEEP_RATE, BACKDOWN_COST, EFFICACY, INERTIA, TEMPERATURE, ALLIES_POWER, TARGETS_POWER,
 PREVENTIVE, VALUE, WAR_COST, DEAL, TALKS_OPEN) = range(21)
# rows of the defenders' terms (one column per defender)
DEFENDER_CAPABILITY, DEFENDER_WEIGHT, DEFENDER_EXPOSURE, SANCTIONS_COST = range(4)
# rows of the alliances' array (one column per alliance): the components in ``cohesion.COMPONENTS``' order,
# cohesion, and the members' mean trust gap to its baseline, mean fear and baseline mean trust
ALIGNMENT, ABANDONMENT, ENTRAPMENT, BURDEN, COHESION, TRUST_GAP, FEAR, TRUST_BASELINE = range(8)
ALLIANCE_ROWS = 8
FADE_DAYS = 14
"""A state off the challenger's side drops one rung after this many days without a move that holds it."""


def day_coefficients(*, keep_belief, relax_beliefs, keep_trust, keep_entrapment, channels, prevention, base_hazard,
                     rung_growth, channel_reduction, prevention_reduction, grievance_per_rung) -> np.ndarray:
    """``quiet_dynamics``' scalars, packed."""
    return np.array([keep_belief, float(relax_beliefs), keep_trust, keep_entrapment, channels, prevention,
                     base_hazard, rung_growth, channel_reduction, prevention_reduction, grievance_per_rung])


def situation_coefficients(*, credibility_weight, theatre_share, growth_days, interest_weight, intervention_share,
                           decisiveness, boomerang, window_rate, window_weight, upkeep_rate, backdown_cost, efficacy,
                           inertia, temperature, allies_power, targets_power, preventive, value, war_cost, deal,
                           talks_open) -> np.ndarray:
    """``challenger_situation``'s scalars, packed."""
    return np.array([credibility_weight, theatre_share, growth_days, interest_weight, intervention_share,
                     decisiveness, boomerang, window_rate, window_weight, upkeep_rate, backdown_cost, efficacy,
                     inertia, temperature, allies_power, targets_power, preventive, value, war_cost, deal, talks_open])


@njit(cache=True)
def quiet_dynamics(day, war, carry, challenger, c, vectors, matrices, counts, defenders, phi, gamma, alliances,
                   weights):
    """One day's dynamics, in place; returns (the day's accident hazard, the highest rung, the challenger's
    rung).

    Rungs off the challenger's side fade (``FADE_DAYS``). Postures: the challenger against the defenders'
    mean, one exact Richardson step (``daily_step``) with the challenger's grievance growing with its
    rung; every defender moves by the mean's change. Beliefs relax unless under complete information.
    With ``carry`` (no signal since cohesion was last computed), every alliance's cohesion is carried one
    day on (``carry_cohesion``). ``c``: ``day_coefficients``; ``vectors``, ``matrices``, ``counts``: the
    world's (``model/world.py``); ``alliances``: the model's alliance rows.
    """
    posture, entrapment = vectors[Vector.POSTURE], vectors[Vector.ENTRAPMENT]
    commitment, commitment_age = vectors[Vector.COMMITMENT], vectors[Vector.COMMITMENT_AGE]
    rung, rung_since, side = counts[Count.RUNG], counts[Count.RUNG_SINCE], counts[Count.SIDE]
    for i in range(rung.shape[0]):
        if side[i] != 0 and rung[i] > 0 and day - rung_since[i] > FADE_DAYS:
            rung[i] -= 1
            rung_since[i] = day
    n_defenders = defenders.shape[0]
    if not war:
        x0 = posture[challenger]
        x1 = pairwise_sum(posture[defenders]) / n_defenders
        y0, y1 = daily_step(phi, gamma, x0, x1, c[GRIEVANCE_PER_RUNG] * float(rung[challenger]), 0.0)
        posture[challenger] = min(max(y0, 0.0), 1.0)
        shift = y1 - x1
        for i in defenders:
            posture[i] = min(max(posture[i] + shift, 0.0), 1.0)
    for i in range(commitment.shape[0]):
        if commitment[i] > 0:
            commitment_age[i] += 1.0
    if c[RELAX_BELIEFS]:
        relax(matrices[Matrix.BELIEF_A], matrices[Matrix.PRIOR_A], c[KEEP_BELIEF])
        relax(matrices[Matrix.BELIEF_B], matrices[Matrix.PRIOR_B], c[KEEP_BELIEF])
    relax(matrices[Matrix.TRUST], matrices[Matrix.TRUST_BASELINE], c[KEEP_TRUST])
    for i in range(entrapment.shape[0]):
        entrapment[i] *= c[KEEP_ENTRAPMENT]
    top_rung = rung.max()
    proximity = posture[challenger] * (pairwise_sum(posture[defenders]) / n_defenders)
    hazard = accident_hazard(float(top_rung), proximity, c[CHANNELS], c[PREVENTION], c[BASE_HAZARD], c[RUNG_GROWTH],
                             c[CHANNEL_REDUCTION], c[PREVENTION_REDUCTION])
    if carry:
        carry_cohesion(alliances[TRUST_GAP], alliances[FEAR], c[KEEP_TRUST], c[KEEP_ENTRAPMENT],
                       alliances[TRUST_BASELINE], alliances[ALIGNMENT], alliances[BURDEN], weights,
                       alliances[ABANDONMENT], alliances[ENTRAPMENT], alliances[COHESION])
    return hazard, top_rung, rung[challenger]


@njit(cache=True)
def situation_terms(challenger, defenders, allies, targets, capability, posture, intention, exposure, package_alliance,
                    gdp, package, horizon, war_aversion, defence_multiplier, sanctions_scale, preventive_weight,
                    core_value, horizon_weight, war_cost):
    """The parts of the challenger's situation only signals change: the defenders' terms (their
    capabilities, capability shares, exposure and sanctions packages' cost; rows ``DEFENDER_*``), the
    alliance each defender's package was threatened through, the allies' and the targets' power, the
    preventive motive (the defenders' threat, capability-weighted), the stake's value and the war's cost."""
    cap = capability[defenders]
    terms = np.empty((4, defenders.shape[0]))
    terms[DEFENDER_CAPABILITY] = cap
    terms[DEFENDER_WEIGHT] = cap / pairwise_sum(cap)
    terms[DEFENDER_EXPOSURE] = exposure[defenders]
    gdp_defenders = gdp[defenders]
    terms[SANCTIONS_COST] = sanctions_scale * gdp_defenders / pairwise_sum(gdp_defenders) * package[defenders]
    threat = (cap / (cap + capability[challenger])) * intention[challenger][defenders]
    return (terms, package_alliance[defenders], pairwise_sum(capability[allies] * posture[allies]),
            defence_multiplier * pairwise_sum(capability[targets]),
            preventive_weight * pairwise_sum(threat * terms[DEFENDER_WEIGHT]),
            stake_value(core_value, horizon[challenger], horizon_weight), war_cost * 2.0 * war_aversion[challenger])


@njit(cache=True)
def challenger_situation(mobilised_days, challenger, rule, c, vectors, matrices, counts, alliances, defenders,
                         defender_terms, package_alliance):
    """The fields of ``decision.Situation``, in its order, from the days mobilised, the world's arrays as
    they are and the terms only signals change (``c``: ``situation_coefficients``; ``defender_terms`` and
    ``package_alliance``: from ``situation_terms``)."""
    capability, posture, commitment = vectors[Vector.CAPABILITY], vectors[Vector.POSTURE], vectors[Vector.COMMITMENT]
    commitment_age, audience_sensitivity = vectors[Vector.COMMITMENT_AGE], vectors[Vector.AUDIENCE_SENSITIVITY]
    cohesion, rung = alliances[COHESION], counts[Count.RUNG]
    belief = believed_resolve_of(matrices[Matrix.BELIEF_A], matrices[Matrix.BELIEF_B], challenger, defenders, rule,
                                 c[CREDIBILITY_WEIGHT], capability, posture, vectors[Vector.STAKE], commitment,
                                 commitment_age, audience_sensitivity, challenger, c[THEATRE_SHARE], c[GROWTH_DAYS],
                                 c[INTEREST_WEIGHT])
    own = capability[challenger] * c[THEATRE_SHARE] * posture[challenger] + c[ALLIES_POWER]
    opposing = c[TARGETS_POWER] + c[INTERVENTION_SHARE] * pairwise_sum(defender_terms[DEFENDER_CAPABILITY] * belief)
    p_win = win_probability(own, opposing, c[DECISIVENESS])
    cohesion_factor = np.ones(defenders.shape[0])   # 1.0: a package threatened by no alliance
    for i in range(defenders.shape[0]):
        if package_alliance[i] >= 0:
            cohesion_factor[i] = cohesion[package_alliance[i]]
    credibility = sanction_credibility(belief, defender_terms[DEFENDER_EXPOSURE], c[BOOMERANG], cohesion_factor)
    sanctions = expected_sanctions(credibility, defender_terms[SANCTIONS_COST])
    commitment_cost = audience_cost(commitment[challenger], commitment_age[challenger],
                                    audience_sensitivity[challenger], c[GROWTH_DAYS])
    value = c[VALUE]
    return (p_win, value, c[WAR_COST], sanctions, window_value(p_win, value, c[WINDOW_RATE], c[WINDOW_WEIGHT]),
            c[PREVENTIVE], pairwise_sum(belief * defender_terms[DEFENDER_WEIGHT]), c[TALKS_OPEN], rung[challenger],
            c[UPKEEP_RATE] * mobilised_days, c[BACKDOWN_COST] * 2.0 * commitment_cost, c[DEAL],
            0.15 * sanctions + 0.02, c[EFFICACY])


@njit(cache=True)
def challenger_choice(draw, *situation_args):
    """The challenger's day: (p_win, expected sanctions, U(attack), U(hold), the chosen action's index),
    given a uniform ``draw`` and ``challenger_situation``'s arguments."""
    (p_win, value, war_cost, sanctions, window, preventive, believed, talks_open, rung, upkeep, backdown, deal,
     escalation_risk, efficacy) = challenger_situation(*situation_args)
    c = situation_args[3]   # the situation's coefficients
    u = utility_vector(p_win, value, war_cost, sanctions, window, preventive, believed, talks_open, rung, upkeep,
                       backdown, deal, escalation_risk, efficacy, c[INERTIA])
    return p_win, sanctions, u[ATTACK], u[HOLD], logit_choice(u, c[TEMPERATURE], draw)


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
def full_cohesion(members, leaders, trust, entrapment, capability, intention, challenger, weights, alliances):
    """Every alliance's components and cohesion from its members (``model/cohesion.py``), in place in the
    alliances' rows, with the members' mean trust gap to its baseline and mean fear, which
    ``carry_cohesion`` carries on."""
    trust_now = trust_level(members, trust_in_centre(members, leaders, trust))
    alliances[FEAR] = mean_fear(members, entrapment)
    alliances[TRUST_GAP] = trust_now - alliances[TRUST_BASELINE]
    threat = perceived_threat(capability, intention, challenger)
    alliances[ALIGNMENT] = alike(threat, members)
    cohesion_from_levels(alliances[ALIGNMENT], alliances[BURDEN], trust_now, alliances[FEAR], weights,
                         alliances[ABANDONMENT], alliances[ENTRAPMENT], alliances[COHESION])


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
