"""The decision rule's pure functions, Bayes' rule, the catalogue's declarations and the packed layouts."""

import itertools
import math

import numpy as np
import pytest

from agents.signals import CATALOGUE, CHANNEL_RULES, ROLES, make
from model import CrisisModel
from model import decision as dec
from model.beliefs import posterior, update_challenger, update_resolve
from model.effects import check_rules
from model.hazard import accident_hazard
from model.packing import layout, pack, unpack


def test_win_probability_is_a_tullock_contest():
    assert dec.win_probability(1.0, 1.0, 2.0) == pytest.approx(0.5)
    assert dec.win_probability(2.0, 1.0, 2.0) == pytest.approx(0.8)
    assert dec.win_probability(0.0, 0.0, 2.0) == 0.5
    assert dec.win_probability(3.0, 1.0, 4.0) > dec.win_probability(3.0, 1.0, 1.0)


def test_quantal_choice_is_a_distribution_and_temperature_zero_is_the_argmax():
    u = np.array([0.1, 0.3, -np.inf, 0.29])
    p = dec.choice_probabilities(u, 0.05)
    assert p.sum() == pytest.approx(1.0) and p[2] == 0 and p[1] > p[3] > p[0]
    assert list(dec.choice_probabilities(u, 0.0)) == [0, 1, 0, 0]
    assert dec.choose(u, 0.0, 0.999) == 1
    assert dec.choose(np.array([0.0, 0.0]), 1.0, 0.49) == 0 and dec.choose(np.array([0.0, 0.0]), 1.0, 0.51) == 1


def test_logistic_pieces_are_safe_at_the_extremes():
    assert dec.sigmoid(1e6) == 1.0 and dec.sigmoid(-1e6) == 0.0 and dec.sigmoid(0.0) == 0.5
    assert dec.smooth_step(0.1, 0.0) == 1.0 and dec.smooth_step(0.0, 0.0) == 0.5
    assert dec.follow_through(0.2, 0.3, 0.1, 0.02) > dec.follow_through(0.2, 0.0, 0.1, 0.02)   # tied hands
    assert dec.follow_through(0.2, 0.0, 0.4, 0.02) < dec.follow_through(0.2, 0.0, 0.1, 0.02)   # boomerang


def test_bayes_rule_and_its_floor():
    assert posterior(0.5, 0.8, 0.2) == pytest.approx(0.8)
    assert posterior(0.3, 0.5, 0.5) == pytest.approx(0.3)
    assert posterior(0.5, 0.0, 0.0) == 0.5
    belief = np.full((3, 3), 0.5)
    update_resolve(belief, np.array([0, 1, 2]), 2, 0.9, 0.3, np.ones(1))
    assert belief[0, 2] == pytest.approx(0.75) and belief[2, 2] == 0.5   # nobody learns about itself from itself


def test_a_challengers_move_updates_resolve_and_aim_from_its_four_types():
    r, a = np.full((2, 2), 0.5), np.full((2, 2), 0.5)
    # a move only expansive types make: the aim is revealed, resolve unchanged
    update_challenger(r, a, np.array([0]), 1, np.array([0.0, 0.6, 0.0, 0.6]), np.ones(1))
    assert a[0, 1] > 0.99 and r[0, 1] == pytest.approx(0.5)


def test_the_readers_tremble_bounds_every_likelihood_ratio():
    u = np.array([[0.0, -10.0], [0.0, 10.0], [0.0, -10.0], [0.0, 10.0]])
    p = dec.read_probabilities(u, 0.01, 0.1)
    assert p.min() >= 0.05 and np.allclose(p.sum(axis=1), 1.0)
    assert p[1, 1] / p[0, 1] < 20


def test_attack_probability_weighs_each_types_best_fight_against_its_best_peace():
    terms = np.zeros((4, len(dec.TERM)))
    terms[:, dec.TERM.FIGHT] = [-1, -1, 1, 1]        # only resolved types would fight
    assert dec.attack_probability(terms, 0.01, 0.0, 0.5) == pytest.approx(0.0, abs=1e-9)
    assert dec.attack_probability(terms, 0.01, 1.0, 0.5) == pytest.approx(1.0, abs=1e-9)
    assert dec.attack_probability(terms, 0.01, 0.3, 0.5) == pytest.approx(0.3, abs=1e-6)


def test_audience_costs_grow_with_the_commitments_age_and_saturate():
    costs = [dec.audience_cost(0.5, 0.8, t, 0.6, 14.0) for t in (0, 7, 14, 60, 600)]
    assert costs[0] == 0 and all(b >= a for a, b in itertools.pairwise(costs))
    assert costs[-1] == pytest.approx(0.6 * 0.5 * 0.8, rel=1e-6)
    assert dec.audience_cost(0.5, 0.0, 100, 0.6, 14.0) == 0 and dec.audience_cost(0.5, 0.8, -1, 0.6, 14.0) == 0


