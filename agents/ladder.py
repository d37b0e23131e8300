"""The escalation ladder: a condensed Kahn (1965) ladder, rungs 0-9 (DESIGN.md)."""

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
    6: "limited incursion / recognition",
    7: "full-scale invasion of a non-member",
    8: "direct clash with an alliance",
    9: "nuclear signalling / use",
}

WAR_RUNG = Rung.INVASION
"""A state at or above this rung is at war; war is absorbing."""
