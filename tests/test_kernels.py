"""The compiled day computes what NumPy would, bit for bit: its sums follow NumPy's pairwise order."""

import numpy as np
import pytest

from model.cohesion import mean_fear, trust_in_centre, trust_level, weighted_std
from model.numerics import dot, pairwise_sum


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 21, 127, 128, 129, 255, 256, 1000, 4099])
def test_pairwise_sum_is_numpys_sum_bit_for_bit(n):
    rng = np.random.default_rng(n)
    for scale in (1.0, 1e-3, 1e6):
        x = rng.standard_normal(n) * scale
        assert pairwise_sum(x) == np.add.reduce(x)
        assert pairwise_sum(x[::3]) == np.add.reduce(x[::3])   # strided, as a row or column slice is


def test_compiled_cohesion_helpers_match_the_numpy_formulas_bit_for_bit():
    rng = np.random.default_rng(11)
    for _ in range(50):
        k, n = int(rng.integers(1, 5)), int(rng.integers(2, 300))
        members = (rng.random((k, n)) < 0.5).astype(float)
        members[:, :2] = 1.0
        x, fear, trust = rng.random(n), rng.random(n), rng.random((n, n))
        count = members.sum(axis=1)
        mean = dot(members, x) / count
        std = np.sqrt(np.maximum((members * (x[None, :] - mean[:, None]) ** 2).sum(axis=1) / count, 0.0))
        assert np.array_equal(weighted_std(x, members), std)
        leaders = np.array([int(rng.integers(-1, n)) for _ in range(k)])
        centre = np.empty((k, n))
        for a, lead in enumerate(leaders):
            m = members[a]
            centre[a] = trust[:, lead] if lead >= 0 else (dot(trust, m) - np.diag(trust) * m) / max(m.sum() - 1, 1)
        assert np.array_equal(trust_in_centre(members, leaders, trust), centre)
        assert np.array_equal(trust_level(members, centre), (members * centre).sum(axis=1) / count)
        assert np.array_equal(mean_fear(members, fear), dot(members, fear) / count)
