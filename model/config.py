"""Scenario files: loading, ``extends`` presets, overrides and validation.

A scenario is data only (TOML read by the standard library, validated by pydantic): actors with public
figures and sources, alliances, forums, the network's typed edges, a dated timeline, and parameters.
Any problem becomes one ``ScenarioError`` whose message names the file and the field.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agents.signals import CATALOGUE
from model.parameters import Parameters

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
MAX_SCENARIO_BYTES = 1_000_000


class ScenarioError(ValueError):
    """A scenario name, file, field or override is wrong; the message says which and why."""


class Actor(BaseModel):
    """A state: public figures (with sources) and behavioural parameters (assumptions)."""

    model_config = ConfigDict(extra="forbid")
    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    side: Literal["challenger", "target", "defender", "partner", "neutral"]
    milex_busd: float = Field(ge=0, description="military spending, bn USD (capability index)")
    gdp_busd: float = Field(gt=0, description="GDP, bn USD")
    energy_dependence: float = Field(0.0, ge=0, le=1, description="share of gas supply from the challenger")
    trade_exposure: float = Field(0.0, ge=0, le=1, description="challenger's share of the state's trade")
    stake: float = Field(0.5, ge=0, le=1, description="stake in the crisis issue")
    war_aversion: float = Field(0.5, ge=0, le=1)
    horizon_years: float = Field(4.0, gt=0, le=100)
    audience_sensitivity: float = Field(0.5, ge=0, le=1)
    resolve: float = Field(0.5, ge=0, le=1, description="private true resolve")
    trust_in_leader: float = Field(0.75, ge=0, le=1)
    posture: float = Field(0.0, ge=0, le=1, description="initial deployed level, 0-1")


class Alliance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    members: list[str] = Field(min_length=1)
    leader: str | None = None
    rule: Literal["consensus", "leader"] = "consensus"
    partners: list[str] = []

    @model_validator(mode="after")
    def _leader_is_member(self) -> Alliance:
        if self.leader is not None and self.leader not in self.members:
            raise ValueError(f"leader {self.leader} is not a member of {self.name}")
        if len(set(self.members)) != len(self.members):
            raise ValueError(f"{self.name} lists a member twice")
        return self


class Forum(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    format: Literal["bilateral", "big5", "nrc", "osce"]
    participants: list[str] = Field(min_length=2)


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["rival", "border"]
    a: str
    b: str


class Event(BaseModel):
    """A dated event of the record: a signal with its sender, addressees and payload."""

    model_config = ConfigDict(extra="forbid")
    date: date
    kind: str
    sender: str
    to: list[str] = []
    note: str = ""
    source: str = ""
    min_challenger_rung: int = Field(0, ge=0, le=9, description="fires only if the challenger is this high")
    payload: dict[str, Any] = {}

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in CATALOGUE:
            raise ValueError(f"unknown signal kind {v!r}")
        return v


class Scenario(BaseModel):
    """A validated scenario (frozen: loaded scenarios are cached and shared)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str
    start: date
    end: date
    branch_date: date
    challenger: str
    targets: list[str] = Field(min_length=1)
    leader: str
    policy_actors: list[str] = Field(min_length=1, description="defender actors a named policy governs")
    named_in_ultimatum: list[str] = []
    groups: dict[str, list[str]] = {}
    actors: list[Actor] = Field(min_length=2)
    alliances: list[Alliance] = []
    forums: list[Forum] = []
    edges: list[Edge] = []
    timeline: list[Event] = []
    parameters: Parameters = Parameters()
    sources: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        isos = [a.iso3 for a in self.actors]
        dup = sorted({i for i in isos if isos.count(i) > 1})
        if dup:
            raise ValueError(f"duplicated ISO3 codes: {', '.join(dup)}")
        known = set(isos)
        names = {al.name for al in self.alliances}
        if len(names) != len(self.alliances):
            raise ValueError("duplicated alliance names")
        groups = set(self.groups)
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if not (self.start <= self.branch_date <= self.end):
            raise ValueError(f"branch_date {self.branch_date} is outside {self.start} .. {self.end}")

        def need(where: str, codes, allowed) -> None:
            for c in codes:
                if c not in allowed:
                    raise ValueError(f"{where}: unknown actor {c!r}")

        need("challenger", [self.challenger], known)
        need("targets", self.targets, known)
        need("leader", [self.leader], known)
        need("named_in_ultimatum", self.named_in_ultimatum, known)
        for g, members in self.groups.items():
            need(f"groups.{g}", members, known)
        for al in self.alliances:
            need(f"alliance {al.name} members", al.members, known)
            need(f"alliance {al.name} partners", al.partners, known)
        for f in self.forums:
            need(f"forum {f.name}", f.participants, known | names)
        for e in self.edges:
            need(f"edge {e.kind}", [e.a, e.b], known)
        need("policy_actors", self.policy_actors, known | names | groups)
        for i, ev in enumerate(self.timeline):
            need(f"timeline[{i}] ({ev.date}) sender", [ev.sender], known | names)
            need(f"timeline[{i}] ({ev.date}) to", ev.to, known | names | groups)
            if not (self.start <= ev.date <= self.end):
                raise ValueError(f"timeline[{i}] date {ev.date} is outside {self.start} .. {self.end}")
        dates = [ev.date for ev in self.timeline]
        if dates != sorted(dates):
            raise ValueError("timeline dates are out of order")
        if self.challenger in self.targets:
            raise ValueError("the challenger cannot be its own target")
        return self

    @property
    def days(self) -> int:
        """Number of steps from start to end inclusive."""
        return (self.end - self.start).days + 1

    @property
    def dates(self) -> tuple[date, ...]:
        """The calendar date of every day, from ``start`` to ``end``."""
        return _dates(self.start, self.days)

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def config_hash(self) -> str:
        """A stable hash of the full validated configuration."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def available_scenarios() -> dict[str, str]:
    """Scenario names in ``configs/`` with their one-line descriptions."""
    out = {}
    for p in sorted(CONFIG_DIR.glob("*.toml")):
        try:
            raw = _read_toml(p)
            out[p.stem] = str(raw.get("description") or raw.get("scenario", {}).get("description", ""))
        except ScenarioError:
            out[p.stem] = "(invalid file)"
    out["synthetic-N-K-SEED"] = "generated world: N states, K alliances, seeded random network (model/synthetic.py)"
    return out


@lru_cache(maxsize=64)
def _dates(start: date, days: int) -> tuple[date, ...]:
    return tuple(start + timedelta(days=d) for d in range(days))


def _file_key(path: Path) -> tuple[str, bytes]:
    """A file's identity for the caches: its resolved path and its bytes (so any edit, even one of the same
    size within the file system's timestamp resolution, is seen)."""
    try:
        if path.stat().st_size > MAX_SCENARIO_BYTES:
            raise ScenarioError(f"{path}: file larger than {MAX_SCENARIO_BYTES} bytes")
        return str(path.resolve()), path.read_bytes()
    except OSError as e:
        raise ScenarioError(f"cannot read scenario file {path}: {e.strerror}") from None


