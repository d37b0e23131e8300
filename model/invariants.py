"""What must hold in every state of every run, in one place: the property tests and the soak script check
these (``violations(model)`` lists what does not hold; empty is good)."""

from __future__ import annotations

import math

import numpy as np

from agents.ladder import Rung

UNIT_ARRAYS = ("trust", "cohesion", "posture", "intention", "entrapment", "package", "enacted", "commitment",
               "belief_resolve", "belief_aim", "demand")
TOP = int(max(Rung))


def violations(model) -> list[str]:
    """Every broken invariant of the model's current state, as a short sentence."""
    w = model.world
    out = []
    for name in ("rung", "dyad_rung"):
        a = getattr(w, name)
        if a.size and (a.min() < 0 or a.max() > TOP):
            out.append(f"{name} outside 0..{TOP}")
    for name in UNIT_ARRAYS:
        a = np.asarray(getattr(w, name), dtype=float)
        if not np.isfinite(a).all():
            out.append(f"{name} not finite")
        elif a.size and (a.min() < 0 or a.max() > 1):
            out.append(f"{name} outside [0, 1]")
    for c, a in w.components.items():
        if not (np.isfinite(a).all() and ((a >= 0) & (a <= 1)).all()):
            out.append(f"cohesion component {c} outside [0, 1]")
    believed = model.believed_resolve()
    if not (np.isfinite(believed).all() and ((believed >= 0) & (believed <= 1)).all()):
        out.append("believed resolve outside [0, 1]")
    for key, value in model.outcome().items():
        if isinstance(value, float) and not math.isfinite(value):
            out.append(f"outcome {key} not finite")
    if w.war and w.war_day is None:
        out.append("war without a war day")
    if not np.isfinite(w.capability).all() or (w.capability < 0).any():
        out.append("capability negative or not finite")
    ended = sum(x is not None for x in (w.war_day, w.deal_day, w.backdown_day))
    if ended > 1:
        out.append("more than one ending (war, deal, backdown)")
    return out
