"""The floor: the numeric update kernels of a day alone, against the full step (the overhead ratio).

    python benchmarks/kernels.py [--scenario ukraine_2021 synthetic-1000-5-1] [--days 120]

The kernels are the array updates one quiet day performs, called directly on a mid-run model's arrays
with no model wiring around them: beliefs and trust relaxing (``model/beliefs.py``), entrapment decay,
the Richardson posture step (``model/posture.py``), the accident hazard (``model/hazard.py``), cohesion
carried one day on (``model/cohesion.py``), the challenger's situation from its cached terms, the
utilities and the logit choice (``model/decision.py``). The full step is ``CrisisModel.step()`` of the
same scenario and policy — everything above plus the timeline, the policies' observations and
signals, the event log, caches and bookkeeping. Printed: both medians per day and their ratio (full
step / kernels; target <= 3). Days on which signals are sent cost more than quiet days; the step's
median is over all days of a run, so it includes them in proportion.
"""

from __future__ import annotations

import argparse
import statistics
import time

from model import CrisisModel
from model import decision as dec
from model.beliefs import relax
from model.cohesion import cohesion_from_levels
from model.hazard import accident_hazard
from model.numerics import clip01, mean
from model.posture import daily_step


def kernels(m: CrisisModel, draw: float) -> int:
    """One quiet day's numeric work, straight on the arrays (no policies, signals, log or caches)."""
    w, p = m.world, m.params
    ch, dfd = w.challenger, m._defenders
    x0, x1 = float(w.posture[ch]), mean(w.posture[dfd])
    y0, y1 = daily_step(m._phi, m._gamma, x0, x1, p.grievance_per_rung * float(w.rung[ch]))
    w.posture[ch] = min(max(y0, 0.0), 1.0)
    w.posture[dfd] = clip01(w.posture[dfd] + (y1 - x1))
    relax(w.belief, w.prior, m._keep_belief)
    relax(w.trust, w.trust_baseline, m._keep_trust)
    w.entrapment *= m._keep_entrapment
    accident_hazard(float(w.rung.max()), float(w.posture[ch] * mean(w.posture[dfd])), w.channels, w.prevention,
                    p.base_hazard, p.hazard_rung_growth, p.channel_reduction, p.prevention_reduction)
    if w.alliance_names:
        gap, fear = m._cache["cohesion"][1]
        cohesion_from_levels(w.components["alignment"].tolist(), w.components["burden"].tolist(),
                             [b + g * m._keep_trust for b, g in zip(m._trust_base, gap, strict=True)],
                             [f * m._keep_entrapment for f in fear], m._weights)
    s = m._situation(m._cached("situation", m._situation_terms))
    return dec.choose(dec.utilities(s, p.hold_inertia), p.decision_temperature, draw)


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
    for i in range(max(200, len(steps) // 4)):
        t0 = time.perf_counter()
        kernels(probe, (i % 97) / 97)
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
