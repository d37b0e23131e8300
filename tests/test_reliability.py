"""Reliability: determinism whatever the completion order and across invocations, sweeps killed at random
moments, full disks, and safe-by-default inputs."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import errno
import io
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from test_experiments import KILL_DESIGN, SMALL, crisislab, write_design  # tests/ is on the path (pytest rootdir)

from experiments import cli, store, sweep
from experiments.design import design_from_dict, load_design, plan
from experiments.store import load_table, read_manifest
from experiments.sweep import run_plan
from model.config import ScenarioError, load_scenario, resolve_path

ROOT = Path(__file__).resolve().parent.parent


def _parts(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("*.parquet/part-*.parquet"))}


# ---------------------------------------------------------------------------- determinism

class ShuffledExecutor(cf.Executor):
    """Threads that start each task after a random pause: chunks finish in an order unrelated to the plan's."""

    def __init__(self, seed: int, finished: list[int]):
        self._pool = cf.ThreadPoolExecutor(max_workers=4)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.finished = finished

    def submit(self, fn, /, *args, **kwargs):
        pause = self._rng.uniform(0, 0.05)

        def task():
            time.sleep(pause)
            out = fn(*args, **kwargs)
            with self._lock:
                self.finished.append(args[1].start)
            return out

        return self._pool.submit(task)

    def shutdown(self, wait=True, **kw):
        self._pool.shutdown(wait=wait)


def test_rows_do_not_depend_on_the_order_chunks_finish_in(tmp_path, monkeypatch):
    p = plan(design_from_dict({**SMALL, "chunk_size": 1}))
    reference = run_plan(p, out=tmp_path / "serial", executor="serial", progress=False)
    finished: list[int] = []

    @contextlib.contextmanager
    def fake(kind, workers, scheduler):
        ex = ShuffledExecutor(seed=len(finished), finished=finished)
        yield ex, 8
        ex.shutdown()

    monkeypatch.setattr(sweep, "make_executor", fake)
    run_plan(p, out=tmp_path / "shuffled", executor="process", progress=False)
    in_memory = run_plan(p, executor="process", progress=False)
    assert finished[:12] != sorted(finished[:12])   # the order really was shuffled
    assert _parts(tmp_path / "shuffled") == _parts(tmp_path / "serial")   # byte-identical part files
    for t in ("runs", "steps", "events", "dyads"):
        pd.testing.assert_frame_equal(in_memory.table(t), reference.table(t), check_exact=True)


def test_two_separate_invocations_on_different_executors_write_identical_bytes(tmp_path):
    design = write_design(tmp_path / "d.toml", SMALL)
    a = crisislab("sweep", str(design), "--out", str(tmp_path / "a"), "--executor", "serial", "--no-progress")
    b = crisislab("sweep", str(design), "--out", str(tmp_path / "b"), "--executor", "process", "--workers", "2",
                  "--no-progress")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    pa_, pb = _parts(tmp_path / "a"), _parts(tmp_path / "b")
    assert len(pa_) == 4 * 6 and pa_ == pb   # 6 chunks x 4 tables, every byte equal


# ---------------------------------------------------------------------------- durability

def test_sigkill_at_random_moments_then_resume_gives_each_run_once_and_equal_to_a_clean_sweep(tmp_path):
    """Kill the whole sweep (workers too) with SIGKILL at random moments - during start-up, the manifest,
    a chunk's write - several times, resuming each time; the last resume runs to the end."""
    rng = random.Random(int(os.environ.get("CRISISLAB_KILL_SEED", "2026")))
    design = write_design(tmp_path / "kill.toml", KILL_DESIGN)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments.cli", "sweep", str(design), "--out", str(out), "--workers", "2",
           "--no-progress"]
    kills, progress = 0, []
    for _ in range(4):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(rng.uniform(0.2, 4.0))
        if proc.poll() is not None:   # it finished first: nothing left to kill
            break
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        progress.append(len(load_table(out, "runs")) if (out / "manifest.json").exists() else 0)
    assert kills >= 3, "the sweep should outlive at least three kills"
    print(f"SIGKILLs: {kills}; runs on disk after each: {progress}")   # shown with pytest -s
    r = crisislab("sweep", str(design), "--out", str(out), "--workers", "2", "--no-progress")
    assert r.returncode == 0, r.stderr
    runs = load_table(out, "runs")
    assert runs["run"].tolist() == list(range(300)), progress   # every planned run, none twice
    clean = run_plan(plan(load_design(design)), executor="serial", progress=False)
    pd.testing.assert_frame_equal(runs, clean.runs, check_exact=True)
    pd.testing.assert_frame_equal(load_table(out, "steps"), clean.steps, check_exact=True)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert read_manifest(out)["status"] == "complete"


