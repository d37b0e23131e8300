"""How a signal changes the world: one function per channel rule (``agents/signals.py`` declares which kind
acts on which channel, by which rule and how strongly; ``CHANNEL_RULES`` there lists every rule, and a test
checks each one has a function here and each function a declaration there).

Each rule changes the arrays in place and returns *effects*: (template, values) pairs the event log formats
into words only when someone reads them. What a signal changes materially in the challenger's situation
(``levers``: capability, sanctions, commitment, posture, offer) is computed by the same small functions
the rules apply, so a what-if (an observer's likelihood, a strategic defender's choice) and the real
delivery cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from agents.signals import CHANNEL_RULES, Signal
from model.decision import LEVER
from model.numerics import clip01, mean
from model.parameters import Parameters
from model.world import PARTNER, TARGET, World

Effect = tuple[str, tuple]
SANCTIONS_STEP = 0.3
"""Share of a package one imposition enacts (the rest stays threatened). Not a behavioural parameter:
the packages of 22-28 Feb 2022 came in steps (docs/research/ukraine_2021_record.md)."""


@dataclass
class Delivery:
    """A signal resolved against the world: who sends it, who receives it, who perceives it, and when."""

    signal: Signal
    senders: np.ndarray      # state indices speaking (members, for an alliance or group)
    alliance: int            # alliance index if collective, else -1
    addressees: np.ndarray
    observers: np.ndarray
    day: int

    @cached_property
    def sender_list(self) -> list[int]:
        return self.senders.tolist()

    @cached_property
    def readings(self) -> dict:
        """The likelihoods computed for this delivery, by the state whose decision they read (an alliance's or
        a group's move is read once, as its speaker's)."""
        return {}

    @property
    def kind(self):
        return self.signal.spec


@dataclass
class Context:
    """What the channels need besides the world: parameters, the run's random stream (perception noise),
    and the model's readings of the challenger (for the beliefs channel's likelihoods)."""

    params: Parameters
    rng: np.random.Generator
    likelihoods: Callable[[Delivery, int], tuple[np.ndarray, str]]


# ----------------------------------------------------------------------------- levers (material deltas)

def delivered_amount(d: Delivery, p: Parameters, weight: float) -> float:
    """Capability a weapons signal moves to (+) or away from (-) its addressees."""
    return float(d.signal.payload.get("amount", p.delivery_amount)) * abs(weight)


def posture_impulse(d: Delivery, p: Parameters, weight: float) -> float:
    return p.posture_impulse * weight * float(d.signal.payload.get("scale", 1.0))


def item_of(w: World, d: Delivery) -> int | None:
    """The scenario item a concession offers (None for the core or no item)."""
    item = d.signal.payload.get("item")
    return w.item_names.index(item) if item in w.item_names else None


def offered_value(w: World, d: Delivery, p: Parameters) -> float:
    """What a concession adds to the table (an item not yet offered, or the core share)."""
    item = d.signal.payload.get("item")
    if item == "core":
        return max(float(d.signal.payload.get("value", 1.0)) - w.core_offered, 0.0)
    k = item_of(w, d)
    if k is None:
        return p.item_value if (item is None and p.claim8) else 0.0
    if w.offered[k] or (w.item_negotiable[k] and not p.claim8):   # claim 8 off: negotiable items buy nothing
        return 0.0
    return float(w.item_value[k])


def levers(w: World, d: Delivery, p: Parameters, sender: int) -> np.ndarray:
    """What this signal would change in the challenger's situation for one of its senders (``LEVER``)."""
    out = np.zeros(len(LEVER))
    out[LEVER.BELIEF] = -1.0
    kind = d.kind
    on_target = bool(w.target_mask[d.addressees].any()) if d.addressees.size else False
    for channel, (rule, weight) in kind.channels.items():
        if channel == "capability" and on_target:
            out[LEVER.TARGET_CAPABILITY] += np.sign(weight) * delivered_amount(d, p, weight)
        elif channel == "sanctions":
            out[LEVER.PACKAGE] = max(min(weight, 1.0), w.package[sender]) - w.package[sender]
            if rule == "imposed":
                out[LEVER.ENACTED] = min(w.enacted[sender] + SANCTIONS_STEP * weight, 1.0) - w.enacted[sender]
        elif channel == "posture":
            out[LEVER.POSTURE] = (float(d.signal.payload["level"]) - w.posture[sender] if "level" in d.signal.payload
                                  else posture_impulse(d, p, weight))
        elif channel == "deal" and rule == "offer":
            out[LEVER.OFFER] = offered_value(w, d, p)
        elif channel == "target" and rule == "mobilise":
            out[LEVER.TARGET_POSTURE] = p.posture_impulse * weight
    if d.signal.visibility == "public" and d.signal.hands_tying > w.commitment[sender]:
        out[LEVER.COMMITMENT] = d.signal.hands_tying
    return out


