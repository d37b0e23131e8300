"""CrisisLab's world: scenario config, the arrays, the mechanisms and ``CrisisModel``."""

from model.compiled import configure_cache

configure_cache()  # before any compiled function is defined: see model/compiled.py

from model.config import ScenarioError, available_scenarios, load_scenario
from model.crisis import CrisisModel

__all__ = ["CrisisModel", "ScenarioError", "available_scenarios", "load_scenario"]
