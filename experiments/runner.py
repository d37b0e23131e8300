"""Run one chunk of a plan (in whatever process an executor picks) and return its tables.

``run_chunk`` is the unit of work every executor runs: a top-level function of plain, picklable
arguments, so a process pool or a Dask worker can call it. It returns Arrow tables with a fixed
schema, so the parts of one design always concatenate, whatever chunk wrote them.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

from experiments.design import Plan
from model import CrisisModel
from model.config import Scenario, load_scenario
from model.parameters import Parameters
from model.recording import day_columns, outcome_columns

TABLES = ("runs", "steps", "events", "dyads")
ARROW = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_()}


class RunFailed(RuntimeError):
    """A run raised; the message names the run, its seed and its factor values."""


@lru_cache(maxsize=64)
def _base_scenario(scenario: str, overrides_json: str) -> Scenario:
    """Validated once per process and level combination, not once per run."""
    return load_scenario(scenario, **json.loads(overrides_json))


def scenario_for(scenario: str, fixed: dict[str, Any], values: dict[str, Any]) -> Scenario:
    """The scenario of one point: list factors through full validation (cached), numbers through
    the parameter model alone (bounds were checked when the design was planned)."""
    numeric = {k: v for k, v in values.items() if isinstance(v, float) and k != "policy"}
    levels = {k: v for k, v in values.items() if k not in numeric and k != "policy"}
    sc = _base_scenario(scenario, json.dumps({**fixed, **levels}, sort_keys=True, default=str))
    if not numeric:
        return sc
    params = Parameters.model_validate({**sc.parameters.model_dump(), **numeric})
    return sc.model_copy(update={"parameters": params})


def policy_label(policy: str | dict[str, str]) -> str:
    """A policy as it stands in a result row: its name, or the per-actor mapping as sorted JSON."""
    return policy if isinstance(policy, str) else json.dumps(policy, sort_keys=True)


def ishigami(x1: float, x2: float, x3: float, a: float = 7.0, b: float = 0.1) -> float:
    """Ishigami & Homma (1990): S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437) for a=7, b=0.1."""
    return math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)


def run_chunk(plan: Plan, runs: range) -> dict[str, pa.Table]:
    """Run ``runs`` (indices into the plan) and return their tables (empty ones included)."""
    d = plan.design
    rows: dict[str, list] = {t: [] for t in TABLES}
    for i in runs:
        point, rep, values = plan.run(i)
        seed = plan.seed(i)
        head = {"run": i, "point": point, "replicate": rep, "entropy": d.entropy, "seed": seed}
        if d.model == "ishigami":
            rows["runs"].append({**head, **values, "y": ishigami(**values)})
            continue
        try:
            rows_of_one_run(plan, i, seed, values, head, rows)
        except Exception as e:  # noqa: BLE001 - name the run so it can be re-run alone
            raise RunFailed(f"run {i} (seed {seed}, {values or 'no factors'}) failed: "
                            f"{type(e).__name__}: {e}") from None
    return {name: to_table(plan, name, rows[name]) for name in TABLES}


def rows_of_one_run(plan: Plan, i: int, seed: int, values: dict[str, Any], head: dict[str, Any],
                    rows: dict[str, list]) -> None:
    d = plan.design
    sc = scenario_for(d.scenario, d.fixed, values)
    policy = values.get("policy", d.policy) or plan.default_policy or "as_happened"
    m = CrisisModel(sc, seed=seed, policy=policy, collect=d.outputs.steps).run(d.days)
    out = m.outcome()
    rows["runs"].append({**head, "scenario": sc.name, "policy": policy_label(policy),
                         **{k: v for k, v in values.items() if k != "policy"},
                         "horizon_day": plan.horizon_day, **out})
    if d.outputs.steps:
        mv = m.datacollector.model_vars
        names = list(mv)
        rows["steps"].extend({"run": i, **dict(zip(names, vals, strict=True))} for vals in zip(*mv.values()))
    if d.outputs.events:
        rows["events"].extend({"run": i, **e.as_dict()} for e in m.event_log)
    if d.outputs.dyads:
        rows["dyads"].extend({"run": i, "day": day, "a": a, "b": b, "rung": r} for day, a, b, r in m.dyad_log)


# ---------------------------------------------------------------------------- schemas

def _factor_type(values: list[Any]) -> pa.DataType:
    if all(isinstance(v, bool) for v in values):
        return pa.bool_()
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return pa.int64()
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return pa.float64()
    return pa.string()


def schema(plan: Plan, table: str) -> pa.Schema:
    """The fixed Arrow schema of a table of this plan (so every part has the same one)."""
    d = plan.design
    i64, f64, s = pa.int64(), pa.float64(), pa.string()
    head = [("run", i64), ("point", i64), ("replicate", i64), ("entropy", i64), ("seed", i64)]
    factors = []
    for k, f in d.factors.items():
        if k == "policy":
            continue
        factors.append((k, f64 if not isinstance(f, list) else _factor_type(f)))
    if table == "runs":
        if d.model == "ishigami":
            return pa.schema(head + factors + [("y", f64)])
        return pa.schema(head + [("scenario", s), ("policy", s)] + factors + [("horizon_day", i64)] + [
            (name, ARROW[kind]) for name, kind in outcome_columns(plan.alliances)])
    if table == "steps":
        return pa.schema([("run", i64)] + [(name, ARROW[kind]) for name, kind in day_columns(plan.alliances)])
    if table == "events":
        return pa.schema([("run", i64), ("day", i64), ("date", s), ("actor", s), ("signal", s), ("targets", s),
                          ("text", s)])
    if table == "dyads":
        return pa.schema([("run", i64), ("day", i64), ("a", s), ("b", s), ("rung", i64)])
    raise KeyError(table)


def to_table(plan: Plan, name: str, rows: list[dict[str, Any]]) -> pa.Table:
    sch = schema(plan, name)
    if rows and set(rows[0]) != set(sch.names):
        extra = sorted(set(rows[0]) ^ set(sch.names))
        raise RuntimeError(f"{name} rows and schema disagree on columns {extra}")
    cols = {f.name: [_plain(r[f.name]) for r in rows] for f in sch}
    return pa.Table.from_pydict(cols, schema=sch)


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v
