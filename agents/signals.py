"""The signal catalogue: every kind of move a state or alliance can make, and the channels it acts on.

This module is the one place where a signal's defaults live: its rung on the ladder, its sunk cost
(Fearon 1997, "sinking costs"), its hands-tying (audience cost, Fearon 1994), its direction and the
*channels* through which it changes the world. How each channel works is in ``model/effects.py``;
which signal touches which channel, and how strongly, is here.

Channels:
    resolve     observers update their belief about the sender's resolve (model/beliefs.py)
    trust       allies' trust in the sender (abandonment fear; talks formats; ambiguous responses)
    threat      observers' estimate of the sender's hostile intention (threat = capability x intention)
    capability  the target's capability (weapons delivered or held back)
    posture     the sender's deployed force level (Richardson dynamics get an impulse)
    entrapment  fear of entrapment / economic fears of exposed allies
    alignment   alignment of allies' threat perceptions (e.g. an intelligence disclosure informs them)
    sanctions   a sanctions package is put on the table (threat) or enacted
    deal        the value of what is on the table for the challenger (concessions, talks, rejections)
    accident    communication channels and incident prevention (lower the accident hazard)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from agents.ladder import Rung

FIRM = 1
CONCILIATORY = -1
NEUTRAL = 0

Visibility = Literal["public", "private"]
TALKS_FORMATS = ("bilateral", "big5", "nrc", "osce")
"""Talks formats: US-Russia bilateral, minilateral "Big 5", NATO-Russia Council, OSCE."""
NEGOTIABLE_ITEMS = ("missile_limits", "exercise_caps", "military_channels", "incident_prevention")
"""Items the defenders opened for negotiation in January 2022 (seed 003)."""
CORE_DEMANDS = ("no_enlargement", "pullback_1997")
"""The challenger's core demands (draft treaties of 17 Dec 2021, seed 000)."""


@dataclass(frozen=True)
class SignalKind:
    """Defaults of one kind of signal, and the channels it acts on (weight per channel, 0-1)."""

    name: str
    verb: str
    rung: int
    cost: float
    hands_tying: float
    direction: int
    visibility: Visibility
    channels: MappingProxyType
    source: str


def _kind(name, verb, rung, cost, hands_tying, direction, visibility, source, **channels) -> SignalKind:
    return SignalKind(
        name, verb, int(rung), cost, hands_tying, direction, visibility, MappingProxyType(channels), source
    )