def _cli(*args) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, err.getvalue().strip().splitlines()


def test_a_disk_too_small_for_the_sweep_fails_before_any_run(tmp_path, monkeypatch):
    real = store.shutil.disk_usage
    monkeypatch.setattr(store.shutil, "disk_usage", lambda p: real(p)._replace(free=200_000))
    design = write_design(tmp_path / "d.toml", {**SMALL, "replications": 50})
    code, lines = _cli("sweep", str(design), "--out", str(tmp_path / "out"), "--executor", "serial", "--no-progress")
    assert code == 2 and len(lines) == 1 and "only 0.2 MB free" in lines[0] and "200 runs need about" in lines[0]
    assert not list((tmp_path / "out").glob("*.parquet"))


def test_a_disk_that_fills_up_mid_sweep_keeps_the_finished_runs_and_resumes(tmp_path, monkeypatch):
    design = write_design(tmp_path / "d.toml", SMALL)
    out = tmp_path / "out"
    real, written = store.atomic_write_table, []

    def fills_up(table, path):
        if path.parent.name == "runs.parquet" and len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(table, path)
        if path.parent.name == "runs.parquet":
            written.append(path)

    monkeypatch.setattr(store, "atomic_write_table", fills_up)
    code, lines = _cli("sweep", str(design), "--out", str(out), "--executor", "serial", "--no-progress")
    assert code == 2 and len(lines) == 1, lines
    assert "the disk is full" in lines[0] and "the 6 runs finished are kept" in lines[0] and "resume" in lines[0]
    assert len(load_table(out, "runs")) == 6 and read_manifest(out)["status"] == "failed"
    monkeypatch.setattr(store, "atomic_write_table", real)
    code, lines = _cli("sweep", str(design), "--out", str(out), "--executor", "serial", "--no-progress")
    assert code == 0, lines
    clean = run_plan(plan(load_design(design)), executor="serial", progress=False)
    pd.testing.assert_frame_equal(load_table(out, "runs"), clean.runs, check_exact=True)


def test_a_full_disk_at_the_start_is_one_line(tmp_path, monkeypatch):
    class Full:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.tempfile, "NamedTemporaryFile", Full)
    code, lines = _cli("run", "two_blocs", "--runs", "3", "--out", str(tmp_path / "o"), "--executor", "serial",
                       "--no-progress")
    expected = f"crisislab: error: output folder {tmp_path / 'o'} is not writable: No space left on device"
    assert code == 2 and lines == [expected]


# ---------------------------------------------------------------------------- safe by default

@pytest.mark.parametrize("name", ["../secrets", "..", "/etc/passwd", "configs/../../x", "ukraine_2021;rm",
                                  "%2e%2e", "ukraine_2021\0", "~root"])
def test_a_scenario_name_cannot_leave_configs(name):
    with pytest.raises(ScenarioError):
        resolve_path(name)


def test_extends_cannot_reach_outside_configs(tmp_path):
    outside = tmp_path / "outside.toml"
    outside.write_text('name = "x"\n')
    preset = tmp_path / "preset.toml"
    preset.write_text(f'extends = "{outside}"\n')
    with pytest.raises(ScenarioError, match="extends"):
        load_scenario(preset)
    preset.write_text('extends = "../configs/ukraine_2021"\n')
    with pytest.raises(ScenarioError, match="extends"):
        load_scenario(preset)


def test_scenario_files_are_data_only(tmp_path):
    """A scenario is TOML read by tomllib and validated: nothing in it is evaluated, imported or unpickled."""
    code_like = tmp_path / "code.toml"
    text = (ROOT / "configs" / "two_blocs.toml").read_text()
    code_like.write_text(text.replace('description = "', 'description = "__import__(\'os\').system(\'touch '
                                      f'{tmp_path / "pwned"}\') ', 1))
    sc = load_scenario(code_like)
    assert sc.description.startswith("__import__") and not (tmp_path / "pwned").exists()
    sources = "\n".join(p.read_text() for d in ("model", "agents", "experiments", "dashboard")
                        for p in (ROOT / d).rglob("*.py"))
    for forbidden in ("eval(", "exec(", "pickle.load", "yaml.load", "importlib.import_module(", "__import__("):
        assert forbidden not in sources, forbidden


def test_an_oversized_scenario_file_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 1_100_000 + "\n")
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(big)


@pytest.mark.parametrize("target", ["/proc/crisislab/out", "/dev/null/out"])
def test_output_paths_that_cannot_be_folders_are_refused(tmp_path, target):
    code, lines = _cli("run", "two_blocs", "--runs", "2", "--out", target, "--executor", "serial", "--no-progress")
    assert code == 2 and len(lines) == 1 and "not writable" in lines[0]
