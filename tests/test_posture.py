"""Richardson posture dynamics against the closed form, and the stability condition."""

import numpy as np
import pytest

from model.posture import closed_form, daily_step, equilibrium, is_stable, simulate, step_operator


@pytest.mark.parametrize("params", [(0.02, 0.03, 0.05, 0.04, 0.01, 0.002), (0.01, 0.01, 0.005, 0.04, 0.0036, 0.0)])
def test_discrete_steps_match_closed_form(params):
    a, b, m, n, g, h = params
    x0 = np.array([0.3, 0.1])
    traj = simulate(x0, a, b, m, n, g, h, 150)
    for t in (1, 10, 75, 150):
        assert np.allclose(traj[t], closed_form(x0, a, b, m, n, g, h, t), atol=1e-10)


def test_stable_system_converges_to_equilibrium():
    a, b, m, n, g, h = 0.02, 0.03, 0.05, 0.04, 0.01, 0.002
    assert is_stable(a, b, m, n)
    traj = simulate(np.array([0.0, 0.0]), a, b, m, n, g, h, 3000)
    assert np.allclose(traj[-1], equilibrium(a, b, m, n, g, h), atol=1e-6)


def test_unstable_system_runs_away():
    a, b, m, n, g, h = 0.06, 0.05, 0.02, 0.03, 0.01, 0.01
    assert not is_stable(a, b, m, n)
    traj = simulate(np.array([0.1, 0.1]), a, b, m, n, g, h, 2000)
    assert traj[-1].min() > 100


def test_daily_step_is_the_step_operator_applied_once():
    phi, gamma = step_operator(0.05, 0.04, 0.1, 0.08)
    x, y, g, h = 0.4, 0.15, 0.02, 0.01
    expected = phi @ np.array([x, y]) + gamma @ np.array([g, h])
    assert daily_step(phi, gamma, x, y, g, h) == pytest.approx(tuple(expected), abs=1e-15)
