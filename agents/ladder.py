"""The escalation ladder: a condensed Kahn (1965) ladder, rungs 0-9 (DESIGN.md), and its rules.

Every rule about rungs lives here: what a signal does to its sender's rung and to its dyads' rungs, when
a defender's rung fades, which rungs are war, what counts as backing down, and the outcome categories.
"""

from __future__ import annotations

from enum import IntEnum


class Rung(IntEnum):
    """Rungs of the escalation ladder; each state and each dyad has a current rung."""

    NORMAL = 0
    FRICTION = 1
    POSTURING = 2
    MOBILISATION = 3
    ULTIMATUM = 4
    SUB_THRESHOLD = 5
    LIMITED_INCURSION = 6
    INVASION = 7
    ALLIANCE_CLASH = 8
    NUCLEAR = 9


RUNG_LABELS: dict[int, str] = {
    0: "normal relations",
    1: "diplomatic friction",
    2: "political-military posturing",
    3: "coercive mobilisation",
    4: "ultimatum / formal demands",
    5: "sub-threshold coercion",
    6: "limited incursion / fait accompli",
    7: "full-scale war on a non-member",
    8: "direct clash with an alliance",
    9: "nuclear signalling / use",
}

WAR_RUNG = Rung.INVASION
"""A state at or above this rung is at war; war is absorbing."""
SEIZE_RUNG = Rung.LIMITED_INCURSION
"""A fait accompli (a limited gain seized and held) sits on this rung."""
MOBILISED_RUNG = Rung.MOBILISATION
"""From this rung on a challenger is mobilised (pays a flow cost for its deployed forces)."""
BACKDOWN_RUNG = Rung.FRICTION
"""A challenger that was mobilised and descends to this rung or below has stood down: the run ends as
``backdown``."""
FADE_DAYS = 14
"""A defender's rung drops by one after this many days without a move that holds it."""

# How a signal moves its sender's rung (declared per kind in the catalogue as ``ladder``)
UP = "up"          # to the signal's rung if higher (a firm or neutral move on the ladder)
DOWN = "down"      # one rung down (a pull-back)
STAY = "stay"      # no rung change (talks, deals, cheap conciliatory moves)
LADDER_MOVES = (UP, DOWN, STAY)

OUTCOMES = ("war", "limited_war", "deal", "backdown", "standoff")
"""Run outcomes (DESIGN.md "Outcomes and horizon")."""


def sender_rung_after(move: str, current: int, signal_rung: int) -> int:
    """The sender's rung after a signal moving it ``move`` (``UP``, ``DOWN`` or ``STAY``)."""
    if move == UP:
        return max(current, signal_rung)
    if move == DOWN:
        return max(current - 1, 0)
    return current


def war_rung(target_protected: bool) -> int:
    """The rung of a full-scale war: on a non-member (7), or on a state an alliance protects (8)."""
    return int(Rung.ALLIANCE_CLASH if target_protected else Rung.INVASION)


def has_backed_down(was_mobilised: bool, rung: int) -> bool:
    """A challenger that had mobilised and is now at or below ``BACKDOWN_RUNG`` has stood down."""
    return was_mobilised and rung <= BACKDOWN_RUNG


def rung_label(rung: int) -> str:
    """'7 full-scale war on a non-member': the rung with its name, for logs and summaries."""
    return f"{int(rung)} {RUNG_LABELS[int(rung)]}"
