"""What to run, as plain data: a scenario, factors, a sampling method and replications.

A design is a TOML file (see ``experiments/presets/``) or the flags of ``crisislab run | sweep |
sensitivity``; either way it becomes one validated :class:`Design`. Where it runs is not part of it
(see ``experiments/executors.py``).

    scenario = "ukraine_2021"
    method = "sobol"            # grid | lhs | sobol | morris
    n = 64                      # base sample size (lhs: points; sobol: N, a power of 2; morris: trajectories)
    replications = 4            # seeded runs per point
    entropy = 0                 # seed of the whole design
    outcomes = ["p_war", "war_day"]

    [fixed]                     # parameter overrides for every run
    credibility_rule = "current_calculus"

    [factors]                   # a list = levels (crossed); a table {low, high} = a sampled range
    policy = ["as_happened", "deterrence"]
    war_cost = {low = 0.3, high = 1.2}

Points are every combination of the list factors crossed with the sample of the range factors (for
``grid`` there are no ranges). Run ``i`` is point ``i // replications``, replicate ``i % replications``;
its seed is ``SeedSequence(entropy, spawn_key=(i,))`` (see :func:`run_seed`). With
``common_seeds = true`` (common random numbers, for sensitivity analysis) the key is the replicate
instead, so every point sees the same random streams and the indices measure the parameters, not the
dice; the seed is still stored in every row, so any run can be re-run alone.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agents.ladder import OUTCOMES
from agents.policies import POLICIES
from model.config import Scenario, ScenarioError, load_scenario, scenario_default_policy
from model.parameters import Parameters

PRESET_DIR = Path(__file__).resolve().parent / "presets"
MAX_DESIGN_BYTES = 256 * 1024
MAX_RUNS = 10_000_000

# Test functions with published sensitivity indices, run through the same pipeline as the crisis model.
TEST_MODELS: dict[str, dict[str, tuple[float, float]]] = {
    "ishigami": {"x1": (-math.pi, math.pi), "x2": (-math.pi, math.pi), "x3": (-math.pi, math.pi)},
}

CRISIS_OUTCOMES = (*(f"p_{o}" for o in OUTCOMES), "war_day", "peak_rung")  # plus final_cohesion_<ALLIANCE>


class DesignError(ValueError):
    """A design that cannot be run; the message is one line naming the problem."""


class Range(BaseModel):
    """A sampled factor: uniform on [low, high]."""

    model_config = ConfigDict(extra="forbid")
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            raise ValueError("bounds must be finite numbers")
        if self.low >= self.high:
            raise ValueError(f"low {self.low} is not below high {self.high}")
        return self


class Outputs(BaseModel):
    """Which tables to keep besides the per-run rows (always kept)."""

    model_config = ConfigDict(extra="forbid")
    steps: bool = False
    events: bool = False
    dyads: bool = False


class Design(BaseModel):
    """A validated experiment design (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    scenario: str = "ukraine_2021"
    model: Literal["crisis", "ishigami"] = "crisis"
    method: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    n: int | None = Field(None, ge=1)
    replications: int = Field(1, ge=1, le=100_000)
    entropy: int = Field(0, ge=0)
    days: int | None = Field(None, ge=1)
    policy: str | dict[str, str] | None = None
    fixed: dict[str, Any] = {}
    factors: dict[str, list[Any] | Range] = {}
    outcomes: list[str] = ["p_war"]
    outputs: Outputs = Outputs()
    second_order: bool = True
    levels: int = Field(4, ge=2, le=64)
    common_seeds: bool = False
    chunk_size: int | None = Field(None, ge=1, le=100_000)

    @field_validator("factors", mode="before")
    @classmethod
    def _ranges(cls, v: Any) -> Any:
        """A table is a range, a list is levels; say which is wrong and why."""
        if not isinstance(v, dict):
            return v
        out = {}
        for k, f in v.items():
            if isinstance(f, dict):
                try:
                    out[k] = Range.model_validate(f)
                except ValidationError as e:
                    err = e.errors()[0]
                    where = ".".join(str(x) for x in err["loc"])
                    raise ValueError(f"factor {k!r}: {where + ': ' if where else ''}"
                                     f"{err['msg'].removeprefix('Value error, ')}") from None
            elif isinstance(f, (list, Range)):
                out[k] = f
            else:
                raise ValueError(  # noqa: TRY004 - pydantic turns ValueError into a validation error
                    f"factor {k!r} must be a list of values or a table {{low, high}}, got {f!r}")
        return out

    @field_validator("factors")
    @classmethod
    def _non_empty_lists(cls, v: dict[str, Any]) -> dict[str, Any]:
        for k, f in v.items():
            if isinstance(f, list) and not f:
                raise ValueError(f"factor {k!r} has no values")
            if isinstance(f, list) and len({json.dumps(x, sort_keys=True) for x in f}) != len(f):
                raise ValueError(f"factor {k!r} repeats a value")
        return v

    # ------------------------------------------------------------------ structure

    @property
    def levels_factors(self) -> dict[str, list[Any]]:
        return {k: v for k, v in self.factors.items() if isinstance(v, list)}

    @property
    def range_factors(self) -> dict[str, Range]:
        return {k: v for k, v in self.factors.items() if isinstance(v, Range)}

    def problem(self) -> dict[str, Any]:
        """The SALib problem of the range factors: ``{"num_vars", "names", "bounds"}``."""
        r = self.range_factors
        return {"num_vars": len(r), "names": list(r), "bounds": [[f.low, f.high] for f in r.values()]}

    def identity(self) -> str:
        """A hash of everything that decides the rows (not where or how fast they are computed)."""
        blob = json.dumps(self.model_dump(mode="json", exclude={"name", "outcomes"}), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Plan:
    """A validated design expanded into points; run ``i`` = point ``i // replications``."""

    design: Design
    points: list[dict[str, Any]]  # factor values of each point
    sample: np.ndarray | None     # the sampler's matrix (rows = points of one level combination)
    scenario: Scenario | None     # the validated scenario with the fixed parameters (None for a test function)
    default_policy: str | dict | None

    @cached_property
    def config_hash(self) -> str:
        return self.scenario.config_hash() if self.scenario is not None else self.design.model

    @property
    def alliances(self) -> tuple[str, ...]:
        return tuple(al.name for al in self.scenario.alliances) if self.scenario is not None else ()

    @property
    def horizon_day(self) -> int:
        """The last day a run can reach."""
        if self.scenario is None:
            return 0
        last = self.scenario.days - 1
        return last if self.design.days is None else min(last, self.design.days)

    @property
    def n_runs(self) -> int:
        return len(self.points) * self.design.replications

    @property
    def chunk_size(self) -> int:
        """Runs per result part: the design's, else about 64 parts (at most 50 runs each)."""
        if self.design.chunk_size:
            return self.design.chunk_size
        return max(1, min(50, math.ceil(self.n_runs / 64)))

    def chunks(self) -> list[range]:
        size = self.chunk_size
        return [range(s, min(s + size, self.n_runs)) for s in range(0, self.n_runs, size)]

    def seed(self, i: int) -> int:
        """The seed of run ``i``."""
        d = self.design
        return run_seed(d.entropy, i % d.replications if d.common_seeds else i)

    def run(self, i: int) -> tuple[int, int, dict[str, Any]]:
        """(point, replicate, factor values) of run ``i``."""
        p, r = divmod(i, self.design.replications)
        return p, r, self.points[p]


def run_seed(entropy: int, run_index: int) -> int:
    """The seed of run ``run_index`` of a design with this entropy."""
    return int(np.random.SeedSequence(entropy, spawn_key=(run_index,)).generate_state(1, dtype=np.uint32)[0])


# ---------------------------------------------------------------------------- loading

def resolve_design_path(name: str | Path) -> Path:
    """A preset name from ``experiments/presets/`` or a path to a ``.toml`` design file."""
    s = str(name)
    if s.endswith(".toml") or "/" in s or "\\" in s:
        p = Path(s)
    else:
        if not s.replace("_", "").replace("-", "").isalnum():
            raise DesignError(f"invalid design name {s!r}")
        p = PRESET_DIR / f"{s}.toml"
        if not p.is_file():
            known = ", ".join(sorted(q.stem for q in PRESET_DIR.glob("*.toml")))
            raise DesignError(f"unknown design {s!r}; presets: {known}")
    if p.suffix != ".toml":
        raise DesignError(f"a design file must be a .toml file: {s}")
    if not p.is_file():
        raise DesignError(f"design file not found: {s}")
    return p


def load_design(name: str | Path, **overrides: Any) -> Design:
    """Read a design file (or preset) and validate it; ``overrides`` replace top-level keys."""
    p = resolve_design_path(name)
    if p.stat().st_size > MAX_DESIGN_BYTES:
        raise DesignError(f"{p}: file larger than {MAX_DESIGN_BYTES} bytes")
    try:
        raw = tomllib.loads(p.read_text())
    except tomllib.TOMLDecodeError as e:
        raise DesignError(f"{p.name}: malformed TOML: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DesignError(f"cannot read design file {p}: {e}") from None
    raw.setdefault("name", p.stem)
    raw.update({k: v for k, v in overrides.items() if v is not None})
    return design_from_dict(raw, where=p.name)


def design_from_dict(raw: dict[str, Any], where: str = "design") -> Design:
    try:
        return Design.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"] if not str(x).startswith(("list[", "Range")))
        raise DesignError(f"{where}: {loc or 'design'}: {err['msg'].removeprefix('Value error, ')}") from None


def parse_range(text: str) -> tuple[str, Range | list[Any]]:
    """``NAME=LOW:HIGH`` (a sampled range) or ``NAME=A,B,C`` (levels) from the command line."""
    if "=" not in text:
        raise DesignError(f"--param expects NAME=LOW:HIGH or NAME=A,B,..., got {text!r}")
    name, spec = (s.strip() for s in text.split("=", 1))
    if ":" in spec:
        lo, _, hi = spec.partition(":")
        try:
            low, high = float(lo), float(hi)
        except ValueError:
            raise DesignError(f"--param {name}: bounds {spec!r} are not two numbers LOW:HIGH") from None
        try:
            return name, Range(low=low, high=high)
        except ValidationError as e:
            msg = e.errors()[0]["msg"].removeprefix("Value error, ")
            raise DesignError(f"--param {name}: bounds {spec!r}: {msg}") from None
    values = []
    for tok in spec.split(","):
        try:
            values.append(json.loads(tok))
        except json.JSONDecodeError:
            values.append(tok.strip())
    return name, values


# ---------------------------------------------------------------------------- planning

def plan(design: Design) -> Plan:
    """Validate the design against its model and expand it into points (no run is started)."""
    if design.model == "crisis":
        sc = load_scenario(design.scenario, **design.fixed)
        default_policy = scenario_default_policy(design.scenario)
        _check_crisis_factors(design, sc.parameters)
        outcomes_known = set(CRISIS_OUTCOMES) | {f"final_cohesion_{al.name}" for al in sc.alliances}
    else:
        known = TEST_MODELS[design.model]
        for k in design.factors:
            if k not in known:
                raise DesignError(f"unknown factor {k!r} for the {design.model} function; known: {', '.join(known)}")
        sc, default_policy = None, None
        outcomes_known = {"y"}
    for o in design.outcomes:
        if o not in outcomes_known:
            raise DesignError(f"unknown outcome {o!r}; known: {', '.join(sorted(outcomes_known))}")
    sample = _sample(design)
    level_names = list(design.levels_factors)
    combos = list(itertools.product(*design.levels_factors.values())) or [()]
    range_names = list(design.range_factors)
    points = []
    for combo in combos:
        base = dict(zip(level_names, combo, strict=True))
        if sample is None:
            points.append(base)
        else:
            points.extend({**base, **{k: float(v) for k, v in zip(range_names, row, strict=True)}} for row in sample)
    p = Plan(design=design, points=points, sample=sample, scenario=sc, default_policy=default_policy)
    if p.n_runs > MAX_RUNS:
        raise DesignError(f"the design has {p.n_runs} runs; the limit is {MAX_RUNS}")
    return p


def _check_crisis_factors(design: Design, base: Parameters) -> None:
    fields = Parameters.model_fields
    named = [design.policy] if isinstance(design.policy, str) else list((design.policy or {}).values())
    for name in named:
        if name not in POLICIES:
            raise DesignError(f"unknown policy {name!r}; known: {', '.join(POLICIES)}")
    if "policy" in design.factors and design.policy is not None:
        raise DesignError("policy is both fixed ('policy') and a factor; keep one")
    for name, f in design.factors.items():
        if name == "policy":
            if not isinstance(f, list):
                raise DesignError("factor 'policy' needs a list of policy names, not a range")
            bad = [v for v in f if v not in POLICIES]
            if bad:
                raise DesignError(f"unknown policy {bad[0]!r} in factor 'policy'; known: {', '.join(POLICIES)}")
            continue
        if name not in fields:
            raise DesignError(f"unknown parameter {name!r} (see 'crisislab scenarios --parameters')")
        if name in design.fixed:
            raise DesignError(f"parameter {name!r} is both fixed and a factor; keep one")
        if name == "branch_date" and isinstance(f, Range):
            raise DesignError("branch_date needs a list of dates, not a range")
        values = [f.low, f.high] if isinstance(f, Range) else f
        if isinstance(f, Range) and fields[name].annotation not in (float, int):
            raise DesignError(f"parameter {name!r} is not numeric; give it a list of values, not a range")
        for v in values:
            try:
                Parameters.model_validate({**base.model_dump(), name: v})
            except ValidationError as e:
                err = e.errors()[0]
                what = "bound" if isinstance(f, Range) else "value"
                raise DesignError(f"factor {name!r}: {what} {v!r} is out of range: {err['msg']}") from None


def _sample(design: Design) -> np.ndarray | None:
    ranges = design.range_factors
    if design.method == "grid":
        if ranges:
            name = next(iter(ranges))
            raise DesignError(f"factor {name!r} is a range; a grid design needs a list of values "
                              "(or use method lhs, sobol or morris)")
        if design.n is not None:
            raise DesignError("a grid design takes no sample size n (its size is the product of the lists)")
        return None
    if not ranges:
        raise DesignError(f"a {design.method} design needs at least one range factor (NAME = {{low, high}})")
    n = design.n
    if n is None:
        raise DesignError(f"a {design.method} design needs a sample size n")
    problem = design.problem()
    if design.method == "lhs":
        if n < 2:
            raise DesignError(f"a Latin hypercube needs n >= 2, got {n}")
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=problem["num_vars"], rng=np.random.default_rng(design.entropy)).random(n)
        b = np.asarray(problem["bounds"], dtype=float)
        return qmc.scale(unit, b[:, 0], b[:, 1])
    if design.method == "sobol":
        if n < 2 or n & (n - 1):
            raise DesignError(f"a Sobol design needs n a power of 2 (e.g. 64, 128, 256), got {n}")
        if n > 2**20:
            raise DesignError(f"a Sobol design with n = {n} is too large (limit 2^20)")
        from SALib.sample import sobol

        return sobol.sample(problem, n, calc_second_order=design.second_order, seed=design.entropy)
    # morris
    if n < 2:
        raise DesignError(f"a Morris design needs n >= 2 trajectories, got {n}")
    if design.levels % 2:
        raise DesignError(f"a Morris design needs an even number of levels, got {design.levels}")
    from SALib.sample import morris

    return morris.sample(problem, n, num_levels=design.levels, seed=design.entropy)


def describe(p: Plan) -> str:
    d = p.design
    what = d.scenario if d.model == "crisis" else f"the {d.model} function"
    parts = [(f"{d.method} design on {what}: {len(p.points)} points x {d.replications} replications = "
              f"{p.n_runs} runs")]
    if d.levels_factors:
        parts.append("levels " + ", ".join(f"{k}={v}" for k, v in d.levels_factors.items()))
    if d.range_factors:
        parts.append("ranges " + ", ".join(f"{k}={f.low:g}:{f.high:g}" for k, f in d.range_factors.items()))
    return "; ".join(parts)


__all__ = [
    "Design",
    "DesignError",
    "Outputs",
    "Plan",
    "Range",
    "ScenarioError",
    "describe",
    "design_from_dict",
    "load_design",
    "parse_range",
    "plan",
    "run_seed",
]