# ----------------------------------------------------------------------------- channels

def beliefs_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    """Observers update their beliefs about each sender's type by Bayes' rule (``model/beliefs.py``), with
    the likelihoods ``ctx.likelihoods`` computes from the sender's decision rule."""
    from model.beliefs import update_challenger, update_resolve

    p = ctx.params
    if p.complete_information or d.observers.size == 0:
        return []
    out = []
    noise = (np.maximum(0.0, 1.0 + p.perception_noise * ctx.rng.standard_normal(d.observers.size))
             if p.perception_noise else np.ones(1))
    scaled = noise * weight
    read: list[tuple[int, int, float, float]] = []   # (sender, probe, before, after) of resolve beliefs
    for s in d.sender_list:
        likelihoods, kind = ctx.likelihoods(d, s)
        if likelihoods.size == 0:
            continue
        probe = _probe(w, s)
        if kind == "challenger":
            before = (w.belief_resolve[probe, s], w.belief_aim[probe, s])
            update_challenger(w.belief_resolve, w.belief_aim, d.observers, s, likelihoods, scaled)
            after = (w.belief_resolve[probe, s], w.belief_aim[probe, s])
            if abs(after[0] - before[0]) >= 0.01 or abs(after[1] - before[1]) >= 0.01:
                out.append(("{}'s reading of {}: resolved {:.2f} → {:.2f}, expansive aim {:.2f} → {:.2f}",
                            (w.iso[probe], w.iso[s], before[0], after[0], before[1], after[1])))
        else:
            before = w.belief_resolve[probe, s]
            update_resolve(w.belief_resolve, d.observers, s, likelihoods[1], likelihoods[0], scaled)
            read.append((s, probe, before, w.belief_resolve[probe, s]))
    if read:
        before, after = mean(np.array([r[2] for r in read])), mean(np.array([r[3] for r in read]))
        if abs(after - before) >= 0.01:
            who = sender_label(w, d) if len(read) > 1 else w.iso[read[0][0]]
            out.append(("{}'s belief that {} {} resolved {:.2f} → {:.2f} ({})",
                        (w.iso[read[0][1]], who, "is" if len(read) == 1 else "are (mean)", before, after,
                         _rule_words(p))))
    return out


def _probe(w: World, sender: int) -> int:
    """Whose reading the log reports: the first challenger's of a defender, the leader's of a challenger."""
    if sender in w.challengers.tolist():
        return w.leader if w.leader >= 0 else int(w.targets[0])
    return w.challenger


def _rule_words(p: Parameters) -> str:
    return "acted on under the reputation rule" if p.credibility_rule == "reputation" else (
        "not acted on: current calculus" if p.credibility_rule == "current_calculus" else "half acted on: mix")


def _centre(w: World, d: Delivery) -> np.ndarray:
    """Whom allies' trust is in: the sending state, or an alliance's leader (or its members without one)."""
    if d.alliance < 0:
        return d.senders
    leader = w.alliance_leader[d.alliance]
    return np.array([leader]) if leader >= 0 else d.senders


