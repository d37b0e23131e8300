"""How a signal changes the world: one function per channel (see ``agents/signals.py`` for which
signal acts on which channel and how strongly).

Each channel function changes the arrays in place and returns *effects*: (template, values) pairs the
event log formats into words only when someone reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numba import njit

from agents.signals import Signal
from model.beliefs import (
    RULES,
    believed_resolve_of,
    beta_mean,
    calculus_of,
    effective_resolve,
    signal_weight,
    tie_hands,
    update_resolve,
)
from model.numerics import clip01, mean, pairwise_sum
from model.parameters import Parameters
from model.world import World

Effect = tuple[str, tuple]
DEFENSIVE = ("flank_reinforcement", "weapons_delivery")
_NOBODY = np.zeros(0, dtype=np.int64)
_ONE = np.ones(1)


@dataclass
class Delivery:
    """A signal resolved against the world: who sends it, who receives it, who perceives it."""

    signal: Signal
    senders: np.ndarray      # state indices speaking (members, for an alliance)
    alliance: int            # alliance index if collective, else -1
    addressees: np.ndarray
    observers: np.ndarray
    strength: float          # collective signals are scaled by cohesion

    @cached_property
    def sender_list(self) -> list[int]:
        return self.senders.tolist()


def believed_resolve(w: World, p: Parameters, observer: int | slice = slice(None)) -> np.ndarray:
    """The resolve each observer believes each subject has, under the chosen credibility rule."""
    rep = beta_mean(w.belief_a[observer], w.belief_b[observer])
    if p.credibility_rule == "reputation":  # the calculus plays no part: do not compute it
        return rep
    return effective_resolve(rep, calculus_vector(w, p), p.credibility_rule, p.credibility_weight)


def calculus_vector(w: World, p: Parameters) -> np.ndarray:
    """Press's current-calculus credibility of every state: theatre power balance x interests."""
    return calculus_of(w.all_states, w.capability, w.posture, w.stake, w.commitment, w.commitment_age,
                       w.audience_sensitivity, w.challenger, p.theatre_share, p.audience_growth_days,
                       p.calculus_interest_weight)


# ----------------------------------------------------------------------------- channels

def resolve_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    obs = d.observers
    if sig.direction == 0 or obs.size == 0 or p.complete_information:
        return []
    probe = w.leader if w.challenger in d.sender_list else w.challenger
    gain = signal_weight(sig.cost, sig.hands_tying, p.cheap_talk_weight, p.costly_weight) * weight * d.strength
    noise = np.maximum(0.0, 1.0 + p.perception_noise * rng.standard_normal(obs.size)) if p.perception_noise else _ONE
    third, framed = _NOBODY, 0
    readouts = sig.payload.get("readouts")
    if readouts and sig.visibility == "private":
        # the addressees perceive the call as it was; third parties only through the sides' readouts
        framed = int(np.sign(sum(1 if v == "firm" else -1 for v in readouts.values())))
        third = w.minus(slice(None), d.addressees, d.senders)
    before, after = observe_resolve(
        w.belief_a, w.belief_b, w.commitment, w.commitment_age, d.senders, obs, gain, noise, sig.direction, third,
        framed, sig.hands_tying if sig.visibility == "public" else 0.0, probe, RULES[p.credibility_rule],
        p.credibility_weight, w.capability, w.posture, w.stake, w.audience_sensitivity, w.challenger,
        p.theatre_share, p.audience_growth_days, p.calculus_interest_weight)
    who = w.iso[probe]
    return [("{}'s estimate of {} resolve {:.2f} → {:.2f} ({} rule)",
             (who, _name(w, d), before, after, p.credibility_rule.replace("_", " ")))]


