"""``crisislab report OUT``: the plots a person would rather look at than read, from a results folder.

- ``p_war_by_day.png``: P(war by day) with a 95 % Wilson band, one curve per policy / level combination;
- ``max_rung_fan.png``: fan chart of the highest rung over time (median, 50 % and 90 % bands), one panel
  per group (needs per-day rows);
- ``cohesion.png``: each alliance's cohesion over time, median and 50 % band per group (per-day rows);
- ``outcomes.png``: war / deal / standoff shares side by side, when the folder holds several groups.

A run that ended (war or deal) keeps its last value to the horizon, so late days are not biased towards
the runs that were still going.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from agents.ladder import RUNG_LABELS, WAR_RUNG
from experiments.batch import wilson_band, wilson_interval
from experiments.store import StoreError, load_table, read_manifest

COLOURS = ["#4c72b0", "#c44e52", "#55a868", "#8172b2", "#ccb974", "#64b5cd", "#dd8452", "#937860"]
MAX_PANELS = 8


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def group_labels(manifest: dict, runs: pd.DataFrame) -> pd.Series:
    """Each run's group: its policy and the values of the list factors that vary in the folder."""
    design = manifest.get("design", {})
    keys = [k for k, v in design.get("factors", {}).items() if isinstance(v, list)]
    keys = [k for k in keys if k in runs.columns and runs[k].nunique() > 1]
    if not keys:
        return runs["policy"].astype(str) if "policy" in runs.columns else pd.Series("all", index=runs.index)
    if keys == ["policy"]:
        return runs["policy"].astype(str)
    return runs[keys].astype(str).apply(lambda r: ", ".join(f"{k}={v}" for k, v in r.items()), axis=1)


def _save(fig, path: Path) -> Path:
    tmp = path.with_name(f".{path.stem}.tmp.png")
    fig.savefig(tmp, dpi=120)
    _plt().close(fig)
    tmp.replace(path)
    return path


def war_count_by_day(runs: pd.DataFrame, horizon: int) -> np.ndarray:
    """How many of ``runs`` were at war by each day 0 .. horizon."""
    wd = np.sort(runs.loc[runs["outcome"] == "war", "war_day"].astype(float).to_numpy())
    return np.searchsorted(wd, np.arange(horizon + 1), side="right").astype(float)


def rung_fan(steps: pd.DataFrame, runs: list[int], horizon: int) -> np.ndarray:
    """5 x days: the 5th, 25th, 50th, 75th and 95th percentiles of the highest rung (runs carried forward)."""
    return np.nanpercentile(carried_forward(steps, "max_rung", runs, horizon), [5, 25, 50, 75, 95], axis=0)


def plot_p_war(runs: pd.DataFrame, labels: pd.Series, start: date, horizon: int, branch: date | None,
               path: Path) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    days = np.arange(horizon + 1)
    dates = [start + timedelta(days=int(d)) for d in days]
    for c, (label, g) in enumerate(runs.groupby(labels, sort=False)):
        k = war_count_by_day(g, horizon)
        n = len(g)
        lo, hi = wilson_band(k, n)
        colour = COLOURS[c % len(COLOURS)]
        ax.step(dates, k / n, where="post", color=colour, label=f"{label} (n={n}, P(war)={k[-1] / n:.2f})")
        ax.fill_between(dates, lo, hi, step="post", color=colour, alpha=0.15, lw=0)
    if branch is not None:
        ax.axvline(branch, color="grey", ls="--", lw=1)
        ax.annotate("branch date", (branch, 0.0), xytext=(3, 4), textcoords="offset points", fontsize=8,
                    color="grey")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("P(war by day)")
    ax.set_title("Probability of war by day (95 % Wilson band)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    return _save(fig, path)


def carried_forward(steps: pd.DataFrame, column: str, runs: list[int], horizon: int) -> np.ndarray:
    """runs x days matrix of ``column``, each run's last value carried to the horizon."""
    wide = steps.pivot(index="run", columns="day", values=column).reindex(index=runs, columns=range(horizon + 1))
    return wide.ffill(axis=1).to_numpy(dtype=float)


def _panels(n: int) -> tuple[int, int]:
    ncol = min(n, 2 if n <= 4 else 3)
    return -(-n // ncol), ncol


def plot_fan(steps: pd.DataFrame, runs: pd.DataFrame, labels: pd.Series, start: date, horizon: int,
             path: Path) -> Path:
    plt = _plt()
    groups = list(runs.groupby(labels, sort=False))[:MAX_PANELS]
    nrow, ncol = _panels(len(groups))
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.2 * ncol, 3.6 * nrow), squeeze=False, sharey=True)
    dates = [start + timedelta(days=d) for d in range(horizon + 1)]
    for ax, (c, (label, g)) in zip(axes.flat, enumerate(groups), strict=False):
        q = rung_fan(steps, g["run"].tolist(), horizon)
        colour = COLOURS[c % len(COLOURS)]
        ax.fill_between(dates, q[0], q[4], color=colour, alpha=0.15, lw=0, label="90 % of runs")
        ax.fill_between(dates, q[1], q[3], color=colour, alpha=0.35, lw=0, label="50 % of runs")
        ax.plot(dates, q[2], color=colour, lw=2, label="median")
        ax.axhline(WAR_RUNG, color="k", lw=0.6, ls=":")
        ax.set_title(f"{label} ({len(g)} runs)", fontsize=10)
        ax.set_ylim(-0.3, 9.3)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    for ax in list(axes.flat)[len(groups):]:
        ax.axis("off")
    for row in axes:
        row[0].set_yticks(range(10), [f"{r} {RUNG_LABELS[r]}" for r in range(10)], fontsize=7)
    axes.flat[0].legend(fontsize=8, loc="upper left")
    fig.suptitle("Highest rung on the escalation ladder (median, 50 % and 90 % of runs)", fontsize=11)
    fig.tight_layout()
    return _save(fig, path)


