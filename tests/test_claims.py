"""The essays' claims at the outcome level: each ``claimN`` switch on against off, seeded runs, a statistical test,
in a world where the claim should hold (DESIGN.md "Mechanism checks at the outcome level").

Each world (``experiments.findings.CLAIM_WORLDS``) says why the claim should hold there. The README's claim table
gives each effect in the reference crisis too (``python -m experiments.findings claims``), including where it
does not show.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from scipy.stats import fisher_exact, mannwhitneyu

from experiments.findings import CLAIM_WORLDS, caring_leader
from model import CrisisModel

RUNS = 160
ALPHA = 0.01
NEVER = 10**6


WORLDS = CLAIM_WORLDS


@lru_cache(maxsize=None)
def _runs(claim: int, on: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(outcome, war day (NEVER without war), final cohesion of the first alliance, mean daily accident hazard
    after the branch date (claim 8's world only), deal) per run."""
    _, scenario, settings, _ = WORLDS[claim]
    sc = scenario()
    outcome, day, cohesion, hazard = [], [], [], []
    for seed in range(RUNS):
        m = CrisisModel(sc, seed=seed, collect=claim == 8, **settings, **{f"claim{claim}": on}).run()
        o = m.outcome()
        outcome.append(o["outcome"])
        day.append(o["war_day"] if o["war_day"] is not None else NEVER)
        cohesion.append(next(v for k, v in o.items() if k.startswith("final_cohesion_")))
        if claim == 8:   # the accident hazard on the days after the branch date
            rows = m.datacollector.get_model_vars_dataframe()
            hazard.append(rows.loc[m.branch_day:, "hazard"].mean())
    outcome = np.array(outcome)
    return outcome, np.array(day), np.array(cohesion), np.array(hazard), outcome == "deal"


def _share_test(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Fisher exact test of two shares."""
    return fisher_exact([[a.sum(), (~a).sum()], [b.sum(), (~b).sum()]]).pvalue


def test_claim1_cheap_conciliation_brings_war_sooner_under_reputation():
    on, off = _runs(1, True), _runs(1, False)
    assert mannwhitneyu(on[1], off[1], alternative="less").pvalue < ALPHA
    assert np.median(on[1][on[1] < NEVER]) < np.median(off[1][off[1] < NEVER])
    under_calculus = [CrisisModel(caring_leader(0.9, 10), seed=s, collect=False, credibility_rule="current_calculus",
                                  **WORLDS[1][2]).run().outcome()["war_day"] for s in range(40)]
    switched_off = [CrisisModel(caring_leader(0.9, 10), seed=s, collect=False, credibility_rule="current_calculus",
                                claim1=False, **WORLDS[1][2]).run().outcome()["war_day"] for s in range(40)]
    assert under_calculus == switched_off   # under current calculus the claim's mechanism plays no part


def test_claim2_talks_over_the_allies_heads_lower_cohesion():
    on, off = _runs(2, True), _runs(2, False)
    assert mannwhitneyu(on[2], off[2], alternative="less").pvalue < ALPHA
    assert on[2].mean() < off[2].mean()


def test_claim3_an_ultimatum_naming_members_splits_the_alliance():
    on, off = _runs(3, True), _runs(3, False)
    assert mannwhitneyu(on[2], off[2], alternative="less").pvalue < ALPHA
    assert on[2].mean() < off[2].mean()


def test_claim4_lower_cohesion_makes_war_more_likely():
    on, off = _runs(4, True), _runs(4, False)
    war_on, war_off = on[0] == "war", off[0] == "war"
    assert war_on.mean() > war_off.mean() + 0.1
    assert _share_test(war_on, war_off) < ALPHA


def test_claim5_costly_signals_read_as_resolve_postpone_war():
    on, off = _runs(5, True), _runs(5, False)
    assert mannwhitneyu(on[1], off[1], alternative="greater").pvalue < ALPHA
    assert on[1].mean() > off[1].mean()


def test_claim6_the_boomerang_makes_sanctions_less_credible_and_war_more_likely():
    on, off = _runs(6, True), _runs(6, False)
    war_on, war_off = on[0] == "war", off[0] == "war"
    assert war_on.mean() > war_off.mean() + 0.1
    assert _share_test(war_on, war_off) < ALPHA


def test_claim7_defence_read_as_threat_makes_war_more_likely():
    on, off = _runs(7, True), _runs(7, False)
    war_on, war_off = on[0] == "war", off[0] == "war"
    assert war_on.mean() > war_off.mean() + 0.1
    assert _share_test(war_on, war_off) < ALPHA


def test_claim8_negotiable_items_buy_deals_and_lower_the_accident_hazard():
    on, off = _runs(8, True), _runs(8, False)
    assert on[4].mean() > off[4].mean() + 0.1 and _share_test(on[4], off[4]) < ALPHA
    assert mannwhitneyu(on[3], off[3], alternative="less").pvalue < ALPHA


def test_claim9_strategic_against_tactical_goals_make_war_more_likely():
    on, off = _runs(9, True), _runs(9, False)
    war_on, war_off = on[0] == "war", off[0] == "war"
    assert war_on.mean() > war_off.mean() + 0.1
    assert _share_test(war_on, war_off) < ALPHA


def test_claim10_a_closing_window_brings_war_sooner():
    on, off = _runs(10, True), _runs(10, False)
    assert mannwhitneyu(on[1], off[1], alternative="less").pvalue < ALPHA


@pytest.mark.parametrize("claim", sorted(WORLDS))
def test_each_claim_switch_changes_what_happens(claim):
    """No switch is decorative: in its world, switching it off changes some seeded run's record (its event log,
    its decisions or its outcome)."""
    _, scenario, settings, _ = WORLDS[claim]
    sc = scenario()

    def record(on: bool, seed: int) -> tuple:
        m = CrisisModel(sc, seed=seed, collect=False, **settings, **{f"claim{claim}": on}).run()
        return (tuple(e.text for e in m.event_log), m.decision_log.round(9).to_csv(), tuple(m.outcome().items()))

    assert any(record(True, s) != record(False, s) for s in range(5))
