"""Run a plan on an executor, chunk by chunk, into memory or a resumable results folder.

    from experiments import load_design, plan, run_plan
    res = run_plan(plan(load_design("classroom_sobol")), out="results/classroom", executor="process")
    res.runs        # one row per run, ordered by run index

Progress (with ETA) goes to stderr. Ctrl-C cancels the chunks not started and raises
:class:`Interrupted` after the finished ones are on disk; the same call resumes.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from experiments.design import Plan
from experiments.executors import ExecutorKind, make_executor
from experiments.runner import TABLES, RunFailed, run_chunk
from experiments.store import ResultStore, load_table, table_to_frame, write_failed


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep; ``kept`` runs are on disk (or in ``results``)."""

    def __init__(self, kept: int, planned: int, out: Path | None):
        super().__init__(f"interrupted: {kept} of {planned} runs kept")
        self.kept, self.planned, self.out = kept, planned, out


@dataclass
class Results:
    """The tables of a plan's runs: read from ``out`` when there is one, else held in memory."""

    plan: Plan
    out: Path | None = None
    computed: int = 0          # runs computed by this call
    skipped: int = 0           # runs found done in ``out`` and not recomputed
    seconds: float = 0.0
    _memory: dict[str, list[tuple[int, pa.Table]]] = field(default_factory=dict, repr=False)
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            if self.out is not None:
                self._cache[name] = load_table(self.out, name)
            else:
                parts = [t for _, t in sorted(self._memory.get(name, []), key=lambda kt: kt[0])]
                self._cache[name] = table_to_frame(name, pa.concat_tables(parts)) if parts else pd.DataFrame()
        return self._cache[name]

    @property
    def runs(self) -> pd.DataFrame:
        return self.table("runs")

    @property
    def steps(self) -> pd.DataFrame:
        return self.table("steps")

    @property
    def events(self) -> pd.DataFrame:
        return self.table("events")

    @property
    def dyads(self) -> pd.DataFrame:
        return self.table("dyads")


def run_plan(plan: Plan, out: Path | str | None = None, executor: ExecutorKind = "process",
             workers: int | None = None, scheduler: str | None = None, progress: bool = True,
             command: list[str] | None = None) -> Results:
    """Compute every run of ``plan`` not already in ``out``; see the module docstring."""
    t0 = time.perf_counter()
    out = Path(out) if out is not None else None
    store = ResultStore(out, plan) if out is not None else None
    chunks = plan.chunks()
    if store is not None and set(range(len(chunks))) <= store.check():
        store.finish("complete")  # everything is there already: no executor needed
        return Results(plan=plan, out=out, skipped=plan.n_runs, seconds=time.perf_counter() - t0)
    res = Results(plan=plan, out=out)
    bar = None
    try:
        with make_executor(executor, workers, scheduler) as (ex, parallel):
            done = store.open(command) if store is not None else set()
            todo = [(k, r) for k, r in enumerate(chunks) if k not in done]
            res.skipped = sum(len(chunks[k]) for k in done if k < len(chunks))
            bar = tqdm(total=plan.n_runs, initial=res.skipped, unit="run", disable=not progress, leave=False,
                       desc=plan.design.name or plan.design.scenario, dynamic_ncols=True, smoothing=0.1)
            window = 2 * parallel
            pending: dict[cf.Future, tuple[int, range]] = {}
            queue = iter(todo)

            def refill() -> None:
                for k, r in queue:
                    pending[ex.submit(run_chunk, plan, r)] = (k, r)
                    if len(pending) >= window:
                        return

            try:
                refill()
                while pending:
                    finished, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
                    for fut in sorted(finished, key=lambda f: pending[f][0]):
                        k, r = pending.pop(fut)
                        try:
                            tables = fut.result()
                        except cf.BrokenExecutor as e:
                            raise RunFailed(f"a worker process died ({type(e).__name__}); the finished runs are "
                                            "kept; run the same command again to resume") from None
                        if store is not None:
                            try:
                                store.write_chunk(k, tables)
                            except OSError as e:   # e.g. the disk filled up since the start
                                raise write_failed(store.out, e, res.skipped + res.computed) from None
                        else:
                            for name in TABLES:
                                res._memory.setdefault(name, []).append((k, tables[name]))
                        res.computed += len(r)
                        bar.update(len(r))
                    refill()
            except BaseException:
                for fut in pending:
                    fut.cancel()
                raise
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        if store is not None and (store.out / "manifest.json").exists():
            store.finish("interrupted")
        raise Interrupted(res.skipped + res.computed, plan.n_runs, out) from None
    except Exception:
        if bar is not None:
            bar.close()
        if store is not None and (store.out / "manifest.json").exists():
            try:
                store.finish("failed")
            except OSError:   # a full disk cannot take the manifest either: the first error is the one to tell
                pass
        raise
    bar.close()
    if store is not None:
        store.finish("complete")
    res.seconds = time.perf_counter() - t0
    return res