def trust_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    leader = d.senders if d.alliance < 0 else (
        np.array([w.alliance_leader[d.alliance]]) if w.alliance_leader[d.alliance] >= 0 else d.senders)
    delta = np.zeros(w.n)
    kind = sig.kind
    if kind in ("talks_offer", "talks_round"):
        about = w.expand(sig.payload.get("about", []))
        parts = w.expand(sig.payload.get("participants", []))
        excluded = w.minus(about, parts, leader)
        included = w.common(about, parts)
        delta[excluded] -= p.exclusion_trust_loss * weight
        delta[included] += p.inclusion_trust_gain * weight
    elif kind == "consultation":
        delta[d.addressees] += 2 * p.inclusion_trust_gain * weight
    elif kind == "weapons_delay":
        hurt = w.with_named(d.addressees)
        delta[hurt] -= p.delay_trust_loss * weight
    elif kind in ("weapons_delivery", "flank_reinforcement"):
        helped = w.with_named(d.addressees) if kind == "flank_reinforcement" else d.addressees
        delta[helped] += p.reinforcement_trust_gain * weight
    elif kind == "public_rejection":
        delta[w.named] += p.rejection_trust_gain * weight
    elif kind == "ambiguous_response":
        delta[w.named] -= p.ambiguity_trust_loss * weight
    elif kind == "counter_demands":
        delta[(w.side == 1) | (w.side == 4)] += 2 * p.inclusion_trust_gain * weight
        delta[w.named] += p.inclusion_trust_gain * weight
    hit, before, after = shift_trust(w.trust, delta, leader)
    if hit.size == 0:
        return []
    group = _group_label(w, hit)
    return [("{} trust in {} {:.2f} → {:.2f}", (group, "/".join(w.iso[i] for i in leader), before, after))]


def threat_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    ch = w.challenger
    step = 0.04 * weight * (1 + sig.spec.rung) / 3.0
    if sig.kind == "incident":
        w.intention[d.addressees[:, None], d.senders] += step
        w.intention[d.senders[:, None], d.addressees] += step
        clip01(w.intention, out=w.intention)
        return []
    if sig.kind in DEFENSIVE:
        # the security dilemma: only the challenger side reads defensive moves as threats
        obs = np.flatnonzero(w.side == 0)
        step *= p.security_dilemma
        if step == 0:
            return []
    else:
        obs = w.minus(d.observers, d.senders)
    named = w.named_states if sig.kind == "ultimatum" else _NOBODY
    before, after = shift_intention(w.intention, obs, d.senders, step if sig.direction >= 0 else -step, named, ch,
                                    p.ultimatum_threat_gain * weight)
    if obs.size == 0:
        return []
    who = "RUS-side" if sig.kind in DEFENSIVE else "observers'"
    out = [("{} reading of {} hostile intent {:.2f} → {:.2f}", (who, _name(w, d), before, after))]
    if sig.kind == "ultimatum" and w.named.any():
        out.append(("named states' threat perception of {} {:.2f}", (w.iso[ch], mean(threat_of_challenger(w)[w.named]))))
    return out


def capability_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    rec = d.addressees[w.side[d.addressees] == 1] if d.addressees.size else d.addressees
    if rec.size == 0:
        rec = d.addressees
    amount = float(sig.payload.get("amount", 0.01)) * weight
    before = mean(w.capability[rec]) if rec.size else 0.0
    if sig.kind == "weapons_delay":
        w.held_arms[rec] += amount
        return [("{:.3f} capability held back from {}", (amount, _group_label(w, rec)))]
    released = w.held_arms[rec].copy() if sig.payload.get("release_held", True) else 0.0
    w.capability[rec] += amount + released
    if sig.payload.get("release_held", True):
        w.held_arms[rec] = 0.0
    return [("{} capability {:.3f} → {:.3f}", (_group_label(w, rec), before, mean(w.capability[rec])))]


def posture_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    scale = float(sig.payload.get("scale", 1.0))
    delta = p.posture_impulse * weight * scale * (1 if sig.direction >= 0 else -1)
    before, after = shift_clipped(w.posture, d.senders, np.full(w.n, delta))
    return [("{} deployed posture {:.2f} → {:.2f}", (_name(w, d), before, after))]


def entrapment_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    if sig.kind == "ultimatum":
        others = w.allied_defenders_not_named
        gain = p.ultimatum_entrapment_gain * weight * (0.3 + w.exposure)
    else:  # sanctions: fear of the boomerang among exposed allies
        others = w.allied_defenders
        gain = 0.15 * weight * w.exposure * p.boomerang_sensitivity
    if not others.size:
        return []
    before, after = shift_clipped(w.entrapment, others, gain)
    return [("other allies' entrapment / economic fear {:.2f} → {:.2f}", (before, after))]


def alignment_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    ch = w.challenger
    allied = w.allied_defenders
    if allied.size == 0:
        return []
    col = w.intention[allied, ch]
    before = float(np.std(threat_of_challenger(w)[allied]))
    w.intention[allied, ch] = col + 0.5 * weight * (col.max() - col)
    after = float(np.std(threat_of_challenger(w)[allied]))
    return [("spread of allies' threat perceptions {:.3f} → {:.3f}", (before, after))]


