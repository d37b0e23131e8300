"""The findings the README reports, each a command that reproduces its table (Markdown on stdout).

    python -m experiments.findings policies [--runs 500] [--by 2022-02-24] [--horizon-days 334]
    python -m experiments.findings branches [--runs 300]
    python -m experiments.findings moves    [--runs 500]
    python -m experiments.findings claims   [--runs 300]
    python -m experiments.findings morris   [--runs 20] [--replications 4]

- ``policies``: every policy under both credibility rules: P(war by a date) with a 95 % Wilson interval, P(war
  within the horizon), the outcome shares and the median war day;
- ``branches``: the as-happened replay branched at dates nearer and nearer the invasion;
- ``moves``: the record's dates of the challenger's key moves against the model's (runs branched at the
  scenario's branch date; median and 10-90 % of the first day each move is made, and how often it is);
- ``claims``: each essay claim's switch on against off, in the reference crisis and in the world where the
  claim should hold (``CLAIM_WORLDS``, the worlds ``tests/test_claims.py`` tests);
- ``morris``: a Morris screening of every behavioural parameter over its prior (the parameter table's
  ``prior``), as-happened replay of the reference crisis: what drives P(war), the war day and P(deal).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from agents.ladder import OUTCOMES
from agents.policies import POLICIES
from experiments.batch import run_batch, wilson_interval
from model import CrisisModel
from model.config import Scenario, load_scenario

REFERENCE = "ukraine_2021"
BRANCH_DATES = ("2021-12-01", "2022-01-14", "2022-02-01", "2022-02-20", "2022-02-22")


def caring_leader(stake: float, horizon: float, challenger_resolved: float | None = None) -> Scenario:
    """two_blocs with a leader that cares about the target (its types differ in what they would give up); the
    challenger's prior of being resolved may be set too (1: every run draws a resolved challenger)."""
    sc = load_scenario("two_blocs")
    red = {} if challenger_resolved is None else {"resolve_prior": challenger_resolved}
    actors = [a.model_copy(update={"stake": stake, "horizon_years": horizon}) if a.iso3 == "LDR" else
              a.model_copy(update=red) if a.iso3 == "RED" else a for a in sc.actors]
    return sc.model_copy(update={"actors": actors})


def shifting_target(growth: float) -> Scenario:
    """two_blocs with a target whose power is projected to grow fast (a closing window)."""
    sc = load_scenario("two_blocs")
    return sc.model_copy(update={"projection": sc.projection.model_copy(
        update={"target_power_growth_per_year": growth})})


CLAIM_WORLDS: dict[int, tuple[str, Callable[[], Any], dict[str, Any], str]] = {
    # claim: (why the claim should hold there, scenario, settings, the outcome its test measures)
    1: ("a caring leader answers with cheap conciliatory moves that concede something (appeasement, concession "
        "content x3): under reputation they read as weakness", lambda: caring_leader(0.9, 10),
        {"policy": "appeasement", "concession_content": 3.0, "resolve_low": 0.3}, "war day"),
    2: ("the reference crisis under appeasement: minilateral / bilateral talks about the flank without it",
        lambda: REFERENCE, {"policy": "appeasement"}, "cohesion"),
    3: ("the reference crisis as it happened: an ultimatum naming the post-1997 members", lambda: REFERENCE,
        {"policy": "as_happened"}, "cohesion"),
    4: ("the reference crisis under deterrence, with a challenger whose types differ little (resolve_low 0.95: the "
        "claim, not the draw, decides): collective threats of NATO and the EU carry much of the cost of war",
        lambda: REFERENCE, {"policy": "deterrence", "resolve_low": 0.95}, "P(war)"),
    5: ("a leader with a moderate stake sends costly, hands-tying signals (deterrence) to a challenger that is "
        "always resolved (so the draw does not decide): read as resolve", lambda: caring_leader(0.6, 5, 1.0),
        {"policy": "deterrence", "resolve_low": 0.3, "war_cost": 0.3}, "war day"),
    6: ("the reference crisis under deterrence (types alike, as for claim 4): the EU's energy dependence on the "
        "challenger", lambda: REFERENCE, {"policy": "deterrence", "resolve_low": 0.95}, "P(war)"),
    7: ("the reference crisis under deterrence (types alike): flank deployments and deliveries next to the "
        "challenger", lambda: REFERENCE, {"policy": "deterrence", "resolve_low": 0.95}, "P(war)"),
    8: ("the reference crisis under accommodation: the negotiable items put on the table", lambda: REFERENCE,
        {"policy": "accommodation"}, "P(deal), hazard"),
    9: ("the reference crisis as it happened (types alike): a strategic challenger (20-year horizon) against a "
        "tactical leader (2 years)", lambda: REFERENCE, {"policy": "as_happened", "resolve_low": 0.95}, "P(war)"),
    10: ("two_blocs with the target's power projected to grow 200 % a year", lambda: shifting_target(2.0),
         {"policy": "as_happened"}, "war day"),
}
"""The world each claim is tested in (``tests/test_claims.py``): one place, so the test and the report agree."""


