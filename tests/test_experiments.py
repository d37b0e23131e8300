"""Designs, executors, resumable result folders, sensitivity indices and reports (experiments/)."""

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.design import DesignError, design_from_dict, load_design, parse_range, plan, run_seed
from experiments.runner import scenario_for
from experiments.sensitivity import analyze, outcome_per_point
from experiments.store import load_table, read_manifest
from experiments.sweep import run_plan
from model import CrisisModel

ROOT = Path(__file__).resolve().parent.parent

SMALL = {
    "scenario": "two_blocs", "method": "grid", "replications": 3, "entropy": 11, "chunk_size": 2,
    "factors": {"policy": ["deterrence", "appeasement"], "war_cost": [0.4, 0.9]},
    "outputs": {"steps": True, "events": True, "dyads": True},
}


def crisislab(*args, timeout=300, **kw):
    return subprocess.run([sys.executable, "-m", "experiments.cli", *args], capture_output=True, text=True,
                          timeout=timeout, check=False, **kw)


def write_design(path: Path, raw: dict) -> Path:
    def val(v):
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {val(x)}" for k, x in v.items()) + " }"
        return json.dumps(v)

    lines = [f"{k} = {val(v)}" for k, v in raw.items() if not isinstance(v, dict)]
    for k, v in raw.items():
        if isinstance(v, dict):
            lines.append(f"[{k}]")
            lines.extend(f"{kk} = {val(vv)}" for kk, vv in v.items())
    path.write_text("\n".join(lines) + "\n")
    return path


# ---------------------------------------------------------------------------- designs

def test_grid_design_crosses_lists_and_numbers_runs_point_major():
    p = plan(design_from_dict(SMALL))
    assert len(p.points) == 4 and p.n_runs == 12
    assert p.points[0] == {"policy": "deterrence", "war_cost": 0.4}
    assert p.points[3] == {"policy": "appeasement", "war_cost": 0.9}
    assert p.run(7) == (2, 1, {"policy": "appeasement", "war_cost": 0.4})
    assert [len(c) for c in p.chunks()] == [2] * 6


@pytest.mark.parametrize("method,n,expected", [("lhs", 10, 10), ("sobol", 8, 8 * (2 * 2 + 2)),
                                               ("morris", 5, 5 * (2 + 1))])
def test_sampled_designs_have_the_method_size_and_stay_in_bounds(method, n, expected):
    d = design_from_dict({"scenario": "two_blocs", "method": method, "n": n,
                          "factors": {"war_cost": {"low": 0.3, "high": 1.2}, "talks_gain": {"low": 0.0, "high": 0.3}}})
    p = plan(d)
    assert len(p.points) == expected
    wc = np.array([pt["war_cost"] for pt in p.points])
    assert wc.min() >= 0.3 and wc.max() <= 1.2 and np.unique(wc).size > 1
    assert plan(d).points == p.points  # the sample is seeded by the design's entropy


def test_seeds_come_from_the_run_index_or_the_replicate_with_common_seeds():
    p = plan(design_from_dict(SMALL))
    assert [p.seed(i) for i in range(4)] == [run_seed(11, i) for i in range(4)]
    assert len({p.seed(i) for i in range(p.n_runs)}) == p.n_runs
    c = plan(design_from_dict({**SMALL, "common_seeds": True}))
    assert c.seed(0) == c.seed(3) == run_seed(11, 0) and c.seed(1) == run_seed(11, 1)


def test_parse_range_and_design_files(tmp_path):
    assert parse_range("war_cost=0.2:1.5")[1].high == 1.5
    assert parse_range("credibility_rule=reputation,current_calculus")[1] == ["reputation", "current_calculus"]
    d = load_design(write_design(tmp_path / "d.toml", SMALL))
    assert d.name == "d" and plan(d).n_runs == 12
    assert load_design("classroom_sobol").method == "sobol"


