"""Seeded batch runs of one scenario and policy: per-run, per-day and event tables, a summary, and
Parquet output with a manifest.

Each run's seed comes from ``numpy.random.SeedSequence(entropy, spawn_key=(run_index,))``, so any
single run can be re-run alone: ``CrisisModel(scenario, seed=run_seed(entropy, i), ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from agents.ladder import OUTCOMES, rung_label
from experiments.design import Design, design_from_dict, plan, run_seed
from experiments.runner import policy_label
from experiments.sweep import Results, run_plan
from model.config import Scenario

__all__ = ["BatchResult", "batch_design", "format_summary", "run_batch", "run_seed", "summarise", "summarise_batch", "wilson_band",
           "wilson_interval"]


@dataclass
class BatchResult:
    """The runs of one scenario under one or more policies (a design with ``policy`` as its only factor)."""

    scenario: Scenario
    policy: str | dict | list
    entropy: int
    results: Results

    @classmethod
    def of(cls, results: Results, policy: str | list[str] | None) -> BatchResult:
        """The batch of a finished plan; ``policy`` as asked for (None: the scenario's own)."""
        p = results.plan
        label = policy if policy else (p.default_policy or "as_happened")
        return cls(scenario=p.scenario, policy=label, entropy=p.design.entropy, results=results)

    @property
    def runs(self) -> pd.DataFrame:
        return self.results.runs

    @property
    def steps(self) -> pd.DataFrame:
        return self.results.steps

    @property
    def events(self) -> pd.DataFrame:
        return self.results.events

    @property
    def dyads(self) -> pd.DataFrame:
        return self.results.dyads


def batch_design(scenario: str, policy: str | list[str] | None = None, runs: int = 100, entropy: int = 0,
                 days: int | None = None, overrides: dict[str, Any] | None = None, steps: bool = True,
                 events: bool = True, dyads: bool = False) -> Design:
    """The design of ``crisislab run``: ``runs`` seeded replications of each policy, the same seeds for each
    (common seeds: replicate ``r`` of every policy has seed ``run_seed(entropy, r)``)."""
    raw: dict[str, Any] = {"scenario": str(scenario), "replications": runs, "entropy": entropy, "days": days,
                           "common_seeds": True,
                           "fixed": overrides or {}, "outputs": {"steps": steps, "events": events, "dyads": dyads},
                           "outcomes": []}
    if isinstance(policy, list) and len(policy) > 1:
        raw["factors"] = {"policy": policy}
    elif policy:
        raw["policy"] = policy[0] if isinstance(policy, list) else policy
    return design_from_dict(raw, where="run")


def run_batch(scenario: str, policy=None, runs: int = 100, entropy: int = 0, days: int | None = None,
              overrides: dict[str, Any] | None = None, progress: bool = True, executor: str = "serial",
              workers: int | None = None, out: Path | None = None, dyads: bool = True) -> BatchResult:
    """Run ``runs`` seeded replications of each policy and collect their tables (replicate ``r`` has seed
    ``run_seed(entropy, r)`` whatever the policy)."""
    p = plan(batch_design(scenario, policy, runs, entropy, days, overrides, dyads=dyads))
    return BatchResult.of(run_plan(p, out=out, executor=executor, workers=workers, progress=progress), policy)


def wilson_band(k: np.ndarray, n: int, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score intervals of the proportions ``k / n`` (``n`` > 0), elementwise."""
    p = np.asarray(k, dtype=float) / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion."""
    if n == 0:
        return (0.0, 1.0)
    lo, hi = wilson_band(np.array([k]), n, z)
    return float(lo[0]), float(hi[0])


def summarise_batch(res: BatchResult) -> list[dict[str, Any]]:
    """One summary per policy of the batch, in the order the policies were given."""
    r = res.runs
    return [summarise(r[r["policy"] == label], res.scenario, label) for label in r["policy"].unique()]


def summarise(r: pd.DataFrame, scenario: Scenario, policy: str) -> dict[str, Any]:
    """P(war) with a confidence interval, the war-day distribution, peak rung and final cohesion."""
    n = len(r)
    wars = r[r["outcome"] == "war"]
    lo, hi = wilson_interval(len(wars), n)
    start = scenario.start
    out: dict[str, Any] = {
        "scenario": scenario.name, "policy": policy_label(policy), "runs": n,
        "credibility_rule": scenario.parameters.credibility_rule,
        "branch_date": scenario.branch_date.isoformat(),
        "p_war": len(wars) / n if n else float("nan"), "p_war_ci95": (lo, hi),
        **{f"p_{o}": float((r["outcome"] == o).mean()) if n else float("nan") for o in OUTCOMES if o != "war"},
        "last_day": scenario.dates[-1].isoformat(),
        "peak_rung_mean": float(r["peak_rung"].mean()) if n else float("nan"),
        "peak_rung_counts": {int(k): int(v) for k, v in r["peak_rung"].value_counts().sort_index().items()},
    }
    if len(wars):
        q = np.percentile(wars["war_day"].astype(float), [10, 25, 50, 75, 90])
        out["war_day_quantiles"] = {f"p{p}": (float(v), (start + timedelta(days=round(v))).isoformat())
                                    for p, v in zip((10, 25, 50, 75, 90), q, strict=True)}
        months = pd.to_datetime(wars["war_date"]).dt.strftime("%Y-%m").value_counts().sort_index()
        out["war_month_counts"] = {k: int(v) for k, v in months.items()}
    for col in [c for c in r.columns if c.startswith("final_cohesion_")]:
        out[f"mean_{col}"] = float(r[col].mean())
    return out


def format_summary(s: dict[str, Any]) -> str:
    lo, hi = s["p_war_ci95"]
    lines = [
        (f"{s['scenario']} | policy {s['policy']} | {s['credibility_rule']} rule | branch {s['branch_date']} | "
        f"{s['runs']} runs"),
        f"  P(war by {s['last_day']})  {s['p_war']:.3f}  (95% CI {lo:.3f}-{hi:.3f})",
        "  outcomes    " + "  ".join(f"{o} {s['p_' + o]:.3f}" for o in OUTCOMES),
    ]
    if "war_day_quantiles" in s:
        q = s["war_day_quantiles"]
        lines.append("  war day     " + "  ".join(f"{k}={v[0]:.0f} ({v[1]})" for k, v in q.items()))
        lines.append("  war month   " + "  ".join(f"{k}: {v}" for k, v in s["war_month_counts"].items()))
    else:
        lines.append("  war day     no war in any run")
    lines.append(f"  peak rung   mean {s['peak_rung_mean']:.2f}; runs per peak: "
                 + ", ".join(f"{rung_label(k)}: {v}" for k, v in s["peak_rung_counts"].items()))
    coh = [(k.removeprefix("mean_final_cohesion_"), v) for k, v in s.items() if k.startswith("mean_final_cohesion_")]
    lines.append("  final cohesion (mean)  " + "  ".join(f"{k} {v:.3f}" for k, v in coh))
    return "\n".join(lines)
