"""Accidental escalation: Schelling's threat that leaves something to chance.

A per-day hazard that rises with the rung and with how close the deployed forces are, and falls with
military communication channels and incident-prevention agreements (seed 003's negotiable items).
"""

from __future__ import annotations

from numba import njit


@njit(cache=True)
def accident_hazard(rung: float, proximity: float, channels: float, prevention: float, base: float,
                    rung_growth: float, channel_reduction: float, prevention_reduction: float) -> float:
    """Daily probability of a dangerous military incident.

    Args:
        rung: the highest current rung (0-9).
        proximity: product of the opposing forces' deployed levels (0-1).
        channels: how far military communication channels are open (0-1).
        prevention: how far incident-prevention mechanisms are agreed (0-1).
    """
    h = base * rung_growth ** rung * (0.25 + proximity)
    h *= (1.0 - channel_reduction * channels) * (1.0 - prevention_reduction * prevention)
    return min(max(h, 0.0), 1.0)
