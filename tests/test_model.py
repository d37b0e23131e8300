"""CrisisModel's contract, determinism, replay of the record and the event log."""

import hashlib
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from agents.ladder import OUTCOMES, WAR_RUNG
from agents.signals import CATALOGUE
from model import CrisisModel, ScenarioError
from model.recording import DECISION_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def _fingerprint(m: CrisisModel) -> str:
    df = m.datacollector.get_model_vars_dataframe()
    blob = df.to_csv(index=False) + "\n".join(e.text for e in m.event_log) + repr(m.outcome())
    return hashlib.sha256(blob.encode()).hexdigest()


def test_contract_columns_outcome_and_views():
    m = CrisisModel("ukraine_2021", seed=1).run()
    df = m.datacollector.get_model_vars_dataframe()
    for col in ("day", "max_rung", "mean_rung", "war", "cohesion_NATO", "cohesion_EU", "cohesion_CSTO", "p_win",
                "u_war", "u_hold", "believed_resolve", "belief_expansive"):
        assert col in df.columns
    assert df["day"].tolist() == list(range(len(df)))
    out = m.outcome()
    assert out["outcome"] in OUTCOMES
    assert set(out) >= {"war_day", "peak_rung", "final_cohesion_NATO", "final_cohesion_EU", "deal_items",
                        "who_conceded", "backdown_day", "seize_day"}
    assert len(m.states) == 22 and {"RUS", "UKR", "USA", "EST", "TUR", "CAN", "CHN"} <= set(m.states)
    assert set(m.alliances) == {"NATO", "EU", "CSTO"}
    assert isinstance(m.network, nx.MultiDiGraph)
    kinds = {d["kind"] for _, _, d in m.network.edges(data=True)}
    assert {"member_of", "partner_of", "rival", "border", "trade"} <= kinds
    assert sorted(n for n, d in m.network.nodes(data=True) if d["kind"] == "state") == list(range(22))
    rec = m.event_log[0]
    assert (rec.day, rec.actor, rec.signal, rec.targets) == (0, "RUS", "troop_buildup", ("UKR",))
    assert rec.text.startswith("Day 0 (2021-11-01) — RUS builds up troops near UKR")


def test_decision_log_records_every_challenger_choice_with_its_utilities_and_terms():
    m = CrisisModel("ukraine_2021", seed=2).run()
    log = m.decision_log
    assert list(log.columns) == list(DECISION_COLUMNS)
    rus = log[log["actor"] == "RUS"]
    assert rus["day"].tolist() == list(range(m.branch_day, m.day + 1))   # one choice a day from the branch date
    assert rus["u_hold"].notna().all() and rus["u_war"].notna().all() and rus["p_win"].between(0, 1).all()
    moves = rus[rus["chosen"] != "hold"]
    assert len(moves)
    for _, row in moves.iterrows():   # the chosen action had the highest utility (argmax at this temperature)
        chosen = "u_climb" if row["chosen"] == "climb" else f"u_{row['chosen']}"
        others = [row[c] for c in ("u_hold", "u_climb", "u_descend", "u_accept", "u_concede", "u_limited_war", "u_war")
                  if c != chosen and pd.notna(row[c])]
        assert row[chosen] >= max(others) - 0.02
    # every move of the challenger is explained in the event log
    for e in m.event_log:
        if e.actor == "RUS" and e.day >= m.branch_day and e.signal != "incident":
            assert "why:" in e.text and "chance of winning" in e.text


def test_a_run_can_go_on_past_the_record():
    long = CrisisModel("ukraine_2021", seed=5, policy="deterrence", horizon_days=334)
    assert long.last_day == 333 and long.scenario.dates[-1] == date(2022, 9, 30)
    long.run()
    assert long.day <= 333 and (long.day == 333 or not long.running)
    with pytest.raises(ScenarioError, match="horizon_days"):
        CrisisModel("ukraine_2021", horizon_days=10)


def test_types_are_drawn_per_run_from_the_scenarios_priors():
    draws = [CrisisModel("ukraine_2021", seed=s).world for s in range(200)]
    rus = draws[0].index["RUS"]
    resolved = np.mean([w.resolved[rus] for w in draws])
    expansive = np.mean([w.expansive[rus] for w in draws])
    assert abs(resolved - draws[0].resolve_prior[rus]) < 0.1
    assert abs(expansive - draws[0].aim_prior[rus]) < 0.1
    assert CrisisModel("ukraine_2021", seed=3).type_of("RUS") == CrisisModel("ukraine_2021", seed=3).type_of("RUS")


def test_step_advances_one_day_and_run_stops_at_the_end():
    m = CrisisModel("two_blocs", seed=1, policy="deterrence")
    assert m.day == 0 and m.date == date(2030, 1, 1)
    m.step()
    assert m.day == 1 and m.date == date(2030, 1, 2)
    m.run(5)
    assert m.day == 6
    m.run()
    assert not m.running
    assert m.day == m.last_day or m._ended()


