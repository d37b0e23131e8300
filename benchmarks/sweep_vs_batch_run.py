"""Sweep throughput: our executor against Mesa's ``batch_run`` on the same model, runs and seeds.

    python benchmarks/sweep_vs_batch_run.py [--runs 400] [--workers 2] [--repeat 3]

Both sides run ``CrisisModel("ukraine_2021", seed=s)`` to its end for the same seeds (run ``i`` has seed
``run_seed(0, i)``) on the same number of processes, side by side in one invocation; each side is timed
``--repeat`` times and the median is used. Printed: runs per second of each and the ratio ours / Mesa's.

Two flavours of ours are timed:
- ``per-run rows``: what a sweep keeps by default (the outcome of each run);
- ``per-day rows``: also every day's row (more than ``batch_run`` returns with ``data_collection_period=-1``).
Both sides are checked to have run the same trajectories: each run ends on the same day (war, deal or the
scenario's end). (Mesa's ``batch_run`` reports row ``model.steps - 1`` of the collector, i.e. the day
before the last, so its row for a run has ``day`` one less than the run's last day.)
"""

from __future__ import annotations

import argparse
import statistics
import time

from experiments.batch import batch_design
from experiments.design import plan, run_seed
from experiments.sweep import run_plan
from model import CrisisModel


def mesa_batch_run(seeds: list[int], workers: int) -> tuple[float, list[dict]]:
    from mesa.batchrunner import batch_run  # forces the spawn start method, as it does for its users

    t0 = time.perf_counter()
    rows = batch_run(CrisisModel, parameters={"scenario": "ukraine_2021", "seed": seeds}, iterations=1,
                     max_steps=200, number_processes=workers, data_collection_period=-1, display_progress=False)
    return time.perf_counter() - t0, rows


def ours(n: int, workers: int, steps: bool):
    p = plan(batch_design("ukraine_2021", None, n, 0, steps=steps, events=False))
    t0 = time.perf_counter()
    res = run_plan(p, executor="process" if workers > 1 else "serial", workers=workers, progress=False)
    return time.perf_counter() - t0, res.runs


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    seeds = [run_seed(0, i) for i in range(args.runs)]
    t_mesa, t_rows, t_steps = [], [], []
    for k in range(args.repeat):
        t, mesa_rows = mesa_batch_run(seeds, args.workers)
        t_mesa.append(t)
        t, runs = ours(args.runs, args.workers, steps=False)
        t_rows.append(t)
        t, _ = ours(args.runs, args.workers, steps=True)
        t_steps.append(t)
        print(f"  repeat {k + 1}: mesa {t_mesa[-1]:.2f} s, ours (per-run rows) {t_rows[-1]:.2f} s, "
              f"ours (per-day rows) {t_steps[-1]:.2f} s", flush=True)
    # same model, same seeds => same outcomes
    by_seed = {r["seed"]: r for r in mesa_rows}
    same = sum(int(by_seed[int(r["seed"])]["day"] + 1 == r["days"]) for _, r in runs.iterrows())
    med = {name: statistics.median(ts) for name, ts in (("mesa", t_mesa), ("rows", t_rows), ("steps", t_steps))}
    rate = {k: args.runs / v for k, v in med.items()}
    print(f"\nukraine_2021, {args.runs} runs, {args.workers} processes, median of {args.repeat}:")
    print(f"  Mesa batch_run               {rate['mesa']:8.1f} runs/s  ({med['mesa']:.2f} s)")
    print(f"  crisislab (per-run rows)     {rate['rows']:8.1f} runs/s  ({med['rows']:.2f} s)  "
          f"ratio {rate['rows'] / rate['mesa']:.2f}x")
    print(f"  crisislab (per-day rows)     {rate['steps']:8.1f} runs/s  ({med['steps']:.2f} s)  "
          f"ratio {rate['steps'] / rate['mesa']:.2f}x")
    print(f"  same trajectory length for the same seed: {same} of {len(runs)} runs")


if __name__ == "__main__":
    main()