CATALOGUE: dict[str, SignalKind] = {
    k.name: k
    for k in (
        # --- the challenger's repertoire ---
        _kind("troop_buildup", "builds up troops near", Rung.MOBILISATION, 0.5, 0.2, FIRM, "public",
              "seed 000: 'openly amassing troops near Ukraine's border'", resolve=1.0, threat=1.0, posture=1.0),
        _kind("military_exercise", "holds a military exercise near", Rung.POSTURING, 0.3, 0.1, FIRM, "public",
              "DESIGN.md timeline: Belarus joint exercise (18 Jan / 10 Feb 2022)", resolve=1.0, threat=0.6,
              posture=0.5),
        _kind("domestic_crackdown", "closes down domestic opposition (Memorial)", Rung.FRICTION, 0.1, 0.2, FIRM,
              "public", "seed 000: Memorial closed 'as if declaring a start of a new-Stalinist era'",
              resolve=0.3, threat=0.3),
        _kind("ultimatum", "publishes draft treaties (an ultimatum) addressed to", Rung.ULTIMATUM, 0.1, 0.6, FIRM,
              "public", "seed 000: the 17 Dec drafts; seed 002: 'the feel of an ultimatum'",
              resolve=1.0, threat=1.0, entrapment=1.0, deal=1.0),
        _kind("cyber_hybrid", "launches a cyber / hybrid action against", Rung.SUB_THRESHOLD, 0.2, 0.1, FIRM,
              "public", "DESIGN.md timeline: cyber attack on Ukrainian government sites (14 Jan 2022)",
              resolve=1.0, threat=1.0),
        _kind("recognition", "recognises separatist regions of", Rung.LIMITED_INCURSION, 0.4, 0.8, FIRM, "public",
              "DESIGN.md timeline: recognition of the separatist 'republics' (21 Feb 2022)",
              resolve=1.0, threat=1.0),
        _kind("limited_incursion", "makes a limited incursion into", Rung.LIMITED_INCURSION, 0.6, 0.8, FIRM,
              "public", "Kahn 1965 ladder; DESIGN.md rung 6", resolve=1.0, threat=1.0, posture=0.5),
        _kind("full_invasion", "launches a full-scale invasion of", Rung.INVASION, 1.0, 1.0, FIRM, "public",
              "DESIGN.md timeline: full-scale invasion (24 Feb 2022)", threat=1.0),
        _kind("de_escalation", "pulls troops back from", Rung.FRICTION, 0.3, 0.3, CONCILIATORY, "public",
              "DESIGN.md signal catalogue", resolve=1.0, threat=1.0, posture=1.0),
        _kind("deal_accepted", "accepts the deal on the table with", Rung.FRICTION, 0.0, 0.0, CONCILIATORY,
              "public", "Fearon 1995: a bargain both prefer to war", deal=1.0),
        _kind("incident", "is involved in a dangerous military incident with", Rung.SUB_THRESHOLD, 0.0, 0.0,
              NEUTRAL, "public", "Schelling 1960: the threat that leaves something to chance", threat=0.5),
        # --- the defenders' repertoire ---
        _kind("intelligence_disclosure", "discloses intelligence on an attack plan by", Rung.FRICTION, 0.2, 0.3, FIRM,
              "public", "DESIGN.md timeline: US disclosure of a 175,000-troop plan (3 Dec 2021)",
              resolve=1.0, alignment=1.0),
        _kind("leader_call", "holds a leaders' call with", Rung.FRICTION, 0.0, 0.0, CONCILIATORY, "private",
              "seed 000: calls with 'no conditions' read as weakness", resolve=1.0),
        _kind("conditional_call", "holds a call with conditions and a public sanctions warning with", Rung.FRICTION,
              0.0, 0.4, FIRM, "private", "seed 000: 'calls only with conditions' (a bigger pistol)", resolve=1.0),
        _kind("acknowledge_concerns", "acknowledges the 'legitimate security concerns' of", Rung.NORMAL, 0.0, 0.0,
              CONCILIATORY, "public", "seed 000: the White House 'basically accepted' Russia's concerns",
              resolve=1.0),
        _kind("sanctions_threat", "threatens sanctions against", Rung.FRICTION, 0.0, 0.4, FIRM, "public",
              "DESIGN.md timeline: sanctions threat in the 7 Dec call", resolve=1.0, sanctions=1.0,
              entrapment=0.5),
        _kind("sanctions_imposed", "imposes sanctions on", Rung.POSTURING, 0.5, 0.6, FIRM, "public",
              "DESIGN.md timeline: Nord Stream 2 halted, first sanctions (22 Feb 2022); seed 003: boomerang",
              resolve=1.0, sanctions=1.0, entrapment=0.5),
        _kind("weapons_delivery", "delivers weapons to", Rung.POSTURING, 0.6, 0.3, FIRM, "public",
              "DESIGN.md timeline: Baltic transfers, held package released (19-22 Jan 2022)",
              resolve=1.0, capability=1.0, trust=0.5, threat=0.3),
        _kind("weapons_delay", "holds back a weapons shipment to", Rung.NORMAL, 0.0, 0.0, CONCILIATORY, "private",
              "seed 000: 'the White House delayed some previously-agreed US weapons shipments'",
              resolve=1.0, capability=1.0, trust=1.0),
        _kind("flank_reinforcement", "reinforces the eastern flank facing", Rung.POSTURING, 0.7, 0.5, FIRM, "public",
              "DESIGN.md timeline: 8,500 on alert (24 Jan), 3,000 troops to POL/ROU/DEU (2 Feb 2022)",
              resolve=1.0, posture=1.0, trust=1.0, threat=1.0),
        _kind("talks_offer", "offers talks to", Rung.FRICTION, 0.0, 0.0, CONCILIATORY, "public",
              "seed 000: talks with 'major NATO allies' announced without consulting the B9 (8 Dec 2021)",
              resolve=0.5, trust=1.0, deal=0.5),
        _kind("talks_round", "holds a round of talks with", Rung.FRICTION, 0.05, 0.0, NEUTRAL, "public",
              "seed 003: Geneva (10 Jan), NATO-Russia Council (12 Jan), OSCE (13 Jan 2022)",
              trust=1.0, deal=0.5, accident=0.2),
        _kind("consultation", "consults the allies affected, 'nothing about you without you', about", Rung.NORMAL,
              0.0, 0.2, NEUTRAL, "public", "seed 000 / 002: Biden's call with the B9 (9 Dec 2021)", trust=1.0),
        _kind("concession", "offers a negotiable item to", Rung.NORMAL, 0.2, 0.3, CONCILIATORY, "public",
              "seed 003: missile limits, exercise caps, channels, incident prevention opened for talks",
              resolve=1.0, deal=1.0, accident=1.0),
        _kind("public_rejection", "publicly rejects the core demands of", Rung.FRICTION, 0.0, 0.6, FIRM, "public",
              "seed 003: NATO foreign ministers (7 Jan), written responses (26 Jan 2022)",
              resolve=1.0, trust=1.0, deal=1.0),
        _kind("ambiguous_response", "answers the demands ambiguously ('we'll see where it takes us') to",
              Rung.NORMAL, 0.0, 0.0, CONCILIATORY, "public", "seed 000: Sullivan's 'see where it takes us'",
              resolve=1.0, trust=1.0),
        _kind("counter_demands", "puts counter-demands (the expanded agenda) to", Rung.FRICTION, 0.05, 0.4, FIRM,
              "public", "seed 002: Moldova, Georgia, Crimea, Kaliningrad missiles, assassinations, disinformation",
              resolve=0.5, trust=1.0, alignment=1.0, deal=1.0),
    )
}