def trust_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    p = ctx.params
    centre = _centre(w, d)
    delta = np.zeros(w.n)
    if rule == "format":          # claim 2: talks about allies without them
        if not p.claim2:
            return []
        about = w.expand(d.signal.payload.get("about", []))
        parts = w.expand(d.signal.payload.get("participants", []))
        delta[w.minus(about, parts, centre)] -= p.exclusion_trust_loss * weight
        delta[w.common(about, parts)] += p.inclusion_trust_gain * weight
    elif rule == "consulted":
        if not p.claim2:
            return []
        delta[d.addressees] += 2 * p.inclusion_trust_gain * weight
    elif rule == "recipients":    # deliveries reassure, delays alarm, their recipients (and the named)
        if weight >= 0:
            delta[d.addressees] += p.reinforcement_trust_gain * weight
        else:
            delta[w.union(d.addressees, w.named)] += p.delay_trust_loss * weight
    elif rule == "reassure_named":
        delta[w.union(d.addressees, w.named) if w.named.any() else d.addressees] += p.reinforcement_trust_gain * weight
    elif rule == "rejection":     # claim 3: a firm public rejection narrows the split
        if not p.claim3:
            return []
        delta[w.named] += p.rejection_trust_gain * weight
    elif rule == "alarm_named":   # claim 3: an ambiguous response deepens it
        if not p.claim3:
            return []
        delta[w.named] -= p.ambiguity_trust_loss * weight
    elif rule == "test":          # counter-demands put the affected states' concerns on the agenda
        delta[(w.role == TARGET) | (w.role == PARTNER)] += 2 * p.inclusion_trust_gain * weight
        delta[w.named] += p.inclusion_trust_gain * weight
    for j in centre.tolist():
        delta[j] = 0.0
    hit = np.flatnonzero(delta)
    if hit.size == 0:
        return []
    before = float(w.trust[np.ix_(hit, centre)].mean())
    w.trust[np.ix_(hit, centre)] = clip01(w.trust[np.ix_(hit, centre)] + delta[hit, None])
    after = float(w.trust[np.ix_(hit, centre)].mean())
    return [("{} trust in {} {:.2f} → {:.2f}", (group_label(w, hit), "/".join(w.iso[i] for i in centre), before,
                                                 after))]


def threat_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    p = ctx.params
    step = p.intention_step * weight * (1 + d.kind.rung) / 3.0
    if rule == "mutual":          # an incident: both sides read hostility in the other
        w.intention[np.ix_(d.addressees, d.senders)] += step
        w.intention[np.ix_(d.senders, d.addressees)] += step
        clip01(w.intention, out=w.intention)
        return []
    if d.kind.defensive:          # claim 7: the security dilemma — the other side reads defence as threat
        if not p.claim7:
            return []
        readers = w.challenger_side
        step *= p.security_dilemma
    else:
        readers = w.minus(d.observers, d.senders)
    if readers.size == 0 or step == 0:
        return []
    block = np.ix_(readers, d.senders)
    before = float(w.intention[block].mean())
    w.intention[block] = clip01(w.intention[block] + (step if d.signal.direction >= 0 else -step))
    after = float(w.intention[block].mean())
    who = f"{w.iso[w.challenger]}-side" if d.kind.defensive else "observers'"
    out = [("{} reading of {}'s hostile intent {:.2f} → {:.2f}", (who, sender_label(w, d), before, after))]
    if rule == "intent_named" and p.claim3 and w.named.any():   # claim 3: an ultimatum naming members
        w.intention[w.named_states, w.challenger] = clip01(
            w.intention[w.named_states, w.challenger] + p.ultimatum_threat_gain * weight)
        out.append(("named states' reading of {}'s hostile intent now {:.2f}",
                    (w.iso[w.challenger], mean(w.intention[w.named_states, w.challenger]))))
    return out


def capability_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    rec = d.addressees
    if rec.size == 0:
        return []
    amount = delivered_amount(d, ctx.params, weight)
    before = mean(w.capability[rec])
    if weight < 0:
        w.held_arms[rec] += amount / rec.size
        w.capability[rec] = np.maximum(w.capability[rec] - amount / rec.size, 0.0)
        return [("{:.3f} capability held back from {}", (amount, group_label(w, rec)))]
    released = w.held_arms[rec].copy() if d.signal.payload.get("release_held", True) else 0.0
    w.capability[rec] += amount / rec.size + released
    w.held_arms[rec] = 0.0 if d.signal.payload.get("release_held", True) else w.held_arms[rec]
    return [("{} capability {:.3f} → {:.3f}", (group_label(w, rec), before, mean(w.capability[rec])))]


def posture_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    """An impulse to the senders' deployed level, or, where the record reports the level itself (payload
    ``level``, e.g. troops counted over the full force), that level."""
    before = mean(w.posture[d.senders])
    if "level" in d.signal.payload:
        w.posture[d.senders] = min(max(float(d.signal.payload["level"]), 0.0), 1.0)
    else:
        w.posture[d.senders] = clip01(w.posture[d.senders] + posture_impulse(d, ctx.params, weight))
    return [("{} deployed posture {:.2f} → {:.2f}", (sender_label(w, d), before, mean(w.posture[d.senders])))]


