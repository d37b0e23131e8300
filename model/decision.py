"""The decision rule: one forward-looking expected-utility rule for every strategic actor (compiled).

**The challenger** weighs, each day, for each of its possible types (resolve low / high x aim limited /
expansive; payoffs in stake units, everything from today on — nothing already spent enters):

    U(war)      = p_win * V - C - E[sanctions] + preventive                 (rung 7, or 8 on a protected target)
    U(limited)  = p_lim * share * V - C * c_lim - E[sanctions] * s_lim       (seize a limited gain, rung 6)
    U(accept)   = o * V * a + relief - A * (1 - o)                            (the deal on the table)
    U(backdown) = -A                                                          (the audience cost of standing down)
    U(hold)     = -flow * L + d^L * E_leader[ g * max(U(accept at y), F) + (1 - g) * F ]
        F = max(U(war later), U(limited later), U(keep a seized gain), U(backdown))
    U(climb s)  = U(hold) in the world after s (posture, commitment, rung) - sunk cost of s
    U(descend)  = U(hold) one rung down - its share of the audience cost (U(backdown) when it stands down)
    U(concede)  = U(hold) with the demands lowered - the audience cost of the step

V = stake x resolve x horizon factor; a = 1 for a limited aim, ``pretext_share`` for an expansive one (the
demands are a pretext: a deal on them is worth little to it); C = war cost x 2 x war aversion; A = the
audience cost of backing down from its standing commitment (Fearon 1994), growing with the time since its
commitments began; flow = mobilisation cost rate x deployed level (a flow, Fearon 1995: no sunk cost); L =
the lookahead. p_win is a Tullock contest between the challenger's deployed force and the target's defence
plus the defenders' expected support; "later" projects the challenger's posture (Richardson, exact) and the
target's path (the commitment problem, Fearon 1995: zero when no shift is projected). E[sanctions] sums,
over the defenders with a package on the table, the challenger's belief that each carries it out: each
type's follow-through from *its* utility (value of the stake + its audience cost - the boomerang on its own
economy), weighted by the challenger's belief about its type under the credibility rule, and scaled by the
alliance's cohesion for a collective threat (Kross's chain). g is the chance the defenders' leader concedes
what is still negotiable within the lookahead, from the leader's own utility: the war risk it perceives
(the challenger's willingness to fight, under the leader's beliefs) against the stake it would give up and
its audience cost of reversing a public rejection.

**A defender** (or target) weighs sending a signal against doing nothing by what the signal changes in the
challenger's probability of attacking (``attack_probability`` after the signal's material effects), what it
concedes of its stake, its sunk cost, the boomerang of sanctions on its own economy, and the audience cost it
expects to pay if called (only a type that would back down pays it).

**Observers** read a move by Bayes' rule with the likelihood each type of the sender had of making it, from
these same rules (model/beliefs.py).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from model.packing import layout

ACTIONS = ("hold", "descend", "accept", "concede", "limited_war", "war")
HOLD, DESCEND, ACCEPT, CONCEDE, LIMITED, WAR = range(len(ACTIONS))
FIRST_CLIMB = len(ACTIONS)
MAX_CLIMBS = 6
N_ALTERNATIVES = FIRST_CLIMB + MAX_CLIMBS
TYPES = ("low_limited", "low_expansive", "high_limited", "high_expansive")
N_TYPES = 4
"""The challenger's types: index = 2 x resolved + expansive."""

RUN = layout("RUN", (
    "resolve_low", "temperature", "reading", "lookahead", "war_cost", "defence_multiplier", "decisiveness",
    "intervention_share", "alliance_share", "theatre_share", "limited_defence_share", "limited_cost_share",
    "limited_sanctions_share", "sanctions_scale", "audience_scale", "growth_days", "upkeep_rate",
    "signal_cost_scale", "preventive_weight", "pretext_share", "test_value", "test_price", "talks_floor",
    "posture_floor", "credibility_weight", "rule", "claim4", "claim6", "claim7", "claim10", "target_growth",
    "integration", "limited_share", "protected", "protect_alliance", "mobilisation_rate", "concession_step",
    "support_relief", "pretext_discount", "core_negotiable", "posture_impulse", "concede_cost", "escalation_risk"))
"""The run's constants the compiled rules read (``model/crisis.py`` packs them once)."""
DAY = layout("DAY", (
    "day", "challenger", "leader", "rung", "seized", "demand", "mobilised", "offer", "negotiable", "talks",
    "test_open", "pretext", "discount", "leader_belief_high", "leader_audience", "n_climbs", "surge",
    "expected_pretext"))
