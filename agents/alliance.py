"""AllianceAgent: members, leader, decision rule, partners; derives its cohesion from its members."""

from __future__ import annotations

import mesa

from agents.base import CrisisAgent


class AllianceAgent(CrisisAgent):
    """An alliance (NATO, EU, CSTO ...). Cohesion and its components are read from the model's arrays.

    A consensus alliance issues a collective signal only while its cohesion is at or above the
    consensus threshold; a leader-led alliance follows its leader.
    """

    def __init__(self, model: mesa.Model, k: int, name: str, members: list[str], leader: str | None,
                 rule: str, partners: list[str]) -> None:
        super().__init__(model)
        self.k = k
        self.name = name
        self.members = list(members)
        self.leader = leader
        self.rule = rule
        self.partners = list(partners)

    @property
    def cohesion(self) -> float:
        return float(self.model.world.cohesion[self.k])

    @property
    def components(self) -> dict[str, float]:
        return {c: float(v[self.k]) for c, v in self.model.world.components.items()}

    def can_act(self, threshold: float) -> bool:
        """Whether a collective signal passes the alliance's decision rule."""
        return self.rule == "leader" or self.cohesion >= threshold

    def __repr__(self) -> str:
        return f"AllianceAgent({self.name}, cohesion={self.cohesion:.2f})"
