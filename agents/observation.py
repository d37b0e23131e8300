"""What a defender policy sees of the world: a read-only snapshot handed to it each day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from agents.signals import Signal


@dataclass(frozen=True)
class Observation:
    """A policy's view of the world on one day (after the branch date).

    ``role`` is "leader" (the scenario's leading defender state), "alliance" (an alliance with a leader),
    "union" (an alliance without one, e.g. the EU) or "state".
    """

    actor: str
    role: str
    day: int
    date: date
    days_since_branch: int
    challenger: str
    leader: str
    targets: tuple[str, ...]
    named: tuple[str, ...]
    flank_group: str | None
    big5: tuple[str, ...]
    osce: tuple[str, ...]
    challenger_rung: int
    challenger_rung_yesterday: int
    ultimatum_day: int | None
    cohesion: dict[str, float]
    leader_war_aversion: float
    core_negotiable: bool
    items_offered: frozenset[str]
    sent: Mapping[str, int] = field(default_factory=dict)   # kind -> the day this actor last sent it
    scripted: tuple[Signal, ...] = ()

    @classmethod
    def assemble(cls, fields: dict) -> Observation:
        """An observation from a new mapping of all its fields (which it keeps: do not reuse it), without the
        frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field): the model builds one per
        policy actor per day. The result is the same frozen, comparable observation."""
        obs = object.__new__(cls)
        object.__setattr__(obs, "__dict__", fields)   # the mapping becomes the observation's own
        return obs

    def since(self, kind: str) -> int | None:
        """Days since this actor last sent a signal of this kind (None if never)."""
        last = self.sent.get(kind)
        return None if last is None else self.day - last

    def every(self, kind: str, days: int) -> bool:
        """True when this actor has not sent ``kind`` within the last ``days`` days."""
        last = self.sent.get(kind)   # ``since``, inlined: policies ask this several times a day
        return last is None or self.day - last >= days
