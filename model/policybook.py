"""The policy book: which policy governs each actor, who follows the record, who decides strategically.

A policy is assigned to the scenario's policy actors (one name for all, or a mapping actor / alliance /
group -> policy, with "*" for the rest). After the branch date a defender governed by ``as_happened`` keeps
following the record; the challengers' moves are always their own decision rule's.
"""

from __future__ import annotations

from typing import Any

from agents.policies import POLICIES, STRATEGIC, get_policy
from model.config import Scenario, ScenarioError
from model.world import CHALLENGER, TARGET, World


class PolicyBook:
    """Who acts how in one run (fixed for the run)."""

    def __init__(self, sc: Scenario, w: World, policy: str | dict[str, str]) -> None:
        self.scenario, self.world = sc, w
        known = {a.iso3 for a in sc.actors} | {al.name for al in sc.alliances} | set(sc.groups)
        if isinstance(policy, str):
            mapping = {a: policy for a in sc.policy_actors}
            default = policy
        else:
            mapping = dict(policy)
            default = mapping.pop("*", "as_happened")
        for actor, name in list(mapping.items()) + [("*", default)]:
            if actor != "*" and actor not in known:
                raise ScenarioError(f"policy assigned to unknown actor {actor!r}")
            if name not in POLICIES:
                raise ScenarioError(f"unknown policy {name!r}; known: {', '.join(POLICIES)}")
            if actor in sc.challengers:
                raise ScenarioError(f"{actor} is a challenger: its moves are its own decision rule's, not a policy's")
        self.assignment = mapping
        self.default = default
        self._governing: dict[str, str] = {}

    def governing(self, actor: str) -> str:
        """The policy governing an actor: its own, else its group's or alliance's, else the default."""
        if actor not in self._governing:
            self._governing[actor] = self._find(actor)
        return self._governing[actor]

    def _find(self, actor: str) -> str:
        if actor in self.assignment:
            return self.assignment[actor]
        w = self.world
        if actor in w.index:
            i = w.index[actor]
            for name, idx in w.groups.items():
                if name in self.assignment and i in idx:
                    return self.assignment[name]
            for k, name in enumerate(w.alliance_names):
                if name in self.assignment and w.members[k, i]:
                    return self.assignment[name]
        return self.default

    def follows_record(self, sender: str) -> bool:
        """After the branch date, the record's events still happen for an actor that follows
        ``as_happened``; never for a challenger, whose moves its decision rule makes."""
        w = self.world
        if sender in self.scenario.challengers:
            return False
        if sender in w.index and w.role[w.index[sender]] == CHALLENGER and w.index[sender] in w.challengers:
            return False
        return self.governing(sender) == "as_happened"

    def role(self, actor: str) -> str:
        """How a policy sees itself: "leader", "alliance" (with a leader), "union" (without), "target", "state"."""
        w = self.world
        if actor == self.scenario.leader:
            return "leader"
        if actor in w.alliance_names:
            return "alliance" if w.alliance_leader[w.alliance_names.index(actor)] >= 0 else "union"
        if actor in w.index and w.role[w.index[actor]] == TARGET:
            return "target"
        return "state"

    def actors(self) -> list[str]:
        """Every actor a policy governs: the scenario's policy actors, then any other assigned actor."""
        extra = [a for a in self.assignment if a not in self.scenario.policy_actors]
        return list(self.scenario.policy_actors) + extra

    def acting(self) -> list[tuple[str, str, Any, bool]]:
        """(actor, its role, its policy's ``act``, whether the decision rule chooses for it) for every policy
        actor not following the record, in order."""
        out = []
        for actor in self.actors():
            name = self.governing(actor)
            if name != "as_happened":
                out.append((actor, self.role(actor), get_policy(name), name in STRATEGIC))
        return out