"""A day's values for one challenger."""
VEC = layout("VEC", (
    "capability", "posture", "commitment", "commitment_start", "package", "package_alliance", "enacted",
    "value_high", "war_cost", "defender_cost", "audience_sensitivity", "resolve_prior", "third_support",
    "held_arms", "entrapment", "stake", "war_aversion", "horizon_years", "aim_prior", "demand"))
"""Rows of ``World.vec``: one value per state (``World``'s named fields are views of these rows)."""
CLIMB = layout("CLIMB", ("cost", "hands_tying", "impulse", "rung", "pretext", "surge"))
"""Columns of a challenger's climb options (one row per signal it could climb with today); ``pretext``: 1 for
formal demands, whose expected rejection gives the challenger a pretext for war; ``surge``: for a move it can
repeat day after day (a build-up), the posture a day it adds while it keeps it up (its forecast assumes it
does, over the lookahead: a plan, not a single step)."""
LEVER = layout("LEVER", ("target_capability", "package", "enacted", "commitment", "posture", "offer",
                         "belief", "target_posture"))
"""What a sender's signal changes in the challenger's situation (a what-if; 'belief' replaces the
challenger's belief about the sender's resolve when >= 0)."""
TERM = layout("TERM", ("p_win", "war_cost", "sanctions", "hope", "window", "audience_cost", "flow_cost",
                       "p_later", "leader_sees_war", "relief", "fight", "peace"))
"""The terms behind a challenger's utilities (the decision log's explanation columns); ``fight`` and ``peace``:
the best it expects from fighting (now or after the lookahead, a full or a limited war) and from not fighting
(backing down, keeping a seized gain, the deal on the table) — what others weigh to predict whether it will
attack."""
N_TERMS = len(TERM)
REPUTATION, CURRENT_CALCULUS, MIX = 0, 1, 2
RULES = {"reputation": REPUTATION, "current_calculus": CURRENT_CALCULUS, "mix": MIX}


@njit(cache=True)
def sigmoid(x: float) -> float:
    """The logistic function, safe at both ends."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@njit(cache=True)
def smooth_step(x: float, temperature: float) -> float:
    """P(an actor prefers an option worth x more than its alternative): a logit at ``temperature``, the
    step function at 0 (ties: one half)."""
    if temperature <= 0:
        return 1.0 if x > 0 else (0.5 if x == 0 else 0.0)
    return sigmoid(x / temperature)


@njit(cache=True)
def win_probability(own: float, opposing: float, decisiveness: float) -> float:
    """Tullock contest success function: own^d / (own^d + opposing^d)."""
    o = max(own, 0.0) ** decisiveness
    d = max(opposing, 0.0) ** decisiveness
    return o / (o + d) if o + d > 0 else 0.5


@njit(cache=True)
def audience_cost(sensitivity: float, commitment: float, age_days: float, scale: float, growth_days: float) -> float:
    """Audience cost of backing down from a public commitment (Fearon 1994): grows with the time since the
    actor's commitments began, saturating at ``scale x sensitivity x commitment``; never lowered by a
    stronger commitment (the age counts from the first one)."""
    if commitment <= 0 or age_days < 0:
        return 0.0
    return scale * sensitivity * commitment * (1.0 - math.exp(-age_days / growth_days))


@njit(cache=True)
def follow_through(value: float, audience: float, cost: float, temperature: float) -> float:
    """The chance a type carries out a threat it made (as others predict it): when the stake it values plus
    the audience cost of not doing so exceed what doing so costs it (the boomerang on its own economy, the
    escalation it risks)."""
    return smooth_step(value + audience - cost, temperature)


@njit(cache=True)
def horizon_factor(horizon_years: float, scale_years: float) -> float:
    """A lasting gain's value to an actor with this horizon: 1 - exp(-h / scale) (claim 9)."""
    return 1.0 - math.exp(-horizon_years / scale_years)


@njit(cache=True)
def effective_belief(belief: float, prior: float, rule: int, weight: float) -> float:
    """The probability an observer acts on that a subject is resolved: its belief updated by past behaviour
    (``reputation``), the prior alone (``current_calculus``: present power and interests enter through the
    follow-through of each type, past behaviour does not), or a weighted mix."""
    if rule == REPUTATION:
        return belief
    if rule == CURRENT_CALCULUS:
        return prior
    return weight * belief + (1.0 - weight) * prior


