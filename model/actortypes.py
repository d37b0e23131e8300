"""Private types: what each actor is, drawn per run from the scenario's priors (DESIGN.md "Information").

Each actor is resolved (it values the stake fully) or not (it values it at ``resolve_low``), with prior
probability ``resolve_prior``; each challenger's aim is expansive (its demands are a pretext: the aim is
control of the target, Kross's reading) or limited, with prior probability ``aim_prior``. The Monte Carlo
spread of a scenario comes from these draws (and from parameter draws, when a posterior is used), not from
daily dice. Under ``complete_information`` every observer knows every type.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Parameters
from model.world import World


def draw_types(w: World, rng: np.random.Generator, p: Parameters) -> None:
    """Draw every actor's type (two uniform draws per actor, in actor order: the same seed gives the same
    types), and, under complete information, make every belief the truth."""
    u = rng.random((2, w.n))
    w.resolved = u[0] < w.resolve_prior
    w.expansive = u[1] < w.aim_prior
    if p.complete_information:
        w.belief_resolve[...] = np.where(w.resolved, 1.0 - 1e-9, 1e-9)[None, :]
        w.belief_aim[...] = np.where(w.expansive, 1.0 - 1e-9, 1e-9)[None, :]


def type_index(resolved: bool, expansive: bool) -> int:
    """The row of a challenger's type in ``decision.TYPES``."""
    return 2 * int(bool(resolved)) + int(bool(expansive))


def describe(w: World, i: int) -> str:
    """'resolved, expansive aim' — an actor's type in words (the aim only for challengers)."""
    words = "resolved" if w.resolved[i] else "not resolved"
    if i in w.challengers.tolist():
        words += ", expansive aim" if w.expansive[i] else ", limited aim"
    return words
