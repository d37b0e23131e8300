"""Soak: a long synthetic world and many short runs, checking for NaN, overflow and memory growth.

    python benchmarks/soak.py [--days 20000] [--states 60] [--runs 10000]

1. One synthetic world of ``--states`` states run for ``--days`` days (war made unattractive to the
   challenger, so the crisis does not end early), with the day's rows kept: every ``--check-every`` days the
   invariants of ``model/invariants.py`` are checked, and at the end every row must be finite.
2. ``--runs`` short runs (random shipped scenario, policy, credibility rule and seed; no day rows, as a
   sweep runs them), each checked at its end; resident memory is sampled every 500 runs after a warm-up,
   and the growth per 1,000 runs is printed.
NumPy floating-point errors (overflow, invalid operations, division by zero; not underflow to 0) raise
instead of warning.
Not a test: it prints its figures and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agents.policies import POLICIES
from model import CrisisModel
from model.invariants import violations
from model.synthetic import synthetic_scenario


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def long_world(days: int, states: int, check_every: int) -> list[str]:
    problems = []
    sc = synthetic_scenario(states, 4, seed=11, days=days)
    t0, m0 = time.perf_counter(), rss_mb()
    m = CrisisModel(sc, seed=11, policy="deterrence", war_cost=100.0)
    with tqdm(total=days - 1, unit="day", desc="long world", leave=False) as bar:
        while m.running:
            m.step()
            bar.update(1)
            if m.day % check_every == 0:
                problems += [f"day {m.day}: {v}" for v in violations(m)]
    rows = m.datacollector.get_model_vars_dataframe()
    numeric = rows.select_dtypes(include=[np.number, bool]).to_numpy(dtype=float)
    if not np.isfinite(numeric).all():
        problems.append("a day's row holds a NaN or an infinity")
    problems += [f"end: {v}" for v in violations(m)]
    wall = time.perf_counter() - t0
    out = m.outcome()
    print(f"long world: {states} states, {m.day + 1:,} of {days:,} days in {wall:.1f} s "
          f"({1e3 * wall / max(1, m.day):.3f} ms/day); outcome {out['outcome']}, peak rung {out['peak_rung']}; "
          f"{len(rows):,} day rows; RSS {m0:.0f} -> {rss_mb():.0f} MB (the rows included); "
          f"{len(problems)} problems")
    return problems


def short_runs(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    scenarios = ["ukraine_2021", "two_blocs", "helsinki", "deterrence", "appeasement", "synthetic-12-3-1"]
    rules = ["reputation", "current_calculus", "mix"]
    problems, samples, outcomes = [], [], {}
    warm = min(500, n // 5)
    t0 = time.perf_counter()
    for i in tqdm(range(n), unit="run", desc="short runs", leave=False):
        m = CrisisModel(rng.choice(scenarios), seed=rng.randrange(2**32), policy=rng.choice(sorted(POLICIES)),
                        collect=False, credibility_rule=rng.choice(rules)).run()
        problems += [f"run {i}: {v}" for v in violations(m)]
        outcomes[m.outcome()["outcome"]] = outcomes.get(m.outcome()["outcome"], 0) + 1
        if i >= warm and (i - warm) % 500 == 0:
            samples.append((i, rss_mb()))
    wall = time.perf_counter() - t0
    (i0, r0), (i1, r1) = samples[0], samples[-1]
    growth = (r1 - r0) / max(1, i1 - i0) * 1000
    print(f"short runs: {n:,} in {wall:.1f} s ({1e3 * wall / n:.2f} ms/run); outcomes {outcomes}; RSS {r0:.1f} MB "
          f"after {i0:,} runs, {r1:.1f} MB after {i1:,}: {growth:+.2f} MB per 1,000 runs; {len(problems)} problems")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=20_000)
    ap.add_argument("--states", type=int, default=60)
    ap.add_argument("--check-every", type=int, default=100)
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    np.seterr(over="raise", invalid="raise", divide="raise", under="ignore")   # underflow to 0 is benign
    warnings.simplefilter("error", RuntimeWarning)
    problems = long_world(args.days, args.states, args.check_every) + short_runs(args.runs, args.seed)
    for p in problems[:20]:
        print("  PROBLEM", p)
    print("soak: OK" if not problems else f"soak: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