@lru_cache(maxsize=64)
def _read_toml_cached(key: tuple[str, bytes]) -> dict[str, Any]:
    path, data = key
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ScenarioError(f"{Path(path).name}: malformed TOML: {e}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    return _read_toml_cached(_file_key(path))


def resolve_path(scenario: str | Path) -> Path:
    """A scenario name from ``configs/`` or a path to a ``.toml`` file."""
    s = str(scenario)
    if s.endswith(".toml") or "/" in s or "\\" in s:
        p = Path(s)
        if p.suffix != ".toml":
            raise ScenarioError(f"a scenario file must be a .toml file: {s}")
        if not p.is_file():
            raise ScenarioError(f"scenario file not found: {s}")
        return p
    if not s.replace("_", "").replace("-", "").isalnum():
        raise ScenarioError(f"invalid scenario name {s!r}")
    p = CONFIG_DIR / f"{s}.toml"
    if not p.is_file():
        raise ScenarioError(f"unknown scenario {s!r}; available: {', '.join(available_scenarios())}")
    return p


def _raw_with_extends(path: Path) -> dict[str, Any]:
    """The file's table merged onto those it ``extends`` (``_merged``)."""
    return _merged(_chain(path))


def _merged(chain: tuple[tuple[str, bytes], ...]) -> dict[str, Any]:
    """The tables of a file's ``_chain``, each merged onto the one it extends: top-level keys replace the
    base's, ``parameters`` merge key by key (a new dict; the cached tables stay as read)."""
    merged: dict[str, Any] = {}
    for key in reversed(chain):   # the base first, each file on top of the one it extends
        raw = dict(_read_toml_cached(key))
        raw.pop("extends", None)
        params = {**merged.get("parameters", {}), **raw.pop("parameters", {})}
        merged.update(raw)
        merged["parameters"] = params
    return merged


def load_scenario(scenario: str | Path = "ukraine_2021", **overrides: Any) -> Scenario:
    """Load, merge ``extends`` and overrides, and validate a scenario.

    Overrides are parameter names (``credibility_rule="current_calculus"``, ``branch_date="2022-01-14"``).
    Raises:
        ScenarioError: with one line naming the problem.
    """
    from model.synthetic import parse_synthetic

    synthetic = parse_synthetic(str(scenario))
    if synthetic is not None:
        return _validate(synthetic.model_dump(), synthetic.name, overrides)
    path = resolve_path(scenario)
    chain, items = _chain(path), tuple(sorted(overrides.items()))
    try:
        hash(items)
    except TypeError:   # an unhashable override value (validation will say what is wrong with it)
        return _load(chain, overrides)
    return _load_cached(chain, items)


def _load(chain: tuple[tuple[str, bytes], ...], overrides: dict[str, Any]) -> Scenario:
    raw = _merged(chain)
    raw.pop("policy", None)
    return _validate(raw, Path(chain[0][0]).name, overrides)


@lru_cache(maxsize=128)
def _load_cached(chain: tuple[tuple[str, bytes], ...], overrides: tuple) -> Scenario:
    """Validated scenarios by file identities and overrides: a model built by name in a loop (as Mesa's
    ``batch_run`` does, or the dashboard at every reset) parses and validates its file once, not per run
    (about 5 ms each for ``ukraine_2021``). A ``Scenario`` is frozen, so sharing one is safe."""
    return _load(chain, dict(overrides))


def _chain(path: Path) -> tuple[tuple[str, bytes], ...]:
    """The identities of the file and of every file it extends, in order. A preset builds on a scenario of
    ``configs/`` by name, never on a path that could point anywhere; a cycle is refused."""
    keys: list[tuple[str, bytes]] = []
    while True:
        key = _file_key(path)
        if key in keys:
            raise ScenarioError(f"{path.name}: 'extends' forms a cycle")
        keys.append(key)
        base = _read_toml_cached(key).get("extends")
        if base is None:
            return tuple(keys)
        if not isinstance(base, str) or not base.replace("_", "").replace("-", "").isalnum():
            raise ScenarioError(f"{path.name}: 'extends' must name a scenario in configs/, got {_short(base)}")
        path = resolve_path(base)


def scenario_default_policy(scenario: str | Path) -> str | dict | None:
    """The policy a preset names (``policy = "deterrence"``), if any."""
    if str(scenario).startswith("synthetic-"):
        return None
    for key in _chain(resolve_path(scenario)):   # the file's own policy, else the nearest it extends
        policy = _read_toml_cached(key).get("policy")
        if policy is not None:
            return policy
    return None


def _validate(raw: dict[str, Any], where: str, overrides: dict[str, Any]) -> Scenario:
    params = dict(raw.get("parameters", {}))
    unknown = sorted(set(overrides) - set(Parameters.model_fields))
    if unknown:
        raise ScenarioError(f"unknown parameter {unknown[0]!r} (see 'crisislab scenarios --parameters')")
    params.update(overrides)
    raw = {**raw, "parameters": params}
    try:
        sc = Scenario.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"]) or "scenario"
        msg = err["msg"].removeprefix("Value error, ")
        raise ScenarioError(f"{where}: {loc}: {msg} (got {_short(err.get('input'))})") from None
    if sc.parameters.branch_date is not None:
        bd = sc.parameters.branch_date
        if not (sc.start <= bd <= sc.end):
            raise ScenarioError(f"{where}: branch_date {bd} is outside {sc.start} .. {sc.end}")
        sc = sc.model_copy(update={"branch_date": bd})
    return sc


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def scenario_from_dict(raw: dict[str, Any], **overrides: Any) -> Scenario:
    """Validate an in-memory scenario (used by the synthetic generator and tests)."""
    return _validate(raw, raw.get("name", "scenario"), overrides)