def test_a_longer_horizon_values_a_lasting_gain_more():
    assert dec.horizon_factor(20, 5) > dec.horizon_factor(2, 5) > 0
    strategic = CrisisModel("ukraine_2021", seed=1)
    w = strategic.world
    assert w.value_high[w.index["RUS"]] / w.stake[w.index["RUS"]] > w.value_high[w.index["USA"]] / w.stake[
        w.index["USA"]]
    alike = CrisisModel("ukraine_2021", seed=1, claim9=False).world
    assert alike.horizon_years[alike.index["RUS"]] == alike.horizon_years[alike.index["USA"]]


def test_who_bears_the_cost_of_sanctions_decides_their_credibility():
    """Claim 6: a threat from a sender its own sanctions would hurt (high exposure) adds less to what the
    challenger expects than the same threat from an unexposed sender; without the boomerang, alike."""
    def sanctions(sender, **kw):
        m = CrisisModel("two_blocs", seed=1, **kw)
        m.deliver(make("sanctions_threat", sender, ("RED",), hands_tying=0.0))
        return m.situation()["sanctions"]

    flb, ldr = sanctions("FLB"), sanctions("LDR")           # FLB: energy-dependent; LDR: unexposed
    share = {s: CrisisModel("two_blocs", seed=1)._challengers[0]["harm"][CrisisModel("two_blocs", seed=1).world.index[s]]
             for s in ("FLB", "LDR")}
    assert flb / share["FLB"] < ldr / share["LDR"]
    flb_off, ldr_off = sanctions("FLB", claim6=False), sanctions("LDR", claim6=False)
    assert flb_off / share["FLB"] > flb / share["FLB"]
    assert ldr_off == pytest.approx(ldr, rel=0.05)


def test_communication_channels_and_incident_prevention_lower_the_accident_hazard():
    base = accident_hazard(5.0, 0.5, 0.0, 0.0, 0.001, 1.5, 0.5, 0.5)
    assert accident_hazard(5.0, 0.5, 1.0, 0.0, 0.001, 1.5, 0.5, 0.5) < base
    assert accident_hazard(5.0, 0.5, 1.0, 1.0, 0.001, 1.5, 0.5, 0.5) < accident_hazard(5.0, 0.5, 1.0, 0.0, 0.001,
                                                                                        1.5, 0.5, 0.5)
    m = CrisisModel("two_blocs", seed=1)
    m.deliver(make("concession", "LDR", ("RED",), item="hotline"))
    assert m.world.channels == 1.0 and m.world.offer_value() == pytest.approx(0.05)
    off = CrisisModel("two_blocs", seed=1, claim8=False)
    off.deliver(make("concession", "LDR", ("RED",), item="hotline"))
    assert off.world.channels == 0.0


def test_the_core_is_on_the_table_only_where_the_scenario_makes_it_negotiable():
    def pending(negotiable):
        m = CrisisModel("two_blocs", seed=1, core_negotiable=negotiable)
        return m._items_pending()

    assert "core" in pending(True) and "core" not in pending(False)
    assert "neutrality" not in pending(True)   # an item the scenario marks non-negotiable


def test_every_declared_channel_rule_has_a_rule_and_every_kind_uses_declared_rules():
    assert check_rules() == []
    for name, kind in CATALOGUE.items():
        for channel, (rule, weight) in kind.channels.items():
            assert rule in CHANNEL_RULES[channel], (name, channel, rule)
            assert math.isfinite(weight)
        assert set(kind.options_for) <= set(ROLES), name
        assert 0 <= kind.cost <= 1 and 0 <= kind.hands_tying <= 1 and kind.concedes >= 0, name
        assert kind.source, name


def test_no_module_branches_on_a_signal_kinds_name():
    """The catalogue is the one place that says what a signal does: the channels and the model read its
    declarations, not kind names (the decision rule names only the moves that end a crisis or step down)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent
    kinds = "|".join(CATALOGUE)
    pattern = re.compile(rf"kind\s*==\s*[\"']({kinds})[\"']")
    for path in [*root.glob("model/*.py"), *root.glob("agents/*.py")]:
        hits = pattern.findall(path.read_text())
        assert not hits, f"{path.name} branches on kind names: {hits}"


def test_packed_layouts_round_trip_and_refuse_missing_or_unknown_names():
    lay = layout("T", ("a", "b"))
    row = pack(lay, a=1.0, b=2.0)
    assert unpack(lay, row) == {"a": 1.0, "b": 2.0} and lay.B == 1
    with pytest.raises(KeyError, match="missing"):
        pack(lay, a=1.0)
    with pytest.raises(KeyError, match="unknown"):
        pack(lay, a=1.0, b=2.0, c=3.0)
    with pytest.raises(ValueError):
        layout("U", ("a", "a"))


def test_signal_defaults_come_from_the_catalogue():
    s = make("weapons_delivery", "USA", "UKR")
    assert (s.cost, s.hands_tying, s.direction) == (CATALOGUE["weapons_delivery"].cost,
                                                    CATALOGUE["weapons_delivery"].hands_tying, 1)
    assert make("leader_call", "USA", ("RUS",), cost=0.3).cost == 0.3
    with pytest.raises(KeyError, match="unknown signal kind"):
        make("bombing", "USA")
