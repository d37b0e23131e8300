"""The floor: the numeric update kernels of a day alone, against the full step (the overhead ratio).

    python benchmarks/kernels.py [--scenario ukraine_2021 synthetic-1000-5-1] [--days 120]

The kernels are the two compiled calls every day makes (``model/kernels.py``): ``quiet_dynamics`` (rungs
fading, the Richardson posture step, commitments ageing, beliefs and trust relaxing, entrapment decaying,
the accident hazard, cohesion carried one day on) and ``challenger_choice`` (the challenger's situation,
utilities and logit choice), called directly on a mid-run model's arrays with the arguments the model
passes them, and nothing around them. The full step is ``CrisisModel.step()`` of the same scenario and
policy — the kernels plus the timeline, the policies' observations and signals, the event log, caches
and bookkeeping. Printed: both medians per day and their ratio (full step / kernels; target <= 3). Days
on which signals are sent cost more than quiet days; the step's median is over all days of a run, so it
includes them in proportion.
"""

from __future__ import annotations

import argparse
import statistics
import time

from model import CrisisModel
from model.kernels import challenger_choice, quiet_dynamics


def measure(scenario: str, policy: str, days: int, repeat: int) -> tuple[float, float, int]:
    steps = []
    for seed in range(repeat):
        m = CrisisModel(scenario, seed=seed, policy=policy, collect=False)
        while m.running and m.day < days:
            t0 = time.perf_counter()
            m.step()
            steps.append(time.perf_counter() - t0)
    probe = CrisisModel(scenario, seed=0, policy=policy, collect=False).run(min(days, 60))
    ks = []
    dynamics, decision = probe._dynamics_arguments(), probe._decision_arguments()  # as the model caches them
    w = probe.world
    for i in range(max(200, len(steps) // 4)):
        t0 = time.perf_counter()
        quiet_dynamics(probe.day, w.war, True, *dynamics)
        challenger_choice((i % 97) / 97, w.mobilised_days, *decision)
        ks.append(time.perf_counter() - t0)
    return statistics.median(steps), statistics.median(ks), probe.world.n


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", nargs="+", default=["ukraine_2021", "synthetic-1000-5-1"])
    ap.add_argument("--policy", default="deterrence")
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args(argv)
    for name in args.scenario:
        repeat = args.repeat if not name.startswith("synthetic") else 1
        full, kern, n = measure(name, args.policy, args.days, repeat)
        print(f"{name} ({n} states, {args.policy}): full step {full * 1e6:8.1f} us, kernels {kern * 1e6:8.1f} us, "
              f"overhead ratio {full / kern:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
