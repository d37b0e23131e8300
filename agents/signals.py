"""The signal catalogue: every kind of move an actor can make, and everything the kind does.

This module is the one place that says what a signal does. Each kind declares:

- its rung on the ladder and how it moves its sender's rung (``ladder``: up / down / stay; ``ends`` the
  crisis as ``war``, a seized limited gain (``seize``), a ``deal`` or the challenger's ``backdown``);
- what it costs its sender: ``cost`` (sunk, 0-1, Fearon 1997's "sinking costs"), ``hands_tying`` (the
  audience cost it accepts, 0-1, Fearon 1994/1997 "tying hands"), ``concedes`` (the share of the sender's
  stake it gives away: a cheap conciliatory move is not free if it concedes something);
- its ``direction`` (firm +1, conciliatory -1, neutral 0) and ``visibility``;
- the *channels* it acts on, each with a weight and, where a channel has several rules, the rule's name
  (e.g. ``trust=("format", 1.0)``): how each channel and rule works is in ``model/effects.py``;
- who may choose it strategically (``options_for``: roles whose decision rule considers it); an empty
  tuple means the kind happens only in a scenario's record.

Channels:
    beliefs     observers update their beliefs about the sender's type by Bayes' rule, with the likelihood
                of the move under each type computed from the sender's decision rule (model/beliefs.py)
    trust       allies' trust in the sender (rules: format, consulted, recipients, reassure_named, rejection,
                alarm_named, test)
    threat      observers' reading of the sender's hostile intention (claim 7; ``defensive`` kinds are
                read so only by the other side: the security dilemma)
    capability  the addressees' capability (weapons delivered, +; held back, -)
    posture     the sender's deployed force level (an impulse; Richardson dynamics carry it on)
    entrapment  other allies' fear of entrapment / economic pain (rules: named_split, boomerang)
    alignment   allies' threat perceptions brought closer (an intelligence disclosure informs them)
    sanctions   a sanctions package put on the table (rule: threat) or enacted (rule: imposed)
    deal        what is on the table (rules: demands, talks, rejection, test, offer, lower_demands, accepted,
                withdraw)
    accident    communication channels and incident prevention (lower the accident hazard)
    support     a third party's backing of one side (raises or lowers the expected support in a war)
    target      the target's own forces (rules: mobilise, assault)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from agents.ladder import DOWN, STAY, UP, Rung

FIRM = 1
CONCILIATORY = -1
NEUTRAL = 0

Visibility = Literal["public", "private"]
TALKS_FORMATS = ("bilateral", "minilateral", "alliance_council", "inclusive")
"""Classes of negotiation formats (DESIGN.md "Forums"): who sits at the table decides whose trust moves."""
ROLES = ("challenger", "target", "defender", "partner", "proxy", "neutral")
"""Roles an actor can have in a scenario."""
CHANNEL_RULES: dict[str, tuple[str, ...]] = {
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
"""Every channel and the rules it knows (``model/effects.py`` implements each; a test checks both ways)."""
ENDS = ("war", "seize", "deal", None)
ADDRESSEES = ("challenger", "targets", "leader", "leader_and_alliances", "flank")
"""Whom a strategic sender addresses a kind to: the (first) challenger, the targets, the defenders' leader,
the leader and the alliances it leads, or the group the ultimatum names."""


@dataclass(frozen=True)
class SignalKind:
    """What one kind of signal does (see the module docstring)."""

    name: str
    verb: str
    rung: int
    cost: float
    hands_tying: float
    direction: int
    visibility: Visibility
    channels: MappingProxyType          # channel -> (rule, weight)
    source: str
    ladder: str = UP
    ends: str | None = None
    concedes: float = 0.0
    defensive: bool = False
    options_for: tuple[str, ...] = ()
    min_rung: int = 0                   # a strategic option only from this rung of the sender on
    addressed_to: str = "challenger"    # whom a strategic sender addresses it to (``ADDRESSEES``)
    requires_nuclear: bool = False      # an option only for a nuclear-armed sender
    answers_demands: bool = False       # a response to formal demands: weighed only once there are some

    @property
    def is_coercive(self) -> bool:
        """A firm move on the ladder (a climb when it raises its sender's rung)."""
        return self.direction == FIRM and self.ladder == UP

    def rule(self, channel: str) -> str | None:
        """The rule by which this kind acts on ``channel`` (None if it does not)."""
        spec = self.channels.get(channel)
        return spec[0] if spec else None


def _kind(name, verb, rung, cost, hands_tying, direction, visibility, source, *, ladder=UP, ends=None,
          concedes=0.0, defensive=False, options_for=(), min_rung=0, addressed_to=None, requires_nuclear=False,
          answers_demands=False, **channels) -> SignalKind:
    table = {}
    for channel, spec in channels.items():
        rule, weight = spec if isinstance(spec, tuple) else (CHANNEL_RULES[channel][0], spec)
        table[channel] = (rule, float(weight))
    if addressed_to is None:   # a challenger's moves go to its targets, everyone else's to the challenger
        addressed_to = "targets" if options_for == ("challenger",) or ends in ("war", "seize") else "challenger"
    return SignalKind(name, verb, int(rung), cost, hands_tying, direction, visibility, MappingProxyType(table),
                      source, ladder, ends, concedes, defensive, tuple(options_for), int(min_rung), addressed_to,
                      requires_nuclear, answers_demands)


C, D, T = ("challenger",), ("defender",), ("target",)

CATALOGUE: dict[str, SignalKind] = {
    k.name: k
    for k in (
        # --- the challenger's ladder -------------------------------------------------------------------
        _kind("diplomatic_protest", "states its demands and 'red lines' to", Rung.FRICTION, 0.0, 0.2, FIRM, "public",
              "seed 000: demands and accusations 'from Putin, the Kremlin, the military, the Duma and the MFA'",
              beliefs=1.0, threat=0.5),
        _kind("domestic_crackdown", "closes down domestic opposition", Rung.FRICTION, 0.1, 0.2, FIRM, "public",
              "seed 000: Memorial closed 'as if declaring a start of a new-Stalinist era'", beliefs=0.3, threat=0.3),
        _kind("military_exercise", "holds a military exercise near", Rung.POSTURING, 0.3, 0.1, FIRM, "public",
              "Kahn 1965 rung: show of force; DESIGN.md timeline: Belarus exercises (18 Jan, 10 Feb 2022)",
              options_for=C, beliefs=1.0, threat=0.6, posture=0.5),
        _kind("show_of_force", "makes a show of force near", Rung.POSTURING, 0.3, 0.2, FIRM, "public",
              "Kahn 1965 rung: show of force (e.g. carrier groups, Taiwan 1996)", options_for=C + D,
              defensive=True, beliefs=1.0, threat=0.6, posture=0.5, trust=("reassure_named", 0.5)),
        _kind("troop_buildup", "builds up troops near", Rung.MOBILISATION, 0.1, 0.2, FIRM, "public",
              "seed 000: 'openly amassing troops near Ukraine's border'; a day's surge moves ~4,000 troops (the "
              "record's 110,000 -> 190,000 of 5-18 Feb 2022)", options_for=C, min_rung=Rung.MOBILISATION,
              beliefs=1.0, threat=1.0, posture=0.35),
        _kind("missile_test", "fires test missiles towards", Rung.MOBILISATION, 0.3, 0.3, FIRM, "public",
              "Kahn 1965: 'dramatic military confrontations'; PLA tests of 1995-96", options_for=C, beliefs=1.0,
              threat=1.0, posture=0.3),
        _kind("ultimatum", "issues formal demands (an ultimatum) to", Rung.ULTIMATUM, 0.1, 0.6, FIRM, "public",
              "seed 000: the 17 Dec draft treaties; seed 002: 'the feel of an ultimatum'", options_for=C,
              beliefs=1.0, threat=("intent_named", 1.0), entrapment=("named_split", 1.0), deal=("demands", 1.0)),
        _kind("public_commitment", "makes a binding public commitment (a treaty, a parliament's appeal or vote) on",
              Rung.ULTIMATUM, 0.05, 0.8, FIRM, "public",
              "Fearon 1994: audience costs; DESIGN.md timeline: the Duma's appeal (15 Feb), Federation Council (22 Feb)",
              options_for=C, min_rung=Rung.ULTIMATUM, beliefs=1.0, threat=0.5),
        _kind("cyber_hybrid", "launches a cyber / hybrid action against", Rung.SUB_THRESHOLD, 0.2, 0.1, FIRM, "public",
              "DESIGN.md timeline: cyber attack on Ukrainian government sites (14 Jan 2022)", options_for=C,
              beliefs=1.0, threat=1.0),
        _kind("proxy_escalation", "escalates through proxies against", Rung.SUB_THRESHOLD, 0.2, 0.2, FIRM, "public",
              "DESIGN.md timeline: Donbas shelling and evacuations (17-18 Feb 2022)", options_for=C,
              beliefs=1.0, threat=1.0),
        _kind("blockade", "blockades", Rung.SUB_THRESHOLD, 0.4, 0.6, FIRM, "public",
              "Kahn 1965: 'harassing acts of violence' short of war; the 1962 quarantine", options_for=C,
              beliefs=1.0, threat=1.0, posture=0.5),
        _kind("recognition", "recognises separatist regions of (a fait accompli)", Rung.LIMITED_INCURSION, 0.4, 0.8,
              FIRM, "public", "DESIGN.md timeline: recognition of the separatist 'republics' (21 Feb 2022)",
              ends="seize", beliefs=1.0, threat=1.0),
        _kind("limited_incursion", "makes a limited incursion into (a fait accompli)", Rung.LIMITED_INCURSION, 0.6,
              0.8, FIRM, "public", "Kahn 1965 ladder; DESIGN.md rung 6", ends="seize", beliefs=1.0, threat=1.0,
              posture=0.5),
        _kind("annexation", "annexes part of", Rung.LIMITED_INCURSION, 0.5, 1.0, FIRM, "public",
              "DESIGN.md 'seize a limited gain (a fait accompli at rung 6)'", ends="seize", beliefs=1.0, threat=1.0),
        _kind("full_invasion", "launches a full-scale invasion of", Rung.INVASION, 1.0, 1.0, FIRM, "public",
              "DESIGN.md timeline: full-scale invasion (24 Feb 2022)", ends="war", threat=1.0),
        _kind("air_campaign", "opens a coercive air campaign against", Rung.INVASION, 0.8, 1.0, FIRM, "public",
              "Pape 1996, Bombing to Win: coercive air power", ends="war", threat=1.0),
        _kind("alliance_clash", "attacks an alliance member:", Rung.ALLIANCE_CLASH, 1.0, 1.0, FIRM, "public",
              "DESIGN.md rung 8: direct clash with an alliance", ends="war", threat=1.0),
        _kind("nuclear_alert", "raises its nuclear readiness against", Rung.NUCLEAR, 0.3, 1.0, FIRM, "public",
              "Schelling 1966: the threat that leaves something to chance; DESIGN.md rung 9", options_for=C,
              min_rung=Rung.SUB_THRESHOLD, requires_nuclear=True, beliefs=1.0, threat=1.0),
        _kind("claimed_pullback", "claims to pull troops back from", Rung.NORMAL, 0.0, 0.0, CONCILIATORY, "public",
              "DESIGN.md timeline: the claimed pull-back of 15 Feb 2022", ladder=STAY, beliefs=1.0),
        _kind("de_escalation", "pulls troops back from", Rung.FRICTION, 0.3, 0.3, CONCILIATORY, "public",
              "DESIGN.md signal catalogue: de-escalation (pull-back)", ladder=DOWN, concedes=0.1, addressed_to="targets",
              beliefs=1.0, threat=1.0,
              posture=-1.0),
        _kind("deal_accepted", "accepts the deal on the table with", Rung.FRICTION, 0.0, 0.0, CONCILIATORY, "public",
              "Fearon 1995: a bargain both prefer to war", ladder=STAY, ends="deal", addressed_to="leader",
              deal=("accepted", 1.0)),
        _kind("challenger_concession", "lowers its demands to", Rung.NORMAL, 0.1, 0.0, CONCILIATORY, "public",
              "DESIGN.md: the challenger can 'offer a concession of its own'", ladder=STAY, concedes=0.25,
              addressed_to="leader",
              beliefs=1.0, deal=("lower_demands", 1.0)),
        # --- the defenders' repertoire ---------------------------------------------------------------------
        _kind("intelligence_disclosure", "discloses intelligence on an attack plan by", Rung.FRICTION, 0.2, 0.3, FIRM,
              "public", "DESIGN.md timeline: US disclosure of a 175,000-troop plan (3 Dec 2021)", options_for=D,
              beliefs=1.0, alignment=1.0),
        _kind("leader_call", "holds a leaders' call (no conditions) with", Rung.FRICTION, 0.0, 0.0, CONCILIATORY,
              "private", "seed 000: calls with 'no conditions' read as weakness", ladder=STAY, concedes=0.01,
              options_for=D, beliefs=1.0),
        _kind("conditional_call", "holds a call with conditions and a public sanctions warning with", Rung.FRICTION,
              0.0, 0.4, FIRM, "private", "seed 000: 'calls only with conditions' (a bigger pistol)", options_for=D,
              beliefs=1.0),
        _kind("acknowledge_concerns", "acknowledges the 'legitimate security concerns' of", Rung.NORMAL, 0.0, 0.0,
              CONCILIATORY, "public", "seed 000: the White House 'basically accepted' Russia's concerns", ladder=STAY,
              concedes=0.02, options_for=D, beliefs=1.0),
        _kind("sanctions_threat", "threatens sanctions against", Rung.FRICTION, 0.0, 0.4, FIRM, "public",
              "DESIGN.md timeline: sanctions threat in the 7 Dec call", options_for=D, beliefs=1.0,
              sanctions=("threat", 1.0), entrapment=("boomerang", 0.5)),
        _kind("sanctions_imposed", "imposes sanctions on", Rung.POSTURING, 0.5, 0.6, FIRM, "public",
              "DESIGN.md timeline: Nord Stream 2 halted, first sanctions (22 Feb 2022); seed 003: boomerang",
              options_for=D, beliefs=1.0, sanctions=("imposed", 1.0), entrapment=("boomerang", 1.0)),
        _kind("weapons_delivery", "delivers weapons to", Rung.POSTURING, 0.4, 0.3, FIRM, "public",
              "DESIGN.md timeline: Baltic transfers, held package released (19-22 Jan 2022)", defensive=True,
              options_for=D, addressed_to="targets", beliefs=1.0, capability=1.0, trust=("recipients", 0.5), threat=0.3),
        _kind("weapons_delay", "holds back a weapons shipment to", Rung.NORMAL, 0.0, 0.0, CONCILIATORY, "public",
              "seed 000: 'the White House delayed some previously-agreed US weapons shipments' (reported: NBC, "
              "10 Dec 2021)", ladder=STAY, addressed_to="targets",
              concedes=0.02, options_for=D, beliefs=1.0, capability=-1.0, trust=("recipients", -1.0)),
        _kind("flank_reinforcement", "reinforces the allies facing", Rung.POSTURING, 0.6, 0.5, FIRM, "public",
              "DESIGN.md timeline: 3,000 US troops to POL/ROU/DEU (2 Feb 2022)", defensive=True, options_for=D,
              beliefs=1.0, posture=1.0, trust=("reassure_named", 1.0), threat=1.0),
        _kind("forces_on_alert", "puts forces on alert against", Rung.POSTURING, 0.2, 0.4, FIRM, "public",
              "DESIGN.md timeline: NATO forces on standby, 8,500 US troops on alert (24 Jan 2022)", defensive=True,
              options_for=D, beliefs=1.0, posture=0.4, trust=("reassure_named", 0.5), threat=0.5),
        _kind("embassy_drawdown", "draws down its embassy staff in", Rung.FRICTION, 0.1, 0.1, NEUTRAL, "public",
              "DESIGN.md timeline: US embassy drawdown (23 Jan 2022)", alignment=0.5),
        _kind("talks_offer", "offers talks to", Rung.FRICTION, 0.0, 0.0, CONCILIATORY, "public",
              "seed 000: talks with 'major NATO allies' announced without consulting the B9 (8 Dec 2021)",
              ladder=STAY, concedes=0.01, options_for=C + D, beliefs=0.5, trust=("format", 1.0),
              deal=("talks", 0.5)),
        _kind("talks_round", "holds a round of talks with", Rung.FRICTION, 0.05, 0.0, NEUTRAL, "public",
              "seed 003: Geneva (10 Jan), NATO-Russia Council (12 Jan), OSCE (13 Jan 2022)", ladder=STAY,
              options_for=C + D, trust=("format", 1.0), deal=("talks", 1.0), accident=0.2),
        _kind("consultation", "consults the allies affected ('nothing about you without you'):", Rung.NORMAL,
              0.0, 0.2, NEUTRAL, "public", "seed 000 / 002: Biden's call with the B9 (9 Dec 2021)", ladder=STAY,
              options_for=D, addressed_to="flank", trust=("consulted", 1.0)),
        _kind("concession", "puts a negotiable item on the table for", Rung.NORMAL, 0.1, 0.2, CONCILIATORY, "public",
              "seed 003: missile limits, exercise caps, channels, incident prevention opened for talks",
              ladder=STAY, options_for=D + T, beliefs=1.0, deal=("offer", 1.0), accident=1.0),
        _kind("public_rejection", "publicly rejects the core demands of", Rung.FRICTION, 0.0, 0.6, FIRM, "public",
              "seed 003: NATO foreign ministers (7 Jan), written responses (26 Jan 2022)", options_for=D,
              answers_demands=True, beliefs=1.0, trust=("rejection", 1.0), deal=("rejection", 1.0)),
        _kind("talks_cancelled", "calls off the talks and takes what it offered off the table with", Rung.FRICTION,
              0.05, 0.4, FIRM, "public", "e.g. Blinken cancels the Geneva meeting with Lavrov (22 Feb 2022)",
              options_for=D, answers_demands=True, beliefs=1.0, deal=("withdraw", 1.0)),
        _kind("ambiguous_response", "answers the demands ambiguously ('we'll see where it takes us') to",
              Rung.NORMAL, 0.0, 0.0, CONCILIATORY, "public", "seed 000: Sullivan's 'see where it takes us'",
              ladder=STAY, concedes=0.02, options_for=D, answers_demands=True, beliefs=1.0,
              trust=("alarm_named", 1.0)),
        _kind("counter_demands", "puts counter-demands (the expanded agenda) to", Rung.FRICTION, 0.05, 0.4, FIRM,
              "public", "seed 002: Moldova, Georgia, Crimea, Kaliningrad missiles, assassinations, disinformation",
              options_for=D, answers_demands=True, beliefs=0.5, trust=("test", 1.0), alignment=1.0,
              deal=("test", 1.0)),
        _kind("mediation", "mediates between the sides, visiting", Rung.NORMAL, 0.05, 0.0, NEUTRAL, "public",
              "DESIGN.md timeline: Macron in Moscow (7 Feb 2022); Normandy format", ladder=STAY,
              trust=("format", 0.5), deal=("talks", 0.5)),
        _kind("un_resolution", "passes a resolution through an international body against", Rung.FRICTION, 0.05,
              0.5, FIRM, "public", "e.g. UNSC Resolution 678 (29 Nov 1990)", beliefs=1.0, alignment=1.0),
        _kind("third_party_support", "publicly backs", Rung.NORMAL, 0.0, 0.3, NEUTRAL, "public",
              "DESIGN.md timeline: the Xi-Putin joint statement (4 Feb 2022)", ladder=STAY, support=1.0),
        # --- the target's moves ----------------------------------------------------------------------------------
        _kind("target_mobilisation", "mobilises its forces against", Rung.MOBILISATION, 0.3, 0.3, FIRM, "public",
              "DESIGN.md Decisions: targets may act (Ukraine's mobilisation)", defensive=True, options_for=T,
              beliefs=1.0, target=("mobilise", 1.0), threat=0.5),
        _kind("target_assault", "attacks the challenger's forces or proxies:", Rung.LIMITED_INCURSION, 0.5, 0.8, FIRM,
              "public", "DESIGN.md Decisions: Georgia's assault on Tskhinvali (7-8 Aug 2008)", beliefs=1.0,
              target=("assault", 1.0), threat=1.0),
        _kind("target_concession", "offers a concession of its own to", Rung.NORMAL, 0.1, 0.2, CONCILIATORY,
              "public", "DESIGN.md Decisions: targets may act", ladder=STAY, options_for=T, beliefs=1.0,
              deal=("offer", 1.0)),
        # --- chance --------------------------------------------------------------------------------------------
        _kind("incident", "is involved in a dangerous military incident with", Rung.SUB_THRESHOLD, 0.0, 0.0, NEUTRAL,
              "public", "Schelling 1960: the threat that leaves something to chance", ladder=STAY, threat=("mutual", 0.5)),
    )
}


@dataclass(frozen=True)
class Signal:
    """One signal: a typed record of who says what to whom, at what cost.

    Args:
        kind: a name from ``CATALOGUE``.
        sender: code of a state, or the name of an alliance or group.
        addressees: codes (or alliance / group names) the signal is addressed to.
        visibility: "public" (every state perceives it) or "private" (addressees and sender only).
        cost: sunk cost to the sender, 0-1.
        hands_tying: audience cost the sender accepts, 0-1.
        direction: +1 firm, -1 conciliatory, 0 neutral.
        payload: kind-specific details, e.g. ``format``, ``participants``, ``about``, ``item``, ``named``,
            ``amount``, ``readouts``, ``note``.
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


def first_kind(test) -> str:
    """The first kind of the catalogue whose declaration passes ``test`` (a function of a ``SignalKind``)."""
    return next(k for k, spec in CATALOGUE.items() if test(spec))


def kinds_ending(end: str) -> tuple[str, ...]:
    """The kinds that end a crisis as ``end`` (``war``, ``seize`` or ``deal``)."""
    return tuple(k for k, s in CATALOGUE.items() if s.ends == end)


def options_of(role: str) -> tuple[str, ...]:
    """The kinds an actor of this role weighs when it chooses strategically (catalogue order)."""
    return tuple(k for k, s in CATALOGUE.items() if role in s.options_for)