@njit(cache=True)
def project_posture(phi: np.ndarray, gamma: np.ndarray, own: float, others: float, grievance: float) -> float:
    """The challenger's posture after the lookahead at this grievance (Richardson, exact; within [0, 1])."""
    x = (phi[0, 0] * own + phi[0, 1] * others) + (gamma[0, 0] * grievance)
    return min(max(x, 0.0), 1.0)


@njit(cache=True)
def grievance(rung: float, rate: float) -> float:
    """Richardson's g: a challenger builds up at this rate while it is mobilised (rung 3 and above)."""
    return rate if rung >= 3.0 else 0.0


@njit(cache=True)
def environment(run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting, cohesion,
                phi, gamma, levers, sender, posture_c, out):
    """What does not depend on the challenger's type, written into ``out``: [F_c now, F_c later, target
    defence now, later (shift only), later (shift and support growth), E[sanctions], relief, preventive,
    C now, A, flow, support, C later (with the pretext it expects)]. ``posture_c`` is the challenger's posture
    to evaluate at (a climb's impulse)."""
    c = int(day[DAY.CHALLENGER])
    temp = run[RUN.READING]
    rule = int(run[RUN.RULE])
    protected = run[RUN.PROTECTED] > 0
    share = run[RUN.ALLIANCE_SHARE] if protected else run[RUN.INTERVENTION_SHARE]
    pa = int(run[RUN.PROTECT_ALLIANCE])
    sanctions = 0.0
    relief = 0.0
    support = 0.0
    day_now = day[DAY.DAY]
    for j in defenders:
        is_sender = j == sender
        com = vec[VEC.COMMITMENT, j]
        start = vec[VEC.COMMITMENT_START, j]
        if is_sender and levers[LEVER.COMMITMENT] > com:
            com = levers[LEVER.COMMITMENT]
            if start < 0:
                start = day_now
        age = day_now - start if start >= 0 else -1.0
        a_j = audience_cost(vec[VEC.AUDIENCE_SENSITIVITY, j], com, age, run[RUN.AUDIENCE_SCALE], run[RUN.GROWTH_DAYS])
        v_high = vec[VEC.VALUE_HIGH, j]
        v_low = run[RUN.RESOLVE_LOW] * v_high
        b = belief_row[j]
        if is_sender and levers[LEVER.BELIEF] >= 0:
            b = levers[LEVER.BELIEF]
        q = effective_belief(b, vec[VEC.RESOLVE_PRIOR, j], rule, run[RUN.CREDIBILITY_WEIGHT])
        boom = boomerang[j] if run[RUN.CLAIM6] > 0 else 0.0
        risk = run[RUN.ESCALATION_RISK] * vec[VEC.DEFENDER_COST, j]
        # a type that carries out its threat does so in proportion to how much it values the stake: a resolved
        # type imposes the whole package, one that is not, resolve_low of it
        follow = (q * follow_through(v_high, a_j, boom + risk, temp)
                  + (1 - q) * follow_through(v_low, a_j, boom + risk, temp) * run[RUN.RESOLVE_LOW])
        pkg = vec[VEC.PACKAGE, j] + (levers[LEVER.PACKAGE] if is_sender else 0.0)
        enc = vec[VEC.ENACTED, j] + (levers[LEVER.ENACTED] if is_sender else 0.0)
        pkg = min(pkg, 1.0)
        enc = min(enc, 1.0)
        k = int(vec[VEC.PACKAGE_ALLIANCE, j])
        coh = cohesion[k] if (k >= 0 and run[RUN.CLAIM4] > 0) else 1.0
        sanctions += max(pkg - enc, 0.0) * follow * coh * harm[j] * run[RUN.SANCTIONS_SCALE]
        relief += enc * harm[j] * run[RUN.SANCTIONS_SCALE]
        cost_support = vec[VEC.DEFENDER_COST, j] * share + risk
        aid = (q * follow_through(v_high, a_j, cost_support, temp)
               + (1 - q) * follow_through(v_low, a_j, cost_support, temp) * run[RUN.RESOLVE_LOW])
        if protected and pa >= 0 and run[RUN.CLAIM4] > 0:
            aid *= cohesion[pa]
        post = vec[VEC.POSTURE, j] + (levers[LEVER.POSTURE] if is_sender else 0.0)
        support += aid * vec[VEC.CAPABILITY, j] * share * (0.5 + 0.5 * min(max(post, 0.0), 1.0))
    sanctions *= 1.0 - run[RUN.SUPPORT_RELIEF] * min(max(vec[VEC.THIRD_SUPPORT, c], 0.0), 1.0)
    defence = 0.0
    for t in targets:
        cap = vec[VEC.CAPABILITY, t] + levers[LEVER.TARGET_CAPABILITY] / targets.shape[0]
        post = min(max(vec[VEC.POSTURE, t] + levers[LEVER.TARGET_POSTURE], 0.0), 1.0)
        will = effective_belief(belief_row[t], vec[VEC.RESOLVE_PRIOR, t], rule, run[RUN.CREDIBILITY_WEIGHT])
        will = will + (1.0 - will) * run[RUN.RESOLVE_LOW]   # a target that is not resolved fights at resolve_low
        defence += max(cap, 0.0) * run[RUN.DEFENCE_MULTIPLIER] * (0.5 + 0.5 * post) * will
    years = run[RUN.LOOKAHEAD] / 365.0
    growth = 1.0 + (run[RUN.TARGET_GROWTH] * years if run[RUN.CLAIM10] > 0 else 0.0)
    integration = 1.0 + (run[RUN.INTEGRATION] * years if run[RUN.CLAIM10] > 0 else 0.0)
    floor = run[RUN.POSTURE_FLOOR]
    others = 0.0
    for j in defenders:
        others += vec[VEC.POSTURE, j]
    others = others / defenders.shape[0] if defenders.shape[0] else 0.0
    later = project_posture(phi, gamma, posture_c, others,
                            grievance(day[DAY.RUNG], run[RUN.MOBILISATION_RATE]) + day[DAY.SURGE])
    force_now = 0.0
    force_later = 0.0
    for m in fighting:
        own = posture_c if m == c else vec[VEC.POSTURE, m]
        own_later = later if m == c else own
        force_now += vec[VEC.CAPABILITY, m] * run[RUN.THEATRE_SHARE] * max(own, floor)
        force_later += vec[VEC.CAPABILITY, m] * run[RUN.THEATRE_SHARE] * max(own_later, floor)
    threat = 0.0
    weight = 0.0
    for j in defenders:
        threat += vec[VEC.CAPABILITY, j] * intention_row[j]
        weight += vec[VEC.CAPABILITY, j]
    preventive = run[RUN.PREVENTIVE_WEIGHT] * threat / weight if (weight > 0 and run[RUN.CLAIM7] > 0) else 0.0
    com = vec[VEC.COMMITMENT, c]
    start = vec[VEC.COMMITMENT_START, c]
    out[0] = force_now
    out[1] = force_later
    out[2] = defence + support
    out[3] = defence * growth + support
    out[4] = defence * growth + support * integration
    out[5] = sanctions
    out[6] = relief
    out[7] = preventive
    out[8] = vec[VEC.WAR_COST, c] * (1.0 - run[RUN.PRETEXT_DISCOUNT] * min(day[DAY.PRETEXT], 1.0))
    expected = max(day[DAY.PRETEXT], day[DAY.EXPECTED_PRETEXT])   # demands it expects to see rejected
    out[12] = vec[VEC.WAR_COST, c] * (1.0 - run[RUN.PRETEXT_DISCOUNT] * min(expected, 1.0))
    out[9] = audience_cost(vec[VEC.AUDIENCE_SENSITIVITY, c], com, day_now - start if start >= 0 else -1.0,
                           run[RUN.AUDIENCE_SCALE], run[RUN.GROWTH_DAYS])
    out[10] = run[RUN.UPKEEP_RATE] * posture_c * run[RUN.LOOKAHEAD]
    out[11] = support