def entrapment_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    p = ctx.params
    exposure = w.exposure[:, w.challenger]
    if rule == "named_split":     # claim 3: the unnamed allies fear being dragged in, and the economic pain
        if not p.claim3:
            return []
        others = w.allied_defenders_not_named
        gain = p.ultimatum_entrapment_gain * weight * (0.3 + exposure[others])
    else:                         # claim 6: the boomerang of sanctions on exposed allies
        if not p.claim6:
            return []
        others = w.allied_defenders
        gain = p.boomerang_fear_gain * weight * exposure[others] * p.boomerang_sensitivity
    if not others.size:
        return []
    before = mean(w.entrapment[others])
    w.entrapment[others] = clip01(w.entrapment[others] + gain)
    return [("other allies' entrapment / economic fear {:.2f} → {:.2f}", (before, mean(w.entrapment[others])))]


def alignment_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    allied = w.allied_defenders
    if allied.size == 0:
        return []
    c = w.challenger
    col = w.intention[allied, c]
    before = float(np.std(col))
    w.intention[allied, c] = col + 0.5 * weight * (col.max() - col)
    return [("spread of allies' readings of {}'s intent {:.3f} → {:.3f}",
             (w.iso[c], before, float(np.std(w.intention[allied, c]))))]


def sanctions_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    p = ctx.params
    for s in d.sender_list:
        lev = levers(w, d, p, s)
        w.package[s] += lev[LEVER.PACKAGE]
        w.enacted[s] += lev[LEVER.ENACTED]
        if d.alliance >= 0:
            w.package_alliance[s] = d.alliance
    if rule == "imposed":
        w.sanctions_enacted = True
        pain = mean(w.exposure[d.senders, w.challenger]) * p.boomerang_sensitivity
        return [("sanctions enacted by {} now {:.2f} of its package; boomerang on its economy ≈ {:.2f}",
                 (sender_label(w, d), mean(w.enacted[d.senders]), pain))]
    return [("sanctions package of {} on the table", (sender_label(w, d),))]


def deal_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    p = ctx.params
    before = w.talks
    if rule == "demands":
        w.talks = max(w.talks, 0.5)
        w.demands_made = True
    elif rule == "talks":
        w.talks = min(1.0, w.talks + p.talks_gain * weight)
    elif rule == "rejection":
        w.talks *= 1.0 - p.rejection_hope_loss * weight
        if w.demands_made:   # demands refused point-blank: the challenger has its pretext (seed 000)
            w.pretext = 1.0
    elif rule == "test":
        w.test_open = True
        w.talks = min(1.0, w.talks + p.talks_gain * weight)
        return [("a wider bargain put to {}: its concerns discussed if it meets the counter-demands",
                 ("/".join(w.iso[a] for a in d.addressees) or "the challenger",))]
    elif rule == "offer":
        value = offered_value(w, d, p)
        item = d.signal.payload.get("item")
        if item == "core":
            w.core_offered += value
        else:
            k = item_of(w, d)
            if k is not None and not w.offered[k]:
                w.offered[k] = True
                w.offered_values[k] = value
                w.offered_by[k] = d.signal.sender
                if p.claim8 and w.item_reduces[k] == "channels":
                    w.channels = 1.0
                if p.claim8 and w.item_reduces[k] == "prevention":
                    w.prevention = 1.0
        return [("the deal on the table now meets {:.2f} of the demands", (w.offer_value(),))]
    elif rule == "lower_demands":
        for s in d.sender_list:
            w.demand[s] = max(w.demand[s] - p.concession_step, 0.0)
        w.challenger_conceded = True
        return [("{} now demands {:.2f} of its declared demands", (sender_label(w, d), float(w.demand[d.senders[0]])))]
    elif rule == "accepted":
        w.deal_day = d.day
        return []
    elif rule == "withdraw":
        w.offered[:] = False
        w.offered_values[:] = 0.0
        w.core_offered = 0.0
        w.test_open = False
        w.talks = 0.0
        return [("talks off and nothing left on the table for {}", ("/".join(w.iso[a] for a in d.addressees),))]
    if w.talks == before:
        return []
    return [("talks open {:.2f} → {:.2f}", (before, w.talks))]


def accident_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    if d.signal.payload.get("item") is None and ctx.params.claim8:
        w.channels = min(1.0, w.channels + weight)
    return []


