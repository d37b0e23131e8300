"""Sobol and Morris sensitivity indices of a design's outcomes (SALib), as a table and a plot.

An outcome is one number per design point, averaged over its replications:

- ``p_war``, ``p_limited_war``, ``p_deal``, ``p_backdown``, ``p_standoff``: share of the point's runs that
  ended so (``agents.ladder.OUTCOMES``);
- ``war_day``: mean day of war, a run without war counting as ``horizon_day + 1`` (time to war,
  censored at the horizon, so that every point has a value);
- ``peak_rung``: mean highest rung reached; ``final_cohesion_<ALLIANCE>``: mean cohesion on the last day;
- ``y``: the value of a test function (``model = "ishigami"``).

With list factors (e.g. ``policy = [...]``) the indices are computed separately for each combination.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from agents.ladder import OUTCOMES
from experiments.design import DesignError, Plan


def outcome_per_point(plan: Plan, runs: pd.DataFrame, outcome: str) -> np.ndarray:
    """The outcome of every point of the plan (length ``len(plan.points)``), from its runs."""
    if len(runs) != plan.n_runs:
        raise DesignError(f"{len(runs)} of {plan.n_runs} runs are present; finish the sweep first")
    r = runs.sort_values("run")
    if outcome.startswith("p_") and outcome[2:] in OUTCOMES:
        v = (r["outcome"] == outcome[2:]).to_numpy(float)
    elif outcome == "war_day":
        v = np.where(r["outcome"] == "war", r["war_day"].astype("Float64").fillna(-1).to_numpy(float),
                     r["horizon_day"].to_numpy(float) + 1)
    elif outcome in r.columns:
        v = r[outcome].to_numpy(float)
    else:
        raise DesignError(f"unknown outcome {outcome!r}")
    return v.reshape(len(plan.points), plan.design.replications).mean(axis=1)


def analyze(plan: Plan, runs: pd.DataFrame, outcomes: list[str] | None = None,
            seed: int | None = None) -> pd.DataFrame:
    """Indices with 95 % confidence intervals: one row per (level combination, outcome, parameter).

    Sobol: S1, S1_conf, ST, ST_conf; Morris: mu, mu_star, mu_star_conf, sigma.
    """
    d = plan.design
    if d.method not in ("sobol", "morris"):
        raise DesignError(f"sensitivity indices need a sobol or morris design, not {d.method}")
    outcomes = outcomes or d.outcomes
    problem = d.problem()
    per_combo = len(plan.sample)
    combos = list(itertools.product(*d.levels_factors.values())) or [()]
    seed = d.entropy if seed is None else seed
    rows = []
    for outcome in outcomes:
        y_all = outcome_per_point(plan, runs, outcome)
        for c, combo in enumerate(combos):
            y = y_all[c * per_combo:(c + 1) * per_combo]
            group = dict(zip(d.levels_factors, combo, strict=True))
            label = ", ".join(f"{k}={v}" for k, v in group.items()) or "all"
            if np.ptp(y) == 0:  # a constant outcome: every index is 0 (SALib would divide by zero)
                for name in problem["names"]:
                    rows.append({"group": label, "outcome": outcome, "parameter": name, "constant": True,
                                 **{k: 0.0 for k in _columns(d.method)}})
                continue
            if d.method == "sobol":
                from SALib.analyze import sobol

                si = sobol.analyze(problem, y, calc_second_order=d.second_order, seed=seed)
            else:
                from SALib.analyze import morris

                si = morris.analyze(problem, plan.sample, y, num_levels=d.levels, seed=seed)
            for j, name in enumerate(problem["names"]):
                rows.append({"group": label, "outcome": outcome, "parameter": name, "constant": False,
                             **{k: float(np.asarray(si[k])[j]) for k in _columns(d.method)}})
    return pd.DataFrame(rows)


def _columns(method: str) -> tuple[str, ...]:
    return ("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else ("mu", "mu_star", "mu_star_conf", "sigma")


def format_indices(df: pd.DataFrame, method: str) -> str:
    cols = _columns(method)
    lines = []
    for (group, outcome), g in df.groupby(["group", "outcome"], sort=False):
        head = f"{outcome}" + ("" if group == "all" else f"  [{group}]")
        if g["constant"].all():
            lines.append(f"{head}: constant over the design (every index 0)")
            continue
        lines.append(head)
        key = "ST" if method == "sobol" else "mu_star"
        lines.append("  " + f"{'parameter':<28}" + "".join(f"{c:>13}" for c in cols))
        for _, r in g.sort_values(key, ascending=False).iterrows():
            lines.append("  " + f"{r['parameter']:<28}" + "".join(f"{r[c]:>13.3f}" for c in cols))
    return "\n".join(lines)


def plot_indices(df: pd.DataFrame, method: str, path: Path, title: str = "") -> Path:
    """Bar chart of the indices with their 95 % intervals: one panel per (outcome, group)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = list(df.groupby(["outcome", "group"], sort=False))
    ncol = min(3, len(panels))
    nrow = -(-len(panels) // ncol)
    n_par = df["parameter"].nunique()
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 0.45 * n_par * nrow + 1.8 * nrow), squeeze=False)
    for ax, ((outcome, group), g) in zip(axes.flat, panels, strict=False):
        key = "ST" if method == "sobol" else "mu_star"
        g = g.sort_values(key)
        y = np.arange(len(g))
        if method == "sobol":
            ax.barh(y + 0.2, g["ST"], 0.4, xerr=g["ST_conf"], label="total (ST)", color="#c44e52", capsize=2)
            ax.barh(y - 0.2, g["S1"], 0.4, xerr=g["S1_conf"], label="first order (S1)", color="#4c72b0", capsize=2)
            ax.set_xlabel("Sobol index (share of variance)")
            ax.axvline(0, color="k", lw=0.5)
        else:
            ax.barh(y + 0.2, g["mu_star"], 0.4, xerr=g["mu_star_conf"], label="mu* (overall effect)",
                    color="#c44e52", capsize=2)
            ax.barh(y - 0.2, g["sigma"], 0.4, label="sigma (interactions / non-linearity)", color="#8172b2")
            ax.set_xlabel("Morris elementary effects")
        ax.set_yticks(y, g["parameter"])
        ax.set_title(outcome if group == "all" else f"{outcome}\n{group}", fontsize=10)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0.06 if nrow == 1 else 0.035, 1, 1))
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.tmp.png")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(path)
    return path
