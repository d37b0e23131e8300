"""Trust, talks formats, the ultimatum's split, cohesion and the credibility of collective threats."""

import numpy as np
import pytest

from agents.signals import make
from model import CrisisModel
from model.cohesion import COMPONENTS, alike, perceived_threat, update_cohesion


def _trust(m, a, b):
    return float(m.world.trust[m.world.index[a], m.world.index[b]])


def test_identical_members_give_full_alignment_and_burden():
    members = np.array([[1.0, 1.0, 1.0]])
    assert alike(np.full(3, 0.4), members)[0] == pytest.approx(1.0)
    assert alike(np.array([0.1, 0.5, 0.9]), members)[0] < 0.5
    components, cohesion = np.zeros((4, 1)), np.zeros(1)
    update_cohesion(members, np.array([0]), np.ones((3, 3)), np.zeros(3), np.ones(3), np.full((3, 3), 0.4), 0,
                    np.ones(1), np.ones(4), components, cohesion)
    assert cohesion[0] == pytest.approx(1.0)
    assert dict(zip(COMPONENTS, components[:, 0], strict=True))["abandonment"] == pytest.approx(1.0)


def test_threat_is_capability_times_intention():
    """Claim 7: the same intention from a stronger state is a larger threat."""
    cap = np.array([1.0, 0.5, 0.1])
    intention = np.full((3, 3), 0.5)
    threat = perceived_threat(cap, intention, 0)
    assert threat[2] > threat[1]
    assert perceived_threat(cap, intention * 0.5, 0)[2] == pytest.approx(threat[2] * 0.5)


def test_talks_over_the_heads_of_allies_lower_their_trust_in_the_leader():
    """Claim 2: minilateral / bilateral talks about the flank without it erode the flank's trust."""
    m = CrisisModel("two_blocs", seed=1)
    before = _trust(m, "FLA", "LDR")
    m.deliver(make("talks_offer", "LDR", ("RED",), format="minilateral", participants=("LDR", "BIG", "RED"),
                   about=("FLANK",)))
    assert _trust(m, "FLA", "LDR") < before - 0.1
    assert _trust(m, "BIG", "LDR") == pytest.approx(_trust(CrisisModel("two_blocs", seed=1), "BIG", "LDR"))


def test_inclusive_talks_do_not_lower_trust():
    m = CrisisModel("two_blocs", seed=1)
    before = _trust(m, "FLA", "LDR")
    m.deliver(make("talks_round", "LDR", ("RED",), format="inclusive",
                   participants=("LDR", "BIG", "FLA", "FLB", "RED", "TGT"), about=("FLANK",)))
    assert _trust(m, "FLA", "LDR") >= before


@pytest.mark.parametrize("switch", [{"exclusion_trust_loss": 0.0}, {"claim2": False}])
def test_exclusion_switched_off_removes_the_effect(switch):
    m = CrisisModel("two_blocs", seed=1, **switch)
    before = _trust(m, "FLA", "LDR")
    m.deliver(make("talks_offer", "LDR", ("RED",), format="minilateral", participants=("LDR", "BIG", "RED"),
                   about=("FLANK",)))
    assert _trust(m, "FLA", "LDR") == pytest.approx(before)


def _after_ultimatum(response, **kw):
    m = CrisisModel("two_blocs", seed=1, **kw)
    w = m.world
    named_threat_before = m.states["FLA"].threat_from("RED")
    big_entrapment_before = w.entrapment[w.index["BIG"]]
    m.deliver(make("ultimatum", "RED", ("LDR", "WEST"), named=("FLANK",)))
    out = {"named_threat_rise": m.states["FLA"].threat_from("RED") - named_threat_before,
           "other_entrapment_rise": w.entrapment[w.index["BIG"]] - big_entrapment_before}
    if response:
        m.deliver(make(response, "LDR", ("RED",)))
    m._update_cohesion()
    out["cohesion"] = m.alliances["WEST"].cohesion
    out["trust_named"] = _trust(m, "FLA", "LDR")
    return out


def test_ultimatum_naming_members_splits_the_alliance():
    """Claim 3: named members' threat perception rises, others' entrapment fears rise, cohesion falls."""
    base = CrisisModel("two_blocs", seed=1)
    res = _after_ultimatum(None)
    assert res["named_threat_rise"] > 0.05
    assert res["other_entrapment_rise"] > 0.05
    assert res["cohesion"] < base.alliances["WEST"].cohesion
    off = _after_ultimatum(None, claim3=False)
    assert off["other_entrapment_rise"] == 0 and off["cohesion"] > res["cohesion"]


def test_ambiguous_response_deepens_the_split_firm_rejection_narrows_it():
    ambiguous = _after_ultimatum("ambiguous_response")
    firm = _after_ultimatum("public_rejection")
    none = _after_ultimatum(None)
    assert ambiguous["cohesion"] < none["cohesion"] < firm["cohesion"]
    assert ambiguous["trust_named"] < none["trust_named"] < firm["trust_named"]


def test_lower_cohesion_makes_collective_sanctions_less_credible_and_war_cheaper():
    """Claim 4 (Kross's chain): cohesion -> credibility of collective threats -> cost of war; switched off,
    the alliance's cohesion does not enter."""
    def situation(entrapment, **kw):
        m = CrisisModel("two_blocs", seed=1, **kw)
        m.deliver(make("sanctions_threat", "WEST", ("RED",)))
        m.world.entrapment[:] = entrapment
        m._update_cohesion()
        return m.alliances["WEST"].cohesion, m.situation()

    coh_hi, s_hi = situation(0.0)
    coh_lo, s_lo = situation(0.9)
    assert coh_lo < coh_hi
    assert s_lo["sanctions"] < s_hi["sanctions"]
    assert s_lo["u_war"] > s_hi["u_war"]
    _, off_hi = situation(0.0, claim4=False)
    _, off_lo = situation(0.9, claim4=False)
    assert off_lo["sanctions"] == pytest.approx(off_hi["sanctions"])


def test_consensus_alliance_cannot_act_below_threshold():
    m = CrisisModel("two_blocs", seed=1, consensus_threshold=0.99)
    before = m.world.posture.copy()
    rec = m.deliver(make("flank_reinforcement", "WEST", ("RED",)))
    assert rec.signal == "flank_reinforcement" and "blocked" in rec.text
    assert np.array_equal(m.world.posture, before)
    passes = CrisisModel("two_blocs", seed=1, consensus_threshold=0.0)
    passes.deliver(make("flank_reinforcement", "WEST", ("RED",)))
    assert passes.world.posture[passes.world.index["FLA"]] > before[m.world.index["FLA"]]


def test_cohesion_every_day_equals_its_recomputation_from_the_members():
    m = CrisisModel("ukraine_2021", seed=4, policy="appeasement")
    while m.running:
        m.step()
        w = m.world
        comps, coh = np.zeros((4, len(w.alliance_names))), np.zeros(len(w.alliance_names))
        update_cohesion(w.members, w.alliance_leader, w.trust, w.entrapment, w.capability, w.intention, w.challenger,
                        m._burden, m._weights, comps, coh)
        assert w.cohesion == pytest.approx(coh, abs=1e-12)
        assert ((0 <= w.cohesion) & (w.cohesion <= 1)).all()