@njit(cache=True)
def _deal(offer, value, aim_factor, relief, audience, keep):
    """The challenger's utility of a deal meeting ``offer`` of its demands."""
    o = min(max(offer, 0.0), 1.0)
    return o * value * aim_factor + relief - audience * (1.0 - o) + keep


@njit(cache=True)
def _state_values(run, env, value, audience_later, seized):
    """(U war now, U war later, U limited now, U limited later, U keep, U backdown later, p now, p later) for
    one type in the environment ``env``."""
    decisiveness = run[RUN.DECISIVENESS]
    p_now = win_probability(env[0], env[2], decisiveness)
    p_later = win_probability(env[1], env[4], decisiveness)
    war_cost = env[8]
    sanctions = env[5]
    u_war = p_now * value - war_cost - sanctions + env[7]
    u_war_later = p_later * value - env[12] - sanctions + env[7]
    share = run[RUN.LIMITED_SHARE]
    keep = share * value if seized else 0.0
    u_lim = -np.inf
    u_lim_later = -np.inf
    if share > 0 and not seized:
        ld = run[RUN.LIMITED_DEFENCE_SHARE]
        lim_sanctions = sanctions * run[RUN.LIMITED_SANCTIONS_SHARE]
        u_lim = (win_probability(env[0], env[2] * ld, decisiveness) * share * value
                 - war_cost * run[RUN.LIMITED_COST_SHARE] - lim_sanctions)
        u_lim_later = (win_probability(env[1], env[4] * ld, decisiveness) * share * value
                       - env[12] * run[RUN.LIMITED_COST_SHARE] - lim_sanctions)
    return u_war, u_war_later, u_lim, u_lim_later, keep, -audience_later, p_now, p_later