def _median_day(start: date, days: pd.Series) -> str:
    if not len(days):
        return "no war"
    m = float(np.median(days))
    return f"{m:.0f} ({start + timedelta(days=round(m))})"


def policies(runs: int, by: date, horizon_days: int | None, workers: int | None) -> list[str]:
    sc = load_scenario(REFERENCE)
    overrides = {"horizon_days": horizon_days} if horizon_days else {}
    end = sc.start + timedelta(days=(horizon_days or sc.days) - 1)
    lines = [f"| policy | rule | P(war by {by}) [95% CI] | P(war by {end}) | "
             + " | ".join(OUTCOMES) + " | median war day (date) |",
             "|---|---|---|---|" + "---|" * len(OUTCOMES) + "---|"]
    for policy in POLICIES:
        for rule in ("reputation", "current_calculus"):
            res = run_batch(REFERENCE, policy, runs, 0, overrides={"credibility_rule": rule, **overrides},
                            progress=False, executor="process", workers=workers, dyads=False)
            r = res.runs
            by_day = (by - sc.start).days
            k = int(((r["outcome"] == "war") & (r["war_day"] <= by_day)).sum())
            lo, hi = wilson_interval(k, len(r))
            shares = " | ".join(f"{(r['outcome'] == o).mean():.2f}" for o in OUTCOMES)
            wars = r.loc[r["outcome"] == "war", "war_day"].astype(float)
            lines.append(f"| {policy} | {rule} | {k / len(r):.2f} [{lo:.2f}-{hi:.2f}] | "
                         f"{(r['outcome'] == 'war').mean():.2f} | {shares} | {_median_day(sc.start, wars)} |")
            print(lines[-1], flush=True)
    return lines


def branches(runs: int, workers: int | None) -> list[str]:
    sc = load_scenario(REFERENCE)
    lines = ["| branch date | rule | P(war by " + str(sc.end) + ") [95% CI] | " + " | ".join(OUTCOMES)
             + " | median war day (date) |", "|---|---|---|" + "---|" * len(OUTCOMES) + "---|"]
    for rule in ("reputation", "current_calculus"):
        for when in BRANCH_DATES:
            res = run_batch(REFERENCE, "as_happened", runs, 0,
                            overrides={"branch_date": when, "credibility_rule": rule}, progress=False,
                            executor="process", workers=workers, dyads=False)
            r = res.runs
            k = int((r["outcome"] == "war").sum())
            lo, hi = wilson_interval(k, len(r))
            shares = " | ".join(f"{(r['outcome'] == o).mean():.2f}" for o in OUTCOMES)
            wars = r.loc[r["outcome"] == "war", "war_day"].astype(float)
            lines.append(f"| {when} | {rule} | {k / len(r):.2f} [{lo:.2f}-{hi:.2f}] | {shares} | "
                         f"{_median_day(sc.start, wars)} |")
            print(lines[-1], flush=True)
    return lines


def moves(runs: int, workers: int | None) -> list[str]:
    sc = load_scenario(REFERENCE)
    res = run_batch(REFERENCE, "as_happened", runs, 0, progress=False, executor="process", workers=workers,
                    dyads=False)
    ev = res.events
    branch = sc.day_of(sc.branch_date)
    own = ev[(ev["actor"] == sc.challenger) & (ev["day"] >= branch)]
    first = own.groupby(["run", "signal"])["day"].min().reset_index()
    lines = ["| key move | record | model: runs making it | model: median first day | model: 10-90 % |",
             "|---|---|---|---|---|"]
    for m in sc.record.key_moves:
        if m.actor and m.actor != sc.challenger:
            continue
        days = first.loc[first["signal"] == m.kind, "day"].astype(float)
        rec = m.date.isoformat() + (" (before the branch date)" if m.date < sc.branch_date else "")
        if len(days):
            q10, q50, q90 = np.percentile(days, [10, 50, 90])
            d = lambda x: (sc.start + timedelta(days=round(x))).isoformat()   # noqa: E731
            lines.append(f"| {m.kind} | {rec} | {len(days) / runs:.2f} | {d(q50)} | {d(q10)} - {d(q90)} |")
        else:
            lines.append(f"| {m.kind} | {rec} | 0.00 | - | - |")
        print(lines[-1], flush=True)
    return lines


