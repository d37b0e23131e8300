"""One full ``ukraine_2021`` run against Mesa's ``virus_on_network`` at the same agents x steps.

    python benchmarks/run_vs_virus.py [--repeat 30] [--policy deterrence]

Ours: ``CrisisModel("ukraine_2021", seed=s, policy=..., collect=False).run()`` from 1 Nov 2021 to
31 Mar 2022 (150 steps after day 0; the deterrence policy keeps the crisis alive to the last day in
most seeds, so every run has the full length). Mesa's: ``VirusOnNetwork(num_nodes=<our agent count>)``
stepped the same number of steps. Both are timed from construction to the last step, alternating
run by run in one process; the medians and their ratio (ours / Mesa's, target <= 1.0) are printed,
plus ours keeping every day's row (``collect=True``) and the cost of construction alone.
"""

from __future__ import annotations

import argparse
import statistics
import time

from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

from model import CrisisModel
from model.config import load_scenario


def time_ours(scenario, seed: int, policy: str, collect: bool) -> tuple[float, int]:
    t0 = time.perf_counter()
    m = CrisisModel(scenario, seed=seed, policy=policy, collect=collect)
    m.run()
    return time.perf_counter() - t0, m.day


def time_virus(n_agents: int, steps: int, seed: int) -> float:
    t0 = time.perf_counter()
    v = VirusOnNetwork(num_nodes=n_agents, seed=seed)
    for _ in range(steps):
        v.step()
    return time.perf_counter() - t0


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--policy", default="deterrence")
    args = ap.parse_args(argv)
    sc = load_scenario("ukraine_2021")
    probe = CrisisModel(sc, seed=0, policy=args.policy, collect=False)
    n_agents, steps = len(probe.agents), sc.days - 1
    ours, ours_rows, virus, build, days = [], [], [], [], []
    for s in range(3):  # warm both up (imports, caches)
        time_ours(sc, s, args.policy, False), time_virus(n_agents, steps, s)
    for s in range(args.repeat):
        t, d = time_ours(sc, 1000 + s, args.policy, False)
        ours.append(t), days.append(d)
        ours_rows.append(time_ours(sc, 1000 + s, args.policy, True)[0])
        virus.append(time_virus(n_agents, steps, 1000 + s))
        t0 = time.perf_counter()
        CrisisModel(sc, seed=s, policy=args.policy, collect=False)
        build.append(time.perf_counter() - t0)
    med = {k: statistics.median(v) * 1e3 for k, v in
           {"ours": ours, "rows": ours_rows, "virus": virus, "build": build}.items()}
    full = sum(d == steps for d in days)
    print(f"agents {n_agents} x steps {steps}; {args.repeat} runs each, policy {args.policy} "
          f"({full} of {args.repeat} of ours ran all {steps} steps; the rest ended in war or a deal sooner)")
    print(f"  virus_on_network        median {med['virus']:7.2f} ms")
    print(f"  ukraine_2021            median {med['ours']:7.2f} ms   (of which construction {med['build']:.2f} ms)")
    print(f"  ukraine_2021 + day rows median {med['rows']:7.2f} ms")
    print(f"ratio ours / virus_on_network = {med['ours'] / med['virus']:.2f} (target <= 1.0); "
          f"with day rows {med['rows'] / med['virus']:.2f}")


if __name__ == "__main__":
    main()