@njit(cache=True)
def leader_sees_war(run, day, env, vec, audience_later, seized):
    """How likely the defenders' leader thinks the challenger is to fight rather than stand down: over the
    challenger's resolve types, under the leader's belief, each type's preference for war (or a limited war)
    over backing down (or keeping a seized gain)."""
    p_high = day[DAY.LEADER_BELIEF_HIGH]
    c = int(day[DAY.CHALLENGER])
    total = 0.0
    for resolved in range(2):
        value = vec[VEC.VALUE_HIGH, c] * (1.0 if resolved else run[RUN.RESOLVE_LOW])
        u_war, _, u_lim, _, keep, u_back, _, _ = _state_values(run, env, value, audience_later, seized)
        total += (p_high if resolved else 1.0 - p_high) * smooth_step(max(u_war, u_lim) - max(u_back, keep),
                                                                       run[RUN.READING])
    return total


@njit(cache=True)
def _hold_value(run, day, env, vec, value, aim_factor, audience_now, audience_later, demand, seized, offer,
                belief_leader, sees_war):
    """(U(hold), its hope term) for one type in the environment ``env`` (see the module docstring)."""
    _u_war, u_war_later, _u_lim, u_lim_later, keep, u_back, p_now, _p_later = _state_values(
        run, env, value, audience_later, seized)
    relief = env[6]
    fallback = max(max(u_war_later, u_lim_later), max(keep, u_back))
    if offer > 0:
        fallback = max(fallback, _deal(offer, value, aim_factor, relief, audience_later, keep))
    if day[DAY.TEST_OPEN] > 0:
        fallback = max(fallback, _deal(offer + run[RUN.TEST_VALUE], value, aim_factor, relief, audience_later, keep)
                       - run[RUN.TEST_PRICE])
    leader = int(day[DAY.LEADER])
    hope = 0.0
    expected = fallback
    gap = max(min(demand, day[DAY.NEGOTIABLE]) - offer, 0.0)
    if leader >= 0 and gap > 0:
        talks = run[RUN.TALKS_FLOOR] + (1.0 - run[RUN.TALKS_FLOOR]) * day[DAY.TALKS]
        v_high = vec[VEC.VALUE_HIGH, leader]
        c_leader = vec[VEC.DEFENDER_COST, leader]
        deal_then = max(_deal(offer + gap, value, aim_factor, relief, audience_later, keep), fallback)
        expected = 0.0
        for resolved in range(2):
            v_leader = v_high * (1.0 if resolved else run[RUN.RESOLVE_LOW])
            gain = sees_war * (c_leader + v_leader * p_now) - v_leader * gap - day[DAY.LEADER_AUDIENCE]
            g = smooth_step(gain, run[RUN.READING]) * talks
            q = belief_leader if resolved else 1.0 - belief_leader
            expected += q * (g * deal_then + (1.0 - g) * fallback)
            hope += q * g * (deal_then - fallback)
    return -env[10] + day[DAY.DISCOUNT] * expected, hope


ENV_SIZE = 13


@njit(cache=True)
def _variant(run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting, cohesion, phi,
             gamma, levers, sender, posture, commitment, rung, seized, pretext, surge, env):
    """A world the challenger could be in after an alternative (its posture, commitment and rung): fills
    ``env`` and returns (audience cost now, audience cost after the lookahead, the leader's reading of its
    willingness to fight)."""
    d = day.copy()
    d[DAY.RUNG] = rung
    d[DAY.PRETEXT] = max(d[DAY.PRETEXT], pretext)
    d[DAY.SURGE] = surge
    environment(run, d, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting, cohesion, phi,
                gamma, levers, sender, posture, env)
    now, later = _audiences(run, day, vec, commitment)
    return now, later, leader_sees_war(run, d, env, vec, later, seized)


