"""DESIGN.md's theory checks, from the general decision rule (no special routine for any of them)."""

import numpy as np
import pytest

from agents.signals import make
from model import CrisisModel
from model import decision as dec
from model.decision import LEVER, TERM
from model.parameters import Parameters
from model.posture import closed_form, is_stable, simulate


def _fearon_world(**kw):
    """A dyad where a bargain covers what the challenger wants (a limited aim: ``pretext_share`` 1, the core
    negotiable), a strategic leader that reviews daily, argmax choices."""
    base = {"core_negotiable": True, "pretext_share": 1.0, "review_days": 1, "decision_temperature": 0.0, "claim10": False,
                "war_cost": 0.25}
    return {**base, **kw}


def test_complete_information_and_no_commitment_problem_means_no_war():
    """Fearon 1995: with complete information and a divisible stake, the leader's own rule offers a bargain
    the challenger prefers to war; no run ends in war. The control shows the same world without a bargain
    on the table (the core not negotiable) does go to war, so the result is not the world's."""
    outcomes = [CrisisModel("two_blocs", seed=s, policy="strategic", **_fearon_world(complete_information=True))
                .run().outcome()["outcome"] for s in range(30)]
    assert "war" not in outcomes
    assert "deal" in outcomes   # the types that would fight are bought off; the others stand down or wait
    control = [CrisisModel("two_blocs", seed=s, policy="strategic",
                           **_fearon_world(complete_information=True, core_negotiable=False)).run().outcome()["outcome"]
               for s in range(30)]
    assert control.count("war") >= 5


def _reading(kind="conditional_call", **signal):
    m = CrisisModel("two_blocs", seed=1)
    m.deliver(make("sanctions_threat", "LDR", ("RED",), hands_tying=0.0))
    m.run(20)
    return m.reading(make(kind, "LDR", ("RED",), visibility="public", **signal))["LDR"]


def test_a_cost_only_a_resolved_type_would_pay_separates_the_types():
    """Fearon 1997: tied hands cost only the type that would back down if called, so the signal separates
    (likelihood ratio well above 1); the same words without the commitment are cheap talk (ratio 1)."""
    cheap = _reading(cost=0.0, hands_tying=0.0)
    tied = _reading(cost=0.0, hands_tying=0.6)
    assert cheap["ratio"] == pytest.approx(1.0, abs=1e-9)
    assert tied["ratio"] > 2.0
    assert tied["high"] > tied["low"]


def test_a_costly_signal_moves_the_observers_belief_more_than_a_cheap_one():
    def moved(**signal):
        m = CrisisModel("two_blocs", seed=1)
        w = m.world
        c, ldr = w.challenger, w.index["LDR"]
        m.deliver(make("sanctions_threat", "LDR", ("RED",), hands_tying=0.0))
        m.run(20)
        before = w.belief_resolve[c, ldr]
        m.deliver(make("conditional_call", "LDR", ("RED",), visibility="public", **signal))
        return w.belief_resolve[c, ldr] - before

    cheap, costly = moved(cost=0.0, hands_tying=0.0), moved(cost=0.3, hands_tying=0.6)
    assert costly > 0.05
    assert abs(cheap) < 1e-9
    assert costly > cheap


@pytest.mark.parametrize("kind,to", [("leader_call", "RED"), ("weapons_delay", "TGT"), ("acknowledge_concerns", "RED")])
def test_cheap_conciliatory_signals_lower_belief_under_reputation_and_not_under_current_calculus(kind, to):
    def effect(rule):
        m = CrisisModel("two_blocs", seed=1, credibility_rule=rule, concession_content=3.0)
        w = m.world
        c, ldr = w.challenger, w.index["LDR"]
        before = m.believed_resolve()[c, ldr]
        m.deliver(make(kind, "LDR", (to,)))
        return m.believed_resolve()[c, ldr] - before

    assert effect("reputation") < -0.002
    assert effect("current_calculus") == pytest.approx(0.0, abs=1e-12)
    assert effect("reputation") < effect("mix") < 0


def test_excluding_an_ally_from_talks_about_its_security_lowers_its_trust_and_including_it_does_not():
    def trust_after(participants):
        m = CrisisModel("two_blocs", seed=1)
        before = m.states["FLA"].trust_in("LDR")
        m.deliver(make("talks_offer", "LDR", ("RED",), format="minilateral", participants=participants,
                       about=("FLANK",)))
        return m.states["FLA"].trust_in("LDR") - before

    assert trust_after(("LDR", "BIG", "RED")) < -0.1
    assert trust_after(("LDR", "BIG", "RED", "FLA", "FLB")) >= 0


