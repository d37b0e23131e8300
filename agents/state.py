"""StateAgent: a thin Mesa view over one row of the model's arrays."""

from __future__ import annotations

import mesa

from agents.base import CrisisAgent


class StateAgent(CrisisAgent):
    """A state. Its numbers live in ``model.world`` arrays; the agent reads them by index.

    Attributes:
        iso3, name, role: identity; ``idx`` is its row in every array and its node id in the network.
    """

    def __init__(self, model: mesa.Model, idx: int, iso3: str, name: str, role: str) -> None:
        super().__init__(model)
        self.idx = idx
        self.iso3 = iso3
        self.name = name
        self.role = role

    @property
    def _w(self):
        return self.model.world

    @property
    def capability(self) -> float:
        return float(self._w.capability[self.idx])

    @property
    def gdp(self) -> float:
        return float(self._w.gdp[self.idx])

    @property
    def stake(self) -> float:
        return float(self._w.stake[self.idx])

    @property
    def war_aversion(self) -> float:
        return float(self._w.war_aversion[self.idx])

    @property
    def horizon_years(self) -> float:
        return float(self._w.horizon_years[self.idx])

    @property
    def resolved(self) -> bool:
        """The state's private type this run: resolved (values the stake fully) or not."""
        return bool(self._w.resolved[self.idx])

    @property
    def posture(self) -> float:
        return float(self._w.posture[self.idx])

    @property
    def rung(self) -> int:
        return int(self._w.rung[self.idx])

    @property
    def entrapment_fear(self) -> float:
        return float(self._w.entrapment[self.idx])

    def belief_about(self, other: str) -> float:
        """The probability this state acts on that another is resolved (under the credibility rule)."""
        return float(self.model.believed_resolve()[self.idx, self._w.index[other]])

    def trust_in(self, other: str) -> float:
        return float(self._w.trust[self.idx, self._w.index[other]])

    def threat_from(self, other: str) -> float:
        """Threat perception = capability share x perceived intention (claim 7)."""
        w = self._w
        j = w.index[other]
        share = w.capability[j] / (w.capability[j] + w.capability[self.idx])
        return float(share * w.intention[self.idx, j])

    def __repr__(self) -> str:
        return f"StateAgent({self.iso3}, {self.role}, rung={self.rung})"
