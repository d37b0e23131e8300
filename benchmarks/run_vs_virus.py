"""One full ``ukraine_2021`` run against Mesa's ``virus_on_network`` at the same agents x steps.

    python benchmarks/run_vs_virus.py [--repeat 30] [--policy deterrence]

Ours: ``CrisisModel("ukraine_2021", seed=s, policy=..., collect=False).run()`` from 1 Nov 2021 until the
run ends (war, a deal, a backdown, or 31 Mar 2022). Mesa's: ``VirusOnNetwork(num_nodes=<our agent count>)``
stepped exactly as many steps as each of our runs took. Both are timed from construction to the last
step, alternating run by run in one process; the median time per step and the ratio (ours / Mesa's,
targets <= 0.5 without day rows and <= 1.0 with them) are printed, and the cost of construction alone.
"""

from __future__ import annotations

import argparse
import statistics
import time

from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

from model import CrisisModel
from model.config import load_scenario


def time_ours(scenario, seed: int, policy: str, collect: bool) -> tuple[float, int]:
    """(seconds, steps) of one run."""
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
    n_agents = len(probe.agents)
    ours, ours_rows, virus, build, days = [], [], [], [], []
    for s in range(3):  # warm both up (imports, caches)
        time_ours(sc, s, args.policy, False), time_virus(n_agents, 20, s)
    for s in range(args.repeat):
        t, d = time_ours(sc, 1000 + s, args.policy, False)
        steps = max(d, 1)
        ours.append(t / steps), days.append(d)
        ours_rows.append(time_ours(sc, 1000 + s, args.policy, True)[0] / steps)
        virus.append(time_virus(n_agents, steps, 1000 + s) / steps)
        t0 = time.perf_counter()
        CrisisModel(sc, seed=s, policy=args.policy, collect=False)
        build.append(time.perf_counter() - t0)
    med = {k: statistics.median(v) * 1e3 for k, v in
           {"ours": ours, "rows": ours_rows, "virus": virus, "build": build}.items()}
    print(f"agents {n_agents}; {args.repeat} runs each, policy {args.policy}; steps per run: median "
          f"{statistics.median(days):.0f} (min {min(days)}, max {max(days)}), virus stepped as many")
    print(f"  virus_on_network        median {med['virus'] * 1e3:7.1f} us per step")
    print(f"  ukraine_2021            median {med['ours'] * 1e3:7.1f} us per step   (construction {med['build']:.2f} ms)")
    print(f"  ukraine_2021 + day rows median {med['rows'] * 1e3:7.1f} us per step")
    print(f"ratio ours / virus_on_network = {med['ours'] / med['virus']:.2f} (target <= 0.5); "
          f"with day rows {med['rows'] / med['virus']:.2f} (target <= 1.0)")


if __name__ == "__main__":
    main()
