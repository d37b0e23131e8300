"""Seeded batch runs of one scenario and policy: per-run, per-day and event tables, a summary, and
Parquet output with a manifest.

Each run's seed comes from ``numpy.random.SeedSequence(entropy, spawn_key=(run_index,))``, so any
single run can be re-run alone: ``CrisisModel(scenario, seed=run_seed(entropy, i), ...)``.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import CrisisModel
from model.config import Scenario, load_scenario


def run_seed(entropy: int, run_index: int) -> int:
    """The seed of run ``run_index`` of a batch with this entropy."""
    return int(np.random.SeedSequence(entropy, spawn_key=(run_index,)).generate_state(1, dtype=np.uint32)[0])


@dataclass
class BatchResult:
    scenario: Scenario
    policy: str | dict
    entropy: int
    runs: pd.DataFrame
    steps: pd.DataFrame
    events: pd.DataFrame
    dyads: pd.DataFrame


def run_one(scenario: str, policy, seed: int, days: int | None, overrides: dict[str, Any]) -> CrisisModel:
    return CrisisModel(scenario, seed=seed, policy=policy, **overrides).run(days)


def run_batch(scenario: str, policy=None, runs: int = 100, entropy: int = 0, days: int | None = None,
              overrides: dict[str, Any] | None = None, progress: bool = True) -> BatchResult:
    """Run ``runs`` seeded replications and collect their tables."""
    overrides = overrides or {}
    sc = load_scenario(scenario, **overrides)
    run_rows, step_frames, event_rows, dyad_rows = [], [], [], []
    policy_name = None
    for i in tqdm(range(runs), desc=f"{sc.name} runs", unit="run", disable=not progress, leave=False):
        seed = run_seed(entropy, i)
        m = run_one(scenario, policy, seed, days, overrides)
        policy_name = m.policy
        out = m.outcome()
        run_rows.append({"run": i, "entropy": entropy, "seed": seed, "policy": _policy_label(m.policy), **out})
        steps = m.datacollector.get_model_vars_dataframe()
        steps.insert(0, "run", i)
        step_frames.append(steps)
        event_rows.extend({"run": i, **e.as_dict()} for e in m.event_log)
        dyad_rows.extend({"run": i, "day": d, "a": a, "b": b, "rung": r} for d, a, b, r in m.dyad_log)
    return BatchResult(
        scenario=sc, policy=policy_name, entropy=entropy, runs=pd.DataFrame(run_rows),
        steps=pd.concat(step_frames, ignore_index=True) if step_frames else pd.DataFrame(),
        events=pd.DataFrame(event_rows, columns=["run", "day", "date", "actor", "signal", "targets", "text"]),
        dyads=pd.DataFrame(dyad_rows, columns=["run", "day", "a", "b", "rung"]))


def _policy_label(policy) -> str:
    return policy if isinstance(policy, str) else json.dumps(policy, sort_keys=True)


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def summarise(res: BatchResult) -> dict[str, Any]:
    """P(war) with a confidence interval, the war-day distribution, peak rung and final cohesion."""
    r = res.runs
    n = len(r)
    wars = r[r["outcome"] == "war"]
    lo, hi = wilson_interval(len(wars), n)
    start = res.scenario.start
    out: dict[str, Any] = {
        "scenario": res.scenario.name, "policy": _policy_label(res.policy), "runs": n,
        "credibility_rule": res.scenario.parameters.credibility_rule,
        "branch_date": res.scenario.branch_date.isoformat(),
        "p_war": len(wars) / n if n else float("nan"), "p_war_ci95": (lo, hi),
        "p_deal": float((r["outcome"] == "deal").mean()) if n else float("nan"),
        "p_standoff": float((r["outcome"] == "standoff").mean()) if n else float("nan"),
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
        f"  P(war)      {s['p_war']:.3f}  (95% CI {lo:.3f}-{hi:.3f})",
        f"  P(deal)     {s['p_deal']:.3f}    P(standoff) {s['p_standoff']:.3f}",
    ]
    if "war_day_quantiles" in s:
        q = s["war_day_quantiles"]
        lines.append("  war day     " + "  ".join(f"{k}={v[0]:.0f} ({v[1]})" for k, v in q.items()))
        lines.append("  war month   " + "  ".join(f"{k}: {v}" for k, v in s["war_month_counts"].items()))
    else:
        lines.append("  war day     no war in any run")
    lines.append(f"  peak rung   mean {s['peak_rung_mean']:.2f}; counts "
                 + ", ".join(f"{k}: {v}" for k, v in s["peak_rung_counts"].items()))
    coh = [(k.removeprefix("mean_final_cohesion_"), v) for k, v in s.items() if k.startswith("mean_final_cohesion_")]
    lines.append("  final cohesion (mean)  " + "  ".join(f"{k} {v:.3f}" for k, v in coh))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- output

def check_output_dir(out: Path) -> Path:
    """Create the folder if needed and prove it is writable, before any run starts."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe-", delete=True):
            pass
    except OSError as e:
        raise OSError(f"output folder {out} is not writable: {e.strerror or e}") from None
    return out


def code_version() -> str:
    here = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(["git", "-C", str(here), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev, dirty = "", ""
    try:
        pkg = metadata.version("crisislab")
    except metadata.PackageNotFoundError:
        pkg = "unknown"
    return f"{pkg}+{rev}{'.dirty' if dirty else ''}" if rev else pkg


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def write_results(res: BatchResult, out: Path, argv: list[str] | None = None) -> dict[str, Path]:
    """Parquet files of runs, steps, events and dyads, and ``manifest.json`` (written last, atomically)."""
    out = check_output_dir(out)
    paths = {name: out / f"{name}.parquet" for name in ("runs", "steps", "events", "dyads")}
    for name, path in paths.items():
        _atomic_parquet(getattr(res, name), path)
    manifest = {
        "scenario": res.scenario.name, "policy": res.policy, "config_hash": res.scenario.config_hash(),
        "config": res.scenario.model_dump(mode="json"), "code_version": code_version(),
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in ("mesa", "numpy", "pandas", "pyarrow", "networkx", "pydantic")},
        "entropy": res.entropy, "seeds": res.runs["seed"].tolist() if len(res.runs) else [],
        "runs": len(res.runs), "command": argv or [], "files": {k: v.name for k, v in paths.items()},
    }
    tmp = out / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, default=str))
    os.replace(tmp, out / "manifest.json")
    paths["manifest"] = out / "manifest.json"
    return paths


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"