def plot_cohesion(steps: pd.DataFrame, runs: pd.DataFrame, labels: pd.Series, alliances: list[str], start: date,
                  horizon: int, path: Path) -> Path:
    plt = _plt()
    nrow, ncol = _panels(len(alliances))
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.2 * ncol, 3.4 * nrow), squeeze=False, sharey=True)
    dates = [start + timedelta(days=d) for d in range(horizon + 1)]
    groups = list(runs.groupby(labels, sort=False))[:MAX_PANELS]
    for ax, alliance in zip(axes.flat, alliances, strict=False):
        for c, (label, g) in enumerate(groups):
            m = carried_forward(steps, f"cohesion_{alliance}", g["run"].tolist(), horizon)
            q = np.nanpercentile(m, [25, 50, 75], axis=0)
            colour = COLOURS[c % len(COLOURS)]
            ax.fill_between(dates, q[0], q[2], color=colour, alpha=0.2, lw=0)
            ax.plot(dates, q[1], color=colour, lw=1.8, label=label)
        ax.set_title(f"{alliance} cohesion", fontsize=10)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    for ax in list(axes.flat)[len(alliances):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8, loc="lower left")
    fig.suptitle("Allied cohesion over time (median and 50 % band)", fontsize=11)
    fig.tight_layout()
    return _save(fig, path)


def plot_outcomes(runs: pd.DataFrame, labels: pd.Series, path: Path) -> Path:
    plt = _plt()
    rows = []
    for label, g in runs.groupby(labels, sort=False):
        n = len(g)
        rows.append((label, n, *((g["outcome"] == o).mean() for o in ("war", "deal", "standoff")),
                     wilson_interval(int((g["outcome"] == "war").sum()), n)))
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(rows) + 1.6))
    y = np.arange(len(rows))[::-1]
    left = np.zeros(len(rows))
    for j, (name, colour) in enumerate((("war", "#c44e52"), ("deal", "#55a868"), ("standoff", "#b0b0b0"))):
        vals = np.array([r[2 + j] for r in rows])
        ax.barh(y, vals, left=left, color=colour, label=name)
        left += vals
    war = np.array([r[2] for r in rows])
    err = np.clip(np.array([[r[2] - r[5][0], r[5][1] - r[2]] for r in rows]).T, 0, None)
    ax.errorbar(war, y, xerr=err, fmt="none", ecolor="k", capsize=3, lw=1)
    ax.set_yticks(y, [f"{r[0]} (n={r[1]})" for r in rows], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs (bar: P(war) 95 % CI)")
    ax.legend(ncol=3, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    return _save(fig, path)


def make_report(out: Path) -> list[Path]:
    """Write the report's PNGs into ``OUT/report/`` and return their paths."""
    out = Path(out)
    manifest = read_manifest(out)
    design = manifest.get("design", {})
    if design.get("model", "crisis") != "crisis":
        raise StoreError(f"{out} holds runs of the {design['model']} test function; there is nothing to plot")
    runs = load_table(out, "runs")
    if runs.empty:
        raise StoreError(f"{out} holds no finished runs yet")
    config = manifest.get("config") or {}
    start = date.fromisoformat(config["start"])
    horizon = int(runs["horizon_day"].max())
    branch = date.fromisoformat(config["branch_date"]) if config.get("branch_date") else None
    alliances = [c.removeprefix("final_cohesion_") for c in runs.columns if c.startswith("final_cohesion_")]
    folder = out / "report"
    folder.mkdir(exist_ok=True)
    labels = group_labels(manifest, runs)
    paths = [plot_p_war(runs, labels, start, horizon, branch, folder / "p_war_by_day.png")]
    if "steps" in manifest.get("tables", []):
        steps = load_table(out, "steps")
        paths.append(plot_fan(steps, runs, labels, start, horizon, folder / "max_rung_fan.png"))
        if alliances:
            paths.append(plot_cohesion(steps, runs, labels, alliances, start, horizon, folder / "cohesion.png"))
    else:
        print("  (no per-day rows in this folder: the fan chart and cohesion plots need them; "
              "re-run with --steps or outputs.steps = true)")
    if labels.nunique() > 1:
        paths.append(plot_outcomes(runs, labels, folder / "outcomes.png"))
    if (out / "sensitivity.png").exists():
        paths.append(out / "sensitivity.png")
    return paths
