"""The narrated event log: structured records, formatted into a sentence only when read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One line of the log: what happened and what it changed.

    Attributes:
        day, date: when; ``actor`` the sender; ``signal`` the kind; ``targets`` the addressees.
        verb: what the actor did, in words; ``effects``: (template, values) pairs.
    """

    day: int
    date: date
    actor: str
    signal: str
    targets: tuple[str, ...]
    verb: str
    effects: tuple[tuple[str, tuple], ...] = ()

    @property
    def text(self) -> str:
        """E.g. "Day 41 (2021-12-12) — USA holds back a weapons shipment to UKR; RUS's estimate ..."."""
        head = f"Day {self.day} ({self.date.isoformat()}) — {self.actor} {self.verb}"
        if self.targets:
            head += " " + ", ".join(self.targets)
        parts = [tpl.format(*vals) for tpl, vals in self.effects]
        return head + ("; " + "; ".join(parts) if parts else "")

    def as_dict(self) -> dict:
        return {"day": self.day, "date": self.date.isoformat(), "actor": self.actor, "signal": self.signal,
                "targets": ",".join(self.targets), "text": self.text}