def sanctions_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    s = d.senders
    w.package[s] = np.maximum(w.package[s], weight)
    if d.alliance >= 0:
        w.package_alliance[s] = d.alliance
    if sig.kind == "sanctions_imposed":
        w.enacted[s] = np.maximum(w.enacted[s], 0.3 * weight)
        pain = mean(w.exposure[s] * p.boomerang_sensitivity)
        return [("sanctions enacted; boomerang on {} ≈ {:.2f} of its exposure", (_name(w, d), pain))]
    return [("sanctions package of {} on the table", (_name(w, d),))]


def deal_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    before = w.talks_open
    if sig.kind == "ultimatum":
        w.demands_on_table = True
        w.talks_open = max(w.talks_open, 0.5)
    elif sig.kind in ("talks_offer", "talks_round"):
        w.talks_open = min(1.0, w.talks_open + p.talks_gain * weight)
    elif sig.kind == "public_rejection":
        w.talks_open *= 1.0 - p.rejection_hope_loss * weight
    elif sig.kind == "counter_demands":
        w.counter_demands = min(1.0, w.counter_demands + 0.5 * weight)
        w.talks_open *= 0.9
    elif sig.kind == "concession":
        item = sig.payload.get("item", "")
        if item == "core":
            w.core_offered = float(sig.payload.get("value", p.core_value))
        else:
            w.items_offered.add(item)
        return [("deal on the table now worth {:.2f}", (deal_value(w, p),))]
    elif sig.kind == "deal_accepted":
        return []
    if w.talks_open == before:
        return []
    return [("talks open {:.2f} → {:.2f}", (before, w.talks_open))]


def accident_channel(w, d: Delivery, weight, p: Parameters, rng) -> list[Effect]:
    sig = d.signal
    item = sig.payload.get("item", "")
    if item == "military_channels" or sig.kind == "talks_round":
        w.channels = min(1.0, w.channels + (1.0 if item else weight))
    if item == "incident_prevention":
        w.prevention = 1.0
    return []


CHANNELS = {
    "resolve": resolve_channel,
    "trust": trust_channel,
    "threat": threat_channel,
    "capability": capability_channel,
    "posture": posture_channel,
    "entrapment": entrapment_channel,
    "alignment": alignment_channel,
    "sanctions": sanctions_channel,
    "deal": deal_channel,
    "accident": accident_channel,
}


def apply_signal(w: World, d: Delivery, p: Parameters, rng: np.random.Generator) -> list[Effect]:
    """Run every channel the signal's kind acts on, in catalogue order; return the effects."""
    effects: list[Effect] = []
    for channel, weight in d.signal.spec.channels.items():
        effects.extend(CHANNELS[channel](w, d, weight, p, rng))
    return effects


# ----------------------------------------------------------------------------- derived quantities

def threat_of_challenger(w: World) -> np.ndarray:
    """Each state's perceived threat from the challenger: capability share x intention (claim 7)."""
    return perceived_threat(w.capability, w.intention, w.challenger)


@njit(cache=True)
def perceived_threat(capability: np.ndarray, intention: np.ndarray, challenger: int) -> np.ndarray:
    """``threat_of_challenger`` from the arrays: the challenger's share of each dyad's capability x the
    intention each state reads in it."""
    cap_share = capability[challenger] / (capability[challenger] + capability)
    return cap_share * intention[:, challenger]


def deal_value(w: World, p: Parameters) -> float:
    """Value to the challenger of what the defenders have put on the table, net of counter-demands."""
    v = p.item_value * len(w.items_offered) + w.core_offered
    return max(0.0, v - p.item_value * w.counter_demands) if v > 0 else 0.0


def _name(w: World, d: Delivery) -> str:
    return d.signal.sender if d.alliance >= 0 or d.senders.size != 1 else w.iso[int(d.senders[0])]


# ----------------------------------------------------------------------------- compiled cores of the channels

