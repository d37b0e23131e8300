"""Beliefs about resolve: costly vs cheap signals, the two credibility rules, audience costs."""

import numpy as np
import pytest

from agents.signals import make
from model import CrisisModel
from model.beliefs import audience_cost, beta_mean, calculus_resolve, signal_weight, update_resolve


def _challenger_belief_of(m, iso):
    return float(m.believed_resolve()[m.world.challenger, m.world.index[iso]])


def _belief_shift(kind, rule, seed, to=("RED",)):
    """How much one public signal of LDR moves the challenger's belief about LDR's resolve."""
    m = CrisisModel("two_blocs", seed=seed, credibility_rule=rule, perception_noise=0.0)
    before = _challenger_belief_of(m, "LDR")
    m.deliver(make(kind, "LDR", to, visibility="public"))
    return _challenger_belief_of(m, "LDR") - before


def test_costly_signal_moves_belief_more_than_cheap_one_pure():
    cheap = signal_weight(0.0, 0.0, cheap_weight=0.8, costly_weight=3.0)
    costly = signal_weight(0.7, 0.5, cheap_weight=0.8, costly_weight=3.0)
    shift = {}
    for name, weight in (("cheap", cheap), ("costly", costly)):
        a, b = np.full((1, 1), 3.0), np.full((1, 1), 3.0)   # one observer's belief about one sender
        update_resolve(a, b, np.array([0]), +1, np.array([weight]))
        shift[name] = beta_mean(a, b)[0, 0] - 0.5
    assert shift["costly"] > shift["cheap"] > 0
    a, b = np.full((1, 1), 3.0), np.full((1, 1), 3.0)
    update_resolve(a, b, np.array([0]), -1, np.array([costly]))
    assert a[0, 0] == 3.0 and b[0, 0] == 3.0 + costly   # conciliatory: evidence of irresolution


@pytest.mark.parametrize("rule", ["reputation", "current_calculus", "mix"])
def test_costly_firm_signal_moves_challenger_more_than_cheap_firm_signal(rule):
    """Claim 5 (Fearon 1997): under every rule a deployment moves the belief more than a firm call."""
    deltas = {kind: _belief_shift(kind, rule, seed=3) for kind in ("flank_reinforcement", "conditional_call")}
    assert deltas["flank_reinforcement"] > deltas["conditional_call"] >= 0
    assert deltas["flank_reinforcement"] > 0.01


@pytest.mark.parametrize("kind", ["leader_call", "weapons_delay", "acknowledge_concerns"])
def test_cheap_conciliatory_signal_lowers_belief_under_reputation_only(kind):
    """Claim 1: chocolates instead of a pistol read as weakness if credibility is reputation."""
    to = ("TGT",) if kind == "weapons_delay" else ("RED",)
    changes = {rule: _belief_shift(kind, rule, seed=5, to=to) for rule in ("reputation", "current_calculus")}
    assert changes["reputation"] < -0.02
    assert abs(changes["current_calculus"]) < 1e-9


def test_mix_rule_lies_between_the_two():
    changes = {}
    for rule in ("reputation", "current_calculus", "mix"):
        m = CrisisModel("two_blocs", seed=5, credibility_rule=rule, perception_noise=0.0, credibility_weight=0.5)
        before = _challenger_belief_of(m, "LDR")
        m.deliver(make("leader_call", "LDR", ("RED",), visibility="public"))
        changes[rule] = _challenger_belief_of(m, "LDR") - before
    assert changes["reputation"] < changes["mix"] < changes["current_calculus"]


def test_audience_cost_grows_while_commitment_stands_and_saturates():
    costs = audience_cost(0.6, np.array([0, 7, 14, 60, 1000]), 0.5, 14.0)
    assert costs[0] == 0
    assert np.all(np.diff(costs) > 0)
    assert costs[-1] == pytest.approx(0.5 * 0.6, rel=1e-6)


def test_public_hands_tying_raises_current_calculus_credibility_over_time():
    m = CrisisModel("two_blocs", seed=1, credibility_rule="current_calculus", perception_noise=0.0)
    m.deliver(make("public_rejection", "LDR", ("RED",)))
    first = _challenger_belief_of(m, "LDR")
    m.run(20)
    assert _challenger_belief_of(m, "LDR") > first


def test_calculus_credibility_is_increasing_in_power_and_interest():
    assert calculus_resolve(0.8, 0.5, 0.5) > calculus_resolve(0.4, 0.5, 0.5)
    assert calculus_resolve(0.5, 0.9, 0.5) > calculus_resolve(0.5, 0.3, 0.5)


def test_private_signal_is_not_perceived_by_third_parties():
    m = CrisisModel("two_blocs", seed=2, perception_noise=0.0)
    w = m.world
    before = m.believed_resolve()[w.index["BIG"], w.index["LDR"]]
    m.deliver(make("weapons_delay", "LDR", ("TGT",)))  # private by default
    assert m.believed_resolve()[w.index["BIG"], w.index["LDR"]] == before
    assert m.believed_resolve()[w.index["TGT"], w.index["LDR"]] < before