@pytest.mark.parametrize("patch,needle", [
    ({"factors": {"nope": [1, 2]}}, "unknown parameter 'nope'"),
    ({"method": "lhs", "n": 8, "factors": {"war_cost": {"low": 1.0, "high": 0.5}}}, "not below high"),
    ({"method": "lhs", "n": 8, "factors": {"war_cost": {"low": -1.0, "high": 0.5}}}, "out of range"),
    ({"method": "lhs", "n": 8, "factors": {"war_cost": {"low": 0.5, "high": 500.0}}}, "out of range"),
    ({"method": "sobol", "n": 100, "factors": {"war_cost": {"low": 0.3, "high": 1.0}}}, "power of 2"),
    ({"method": "morris", "n": 4, "levels": 5, "factors": {"war_cost": {"low": 0.3, "high": 1.0}}}, "even number"),
    ({"method": "sobol", "factors": {"war_cost": {"low": 0.3, "high": 1.0}}}, "needs a sample size"),
    ({"factors": {"war_cost": {"low": 0.3, "high": 1.0}}}, "grid design needs a list"),
    ({"factors": {"policy": ["bribery"]}}, "unknown policy 'bribery'"),
    ({"factors": {"credibility_rule": ["reputation", "vibes"]}}, "credibility_rule"),
    ({"factors": {"war_cost": []}}, "has no values"),
    ({"replications": 0}, "replications"),
    ({"outcomes": ["happiness"]}, "unknown outcome 'happiness'"),
    ({"scenario": "atlantis"}, "unknown scenario 'atlantis'"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_designs_are_refused_naming_the_problem(patch, needle):
    raw = {**{k: v for k, v in SMALL.items() if k not in ("factors",)}, "factors": {}, **patch}
    with pytest.raises((DesignError, Exception)) as e:
        plan(design_from_dict(raw))
    assert needle in str(e.value)


# ---------------------------------------------------------------------------- executors and results

def _tables(out):
    return {t: load_table(out, t) for t in ("runs", "steps", "events", "dyads")}


def test_serial_process_and_dask_give_identical_rows(tmp_path):
    pytest.importorskip("distributed")
    p = plan(design_from_dict(SMALL))
    results = {}
    for kind in ("serial", "process", "dask"):
        run_plan(p, out=tmp_path / kind, executor=kind, workers=2, progress=False)
        results[kind] = _tables(tmp_path / kind)
    in_memory = run_plan(p, executor="serial", progress=False)
    for t in ("runs", "steps", "events", "dyads"):
        ref = results["serial"][t]
        assert len(ref) > 0
        for kind in ("process", "dask"):
            pd.testing.assert_frame_equal(results[kind][t], ref, check_exact=True)
        pd.testing.assert_frame_equal(in_memory.table(t), ref, check_exact=True)
    runs = results["serial"]["runs"]
    assert runs["run"].tolist() == list(range(12))
    assert set(runs["policy"]) == {"deterrence", "appeasement"} and set(runs["war_cost"]) == {0.4, 0.9}
    # the part files themselves are the same bytes whatever the executor
    for kind in ("process", "dask"):
        for part in sorted((tmp_path / "serial" / "runs.parquet").glob("part-*.parquet")):
            assert (tmp_path / kind / "runs.parquet" / part.name).read_bytes() == part.read_bytes()


def test_a_single_run_re_run_alone_gives_its_row():
    d = design_from_dict({"scenario": "two_blocs", "method": "lhs", "n": 4, "replications": 2, "entropy": 3,
                          "factors": {"war_cost": {"low": 0.3, "high": 1.2}}})
    p = plan(d)
    runs = run_plan(p, executor="serial", progress=False).runs
    row = runs.iloc[5]
    sc = scenario_for("two_blocs", {}, {"war_cost": float(row["war_cost"])})
    m = CrisisModel(sc, seed=int(row["seed"]), collect=False).run()
    out = m.outcome()
    assert out["outcome"] == row["outcome"] and out["peak_rung"] == row["peak_rung"]
    assert out["final_cohesion_WEST"] == row["final_cohesion_WEST"]


def test_not_collecting_days_does_not_change_the_run():
    a = CrisisModel("ukraine_2021", seed=4).run()
    b = CrisisModel("ukraine_2021", seed=4, collect=False).run()
    assert a.outcome() == b.outcome() and len(b.datacollector.model_vars.get("day", [])) == 0


def test_results_folder_is_queryable_with_pandas_and_resumes_without_recomputing(tmp_path):
    p = plan(design_from_dict(SMALL))
    first = run_plan(p, out=tmp_path / "r", executor="serial", progress=False)
    assert first.computed == 12 and first.skipped == 0
    again = run_plan(p, out=tmp_path / "r", executor="serial", progress=False)
    assert again.computed == 0 and again.skipped == 12
    direct = pd.read_parquet(tmp_path / "r" / "runs.parquet").sort_values("run").reset_index(drop=True)
    assert direct["run"].tolist() == list(range(12))
    assert direct["seed"].tolist() == load_table(tmp_path / "r", "runs")["seed"].astype(int).tolist()
    m = read_manifest(tmp_path / "r")
    assert m["status"] == "complete" and m["planned_runs"] == 12 and m["design"]["entropy"] == 11
    assert m["config_hash"] and m["packages"]["mesa"].startswith("3.3")


def _wait_for_parts(folder: Path, at_least: int, proc, limit=120.0) -> int:
    t0 = time.time()
    while time.time() - t0 < limit:
        n = len(list(folder.glob("part-*.parquet"))) if folder.is_dir() else 0
        if n >= at_least:
            return n
        if proc.poll() is not None:
            raise AssertionError(f"the sweep ended before it could be killed: {proc.stderr.read()}")
        time.sleep(0.02)
    raise AssertionError("no parts appeared")


KILL_DESIGN = {"scenario": "ukraine_2021", "method": "grid", "replications": 150, "entropy": 5, "chunk_size": 3,
               "factors": {"policy": ["as_happened", "deterrence"]}, "outputs": {"steps": True}}


def test_sigkill_mid_sweep_then_resume_gives_every_run_exactly_once(tmp_path):
    design = write_design(tmp_path / "kill.toml", KILL_DESIGN)
    out = tmp_path / "out"
    kills = 0
    for at_least in (4, 30):
        proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "sweep", str(design), "--out", str(out),
                                 "--workers", "2", "--no-progress"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        _wait_for_parts(out / "runs.parquet", at_least, proc)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        assert read_manifest(out)["status"] == "running"  # killed: nothing had the chance to say otherwise
    done = len(list((out / "runs.parquet").glob("part-*.parquet")))
    assert 4 <= done < 100
    r = crisislab("sweep", str(design), "--out", str(out), "--workers", "2", "--no-progress")
    assert r.returncode == 0, r.stderr
    runs = load_table(out, "runs")
    assert runs["run"].tolist() == list(range(300))  # every run once, none twice
    clean = run_plan(plan(load_design(design)), executor="serial", progress=False)
    pd.testing.assert_frame_equal(runs, clean.runs, check_exact=True)
    pd.testing.assert_frame_equal(load_table(out, "steps"), clean.steps, check_exact=True)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert kills == 2 and read_manifest(out)["status"] == "complete"


def test_ctrl_c_keeps_finished_runs_and_the_same_command_resumes(tmp_path):
    design = write_design(tmp_path / "int.toml", KILL_DESIGN)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "sweep", str(design), "--out", str(out),
                             "--workers", "2", "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    _wait_for_parts(out / "runs.parquet", 5, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole group on Ctrl-C
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "run the same command to resume" in err and "Traceback" not in err
    kept = len(load_table(out, "runs"))
    assert read_manifest(out)["status"] == "interrupted" and 0 < kept < 300
    assert f"{kept} of 300 runs kept" in err
    r = crisislab("sweep", str(design), "--out", str(out), "--executor", "serial", "--no-progress")
    assert r.returncode == 0 and f"{kept} already there" in r.stdout
    assert load_table(out, "runs")["run"].tolist() == list(range(300))


# ---------------------------------------------------------------------------- sensitivity

def test_sobol_indices_of_the_ishigami_function_match_the_published_values(tmp_path):
    """Ishigami & Homma (1990), a=7, b=0.1: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)."""
    d = design_from_dict({"model": "ishigami", "method": "sobol", "n": 1024, "outcomes": ["y"], "entropy": 1,
                          "factors": {k: {"low": -math.pi, "high": math.pi} for k in ("x1", "x2", "x3")}})
    p = plan(d)
    res = run_plan(p, out=tmp_path / "ish", executor="serial", progress=False)
    assert len(res.runs) == 1024 * 8
    idx = analyze(p, res.runs).set_index("parameter")
    np.testing.assert_allclose(idx["S1"], [0.3139, 0.4424, 0.0], atol=0.05)
    np.testing.assert_allclose(idx["ST"], [0.5576, 0.4424, 0.2437], atol=0.05)
    assert (idx["S1_conf"] > 0).all() and (idx["ST_conf"] < 0.15).all()


def test_morris_ranks_the_parameter_that_matters_first():
    d = design_from_dict({"model": "ishigami", "method": "morris", "n": 40, "outcomes": ["y"],
                          "factors": {k: {"low": -math.pi, "high": math.pi} for k in ("x1", "x2", "x3")}})
    p = plan(d)
    idx = analyze(p, run_plan(p, executor="serial", progress=False).runs).set_index("parameter")
    assert idx["mu_star"].idxmax() in ("x1", "x2") and idx.loc["x3", "mu_star"] < idx.loc["x2", "mu_star"]


def test_outcomes_per_point_average_replications_and_censor_war_day():
    p = plan(design_from_dict({"scenario": "two_blocs", "method": "grid", "replications": 2,
                               "factors": {"war_cost": [0.2, 3.0]}}))
    runs = run_plan(p, executor="serial", progress=False).runs
    pw = outcome_per_point(p, runs, "p_war")
    wd = outcome_per_point(p, runs, "war_day")
    assert pw[0] >= pw[1]  # cheap war is at least as likely
    assert wd.shape == (2,) and np.all(wd <= p.horizon_day + 1)
    if pw[1] == 0:
        assert wd[1] == p.horizon_day + 1


def test_sensitivity_cli_writes_table_and_plot(tmp_path):
    out = tmp_path / "sens"
    r = crisislab("sensitivity", "two_blocs", "--method", "morris", "--param", "war_cost=0.2:1.5",
                  "--param", "talks_gain=0:0.3", "--n", "4", "--replications", "2", "--outcome", "p_war",
                  "peak_rung", "--out", str(out), "--workers", "2", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert "mu_star" in r.stdout and "war_cost" in r.stdout
    table = pd.read_csv(out / "sensitivity.csv")
    assert set(table["outcome"]) == {"p_war", "peak_rung"} and set(table["parameter"]) == {"war_cost", "talks_gain"}
    assert (out / "sensitivity.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args,needle", [
    (["sensitivity", "two_blocs", "--param", "nope=0:1"], "unknown parameter 'nope'"),
    (["sensitivity", "two_blocs", "--param", "war_cost=1.5:0.2"], "not below high"),
    (["sensitivity", "two_blocs", "--param", "war_cost=0.2:1000"], "out of range"),
    (["sensitivity", "two_blocs", "--param", "war_cost=0.2:1", "--n", "100"], "power of 2"),
    (["sensitivity", "two_blocs", "--param", "war_cost=0.2:1", "--outcome", "joy"], "unknown outcome 'joy'"),
    (["sensitivity", "two_blocs"], "--param"),
    (["sensitivity", "--design", "nonesuch"], "unknown design 'nonesuch'"),
    (["sweep", "classroom_sobol", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
    (["run", "two_blocs", "--workers", "0"], "--workers"),
])
def test_bad_sweep_input_is_one_line_exit_2_and_writes_nothing(tmp_path, args, needle):
    out = tmp_path / "never"
    r = crisislab(*args, "--out", str(out), timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


@pytest.mark.parametrize("target", ["/proc/forbidden/out", "file"])
def test_unwritable_output_folder_fails_before_any_run(tmp_path, target):
    if target == "file":
        target = tmp_path / "a_file"
        target.write_text("not a folder")
    r = crisislab("sweep", "classroom_sobol", "--out", str(target))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "not writable" in r.stderr or "is a file" in r.stderr


# ---------------------------------------------------------------------------- reports

def test_report_draws_fan_p_war_cohesion_and_comparison(tmp_path):
    out = tmp_path / "rep"
    r = crisislab("run", "two_blocs", "--policy", "deterrence", "appeasement", "--runs", "8", "--out", str(out),
                  "--executor", "serial")
    assert r.returncode == 0, r.stderr
    r = crisislab("report", str(out))
    assert r.returncode == 0, r.stderr
    names = {"p_war_by_day.png", "max_rung_fan.png", "cohesion.png", "outcomes.png"}
    assert {p.name for p in (out / "report").glob("*.png")} == names
    for n in names:
        assert (out / "report" / n).read_bytes()[:4] == b"\x89PNG" and (out / "report" / n).stat().st_size > 10_000
    one = tmp_path / "one"
    assert crisislab("run", "two_blocs", "--runs", "4", "--no-steps", "--out", str(one)).returncode == 0
    r = crisislab("report", str(one))
    assert r.returncode == 0 and "no per-day rows" in r.stdout
    assert {p.name for p in (one / "report").glob("*.png")} == {"p_war_by_day.png"}
    r = crisislab("report", str(tmp_path / "nothing"))
    assert r.returncode == 2 and "not a results folder" in r.stderr
