"""Monte Carlo runs for the dashboard, off the page's thread, on one process pool shared by all sessions.

The pool holds no session state (it runs ``experiments.runner.run_chunk`` on plain data), so sharing it
is safe; each session waits for its own futures in a background thread, and the page stays live.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from dashboard.session import Settings
from experiments.design import design_from_dict, plan
from experiments.executors import default_workers, ignore_sigint, worker_context
from experiments.report import rung_fan, war_count_by_day
from experiments.runner import run_chunk
from experiments.store import table_to_frame

_POOL: cf.ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
MAX_RUNS = 2000


def _background_worker(server_pid: int) -> None:
    """A Monte Carlo worker leaves Ctrl-C to the server, yields the CPU to the sessions' steps (nice 10: a
    student's click is answered before another student's background runs) and exits when the server is
    gone, however it ended (a terminated or killed server would otherwise leave its workers behind)."""
    ignore_sigint()
    try:
        os.nice(10)
    except OSError:
        pass
    threading.Thread(target=_exit_with, args=(server_pid,), daemon=True, name="exit-with-server").start()


def _exit_with(server_pid: int, every: float = 1.0) -> None:
    while True:
        time.sleep(every)
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:   # a pid reused by another user's process: the server is gone too
            os._exit(0)


def mc_workers() -> int:
    """Processes for Monte Carlo: ``CRISISLAB_MC_WORKERS`` (``crisislab dashboard --mc-workers``), else one
    core fewer than the machine has (at least one), so the server keeps a core for the sessions' steps."""
    text = os.environ.get("CRISISLAB_MC_WORKERS", "")
    return int(text) if text.isdigit() and int(text) > 0 else max(1, default_workers() - 1)


def pool() -> cf.ProcessPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = cf.ProcessPoolExecutor(max_workers=mc_workers(), mp_context=worker_context(),
                                           initializer=_background_worker, initargs=(os.getpid(),))
            atexit.register(_POOL.shutdown, wait=False, cancel_futures=True)
        return _POOL


def mc_plan(settings: Settings, policies: list[str] | None, runs: int, entropy: int):
    """Same seeds for every policy compared (replicate r has seed run_seed(entropy, r))."""
    raw: dict[str, Any] = {"scenario": settings.scenario, "replications": runs, "entropy": entropy,
                           "common_seeds": True, "fixed": settings.overrides(), "outputs": {"steps": True},
                           "chunk_size": max(1, min(10, runs // 8 or 1))}
    if policies and len(policies) > 1:
        raw["factors"] = {"policy": policies}
    else:
        raw["policy"] = policies[0] if policies else settings.policy()
    return plan(design_from_dict(raw, where="monte carlo"))


STEP_COLUMNS = ["run", "day", "max_rung"]


def chunk_for_charts(p, runs: range) -> dict[str, pa.Table]:
    """``run_chunk`` in the worker, keeping of the per-day rows only what the charts draw (the full rows of
    100 runs would be megabytes to ship to, and hold in, the server that also serves the sessions)."""
    tables = run_chunk(p, runs)
    return {"runs": tables["runs"], "steps": tables["steps"].select(STEP_COLUMNS)}


def monte_carlo(settings: Settings, runs: int = 100, policies: list[str] | None = None, entropy: int = 0,
                on_progress: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None, executor: cf.Executor | None = None) -> dict[str, Any] | None:
    """Run ``runs`` seeded runs (per policy) and summarise them; None when cancelled."""
    if not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"the number of runs must be between 1 and {MAX_RUNS}")
    p = mc_plan(settings, policies, runs, entropy)
    ex = executor or pool()
    futures = {ex.submit(chunk_for_charts, p, r): k for k, r in enumerate(p.chunks())}
    parts: dict[int, dict[str, pa.Table]] = {}
    done = 0
    try:
        for fut in cf.as_completed(futures):
            if cancel is not None and cancel.is_set():
                return None
            parts[futures[fut]] = tables = fut.result()
            done += tables["runs"].num_rows
            if on_progress:
                on_progress(done, p.n_runs)
    finally:
        for fut in futures:
            fut.cancel()
    runs_df = table_to_frame("runs", pa.concat_tables([parts[k]["runs"] for k in sorted(parts)]))
    steps = table_to_frame("steps", pa.concat_tables([parts[k]["steps"] for k in sorted(parts)]))
    return summarise(p, runs_df, steps)


def summarise(p, runs, steps) -> dict[str, Any]:
    horizon = p.horizon_day
    start = p.scenario.start
    dates = [(start + timedelta(days=d)).isoformat() for d in range(horizon + 1)]
    groups = {}
    for label, g in runs.groupby("policy", sort=False):
        q = rung_fan(steps, g["run"].tolist(), horizon).round(3)
        war_days = g.loc[g["outcome"] == "war", "war_day"].astype(float).to_numpy()
        by_day = [round(float(x), 4) for x in war_count_by_day(g, horizon) / len(g)]
        groups[str(label)] = {"rung_quantiles": q.tolist(), "p_war_by_day": by_day, "runs": len(g),
                              "p_war": float((g["outcome"] == "war").mean()),
                              "p_deal": float((g["outcome"] == "deal").mean()),
                              "median_war_day": float(np.median(war_days)) if len(war_days) else None}
    return {"dates": dates, "groups": groups, "runs": len(runs)}
