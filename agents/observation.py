"""What a policy sees of the world: a read-only snapshot handed to it each day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from agents.signals import Signal

NOTHING_SENT: Mapping[str, int] = MappingProxyType({})


class Observation(NamedTuple):
    """A policy's view of the world on one day (after the branch date): immutable, its fields read by name.

    ``role`` is "leader" (the scenario's leading defender state), "alliance" (an alliance with a leader),
    "union" (an alliance without one), "target" or "state". The fields come in three parts: the day's (the
    same for every actor), the run's (the same every day) and the actor's own; the model builds the first
    two once a day and adds the third per actor (``assemble``).
    """

    # the day's
    day: int
    date: date
    days_since_branch: int
    challenger_rung: int
    challenger_rung_yesterday: int
    ultimatum_day: int | None
    cohesion: dict[str, float]
    items_pending: tuple[str, ...]        # negotiable items not yet on the table
    # the run's
    challenger: str
    leader: str
    targets: tuple[str, ...]
    named: tuple[str, ...]
    flank_group: str | None               # the group the ultimatum names, if the scenario has one
    minilateral: tuple[str, ...]          # participants of the scenario's minilateral forum (without the challenger)
    inclusive: tuple[str, ...]            # participants of its inclusive forum (everyone affected)
    leader_war_aversion: float
    core_negotiable: bool
    # the actor's own
    actor: str
    role: str
    sent: Mapping[str, int] = NOTHING_SENT   # kind -> the day this actor last sent it
    scripted: tuple[Signal, ...] = ()       # the record's moves of this actor today
    chosen: tuple[Signal, ...] = ()         # what the decision rule chose for it (``strategic`` actors)

    @classmethod
    def assemble(cls, shared: tuple, actor: str, role: str, sent: Mapping[str, int],
                 scripted: tuple[Signal, ...] = (), chosen: tuple[Signal, ...] = ()) -> Observation:
        """An observation from the day's and the run's fields (``shared``, in this class's order) and the
        actor's own."""
        return tuple.__new__(cls, (*shared, actor, role, sent, scripted, chosen))

    def since(self, kind: str) -> int | None:
        """Days since this actor last sent a signal of this kind (None if never)."""
        last = self.sent.get(kind)
        return None if last is None else self.day - last

    def every(self, kind: str, days: int) -> bool:
        """True when this actor has not sent ``kind`` within the last ``days`` days."""
        last = self.sent.get(kind)
        return last is None or self.day - last >= days
