"""The crisislab CLI end to end, and its one-line errors."""

import json
import subprocess
import sys

import pandas as pd
import pytest


def crisislab(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "experiments.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, check=False)


def test_scenarios_lists_scenarios_and_policies():
    r = crisislab("scenarios")
    assert r.returncode == 0
    for word in ("ukraine_2021", "two_blocs", "deterrence", "as_happened", "reactive", "synthetic-N-K-SEED"):
        assert word in r.stdout


def test_run_end_to_end_writes_parquet_and_manifest(tmp_path):
    out = tmp_path / "res"
    r = crisislab("run", "ukraine_2021", "--runs", "12", "--seed", "5", "--policy", "deterrence", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "P(war by 2022-03-31)" in r.stdout and "95% CI" in r.stdout and "final cohesion" in r.stdout
    assert "backdown" in r.stdout and "limited_war" in r.stdout
    runs = pd.read_parquet(out / "runs.parquet")
    steps = pd.read_parquet(out / "steps.parquet")
    events = pd.read_parquet(out / "events.parquet")
    assert len(runs) == 12 and runs["run"].tolist() == list(range(12))
    assert {"day", "max_rung", "cohesion_NATO"} <= set(steps.columns)
    assert {"day", "actor", "signal", "targets", "text"} <= set(events.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["entropy"] == 5 and manifest["status"] == "complete" and manifest["completed_runs"] == 12
    assert (runs["entropy"] == 5).all()
    assert manifest["config_hash"] and manifest["code_version"] and manifest["design"]["policy"] == "deterrence"
    # a single run re-run alone gives the same row
    from experiments.batch import run_seed
    from model import CrisisModel
    m = CrisisModel("ukraine_2021", seed=run_seed(5, 7), policy="deterrence").run()
    assert m.outcome()["outcome"] == runs.loc[7, "outcome"]
    assert m.outcome()["peak_rung"] == runs.loc[7, "peak_rung"]


def test_set_overrides_change_the_run(tmp_path):
    a = crisislab("run", "two_blocs", "--runs", "10", "--set", "war_cost=0.2", "--policy", "deterrence")
    b = crisislab("run", "two_blocs", "--runs", "10", "--set", "war_cost=1.0", "--policy", "deterrence")
    assert a.returncode == b.returncode == 0
    assert a.stdout != b.stdout


@pytest.mark.parametrize("args,needle", [
    (["run", "atlantis"], "unknown scenario 'atlantis'"),
    (["run", "two_blocs", "--set", "nope=1"], "unknown parameter 'nope'"),
    (["run", "two_blocs", "--set", "war_cost=-1"], "war_cost"),
    (["run", "two_blocs", "--set", "war_cost"], "key=value"),
    (["run", "two_blocs", "--policy", "bribery"], "unknown policy 'bribery'"),
    (["run", "two_blocs", "--runs", "0"], "--runs"),
    (["run", "two_blocs", "--runs", "many"], "whole number"),
    (["run", "two_blocs", "--out", "/proc/forbidden/out"], "not writable"),
])
def test_bad_input_gives_one_line_and_nonzero_exit(args, needle):
    r = crisislab(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr


def test_malformed_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed")
    r = crisislab("run", str(bad))
    assert r.returncode == 2 and "malformed TOML" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_existing_results_are_not_lost_when_a_later_run_fails(tmp_path):
    out = tmp_path / "res"
    assert crisislab("run", "two_blocs", "--runs", "3", "--out", str(out)).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    r = crisislab("run", "two_blocs", "--runs", "3", "--set", "war_cost=-1", "--out", str(out))
    assert r.returncode == 2
    r = crisislab("run", "two_blocs", "--runs", "4", "--out", str(out))  # a different design: refused
    assert r.returncode == 2 and "holds a different design" in r.stderr
    after = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before
