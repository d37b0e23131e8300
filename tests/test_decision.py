"""The challenger's decision: Fearon's bargain, boomerang, security dilemma, accidents, goals, window."""

import numpy as np
import pytest

from agents.signals import make
from model import CrisisModel
from model import decision as dec
from model.hazard import accident_hazard


def test_bargaining_range_is_non_empty_when_war_is_costly():
    low, high = dec.bargaining_range(0.6, 0.2, 0.1)
    assert low < high and low == pytest.approx(0.4) and high == pytest.approx(0.7)


def test_complete_information_and_no_commitment_problem_means_no_war():
    """Fearon 1995: with complete information, a divisible stake and no closing window, a bargain
    both prefer to war is offered and accepted; no run ends in war."""
    outcomes = [CrisisModel("two_blocs", seed=s, complete_information=True, core_negotiable=True,
                            window_rate=0.0, decision_temperature=0.0).run().outcome()["outcome"]
                for s in range(8)]
    assert "war" not in outcomes
    assert outcomes.count("deal") == len(outcomes)


def test_without_complete_information_the_same_world_can_go_to_war():
    outcomes = [CrisisModel("two_blocs", seed=s).run().outcome()["outcome"] for s in range(8)]
    assert "war" in outcomes


def test_logit_choice_is_a_distribution_and_zero_temperature_is_argmax():
    u = np.array([0.1, 0.3, -np.inf, 0.2, 0.0])
    p = dec.choice_probabilities(u, 0.1)
    assert p.sum() == pytest.approx(1.0) and p[2] == 0 and np.argmax(p) == 1
    assert dec.choice_probabilities(u, 0.0).tolist() == [0, 1, 0, 0, 0]
    assert dec.choose(u, 0.0, 0.99) == 1


def test_sanctions_boomerang_lowers_credibility():
    """Claim 6: a sender exposed to the challenger's economy is a less credible sanctioner."""
    cred = dec.sanction_credibility(np.array([0.6, 0.6]), np.array([0.0, 0.8]), 1.0, np.ones(2))
    assert cred[1] < cred[0]
    off = dec.sanction_credibility(np.array([0.6, 0.6]), np.array([0.0, 0.8]), 0.0, np.ones(2))
    assert off[0] == off[1]


@pytest.mark.parametrize("sensitivity", [1.0, 0.0])
def test_who_bears_the_cost_decides_expected_sanctions(sensitivity):
    """Claim 6: the same package is less credible when its sender's economy is exposed to the
    challenger (the boomerang); with the boomerang switched off, exposure does not matter."""
    m = CrisisModel("two_blocs", seed=1, perception_noise=0.0, boomerang_sensitivity=sensitivity)
    w = m.world
    m.deliver(make("sanctions_threat", "FLB", ("RED",)))
    exposed = m.situation().sanctions
    w.exposure[w.index["FLB"]] = 0.0
    sheltered = m.situation().sanctions
    if sensitivity > 0:
        assert exposed < sheltered
    else:
        assert exposed == pytest.approx(sheltered)


@pytest.mark.parametrize("dilemma,rises", [(0.8, True), (0.0, False)])
def test_security_dilemma_defensive_moves_read_as_threat(dilemma, rises):
    """Claim 7: threat = capability x intention; defensive reinforcement raises the challenger's
    reading of hostile intent only when the security dilemma is on."""
    m = CrisisModel("two_blocs", seed=1, security_dilemma=dilemma)
    red = m.states["RED"]
    before = red.threat_from("LDR")
    m.deliver(make("flank_reinforcement", "LDR", ("RED",)))
    assert (red.threat_from("LDR") > before) is rises
    # threat scales with capability at the same intention
    w = m.world
    assert red.threat_from("LDR") > 0
    w.capability[w.index["LDR"]] *= 0.01
    assert red.threat_from("LDR") < before or not rises


def test_channels_and_incident_prevention_lower_the_accident_hazard():
    """Claim 8: the negotiable items lower the risk of accidental escalation."""
    args = {"base": 0.001, "rung_growth": 1.5, "channel_reduction": 0.5, "prevention_reduction": 0.5}
    h0 = accident_hazard(5, 0.5, 0.0, 0.0, **args)
    h1 = accident_hazard(5, 0.5, 1.0, 0.0, **args)
    h2 = accident_hazard(5, 0.5, 1.0, 1.0, **args)
    assert h2 < h1 < h0
    assert accident_hazard(6, 0.5, 0, 0, **args) > h0  # rises with the rung
    m = CrisisModel("two_blocs", seed=1)
    m.deliver(make("concession", "LDR", ("RED",), item="military_channels"))
    m.deliver(make("concession", "LDR", ("RED",), item="incident_prevention"))
    assert m.world.channels == 1.0 and m.world.prevention == 1.0


def test_concessions_buy_time_by_putting_a_deal_on_the_table():
    m = CrisisModel("two_blocs", seed=1)
    assert m.situation().deal == 0
    m.deliver(make("concession", "LDR", ("RED",), item="missile_limits"))
    s = m.situation()
    assert s.deal > 0 and np.isfinite(dec.utilities(s, 0.1)[dec.ACCEPT])


@pytest.mark.parametrize("negotiable", [False, True])
def test_core_demands_are_offered_only_when_negotiable(negotiable):
    """Claim 8: core demands are non-negotiable in the reference scenario; a switch makes them so."""
    m = CrisisModel("ukraine_2021", seed=2, policy="accommodation", core_negotiable=negotiable).run(70)
    assert len(m.world.items_offered) == 4
    assert (m.world.core_offered > 0) is negotiable


def test_strategic_horizon_raises_the_value_of_war():
    """Claim 9: a long horizon (strategic goal) makes the same war worth more to the challenger."""
    assert dec.stake_value(1.0, 20, 0.25) > dec.stake_value(1.0, 2, 0.25)
    m_long = CrisisModel("two_blocs", seed=1)
    m_short = CrisisModel("two_blocs", seed=1)
    m_short.world.horizon[m_short.world.challenger] = 1.0
    u_long = dec.utilities(m_long.situation(), 0)[dec.ATTACK]
    u_short = dec.utilities(m_short.situation(), 0)[dec.ATTACK]
    assert u_long > u_short


@pytest.mark.parametrize("aversion,concedes", [(0.95, True), (0.1, False)])
def test_war_averse_leader_concedes_under_the_reactive_policy(aversion, concedes):
    """Claim 9: the leader's tactical goal (avoid war now) shows in its concessions."""
    m = CrisisModel("two_blocs", seed=4, policy="reactive")
    m.world.war_aversion[m.world.leader] = aversion
    m.run()
    made = any(e.signal == "concession" for e in m.event_log)
    assert made is concedes


def test_closing_window_raises_the_value_of_acting_now():
    """Claim 10 (commitment problem): with the window closing, attacking now is worth more."""
    u = {}
    for rate in (0.0, 0.01):
        m = CrisisModel("two_blocs", seed=1, window_rate=rate)
        u[rate] = dec.utilities(m.situation(), 0)[dec.ATTACK]
    assert u[0.01] > u[0.0]
    wars = {rate: sum(CrisisModel("two_blocs", seed=s, window_rate=rate, policy="deterrence").run().world.war
                      for s in range(30)) for rate in (0.0, 0.02)}
    assert wars[0.02] > wars[0.0]
