"""Allied cohesion (Snyder 1984's alliance security dilemma), in [0, 1].

Four components, each in [0, 1] with 1 = no problem:
- alignment: members perceive the challenger's threat alike (1 - 2 x std of threat perceptions);
- abandonment: members trust the leader (1 - mean fear of abandonment);
- entrapment: members do not fear being dragged into war or economic pain (1 - mean fear);
- burden: members are alike in what sanctions would cost them (1 - 2 x std of willingness to pay).
Cohesion is their weighted mean. It scales the credibility of collective signals and decides whether a
consensus alliance can act at all.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.numerics import pairwise_sum

COMPONENTS = ("alignment", "abandonment", "entrapment", "burden")


@njit(cache=True)
def weighted_std(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Standard deviation of ``x`` over each row's members (``mask`` is K x N of 0/1)."""
    out = np.empty(mask.shape[0])
    for k in range(mask.shape[0]):
        m = mask[k]
        n = pairwise_sum(m)
        mean = pairwise_sum(m * x) / n
        out[k] = np.sqrt(max(pairwise_sum(m * (x - mean) ** 2) / n, 0.0))
    return out


def sanction_willingness(exposure_to_challenger: np.ndarray, boomerang_sensitivity: float) -> np.ndarray:
    """How willing each state is to pay for sanctions, given the boomerang on its own economy."""
    return np.clip(1.0 - boomerang_sensitivity * exposure_to_challenger, 0.0, 1.0)


def cohesion_components(members: np.ndarray, trust_in_centre: np.ndarray, threat_of_challenger: np.ndarray,
                        entrapment: np.ndarray, willingness: np.ndarray) -> dict[str, np.ndarray]:
    """Components for K alliances at once.

    Args:
        members: K x N 0/1 membership matrix.
        trust_in_centre: K x N, each member's trust in its alliance's leader (or in the other members).
        threat_of_challenger: N, each state's perceived threat from the challenger (0-1).
        entrapment: N, each state's fear of entrapment (0-1).
        willingness: N, each state's willingness to pay for sanctions (0-1).
    """
    return components_from_levels(members, threat_of_challenger, burden(willingness, members),
                                  trust_level(members, trust_in_centre), mean_fear(members, entrapment))


@njit(cache=True)
def alike(x: np.ndarray, members: np.ndarray) -> np.ndarray:
    """K: how alike each alliance's members are in ``x``: 1 - 2 x its standard deviation over them, within
    [0, 1] (the alignment and burden components)."""
    return np.minimum(np.maximum(1.0 - 2.0 * weighted_std(x, members), 0.0), 1.0)


def burden(willingness: np.ndarray, members: np.ndarray) -> np.ndarray:
    """K: the burden component (members alike in what sanctions would cost them); fixed for a run."""
    return alike(willingness, members)


@njit(cache=True)
def trust_level(members: np.ndarray, trust_in_centre: np.ndarray) -> np.ndarray:
    """K: each alliance's mean trust of its members in its centre."""
    out = np.empty(members.shape[0])
    for k in range(members.shape[0]):
        out[k] = pairwise_sum(members[k] * trust_in_centre[k]) / pairwise_sum(members[k])
    return out


@njit(cache=True)
def trust_in_centre(members: np.ndarray, leaders: np.ndarray, trust: np.ndarray) -> np.ndarray:
    """K x N: each state's trust in each alliance's centre: its leader (``leaders[k]`` >= 0) or, for an
    alliance without one, the mean of its trust in the other members."""
    k_count, n = members.shape
    centre = np.empty((k_count, n))
    for k in range(k_count):
        if leaders[k] >= 0:
            centre[k] = trust[:, leaders[k]]
        else:
            m = members[k]
            others = max(pairwise_sum(m) - 1, 1)
            for i in range(n):
                centre[k, i] = (pairwise_sum(trust[i] * m) - trust[i, i] * m[i]) / others
    return centre


@njit(cache=True)
def mean_fear(members: np.ndarray, entrapment: np.ndarray) -> np.ndarray:
    """K: each alliance's members' mean fear of entrapment."""
    out = np.empty(members.shape[0])
    for k in range(members.shape[0]):
        out[k] = pairwise_sum(members[k] * entrapment) / pairwise_sum(members[k])
    return out


def components_from_levels(members: np.ndarray, threat_of_challenger: np.ndarray, burden: np.ndarray,
                           trust: np.ndarray, entrapment: np.ndarray) -> dict[str, np.ndarray]:
    """The components, given each alliance's mean trust in its centre and mean fear of entrapment (and the
    burden component, which does not change during a run).

    Trust drifts back to its baseline and entrapment fear decays geometrically between signals, so these
    two means follow the same geometric path day by day: the model carries them forward on quiet days
    and recomputes everything from the members only when a signal has changed something.
    """
    return {
        "alignment": alike(threat_of_challenger, members),
        "abandonment": np.clip(trust, 0.0, 1.0),
        "entrapment": np.clip(1.0 - entrapment, 0.0, 1.0),
        "burden": burden,
    }


def cohesion(components: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted mean of the components (weights need not sum to one)."""
    total = sum(weights[c] for c in COMPONENTS)
    al, ab, en, bu = (weights[c] * components[c] for c in COMPONENTS)
    return (al + ab + en + bu) / total


@njit(cache=True)
def cohesion_from_levels(alignment, burden, trust, fear, weights, abandonment, entrapment, out) -> None:
    """Abandonment, entrapment and cohesion per alliance from its mean trust and mean fear, written into
    ``abandonment``, ``entrapment`` and ``out``: the same values as ``components_from_levels`` then
    ``cohesion`` when alignment and burden are known (a quiet day's update; ``weights`` in ``COMPONENTS``
    order)."""
    w_al, w_ab, w_en, w_bu = weights[0], weights[1], weights[2], weights[3]
    total = w_al + w_ab + w_en + w_bu
    for k in range(out.shape[0]):
        abandonment[k] = min(max(trust[k], 0.0), 1.0)
        entrapment[k] = min(max(1.0 - fear[k], 0.0), 1.0)
        out[k] = (w_al * alignment[k] + w_ab * abandonment[k] + w_en * entrapment[k] + w_bu * burden[k]) / total