def test_no_sunk_cost_changes_a_choice():
    """Two worlds identical from today on but with different pasts (a challenger mobilised for 60 days or
    just now, different logs) give the same utilities and choice probabilities."""
    long = CrisisModel("two_blocs", seed=3).run(60)
    fresh = CrisisModel("two_blocs", seed=3).run(60)
    w = fresh.world
    c = w.challenger
    w.rung_since[:] = fresh.day          # just mobilised
    fresh.event_log.clear()
    fresh.dyad_log.clear()
    u_long, t_long = long._utilities(long._challengers[0])
    u_fresh, t_fresh = fresh._utilities(fresh._challengers[0])
    assert np.array_equal(u_long, u_fresh) and np.array_equal(t_long, t_fresh)
    temperature = long.params.decision_temperature
    assert np.array_equal(dec.choice_probabilities(u_long[2], temperature),
                          dec.choice_probabilities(u_fresh[2], temperature))
    assert w.rung[c] >= 3   # it is mobilised, and pays only the flow of its posture from now on
    assert t_long[0, TERM.FLOW_COST] == pytest.approx(
        long.params.upkeep_rate * long.world.posture[c] * long.params.lookahead_days)


def test_a_stronger_commitment_never_lowers_the_cost_of_backing_down():
    """Audience costs grow from the first commitment; a later, stronger one raises them (never resets)."""
    def backdown_cost(commitments, day=40):
        m = CrisisModel("two_blocs", seed=1, branch_date="2030-03-31")   # no choices of its own in between
        for when, strength in commitments:
            m.run(when - m.day)
            m.deliver(make("public_commitment", "RED", ("TGT",), hands_tying=strength))
        m.run(day - m.day)
        return m.situation()["audience_cost"]

    weak = backdown_cost([(5, 0.4)])
    stronger_later = backdown_cost([(5, 0.4), (30, 0.9)])
    assert stronger_later >= weak
    assert stronger_later > weak + 0.01
    for a, b in [(0.2, 0.3), (0.5, 0.9), (0.9, 1.0)]:
        assert dec.audience_cost(0.5, b, 10.0, 0.6, 14.0) >= dec.audience_cost(0.5, a, 10.0, 0.6, 14.0)
        assert dec.audience_cost(0.5, a, 20.0, 0.6, 14.0) >= dec.audience_cost(0.5, a, 10.0, 0.6, 14.0)


def test_default_posture_dynamics_are_stable_and_match_the_closed_form():
    p = Parameters()
    a, b, m, n = p.reaction_challenger, p.reaction_defender, p.fatigue_challenger, p.fatigue_defender
    assert is_stable(a, b, m, n) and m * n > a * b
    x0 = np.array([0.45, 0.1])
    traj = simulate(x0, a, b, m, n, p.mobilisation_rate, 0.0, 200)
    for t in (1, 50, 200):
        assert np.allclose(traj[t], closed_form(x0, a, b, m, n, p.mobilisation_rate, 0.0, t), atol=1e-10)
    assert np.isfinite(simulate(x0, a, b, m, n, p.mobilisation_rate, 0.0, 20000)).all()
    assert simulate(x0, a, b, m, n, p.mobilisation_rate, 0.0, 20000)[-1].max() < 5


def test_no_projected_shift_means_no_window_value_and_a_faster_shift_a_larger_one():
    """Fearon 1995's commitment problem: the value of acting now is the difference between fighting now and
    after the projected shift: zero without a shift, larger for a faster one."""
    def window(growth):
        from model.config import load_scenario

        sc = load_scenario("two_blocs")
        sc = sc.model_copy(update={"projection": sc.projection.model_copy(
            update={"target_power_growth_per_year": growth})})
        m = CrisisModel(sc, seed=1).run(10)
        return m.situation()["window"]

    assert window(0.0) == 0.0
    assert 0 < window(0.5) < window(2.0)


def test_levers_what_if_equals_the_delivered_signal():
    """A what-if (an observer's or a strategic sender's forecast) and the real delivery agree: the
    challenger's terms after a weapons delivery, forecast through its levers, equal those computed after
    delivering it."""
    m = CrisisModel("two_blocs", seed=2).run(5)
    ch = m._challengers[0]
    from model.effects import Delivery, levers

    sig = make("weapons_delivery", "LDR", ("TGT",))
    senders, k = m._resolve_sender(sig)
    d = Delivery(sig, senders, k, m._addressees(sig.addressees), m.world.all_states, m.day)
    lev = levers(m.world, d, m.params, int(senders[0]))
    assert lev[LEVER.TARGET_CAPABILITY] > 0
    _, forecast = m._utilities(ch, lever=lev, sender=int(senders[0]))
    belief = m.world.belief_resolve.copy()
    m.deliver(sig)
    m.world.belief_resolve[...] = belief      # the forecast leaves beliefs as they are
    _, delivered = m._utilities(ch)
    assert forecast[:, TERM.P_WIN] == pytest.approx(delivered[:, TERM.P_WIN], abs=1e-12)


def test_the_attack_forecast_equals_the_full_utilities_terms():
    """``attack_terms`` (what observers and strategic defenders use) is the full rule's fight / peace / p_win."""
    m = CrisisModel("ukraine_2021", seed=4, policy="deterrence").run(70)
    ch = m._challengers[0]
    _, full = m._utilities(ch)
    quick = m._attack_terms(ch)
    for term in (TERM.FIGHT, TERM.PEACE, TERM.P_WIN):
        assert quick[:, term] == pytest.approx(full[:, term], abs=1e-12)
