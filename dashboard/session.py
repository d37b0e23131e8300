"""One browser session's model and settings, with no Solara in it (so it can be tested directly).

Every page visit builds its own :class:`Session`; nothing here is module-level state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from agents.policies import POLICIES
from model import CrisisModel
from model.config import ScenarioError, available_scenarios, load_scenario
from model.parameters import Parameters

# The parameters a class plays with (the top of the classroom Sobol ranking, and the essays' levers).
SLIDERS: dict[str, tuple[float, float, float]] = {   # name -> (min, max, step)
    "war_cost": (0.1, 1.5, 0.05),
    "sanctions_scale": (0.0, 1.5, 0.05),
    "concession_content": (0.0, 3.0, 0.1),
    "audience_scale": (0.0, 1.5, 0.05),
    "exclusion_trust_loss": (0.0, 0.5, 0.01),
}
RULES = ("reputation", "current_calculus", "mix")
MAX_SEED = 2**32 - 1


def scenario_names() -> list[str]:
    return [n for n in available_scenarios() if not n.startswith("synthetic")]


def parse_seed(text: str | int | None) -> tuple[int | None, str | None]:
    """``(seed, None)`` for a whole number in 0 .. 2^32-1, else ``(None, message)``."""
    s = str(text if text is not None else "").strip()
    if not s:
        return None, "enter a seed (a whole number)"
    try:
        v = int(s)
    except ValueError:
        return None, f"the seed must be a whole number, not {s!r}"
    if not 0 <= v <= MAX_SEED:
        return None, f"the seed must be between 0 and {MAX_SEED}"
    return v, None


def policy_groups(scenario: str) -> list[str]:
    """Who can be given a policy: the scenario's policy actors and its named groups (e.g. USA, NATO, EU, B9)."""
    sc = load_scenario(scenario)
    return list(dict.fromkeys([*sc.policy_actors, *sc.groups]))


def clamp_parameter(name: str, value: float) -> float:
    """A slider value kept inside the parameter's own bounds (a slider at its extreme still runs)."""
    lo, hi, _ = SLIDERS[name]
    v = min(max(float(value), lo), hi)
    Parameters.model_validate({**Parameters().model_dump(), name: v})  # raises if the bounds disagree
    return v


@dataclass
class Settings:
    scenario: str = "ukraine_2021"
    policies: dict[str, str] = field(default_factory=dict)   # group -> policy
    rule: str = "reputation"
    parameters: dict[str, float] = field(default_factory=dict)
    seed: int = 1

    def overrides(self) -> dict[str, Any]:
        return {"credibility_rule": self.rule, **self.parameters}

    def policy(self) -> str | dict[str, str]:
        """One name when every group has the same policy, else the per-group mapping."""
        values = set(self.policies.values())
        if not self.policies:
            return "as_happened"
        if len(values) == 1:
            return values.pop()
        return dict(self.policies)


class Session:
    """The model of one browser session, rebuilt on reset or when the settings change."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        if not self.settings.policies:
            self.settings.policies = {g: "as_happened" for g in policy_groups(self.settings.scenario)}
        self.lock = threading.RLock()   # the play loop and the buttons may act at once
        self.error: str | None = None
        self.model: CrisisModel = self._build()

    def _build(self) -> CrisisModel:
        s = self.settings
        return CrisisModel(s.scenario, seed=s.seed, policy=s.policy(), **s.overrides())

    # ------------------------------------------------------------------ actions

    def reset(self) -> None:
        with self.lock:
            try:
                self.model = self._build()
                self.error = None
            except ScenarioError as e:
                self.error = str(e)

    def step(self, days: int = 1) -> int:
        """Advance up to ``days`` days; return how many were run (0 once the run is over)."""
        with self.lock:
            done = 0
            for _ in range(max(0, days)):
                if not self.model.running:
                    break
                self.model.step()
                done += 1
            return done

    def set_scenario(self, name: str) -> None:
        """Switch scenario (also mid-run): new policy groups, a fresh model."""
        if name not in scenario_names():
            self.error = f"unknown scenario {name!r}"
            return
        with self.lock:
            self.settings.scenario = name
            self.settings.policies = {g: "as_happened" for g in policy_groups(name)}
            self.reset()

    def set_policy(self, group: str, policy: str) -> None:
        if policy not in POLICIES or group not in self.settings.policies:
            self.error = f"unknown policy {policy!r} or group {group!r}"
            return
        self.settings.policies[group] = policy
        self.reset()

    def set_rule(self, rule: str) -> None:
        if rule in RULES:
            self.settings.rule = rule
            self.reset()

    def set_parameter(self, name: str, value: float) -> None:
        self.settings.parameters[name] = clamp_parameter(name, value)
        self.reset()

    def set_seed(self, text: str | int) -> str | None:
        """Apply a seed typed by the user; return a message when it is not one (the run is unchanged)."""
        seed, msg = parse_seed(text)
        if msg:
            return msg
        self.settings.seed = seed
        self.reset()
        return None

    @property
    def running(self) -> bool:
        return bool(self.model.running)
