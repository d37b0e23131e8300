"""Allied cohesion (Snyder 1984's alliance security dilemma), in [0, 1].

Four components, each in [0, 1] with 1 = no problem:
- alignment: members perceive the challenger's threat alike (1 - 2 x std of threat perceptions, where a
  member's threat perception is the challenger's capability share x the intention it reads: claim 7);
- abandonment: members trust the alliance's centre (its leader, or the other members);
- entrapment: members do not fear being dragged into war or economic pain (1 - mean fear);
- burden: members are alike in what sanctions would cost them (1 - 2 x std of willingness to pay).
Cohesion is their weighted mean. It scales the credibility of collective threats (claim 4) and decides
whether a consensus alliance can act at all.
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


@njit(cache=True)
def alike(x: np.ndarray, members: np.ndarray) -> np.ndarray:
    """K: how alike each alliance's members are in ``x``: 1 - 2 x its standard deviation, within [0, 1]."""
    return np.minimum(np.maximum(1.0 - 2.0 * weighted_std(x, members), 0.0), 1.0)


def sanction_willingness(exposure_to_challenger: np.ndarray, boomerang_sensitivity: float) -> np.ndarray:
    """How willing each state is to pay for sanctions, given the boomerang on its own economy."""
    return np.clip(1.0 - boomerang_sensitivity * exposure_to_challenger, 0.0, 1.0)


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
def members_mean(members: np.ndarray, x: np.ndarray) -> np.ndarray:
    """K: each alliance's members' mean of ``x`` (N, or K x N per alliance)."""
    out = np.empty(members.shape[0])
    for k in range(members.shape[0]):
        values = x[k] if x.ndim == 2 else x
        out[k] = pairwise_sum(members[k] * values) / pairwise_sum(members[k])
    return out


@njit(cache=True)
def perceived_threat(capability: np.ndarray, intention: np.ndarray, challenger: int) -> np.ndarray:
    """Each state's perceived threat from the challenger: its capability share in the dyad x the intention
    the state reads in it (claim 7: threat = capability x intention)."""
    share = capability[challenger] / (capability[challenger] + capability)
    return share * intention[:, challenger]


@njit(cache=True)
def update_cohesion(members, leaders, trust, entrapment, capability, intention, challenger, burden, weights,
                    components, cohesion) -> None:
    """Every alliance's components (rows of ``components`` in ``COMPONENTS`` order) and cohesion from its
    members, in place; ``burden`` (K) is fixed for a run, ``weights`` in ``COMPONENTS`` order."""
    if members.shape[0] == 0:
        return
    components[0] = alike(perceived_threat(capability, intention, challenger), members)
    components[1] = np.minimum(np.maximum(members_mean(members, trust_in_centre(members, leaders, trust)), 0.0), 1.0)
    components[2] = np.minimum(np.maximum(1.0 - members_mean(members, entrapment), 0.0), 1.0)
    components[3] = burden
    total = weights[0] + weights[1] + weights[2] + weights[3]
    for k in range(cohesion.shape[0]):
        cohesion[k] = (weights[0] * components[0, k] + weights[1] * components[1, k] + weights[2] * components[2, k]
                       + weights[3] * components[3, k]) / total
