"""Defender policies: pluggable named strategies. Each module defines ``NAME``, ``DESCRIPTION`` and
``act(obs) -> list[Signal]`` (and ``STRATEGIC = True`` if the model's decision rule chooses for it);
adding a policy is adding one small module and one line below."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from agents.observation import Observation
from agents.policies import accommodation, appeasement, as_happened, deterrence, helsinki, reactive, strategic
from agents.signals import Signal

_MODULES: tuple[ModuleType, ...] = (as_happened, deterrence, appeasement, helsinki, accommodation, reactive, strategic)
POLICIES: dict[str, Callable[[Observation], list[Signal]]] = {m.NAME: m.act for m in _MODULES}
DESCRIPTIONS: dict[str, str] = {m.NAME: m.DESCRIPTION for m in _MODULES}
STRATEGIC: frozenset[str] = frozenset(m.NAME for m in _MODULES if getattr(m, "STRATEGIC", False))
"""Policies whose choices the model's decision rule makes."""


def get_policy(name: str) -> Callable[[Observation], list[Signal]]:
    """The ``act`` function of a named policy.

    Raises:
        KeyError: naming the unknown policy and the known ones.
    """
    try:
        return POLICIES[name]
    except KeyError:
        raise KeyError(f"unknown policy {name!r}; known: {', '.join(POLICIES)}") from None