def support_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    """A third party backs the addressees (+ on the challenger side lowers the sanctions it fears)."""
    backed = d.addressees
    w.third_support[backed] += weight
    return [("{} backed by {}", (group_label(w, backed) if backed.size else "nobody", sender_label(w, d)))]


def target_channel(w: World, d: Delivery, rule: str, weight: float, ctx: Context) -> list[Effect]:
    p = ctx.params
    if rule == "mobilise":
        before = mean(w.posture[d.senders])
        w.posture[d.senders] = clip01(w.posture[d.senders] + p.posture_impulse * weight)
        return [("{} forces ready {:.2f} → {:.2f}", (sender_label(w, d), before, mean(w.posture[d.senders])))]
    w.pretext = 1.0   # "assault": the target's own attack gives the challenger a pretext
    return [("a pretext for {}: its war now costs it less at home", (w.iso[w.challenger],))]


CHANNELS: dict[str, Callable[..., list[Effect]]] = {
    "beliefs": beliefs_channel,
    "trust": trust_channel,
    "threat": threat_channel,
    "capability": capability_channel,
    "posture": posture_channel,
    "entrapment": entrapment_channel,
    "alignment": alignment_channel,
    "sanctions": sanctions_channel,
    "deal": deal_channel,
    "accident": accident_channel,
    "support": support_channel,
    "target": target_channel,
}
RULES_IMPLEMENTED: dict[str, tuple[str, ...]] = {
    "beliefs": ("bayes",),
    "trust": ("format", "consulted", "recipients", "reassure_named", "rejection", "alarm_named", "test"),
    "threat": ("intent", "intent_named", "mutual"),
    "capability": ("transfer",),
    "posture": ("impulse",),
    "entrapment": ("named_split", "boomerang"),
    "alignment": ("inform",),
    "sanctions": ("threat", "imposed"),
    "deal": ("demands", "talks", "rejection", "test", "offer", "lower_demands", "accepted", "withdraw"),
    "accident": ("channels",),
    "support": ("backing",),
    "target": ("mobilise", "assault"),
}
"""The rules each channel function handles (a test checks this against ``agents.signals.CHANNEL_RULES``)."""


def apply_signal(w: World, d: Delivery, ctx: Context) -> list[Effect]:
    """Tie the senders' hands (a public signal with hands-tying), then run every channel the signal's kind
    acts on, in catalogue order (beliefs first: observers read the move in the world it was made in);
    return the effects."""
    effects: list[Effect] = []
    for channel, (rule, weight) in d.kind.channels.items():
        if channel == "beliefs":
            effects.extend(beliefs_channel(w, d, rule, weight, ctx))
    if d.signal.visibility == "public" and d.signal.hands_tying > 0:
        tie_hands(w, d.senders, d.signal.hands_tying, d.day)
    for channel, (rule, weight) in d.kind.channels.items():
        if channel != "beliefs":
            effects.extend(CHANNELS[channel](w, d, rule, weight, ctx))
    return effects


def tie_hands(w: World, senders: np.ndarray, hands_tying: float, day: int) -> None:
    """A public commitment: each sender's standing commitment is the strongest it has made; its audience
    costs grow from the day its *first* commitment was made (a stronger one never resets the clock)."""
    for j in senders.tolist():
        w.commitment[j] = max(w.commitment[j], hands_tying)
        if w.commitment_start[j] < 0:
            w.commitment_start[j] = day


# ----------------------------------------------------------------------------- labels

def sender_label(w: World, d: Delivery) -> str:
    return d.signal.sender if d.alliance >= 0 or d.senders.size != 1 else w.iso[int(d.senders[0])]


def group_label(w: World, idx: np.ndarray) -> str:
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


def check_rules() -> list[str]:
    """Every declared channel rule has an implementation and every implementation a declaration: the
    differences, in words (empty when they agree)."""
    problems = []
    for channel in set(CHANNEL_RULES) | set(RULES_IMPLEMENTED):
        declared, done = set(CHANNEL_RULES.get(channel, ())), set(RULES_IMPLEMENTED.get(channel, ()))
        problems += [f"{channel}.{r}: declared, not implemented" for r in sorted(declared - done)]
        problems += [f"{channel}.{r}: implemented, not declared" for r in sorted(done - declared)]
    if set(CHANNELS) != set(RULES_IMPLEMENTED):
        problems.append("CHANNELS and RULES_IMPLEMENTED list different channels")
    return problems