@njit(cache=True)
def _block_mean(m: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> float:
    """``m[rows][:, cols].mean()`` (NumPy's summation order)."""
    block = np.empty(rows.shape[0] * cols.shape[0])
    k = 0
    for i in rows:
        for j in cols:
            block[k] = m[i, j]
            k += 1
    return pairwise_sum(block) / block.shape[0]


@njit(cache=True)
def observe_resolve(belief_a, belief_b, commitment, commitment_age, senders, observers, gain, noise, direction, third,
                    framed, hands_tying, probe, rule, credibility_weight, capability, posture, stake,
                    audience_sensitivity, challenger, theatre_share, growth_days, interest_weight):
    """A signal read by its observers (``model/beliefs.py``), in place: third parties first update on the
    sides' ``framed`` readouts (half the gain; no ``third`` parties for a public signal), then every observer
    but the senders adds ``gain`` x its ``noise`` (one draw per observer, or a single 1.0) pseudo-counts in
    the signal's direction; a public signal ties the senders' hands (``hands_tying`` > 0). Returns the
    ``probe``'s mean believed resolve of the senders before and after."""
    def believed():
        return pairwise_sum(believed_resolve_of(
            belief_a, belief_b, probe, senders, rule, credibility_weight, capability, posture, stake, commitment,
            commitment_age, audience_sensitivity, challenger, theatre_share, growth_days, interest_weight)
        ) / senders.shape[0]

    before = believed()
    n = belief_a.shape[0]
    if third.shape[0]:
        third_gain = np.zeros(n)
        for i in third:
            third_gain[i] = 0.5 * gain
        update_resolve(belief_a, belief_b, senders, framed, third_gain)
    increments = np.zeros(n)
    for k in range(observers.shape[0]):
        increments[observers[k]] = gain * noise[k if noise.shape[0] > 1 else 0]
    for j in senders:
        increments[j] = 0.0  # a sender does not learn about itself
    update_resolve(belief_a, belief_b, senders, direction, increments)
    if hands_tying > 0:
        tie_hands(commitment, commitment_age, senders, hands_tying)
    return before, believed()


@njit(cache=True)
def shift_clipped(x: np.ndarray, idx: np.ndarray, delta: np.ndarray):
    """``x[idx]`` moved by ``delta[idx]`` within [0, 1], in place; returns their mean before and after."""
    before = pairwise_sum(x[idx]) / idx.shape[0]
    for i in idx:
        x[i] = min(max(x[i] + delta[i], 0.0), 1.0)
    return before, pairwise_sum(x[idx]) / idx.shape[0]


@njit(cache=True)
def shift_trust(trust: np.ndarray, delta: np.ndarray, leaders: np.ndarray):
    """Each state's trust in the ``leaders`` moves by ``delta`` (a leader's own by nothing), within [0, 1].
    Returns the states moved and their mean trust in the leaders before and after."""
    for j in leaders:
        delta[j] = 0.0
    hit = np.flatnonzero(delta)
    if hit.shape[0] == 0:
        return hit, 0.0, 0.0
    before = _block_mean(trust, hit, leaders)
    for i in hit:
        for j in leaders:
            trust[i, j] = min(max(trust[i, j] + delta[i], 0.0), 1.0)
    return hit, before, _block_mean(trust, hit, leaders)


@njit(cache=True)
def shift_intention(intention: np.ndarray, readers: np.ndarray, senders: np.ndarray, step: float, named: np.ndarray,
                    challenger: int, named_gain: float):
    """The ``readers``' estimate of the senders' hostile intention moves by ``step``; the ``named`` states'
    estimate of the challenger's by ``named_gain`` (an ultimatum); every estimate stays within [0, 1].
    Returns the readers' mean estimate of the senders' intention before and after (0 without readers)."""
    before = _block_mean(intention, readers, senders) if readers.shape[0] else 0.0
    for i in readers:
        for j in senders:
            intention[i, j] += step
    for i in named:
        intention[i, challenger] += named_gain
    flat = intention.reshape(-1)
    for k in range(flat.shape[0]):
        flat[k] = min(max(flat[k], 0.0), 1.0)
    return before, _block_mean(intention, readers, senders) if readers.shape[0] else 0.0


def _group_label(w: World, idx: np.ndarray) -> str:
    key = tuple(np.asarray(idx).tolist())
    if key not in w.labels:
        w.labels[key] = _label(w, np.asarray(idx))
    return w.labels[key]


def _label(w: World, idx: np.ndarray) -> str:
    for g, members in w.groups.items():
        if set(members.tolist()) == set(idx.tolist()):
            return g
    if idx.size <= 3:
        return "/".join(w.iso[i] for i in idx)
    return f"{idx.size} states"
