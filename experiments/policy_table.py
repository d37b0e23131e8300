"""P(war by a date) and the median war day for every policy under both credibility rules.

    python -m experiments.policy_table [--scenario ukraine_2021] [--runs 200] [--by 2022-02-24]

Prints a Markdown table (the one in README.md comes from this command).
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta

import numpy as np

from agents.policies import POLICIES
from experiments.batch import run_batch, wilson_interval


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="ukraine_2021")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--by", type=date.fromisoformat, default=date(2022, 2, 24))
    args = ap.parse_args(argv)
    print(f"| policy | rule | P(war by {args.by}) [95% CI] | P(war by end) | P(deal) | median war day (date) |")
    print("|---|---|---|---|---|---|")
    for policy in POLICIES:
        for rule in ("reputation", "current_calculus"):
            res = run_batch(args.scenario, policy, args.runs, args.seed, overrides={"credibility_rule": rule},
                            progress=False)
            r = res.runs
            by_day = (args.by - res.scenario.start).days
            k = int(((r["outcome"] == "war") & (r["war_day"] <= by_day)).sum())
            lo, hi = wilson_interval(k, len(r))
            wars = r.loc[r["outcome"] == "war", "war_day"].astype(float)
            med = (f"{np.median(wars):.0f} ({res.scenario.start + timedelta(days=round(np.median(wars)))})"
                   if len(wars) else "no war")
            print(f"| {policy} | {rule} | {k / len(r):.2f} [{lo:.2f}-{hi:.2f}] | {(r['outcome'] == 'war').mean():.2f} "
                  f"| {(r['outcome'] == 'deal').mean():.2f} | {med} |", flush=True)


if __name__ == "__main__":
    main()