def test_same_seed_same_results_different_seed_different_results():
    a = CrisisModel("ukraine_2021", seed=11).run()
    b = CrisisModel("ukraine_2021", seed=11).run()
    assert _fingerprint(a) == _fingerprint(b)
    others = {_fingerprint(CrisisModel("ukraine_2021", seed=s).run()) for s in range(12, 16)}
    assert len(others) > 1


def test_same_seed_same_results_across_processes():
    """Another process, hash seed and BLAS kernel give the same bits (no BLAS in the step)."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from tests.test_model import _fingerprint; "
            "from model import CrisisModel; print(_fingerprint(CrisisModel('ukraine_2021', seed=11, "
            "policy='helsinki').run()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": "", "OPENBLAS_CORETYPE": "Prescott"}).stdout.strip()
    assert out == _fingerprint(CrisisModel("ukraine_2021", seed=11, policy="helsinki").run())


def test_replay_after_the_invasion_reproduces_the_record():
    m = CrisisModel("ukraine_2021", seed=1, branch_date="2022-03-01").run()
    out = m.outcome()
    assert out["outcome"] == "war" and out["war_date"] == "2022-02-24"
    kinds = [e.signal for e in m.event_log]
    for k in ("intelligence_disclosure", "ultimatum", "talks_round", "cyber_hybrid", "recognition",
              "sanctions_imposed", "full_invasion"):
        assert k in kinds
    df = m.datacollector.get_model_vars_dataframe()
    dec_feb = df[(df["day"] >= 30) & (df["day"] < 116)]["challenger_rung"]
    assert dec_feb.iloc[-1] > dec_feb.iloc[0]  # tension climbs through Dec-Feb
    assert m.decision_log.empty   # before the branch date nobody chooses: the record is replayed


def test_war_is_absorbing_and_matches_the_event_log():
    for s in range(6):
        m = CrisisModel("ukraine_2021", seed=s).run()
        df = m.datacollector.get_model_vars_dataframe()
        invasions = [e for e in m.event_log if CATALOGUE[e.signal].ends == "war"]
        if m.world.war:
            assert len(invasions) == 1 and invasions[0].day == m.outcome()["war_day"]
            first = df.index[df["war"]].min()
            assert df["war"].iloc[first:].all()
            assert df["max_rung"].iloc[first] >= WAR_RUNG
        else:
            assert not invasions and not df["war"].any()


def test_counterfactuals_differ_for_reasons_the_event_log_shows():
    det = CrisisModel("ukraine_2021", seed=3, policy="deterrence").run(60)
    app = CrisisModel("ukraine_2021", seed=3, policy="appeasement").run(60)
    det_kinds = {e.signal for e in det.event_log if e.day >= 30}
    app_kinds = {e.signal for e in app.event_log if e.day >= 30}
    assert "flank_reinforcement" in det_kinds and "weapons_delay" not in det_kinds
    assert "weapons_delay" in app_kinds and "flank_reinforcement" not in app_kinds
    det_rows = det.datacollector.get_model_vars_dataframe()
    app_rows = app.datacollector.get_model_vars_dataframe()
    assert det_rows["expected_sanctions"].iloc[-1] >= app_rows["expected_sanctions"].iloc[-1]
    assert det.world.capability[det.world.index["UKR"]] > app.world.capability[app.world.index["UKR"]]


def test_policy_can_be_assigned_per_actor():
    m = CrisisModel("ukraine_2021", seed=1, policy={"USA": "deterrence", "EU": "appeasement"}).run(40)
    senders = {(e.actor, e.signal) for e in m.event_log if e.day >= 30}
    assert ("USA", "flank_reinforcement") in senders
    assert ("USA", "weapons_delay") not in senders


def test_unknown_policy_or_actor_is_a_clear_error():
    with pytest.raises(ScenarioError, match="unknown policy 'nope'"):
        CrisisModel("two_blocs", policy="nope")
    with pytest.raises(ScenarioError, match="unknown actor 'XXX'"):
        CrisisModel("two_blocs", policy={"XXX": "deterrence"})


def test_outputs_stay_in_range():
    for pol in ("as_happened", "deterrence", "appeasement", "helsinki", "accommodation", "reactive", "strategic"):
        m = CrisisModel("ukraine_2021", seed=7, policy=pol).run()
        df = m.datacollector.get_model_vars_dataframe()
        num = df.select_dtypes("number")
        assert not num.isna().any().any()
        assert df["max_rung"].between(0, 9).all()
        coh = df[[c for c in df.columns if c.startswith("cohesion_")]]
        assert ((coh >= 0) & (coh <= 1)).all().all()
        b = m.believed_resolve()
        assert ((b >= 0) & (b <= 1)).all()
        assert ((m.world.trust >= 0) & (m.world.trust <= 1)).all()


def test_dyad_rungs_are_recorded():
    m = CrisisModel("ukraine_2021", seed=1, branch_date="2022-03-01").run()
    dyads = pd.DataFrame(m.dyad_log, columns=["day", "a", "b", "rung"])
    assert ((dyads["a"] == "RUS") & (dyads["b"] == "UKR") & (dyads["rung"] == 7)).any()
    assert ((dyads["a"] == "RUS") & (dyads["b"] == "UKR") & (dyads["rung"] == 6)).any()   # the recognition


def test_a_finished_model_is_freed():
    """Mesa 3.3.1 keeps every model alive through its agent-id counters (mesa#3179); ours must not, or a
    sweep worker or the classroom server grows by every run it has made."""
    import gc
    import weakref

    m = CrisisModel("ukraine_2021", seed=3).run(20)
    assert sorted(a.unique_id for a in m.agents) == list(range(1, 26))
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None


def test_compiled_code_is_cached_per_source(tmp_path):
    """numba would reload a kernel compiled against an older version of a rule in another file; the cache's
    directory is named after every source file, so any change to any of them starts a fresh cache."""
    from model.compiled import cache_name

    package = ROOT / "model"
    copy = tmp_path / "model"
    copy.mkdir()
    for source in package.glob("*.py"):
        (copy / source.name).write_bytes(source.read_bytes())
    assert cache_name(copy, "0.68.1") == cache_name(package, "0.68.1")
    assert cache_name(package, "0.69.0") != cache_name(package, "0.68.1")
    beliefs = copy / "beliefs.py"
    beliefs.write_bytes(beliefs.read_bytes() + b"\n")
    assert cache_name(copy, "0.68.1") != cache_name(package, "0.68.1")
    import numba

    from model.compiled import configure_cache

    if not os.environ.get("NUMBA_CACHE_DIR"):
        assert Path(numba.config.CACHE_DIR).name == cache_name(package, numba.__version__)
        assert configure_cache() == Path(numba.config.CACHE_DIR)


def test_policies_observe_the_world_as_it_is():
    """Observations are assembled from the day's, the run's and the actor's parts by position; every field
    must still say what its name says."""
    seen = []
    m = CrisisModel("ukraine_2021", seed=2, policy={"USA": "deterrence", "EU": "deterrence"})
    def watching(act):
        def watched(obs):
            seen.append((obs, int(m.world.rung[m.world.challenger]), m._rung_yesterday))
            return act(obs)
        return watched

    m.__dict__["_acting"] = [(a, r, watching(act), strategic) for a, r, act, strategic in m._acting]
    m.run(45)
    w = m.world
    assert all(o.challenger_rung == rung and o.challenger_rung_yesterday == yesterday for o, rung, yesterday in seen)
    assert len({o.challenger_rung for o, _, _ in seen}) > 1   # the challenger climbed while they watched
    last = {o.actor: o for o, _, _ in seen if o.day == m.day}
    usa, eu = last["USA"], last["EU"]
    assert (usa.role, eu.role) == ("leader", "union")
    assert usa.day == m.day and usa.date == m.date and usa.days_since_branch == m.day - m.branch_day
    assert (usa.challenger, usa.leader, usa.targets) == ("RUS", "USA", ("UKR",))
    assert set(usa.named) == {m.scenario.actors[i].iso3 for i in np.flatnonzero(w.named)}
    assert usa.cohesion.keys() == {"NATO", "EU", "CSTO"} and all(0 <= v <= 1 for v in usa.cohesion.values())
    assert usa.leader_war_aversion == pytest.approx(float(w.war_aversion[w.leader]))
    assert usa.core_negotiable is m.params.core_negotiable
    assert set(usa.items_pending) <= {"missile_limits", "exercise_caps", "military_channels", "incident_prevention"}
    assert usa.sent and all(day <= m.day for day in usa.sent.values())
    assert eu.sent.keys() <= {"sanctions_threat", "public_rejection"}
    with pytest.raises(TypeError):
        usa.sent["troop_buildup"] = 0   # the record is read-only: it is the model's
    with pytest.raises(AttributeError):
        usa.day = 3


def test_old_compiled_caches_are_forgotten(tmp_path):
    """Each change to the sources starts a new cache folder; folders of other versions unused for 30 days go."""
    from model.compiled import _forget_old

    keep, recent, stale = tmp_path / "numba-keep", tmp_path / "numba-recent", tmp_path / "numba-stale"
    for folder in (keep, recent, stale):
        folder.mkdir()
        (folder / "kernel.nbi").write_bytes(b"x")
    old = time.time() - 40 * 86400
    os.utime(stale, (old, old))
    os.utime(keep, (old, old))
    _forget_old(tmp_path, keep=keep)
    assert keep.exists() and recent.exists() and not stale.exists()
    assert keep.stat().st_mtime > old   # marked as in use


def test_a_run_does_not_depend_on_the_runs_made_before_it_in_the_process():
    """What the model keeps between runs (a scenario's initial world, its history's reading) and between
    signals (the day's values) must never leak: the same seed gives the same bits whatever ran before."""
    first = _fingerprint(CrisisModel("ukraine_2021", seed=11, policy="helsinki").run())
    CrisisModel("ukraine_2021", seed=1).run()
    CrisisModel("ukraine_2021", seed=2, policy="strategic").run(70)
    assert _fingerprint(CrisisModel("ukraine_2021", seed=11, policy="helsinki").run()) == first