def _claim_runs(scenario, settings: dict[str, Any], claim: int, on: bool, runs: int) -> dict[str, Any]:
    out, days, cohesion = [], [], []
    for seed in range(runs):
        o = CrisisModel(scenario, seed=seed, collect=False, **settings, **{f"claim{claim}": on}).run().outcome()
        out.append(o["outcome"])
        days.append(o["war_day"])
        cohesion.append(next(v for k, v in o.items() if k.startswith("final_cohesion_")))
    out = np.array(out)
    wars = [d for d in days if d is not None]
    return {"war": (out == "war").mean(), "deal": (out == "deal").mean(), "day": np.median(wars) if wars else None,
            "cohesion": float(np.mean(cohesion))}


def claims(runs: int) -> list[str]:
    lines = ["| claim | world | P(war) on / off | P(deal) on / off | median war day on / off | "
             "final cohesion on / off |", "|---|---|---|---|---|---|"]
    for claim, (why, scenario, settings, _) in CLAIM_WORLDS.items():
        for label, sc, kw in (("reference, as it happened", REFERENCE, {"policy": "as_happened"}),
                              ("its world: " + why.split(":")[0], scenario(), settings)):
            on, off = _claim_runs(sc, kw, claim, True, runs), _claim_runs(sc, kw, claim, False, runs)
            day = lambda x: "-" if x is None else f"{x:.0f}"   # noqa: E731
            lines.append(f"| {claim} | {label} | {on['war']:.2f} / {off['war']:.2f} | {on['deal']:.2f} / "
                         f"{off['deal']:.2f} | {day(on['day'])} / {day(off['day'])} | {on['cohesion']:.3f} / "
                         f"{off['cohesion']:.3f} |")
            print(lines[-1], flush=True)
    return lines


def morris(trajectories: int, replications: int, workers: int | None) -> list[str]:
    from experiments.design import design_from_dict, plan
    from experiments.sensitivity import analyze
    from experiments.sweep import run_plan
    from model.parameters import priors

    factors = {name: {"low": lo, "high": hi} for name, (lo, hi) in priors().items()}
    design = design_from_dict({"scenario": REFERENCE, "method": "morris", "n": trajectories,
                               "replications": replications, "entropy": 2022, "common_seeds": True,
                               "factors": factors, "outcomes": ["p_war", "war_day", "p_deal"],
                               "outputs": {"steps": False, "events": False, "dyads": False}}, where="morris")
    p = plan(design)
    res = run_plan(p, executor="process", workers=workers, progress=True)
    table = analyze(p, res.runs)
    lines = [f"Morris screening: {len(factors)} parameters over their priors, {trajectories} trajectories x "
             f"{replications} seeded runs per point ({p.n_runs} runs), as-happened replay of {REFERENCE}.", "",
             "| rank | parameter | mu* P(war) | mu P(war) | mu* war day | mu* P(deal) |", "|---|---|---|---|---|---|"]
    wide = table.pivot_table(index="parameter", columns="outcome", values=["mu_star", "mu"])
    order = wide[("mu_star", "p_war")].sort_values(ascending=False)
    for rank, name in enumerate(order.index, 1):
        lines.append(f"| {rank} | {name} | {wide.loc[name, ('mu_star', 'p_war')]:.3f} | "
                     f"{wide.loc[name, ('mu', 'p_war')]:+.3f} | {wide.loc[name, ('mu_star', 'war_day')]:.1f} | "
                     f"{wide.loc[name, ('mu_star', 'p_deal')]:.3f} |")
    print("\n".join(lines), flush=True)
    return lines


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", choices=["policies", "branches", "moves", "claims", "morris"])
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--by", type=date.fromisoformat, default=date(2022, 2, 24))
    ap.add_argument("--horizon-days", type=int, default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--replications", type=int, default=4)
    args = ap.parse_args(argv)
    if args.table == "policies":
        policies(args.runs, args.by, args.horizon_days, args.workers)
    elif args.table == "branches":
        branches(args.runs, args.workers)
    elif args.table == "moves":
        moves(args.runs, args.workers)
    elif args.table == "claims":
        claims(args.runs)
    else:
        morris(args.runs, args.replications, args.workers)


if __name__ == "__main__":
    main()