@dataclass(frozen=True)
class Signal:
    """One signal: a typed record of who says what to whom, at what cost.

    Args:
        kind: a name from ``CATALOGUE``.
        sender: ISO3 code of a state or the name of an alliance.
        addressees: ISO3 codes (or alliance names) the signal is addressed to.
        visibility: "public" (every state perceives it, with noise) or "private" (addressees only).
        cost: sunk cost to the sender, 0-1.
        hands_tying: audience cost the sender accepts, 0-1.
        direction: +1 firm, -1 conciliatory, 0 neutral.
        payload: kind-specific details, e.g. ``format``, ``participants``, ``about``, ``item``, ``named``,
            ``amount``, ``readouts``.
    """

    kind: str
    sender: str
    addressees: tuple[str, ...] = ()
    visibility: Visibility = "public"
    cost: float = 0.0
    hands_tying: float = 0.0
    direction: int = NEUTRAL
    payload: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def spec(self) -> SignalKind:
        """The catalogue entry of this signal's kind."""
        return CATALOGUE[self.kind]


def make(kind: str, sender: str, addressees=(), **payload: Any) -> Signal:
    """Build a signal with its catalogue defaults; ``cost``, ``hands_tying``, ``direction`` and
    ``visibility`` in ``payload`` override them.

    Raises:
        KeyError: if ``kind`` is not in the catalogue (the message lists the known kinds).
    """
    if kind not in CATALOGUE:
        raise KeyError(f"unknown signal kind {kind!r}; known: {', '.join(sorted(CATALOGUE))}")
    spec = CATALOGUE[kind]
    if isinstance(addressees, str):
        addressees = (addressees,)
    return Signal(
        kind=kind,
        sender=sender,
        addressees=tuple(addressees),
        visibility=payload.pop("visibility", spec.visibility),
        cost=float(payload.pop("cost", spec.cost)),
        hands_tying=float(payload.pop("hands_tying", spec.hands_tying)),
        direction=int(payload.pop("direction", spec.direction)),
        payload=payload,
    )