@njit(cache=True)
def _audiences(run, day, vec, commitment):
    """The challenger's audience cost of backing down now and after the lookahead, at this commitment."""
    c = int(day[DAY.CHALLENGER])
    start = vec[VEC.COMMITMENT_START, c]
    age = day[DAY.DAY] - start if start >= 0 else 0.0
    sens = vec[VEC.AUDIENCE_SENSITIVITY, c]
    now = audience_cost(sens, commitment, age, run[RUN.AUDIENCE_SCALE], run[RUN.GROWTH_DAYS])
    later = audience_cost(sens, commitment, age + run[RUN.LOOKAHEAD], run[RUN.AUDIENCE_SCALE], run[RUN.GROWTH_DAYS])
    return now, later


@njit(cache=True)
def _accept_value(run, day, env, value, aim_factor, audience, keep, offer):
    """U(accept): the deal on the table, or the wider bargain of counter-demands (-inf when nothing is)."""
    out = -np.inf
    if offer > 0:
        out = _deal(offer, value, aim_factor, env[6], audience, keep)
    if day[DAY.TEST_OPEN] > 0:
        out = max(out, _deal(offer + run[RUN.TEST_VALUE], value, aim_factor, env[6], audience, keep)
                  - run[RUN.TEST_PRICE])
    return out


@njit(cache=True)
def _fight_and_peace(run, day, env, value, aim_factor, now, later, seized, offer):
    """(best of fighting, best of not fighting, p_win now) for one type (``TERM.FIGHT``, ``TERM.PEACE``)."""
    u_war, u_war_later, u_lim, u_lim_later, keep, u_back_later, p_now, _ = _state_values(run, env, value, later,
                                                                                         seized)
    fight = max(max(u_war, u_war_later), max(u_lim, u_lim_later))
    peace = max(max(-now, u_back_later), max(keep, _accept_value(run, day, env, value, aim_factor, now, keep, offer)))
    return fight, peace, p_now


@njit(cache=True)
def attack_terms(run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting, cohesion,
                 phi, gamma, levers, sender):
    """``challenger_utilities``' terms ``P_WIN``, ``FIGHT`` and ``PEACE`` alone (the rest zero), in the world after
    a what-if: what ``attack_probability`` needs, without the hold and climb values (a fraction of the cost)."""
    c = int(day[DAY.CHALLENGER])
    offer = min(day[DAY.OFFER] + levers[LEVER.OFFER], 1.0)
    d = day.copy()
    d[DAY.OFFER] = offer
    env = np.empty(ENV_SIZE)
    environment(run, d, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting, cohesion, phi,
                gamma, levers, sender, vec[VEC.POSTURE, c], env)
    now, later = _audiences(run, d, vec, vec[VEC.COMMITMENT, c])
    seized = d[DAY.SEIZED] > 0
    terms = np.zeros((N_TYPES, N_TERMS))
    for t in range(N_TYPES):
        value = vec[VEC.VALUE_HIGH, c] * (1.0 if t >= 2 else run[RUN.RESOLVE_LOW])
        aim_factor = run[RUN.PRETEXT_SHARE] if t % 2 == 1 else 1.0
        fight, peace, p_now = _fight_and_peace(run, d, env, value, aim_factor, now, later, seized, offer)
        terms[t, TERM.FIGHT] = fight
        terms[t, TERM.PEACE] = peace
        terms[t, TERM.P_WIN] = p_now
    return terms


