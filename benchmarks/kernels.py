"""The floor: the numeric update kernels of a day against the full step (the overhead ratio).

    python benchmarks/kernels.py [--scenario ukraine_2021 synthetic-1000-5-1] [--days 120] [--repeat 10]

The kernels are the compiled functions (numba) the step calls: every day the quiet dynamics
(``model/dynamics.py``: rungs fading, the Richardson posture step, evidence and trust relaxing, fears
decaying), the accident hazard and cohesion from every member; from the branch date the challenger's
utilities and choice (``decision.challenger_utilities``, ``choose``); after a signal, its readings
(``decision.attack_terms``, Bayes' rule in ``model/beliefs.py``). The full step is ``CrisisModel.step()`` of
the same scenario and policy — the kernels plus the timeline, the policies' observations and signals, the
channels, the event log, caches and bookkeeping, and Mesa's step wrapper.

Two measures of the kernels, both printed:
- inside the step: every compiled call the model makes is timed where it is made (``perf_counter``
  around each call; per day, the sum), each run a second time right after it is timed whole (the
  wrappers' own cost is kept out of the steps, timed without them). The overhead ratio is
  the median step over the median day's kernels (target <= 3): like for like, the kernels run with the
  caches as the rest of the step leaves them.
- alone: a day's dynamics and the challenger's utilities and choice called back to back in a tight loop on
  a mid-run model's arrays (hot caches: the floor's floor).
"""

from __future__ import annotations

import argparse
import statistics
import time

from numba.core.registry import CPUDispatcher

import model.beliefs
import model.crisis
import model.decision
import model.effects
from model import CrisisModel
from model import decision as dec
from model.dynamics import fade_rungs, posture_step, relax_world

_spent = [0.0]


def _timed(dispatcher):
    def call(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return dispatcher(*args, **kwargs)
        finally:
            _spent[0] += time.perf_counter() - t0
    return call


def instrument() -> dict:
    """Time every compiled function the model calls (as ``model.crisis``, ``model.decision``,
    ``model.beliefs`` and ``model.effects`` name them); returns what to put back."""
    originals = {}
    for module in (model.crisis, model.decision, model.beliefs, model.effects):
        for name, value in vars(module).items():
            if isinstance(value, CPUDispatcher):
                originals[(module, name)] = value
                setattr(module, name, _timed(value))
    return originals


def _days(scenario: str, policy: str, days: int, seed: int, instrumented: bool) -> list[float]:
    """Per day of one run: the step's time, or (``instrumented``) the time spent in its compiled calls."""
    out = []
    originals = instrument() if instrumented else {}
    try:
        m = CrisisModel(scenario, seed=seed, policy=policy, collect=False)
        while m.running and m.day < days:
            _spent[0] = 0.0
            t0 = time.perf_counter()
            m.step()
            out.append(_spent[0] if instrumented else time.perf_counter() - t0)
    finally:
        for (module, name), value in originals.items():
            setattr(module, name, value)
    return out


def measure(scenario: str, policy: str, days: int, repeat: int) -> tuple[float, float, float, int]:
    steps, inside = [], []
    for seed in range(repeat):   # each run twice, back to back: the machine's pace drifts alike for both
        steps += _days(scenario, policy, days, seed, instrumented=False)
        inside += _days(scenario, policy, days, seed, instrumented=True)
    probe = CrisisModel(scenario, seed=0, policy=policy, collect=False).run(min(days, 60))
    alone = []
    w, p = probe.world, probe.params
    ch = probe._challengers[0]
    c = ch["index"]
    day = probe._day_values(ch, 0)
    for i in range(max(200, len(steps) // 4)):
        t0 = time.perf_counter()
        fade_rungs(w.rung, w.rung_since, probe._holds_rung, probe.day, 14)
        posture_step(w.posture, c, probe._defenders, probe._phi, probe._gamma, 0.0)
        relax_world(w.belief_resolve, w.resolve_prior, w.belief_aim, w.aim_prior, 1.0, True, w.trust,
                    w.trust_baseline, 1.0, w.entrapment, 1.0)
        u, _ = dec.challenger_utilities(probe._run, day, w.vec, ch["harm"], ch["boomerang"], w.belief_resolve[c],
                                        w.intention[c], probe._defenders, w.targets, ch["fighting"], w.cohesion,
                                        probe._phi_l, probe._gamma_l, probe._climb_options(ch, int(w.rung[c]))[1],
                                        probe._no_levers, -1, 0.5)
        dec.choose(u[0], p.decision_temperature, (i % 97) / 97)
        alone.append(time.perf_counter() - t0)
    return statistics.median(steps), statistics.median(inside), statistics.median(alone), probe.world.n


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", nargs="+", default=["ukraine_2021", "synthetic-1000-5-1"])
    ap.add_argument("--policy", default="deterrence")
    ap.add_argument("--days", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args(argv)
    CrisisModel("ukraine_2021", seed=0, policy=args.policy, collect=False).run(60)  # load the compiled code
    for name in args.scenario:
        repeat = args.repeat if not name.startswith("synthetic") else 1
        full, inside, alone, n = measure(name, args.policy, args.days, repeat)
        print(f"{name} ({n} states, {args.policy}): full step {full * 1e6:8.1f} us; kernels inside the step "
              f"{inside * 1e6:8.1f} us, overhead ratio {full / inside:.2f} (target <= 3); kernels alone "
              f"{alone * 1e6:8.1f} us, ratio {full / alone:.2f}")


if __name__ == "__main__":
    main()
