"""Scale: synthetic worlds of 25 ... 1,000 states — time per step, peak memory, growth exponent.

    python benchmarks/scale.py [--sizes 25 50 100 200 400 1000] [--alliances 5] [--steps 40]

Each size is ``synthetic_scenario(N, K, seed=1)`` (``model/synthetic.py``: a random world where state 0
challenges state 1 and the rest are defenders in K-1 alliances) run under the ``deterrence`` policy.
Time per step: the median over ``--steps`` steps after two warm-up steps, without per-day rows (a
small world is run first, so no build includes loading the compiled kernels).
Peak memory: the largest traced allocation (``tracemalloc``: NumPy arrays included) while building the
model and stepping it, in a second pass (tracing slows Python, so it is not timed). The growth
exponent b of time ~ N^b is fitted by least squares on log-log over the sizes >= 100 (below that a
step is dominated by fixed per-step costs, not by N); beliefs and trust are N x N, so b -> 2 at most.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from model import CrisisModel
from model.synthetic import synthetic_scenario


def time_per_step(n: int, k: int, steps: int) -> tuple[float, float]:
    """Median time of a step after the branch date (the challenger deciding), over runs of successive seeds
    until ``steps`` steps are timed (a run may end early: war, a deal, a backdown), and the first build."""
    sc = synthetic_scenario(n, k, seed=1, days=steps + 10)
    ts, builds, seed = [], [], 1
    while len(ts) < steps and seed < 50 * steps:
        t0 = time.perf_counter()
        m = CrisisModel(sc, seed=seed, policy="deterrence", collect=False)
        builds.append(time.perf_counter() - t0)
        m.step()
        while m.running and len(ts) < steps:
            t0 = time.perf_counter()
            m.step()
            ts.append(time.perf_counter() - t0)
        seed += 1
    return statistics.median(ts), builds[0]


def peak_memory(n: int, k: int, steps: int) -> float:
    sc = synthetic_scenario(n, k, seed=1, days=steps + 10)
    tracemalloc.start()
    m = CrisisModel(sc, seed=1, policy="deterrence", collect=False)
    m.run(steps)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400, 1000])
    ap.add_argument("--alliances", type=int, default=5)
    ap.add_argument("--steps", type=int, default=40)
    args = ap.parse_args(argv)
    time_per_step(25, 3, 5)  # load the compiled kernels first: the first build would include it
    print(f"{'states':>7} {'build ms':>9} {'ms / step':>10} {'peak MB':>8}")
    times = []
    for n in args.sizes:
        t, build = time_per_step(n, args.alliances, args.steps)
        mb = peak_memory(n, args.alliances, args.steps)
        times.append(t)
        print(f"{n:>7} {build * 1e3:>9.1f} {t * 1e3:>10.3f} {mb:>8.1f}", flush=True)
    sizes = np.array(args.sizes, dtype=float)
    big = sizes >= 100
    if big.sum() >= 2:
        b = np.polyfit(np.log(sizes[big]), np.log(np.array(times)[big]), 1)[0]
        print(f"growth exponent (time per step ~ N^b, N >= 100): b = {b:.2f}")
    largest = args.sizes[-1]
    print(f"largest world ({largest} states): {times[-1] * 1e3:.2f} ms per step (target <= 50 ms), "
          f"peak {mb:.0f} MB (target <= 1024 MB)")


if __name__ == "__main__":
    main()