@njit(cache=True)
def challenger_utilities(run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting,
                         cohesion, phi, gamma, climbs, levers, sender, belief_leader):
    """The challenger's utilities for every type (rows, ``TYPES``) and alternative (columns: ``ACTIONS`` then
    its climb options, -inf where not available), and the terms behind them (rows per type, ``TERM``).

    ``levers`` / ``sender``: a what-if, the world after a sender's signal (``LEVER``; sender -1: none).
    ``belief_leader``: the challenger's belief (under the credibility rule) that the leader is resolved.
    """
    c = int(day[DAY.CHALLENGER])
    rung = day[DAY.RUNG]
    seized = day[DAY.SEIZED] > 0
    demand = day[DAY.DEMAND]
    offer = min(day[DAY.OFFER] + levers[LEVER.OFFER], 1.0)
    day = day.copy()
    day[DAY.OFFER] = offer
    posture = vec[VEC.POSTURE, c]
    commitment = vec[VEC.COMMITMENT, c]
    impulse = run[RUN.POSTURE_IMPULSE]
    # the worlds each alternative leads to (computed once, used for every type)
    n_climbs = int(day[DAY.N_CLIMBS])
    envs = np.empty((2 + n_climbs, ENV_SIZE))
    now = np.empty(2 + n_climbs)
    later = np.empty(2 + n_climbs)
    sees = np.empty(2 + n_climbs)
    rungs = np.empty(2 + n_climbs)
    rungs[0] = rung
    now[0], later[0], sees[0] = _variant(run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets,
                                         fighting, cohesion, phi, gamma, levers, sender, posture, commitment, rung,
                                         seized, 0.0, 0.0, envs[0])
    rungs[1] = max(rung - 1.0, 0.0)
    now[1], later[1], sees[1] = _variant(run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets,
                                         fighting, cohesion, phi, gamma, levers, sender, max(posture - impulse, 0.0),
                                         commitment, rungs[1], seized, 0.0, 0.0, envs[1])
    for s in range(n_climbs):
        v = 2 + s
        rungs[v] = max(rung, climbs[s, CLIMB.RUNG])
        now[v], later[v], sees[v] = _variant(
            run, day, vec, harm, boomerang, belief_row, intention_row, defenders, targets, fighting, cohesion, phi,
            gamma, levers, sender, min(posture + impulse * climbs[s, CLIMB.IMPULSE], 1.0),
            max(commitment, climbs[s, CLIMB.HANDS_TYING]), rungs[v], seized, climbs[s, CLIMB.PRETEXT],
            climbs[s, CLIMB.SURGE], envs[v])
    u = np.full((N_TYPES, N_ALTERNATIVES), -np.inf)
    terms = np.zeros((N_TYPES, N_TERMS))
    stands_down = day[DAY.MOBILISED] > 0 and rungs[1] <= 1.0
    step = run[RUN.CONCESSION_STEP]
    env = envs[0]
    d = day.copy()
    for t in range(N_TYPES):
        resolved = t >= 2
        expansive = t % 2 == 1
        value = vec[VEC.VALUE_HIGH, c] * (1.0 if resolved else run[RUN.RESOLVE_LOW])
        aim_factor = run[RUN.PRETEXT_SHARE] if expansive else 1.0
        u_war, _, u_lim, _, keep, _, p_now, p_later = _state_values(run, env, value, later[0], seized)
        hold, hope = _hold_value(run, day, env, vec, value, aim_factor, now[0], later[0], demand, seized, offer,
                                 belief_leader, sees[0])
        u[t, HOLD] = hold
        u[t, WAR] = u_war
        u[t, LIMITED] = u_lim
        u[t, ACCEPT] = _accept_value(run, day, env, value, aim_factor, now[0], keep, offer)
        if rung > 0:
            if stands_down:
                u[t, DESCEND] = -now[0]
            else:
                d[DAY.RUNG] = rungs[1]
                h, _ = _hold_value(run, d, envs[1], vec, value, aim_factor, now[1], later[1], demand, seized, offer,
                                   belief_leader, sees[1])
                u[t, DESCEND] = h - now[0] / max(rung, 1.0)
        if demand > step + 1e-9 and day[DAY.LEADER] >= 0:
            h, _ = _hold_value(run, day, env, vec, value, aim_factor, now[0], later[0], demand - step, seized, offer,
                               belief_leader, sees[0])
            u[t, CONCEDE] = h - now[0] * step - run[RUN.SIGNAL_COST_SCALE] * run[RUN.CONCEDE_COST]
        for s in range(n_climbs):
            v = 2 + s
            d[DAY.RUNG] = rungs[v]
            h, _ = _hold_value(run, d, envs[v], vec, value, aim_factor, now[v], later[v], demand, seized, offer,
                               belief_leader, sees[v])
            u[t, FIRST_CLIMB + s] = h - run[RUN.SIGNAL_COST_SCALE] * climbs[s, CLIMB.COST]
        p_shift_only = win_probability(env[0], env[3], run[RUN.DECISIVENESS])
        row = terms[t]
        row[TERM.P_WIN] = p_now
        row[TERM.WAR_COST] = env[8]
        row[TERM.SANCTIONS] = env[5]
        row[TERM.HOPE] = hope
        row[TERM.WINDOW] = (p_now - p_shift_only) * value
        row[TERM.AUDIENCE_COST] = now[0]
        row[TERM.FLOW_COST] = env[10]
        row[TERM.P_LATER] = p_later
        row[TERM.LEADER_SEES_WAR] = sees[0]
        row[TERM.RELIEF] = env[6]
        row[TERM.FIGHT], row[TERM.PEACE], _ = _fight_and_peace(run, day, env, value, aim_factor, now[0], later[0],
                                                              seized, offer)
    return u, terms


