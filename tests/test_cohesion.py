"""Trust, talks formats, the ultimatum's split, cohesion and the credibility of collective threats."""

import numpy as np
import pytest

from agents.signals import make
from model import CrisisModel
from model.cohesion import cohesion, cohesion_components
from model.effects import threat_of_challenger


def _trust(m, a, b):
    return float(m.world.trust[m.world.index[a], m.world.index[b]])


def test_identical_members_give_full_alignment_and_burden():
    members = np.array([[1.0, 1.0, 1.0]])
    comps = cohesion_components(members, np.ones((1, 3)), np.full(3, 0.4), np.zeros(3), np.full(3, 0.7))
    assert comps["alignment"][0] == pytest.approx(1.0)
    assert comps["burden"][0] == pytest.approx(1.0)
    w = {"alignment": 1, "abandonment": 1, "entrapment": 1, "burden": 1}
    assert cohesion(comps, w)[0] == pytest.approx(1.0)
    split = cohesion_components(members, np.ones((1, 3)), np.array([0.1, 0.5, 0.9]), np.zeros(3), np.full(3, 0.7))
    assert split["alignment"][0] < 0.5


def test_talks_over_the_heads_of_allies_lower_their_trust_in_the_leader():
    """Claim 2: Big-5 / bilateral talks about the flank without it erode the flank's trust."""
    m = CrisisModel("two_blocs", seed=1)
    before = _trust(m, "FLA", "LDR")
    m.deliver(make("talks_offer", "LDR", ("RED",), format="big5", participants=("LDR", "BIG", "RED"),
                   about=("FLANK",)))
    assert _trust(m, "FLA", "LDR") < before - 0.1
    assert _trust(m, "BIG", "LDR") == pytest.approx(_trust(CrisisModel("two_blocs", seed=1), "BIG", "LDR"))


def test_inclusive_talks_do_not_lower_trust():
    m = CrisisModel("two_blocs", seed=1)
    before = _trust(m, "FLA", "LDR")
    m.deliver(make("talks_round", "LDR", ("RED",), format="osce",
                   participants=("LDR", "BIG", "FLA", "FLB", "RED", "TGT"), about=("FLANK",)))
    assert _trust(m, "FLA", "LDR") >= before


def test_exclusion_switch_off_removes_the_effect():
    m = CrisisModel("two_blocs", seed=1, exclusion_trust_loss=0.0)
    before = _trust(m, "FLA", "LDR")
    m.deliver(make("talks_offer", "LDR", ("RED",), format="big5", participants=("LDR", "BIG", "RED"),
                   about=("FLANK",)))
    assert _trust(m, "FLA", "LDR") == pytest.approx(before)


def _after_ultimatum(response):
    m = CrisisModel("two_blocs", seed=1, perception_noise=0.0)
    w = m.world
    named_threat_before = m.states["FLA"].threat_from("RED")
    big_entrapment_before = w.entrapment[w.index["BIG"]]
    m.deliver(make("ultimatum", "RED", ("LDR", "WEST"), named=("FLANK",)))
    out = {"named_threat_rise": m.states["FLA"].threat_from("RED") - named_threat_before,
           "other_entrapment_rise": w.entrapment[w.index["BIG"]] - big_entrapment_before}
    if response:
        m.deliver(make(response, "LDR", ("RED",)))
    m.step()
    out["cohesion"] = m.alliances["WEST"].cohesion
    out["trust_named"] = _trust(m, "FLA", "LDR")
    return out


def test_ultimatum_naming_members_splits_the_alliance():
    """Claim 3: named members' threat perception rises, others' entrapment fears rise."""
    base = CrisisModel("two_blocs", seed=1, perception_noise=0.0)
    base.step()
    res = _after_ultimatum(None)
    assert res["named_threat_rise"] > 0.05
    assert res["other_entrapment_rise"] > 0.05
    assert res["cohesion"] < base.alliances["WEST"].cohesion


def test_ambiguous_response_deepens_the_split_firm_rejection_narrows_it():
    ambiguous = _after_ultimatum("ambiguous_response")
    firm = _after_ultimatum("public_rejection")
    none = _after_ultimatum(None)
    assert ambiguous["cohesion"] < none["cohesion"] < firm["cohesion"]
    assert ambiguous["trust_named"] < firm["trust_named"]


def test_lower_cohesion_makes_collective_sanctions_less_credible_and_war_cheaper():
    """Claim 4 (Kross's chain): cohesion -> credibility of collective threats -> cost of war."""
    def situation(entrapment):
        m = CrisisModel("two_blocs", seed=1, perception_noise=0.0)
        m.deliver(make("sanctions_threat", "WEST", ("RED",)))
        m.world.entrapment[:] = entrapment
        m._update_cohesion()
        return m.alliances["WEST"].cohesion, m.situation()

    coh_hi, s_hi = situation(0.0)
    coh_lo, s_lo = situation(0.9)
    assert coh_lo < coh_hi
    assert s_lo.sanctions < s_hi.sanctions
    from model.decision import ATTACK, utilities
    assert utilities(s_lo, 0.0)[ATTACK] > utilities(s_hi, 0.0)[ATTACK]


def test_consensus_alliance_cannot_act_below_threshold():
    m = CrisisModel("two_blocs", seed=1, consensus_threshold=0.99)
    before = m.world.posture.copy()
    rec = m.deliver(make("flank_reinforcement", "WEST", ("RED",)))
    assert rec.signal == "flank_reinforcement" and "blocked" in rec.text
    assert np.array_equal(m.world.posture, before)
    passes = CrisisModel("two_blocs", seed=1, consensus_threshold=0.0)
    passes.deliver(make("flank_reinforcement", "WEST", ("RED",)))
    assert passes.world.posture[passes.world.index["FLA"]] > before[m.world.index["FLA"]]


@pytest.mark.parametrize("policy", ["deterrence", "appeasement", "as_happened"])
def test_cohesion_carried_over_quiet_days_equals_cohesion_recomputed_from_the_members(policy):
    """On days without a signal the model carries the alliances' mean trust and fear forward instead of
    recomputing them; every day, that must equal the recomputation from the arrays."""
    m = CrisisModel("ukraine_2021", seed=4, policy=policy)
    quiet_days = 0
    while m.running:
        before = m._version
        m.step()
        quiet_days += m._version == before
        w = m.world
        exact = cohesion_components(w.members, m._trust_in_centre(w.trust), threat_of_challenger(w), w.entrapment,
                                    m._willingness)
        for c in exact:
            assert w.components[c] == pytest.approx(exact[c], abs=1e-12)
        assert w.cohesion == pytest.approx(cohesion(exact, m._weights), abs=1e-12)
    assert quiet_days > 20


def test_touch_makes_the_model_see_arrays_edited_from_outside():
    m = CrisisModel("two_blocs", seed=1, policy="deterrence").run(10)
    w = m.world
    w.trust[:, w.index["LDR"]] = 0.1   # a what-if edit, not a signal
    m.touch()
    m.step()
    exact = cohesion_components(w.members, m._trust_in_centre(w.trust), threat_of_challenger(w), w.entrapment,
                                m._willingness)
    assert m.world.cohesion == pytest.approx(cohesion(exact, m._weights), abs=1e-12)