@njit(cache=True)
def choice_probabilities(u: np.ndarray, temperature: float) -> np.ndarray:
    """Quantal (logit) choice probabilities over the finite entries of ``u``; temperature 0 is the argmax
    (ties to the first)."""
    top, best = -np.inf, -1
    for i in range(u.shape[0]):
        if math.isfinite(u[i]) and (best < 0 or u[i] > top):
            top, best = u[i], i
    p = np.zeros(u.shape[0])
    if best < 0:
        return p
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


@njit(cache=True)
def choose(u: np.ndarray, temperature: float, draw: float) -> int:
    """The alternative a uniform ``draw`` in [0, 1) picks: the first whose cumulative probability exceeds it."""
    p = choice_probabilities(u, temperature)
    cumulative = 0.0
    last = -1
    for i in range(p.shape[0]):
        if p[i] > 0:
            last = i
        cumulative += p[i]
        if cumulative > draw:
            return i
    return last


@njit(cache=True)
def type_choice_probabilities(u: np.ndarray, temperature: float) -> np.ndarray:
    """Each type's choice probabilities (rows of ``u``)."""
    out = np.zeros(u.shape)
    for t in range(u.shape[0]):
        out[t] = choice_probabilities(u[t], temperature)
    return out


@njit(cache=True)
def read_probabilities(u: np.ndarray, temperature: float, tremble: float) -> np.ndarray:
    """Each type's choice probabilities as an observer reads them: the types' quantal choices at the
    observer's ``temperature``, mixed with a ``tremble`` spread evenly over the available moves (a move may
    have reasons the observer's model of the sender does not hold, so no move is read as impossible)."""
    out = type_choice_probabilities(u, temperature)
    for t in range(u.shape[0]):
        available = 0
        for i in range(u.shape[1]):
            if math.isfinite(u[t, i]):
                available += 1
        for i in range(u.shape[1]):
            if math.isfinite(u[t, i]):
                out[t, i] = (1.0 - tremble) * out[t, i] + tremble / available
    return out


@njit(cache=True)
def attack_probability(terms: np.ndarray, temperature: float, p_resolved: float, p_expansive: float) -> float:
    """The chance the challenger will attack (now or once it is readier; a full or a limited war) rather than
    settle for the best it can have without fighting, for an observer who believes it is resolved with
    ``p_resolved`` and expansive with ``p_expansive`` (``terms``: ``challenger_utilities``' second result)."""
    total = 0.0
    for t in range(terms.shape[0]):
        w = (p_resolved if t >= 2 else 1.0 - p_resolved) * (p_expansive if t % 2 == 1 else 1.0 - p_expansive)
        total += w * smooth_step(terms[t, TERM.FIGHT] - terms[t, TERM.PEACE], temperature)
    return total


@njit(cache=True)
def defender_signal_gain(attack_before, attack_after, value_high, resolve_low, defender_cost, p_win, concedes,
                         sunk_cost, hands_tying, audience_sensitivity, audience_scale, boomerang_cost, follow_high,
                         follow_low, out):
    """A defender's utility of sending a signal rather than nothing, for its low (``out[0]``) and high
    (``out[1]``) type: the change in the challenger's chance of attacking times what an attack costs it (its
    war cost and, with the chance the challenger wins, its stake), minus what the signal concedes of its
    stake, its sunk cost, the boomerang of sanctions on its own economy, and the audience cost it expects to
    pay if called and it backs down (``follow_*``: each type's chance of following through)."""
    for t in range(2):
        v = value_high * (1.0 if t == 1 else resolve_low)
        follow = follow_high if t == 1 else follow_low
        loss = defender_cost + v * p_win
        out[t] = ((attack_before - attack_after) * loss - v * concedes - sunk_cost - boomerang_cost
                  - hands_tying * audience_scale * audience_sensitivity * (1.0 - follow) * attack_after)
