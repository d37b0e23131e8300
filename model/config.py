"""Scenario files (the scenario language, version 2): loading, ``extends`` presets, overrides, validation.

A scenario is data only (TOML read by the standard library, validated by pydantic): actors in roles with
public figures and sources, alliances, groups, forums, typed edges, pairwise economic exposures, what could
be on the table (items), the target's projected path, a limited gain a fait accompli would seize, the
background history before the start, the dated record, the record's outcome, and parameters. Any problem
becomes one ``ScenarioError`` whose message names the file and the field.

Files written in the first language (``side``, ``milex_busd``, ``resolve``, ``challenger = "..."``, the old
forum formats) are read through ``migrate_v1`` (documented in docs/scenario_language.md).
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

from agents.signals import CATALOGUE, kinds_ending
from model.parameters import Parameters

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
MAX_SCENARIO_BYTES = 1_000_000
LANGUAGE = 2
CODE = r"^[A-Z]{3}$"
NAME = r"^[A-Za-z0-9_]+$"


class ScenarioError(ValueError):
    """A scenario name, file, field or override is wrong; the message says which and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Actor(_Strict):
    """A state (or a non-state actor such as a proxy): public figures with sources, behaviour as assumptions."""

    iso3: str = Field(pattern=CODE, description="the actor's code (ISO3 where one exists)")
    name: str
    role: Literal["challenger", "target", "defender", "partner", "proxy", "neutral"]
    power: float = Field(ge=0, description="military power index in the scenario's power_measure")
    gdp_busd: float = Field(gt=0, description="GDP, bn US$")
    nuclear: bool = False
    energy_dependence: float = Field(0.0, ge=0, le=1, description="share of gas supply from the (first) challenger")
    trade_exposure: float = Field(0.0, ge=0, le=1, description="the (first) challenger's share of the actor's trade")
    stake: float = Field(0.5, ge=0, le=1, description="how much the actor cares about the issue")
    war_aversion: float = Field(0.5, ge=0, le=1)
    horizon_years: float = Field(4.0, gt=0, le=100)
    audience_sensitivity: float = Field(0.5, ge=0, le=1)
    resolve_prior: float = Field(0.5, ge=0, le=1, description="prior probability of the resolved type")
    aim_prior: float = Field(0.5, ge=0, le=1, description="challengers: prior probability of an expansive aim")
    trust_in_leader: float = Field(0.75, ge=0, le=1)
    posture: float = Field(0.0, ge=0, le=1, description="initial deployed share of its forces")
    note: str = ""


class Exposure(_Strict):
    """Economic exposure of one actor to another (trade / energy dependence), 0-1."""

    of: str
    to: str
    value: float = Field(ge=0, le=1)
    source: str = Field(min_length=1)


class Alliance(_Strict):
    name: str = Field(pattern=NAME)
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


class Forum(_Strict):
    name: str
    format: Literal["bilateral", "minilateral", "alliance_council", "inclusive"]
    participants: list[str] = Field(min_length=2)


class Edge(_Strict):
    kind: str = Field(pattern=r"^[a-z_]+$", description="any relation: rival, border, occupies, protects, trade ...")
    a: str
    b: str
    weight: float = Field(1.0, ge=0)


class Item(_Strict):
    """Something that could be on the table in a deal."""

    name: str = Field(pattern=NAME)
    value: float = Field(ge=0, le=1, description="share of the challenger's demands it meets")
    negotiable: bool = True
    reduces: Literal["channels", "prevention", "none"] = Field(
        "none", description="an item that opens military channels or incident prevention lowers the accident hazard")
    note: str = ""


class Projection(_Strict):
    """The target's projected path (the commitment problem, claim 10): zero means no shift."""

    target_power_growth_per_year: float = Field(0.0, ge=0, le=10)
    integration_per_year: float = Field(0.0, ge=0, le=10, description="growth per year of the defenders' expected "
                                        "support for the target (integration with the West, membership prospects)")
    source: str = ""


class LimitedGain(_Strict):
    """What a fait accompli at rung 6 would seize: a share of the stake, by a kind that ends in ``seize``."""

    share: float = Field(gt=0, le=1)
    kind: str = "recognition"
    note: str = ""

    @field_validator("kind")
    @classmethod
    def _seizes(cls, v: str) -> str:
        if v not in kinds_ending("seize"):
            raise ValueError(f"limited_gain.kind must be one of {', '.join(kinds_ending('seize'))}, got {v!r}")
        return v


class Event(_Strict):
    """A dated event of the record or of the background history: a signal with its sender and addressees."""

    date: date
    kind: str
    sender: str
    to: list[str] = []
    note: str = ""
    source: str = Field(min_length=1, description="a citation a reader can find")
    check: str = Field("", description="a second source confirming the date")
    min_challenger_rung: int = Field(0, ge=0, le=9, description="fires only if the challenger is this high")
    payload: dict[str, Any] = {}

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in CATALOGUE:
            raise ValueError(f"unknown signal kind {v!r}")
        return v


class KeyMove(_Strict):
    kind: str
    date: date
    actor: str = ""

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in CATALOGUE:
            raise ValueError(f"unknown signal kind {v!r}")
        return v


class Record(_Strict):
    """What happened: tests and calibration compare runs with it."""

    outcome: Literal["war", "limited_war", "deal", "backdown", "standoff"]
    war_date: date | None = None
    peak_rung: int = Field(ge=0, le=9)
    who_conceded: Literal["challenger", "defenders", "both", "none"] | None = None
    source: str = Field(min_length=1)
    key_moves: list[KeyMove] = []

    @field_validator("war_date", mode="before")
    @classmethod
    def _empty_is_none(cls, v: Any) -> Any:
        return None if v == "" else v


class Scenario(BaseModel):
    """A validated scenario (frozen: loaded scenarios are cached and shared)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str
    language: int = LANGUAGE
    start: date
    end: date
    branch_date: date
    challengers: list[str] = Field(min_length=1, description="actors (or alliances) that challenge the status quo")
    targets: list[str] = Field(min_length=1)
    leader: str | None = None
    policy_actors: list[str] = Field(min_length=1, description="defender actors a named policy governs")
    named_in_ultimatum: list[str] = []
    power_measure: str = "military expenditure, bn US$"
    power_source: str = ""
    groups: dict[str, list[str]] = {}
    actors: list[Actor] = Field(min_length=2)
    exposures: list[Exposure] = []
    alliances: list[Alliance] = []
    forums: list[Forum] = []
    edges: list[Edge] = []
    items: list[Item] = []
    projection: Projection = Projection()
    limited_gain: LimitedGain | None = None
    war_kind: str = Field("full_invasion", description="the signal a challenger's full-scale war is (a kind that "
                          "ends in war): e.g. full_invasion, air_campaign")
    history: list[Event] = []
    timeline: list[Event] = []
    record: Record | None = None
    parameters: Parameters = Parameters()
    sources: dict[str, str] = {}

    @field_validator("war_kind")
    @classmethod
    def _war_kind(cls, v: str) -> str:
        if v not in kinds_ending("war"):
            raise ValueError(f"war_kind must be one of {', '.join(kinds_ending('war'))}, got {v!r}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        isos = [a.iso3 for a in self.actors]
        dup = sorted({i for i in isos if isos.count(i) > 1})
        if dup:
            raise ValueError(f"duplicated actor codes: {', '.join(dup)}")
        known = set(isos)
        names = {al.name for al in self.alliances}
        if len(names) != len(self.alliances):
            raise ValueError("duplicated alliance names")
        groups = set(self.groups)
        clash = sorted((known & names) | (known & groups) | (names & groups))
        if clash:
            raise ValueError(f"a name is used twice (actor, alliance or group): {', '.join(clash)}")
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if not (self.start <= self.branch_date <= self.end):
            raise ValueError(f"branch_date {self.branch_date} is outside {self.start} .. {self.end}")

        def need(where: str, codes, allowed) -> None:
            for c in codes:
                if c not in allowed:
                    raise ValueError(f"{where}: unknown actor {c!r}")

        need("challengers", self.challengers, known | names)
        need("targets", self.targets, known)
        if self.leader is not None:
            need("leader", [self.leader], known)
        need("named_in_ultimatum", self.named_in_ultimatum, known)
        for g, members in self.groups.items():
            need(f"groups.{g}", members, known)
        for al in self.alliances:
            need(f"alliance {al.name} members", al.members, known)
            need(f"alliance {al.name} partners", al.partners, known)
        for f in self.forums:
            need(f"forum {f.name}", f.participants, known | names | groups)
        for e in self.edges:
            need(f"edge {e.kind}", [e.a, e.b], known)
        for x in self.exposures:
            need("exposures", [x.of, x.to], known)
        need("policy_actors", self.policy_actors, known | names | groups)
        items = [i.name for i in self.items]
        if len(set(items)) != len(items):
            raise ValueError("duplicated item names")
        for label, events, inside in (("history", self.history, False), ("timeline", self.timeline, True)):
            for i, ev in enumerate(events):
                need(f"{label}[{i}] ({ev.date}) sender", [ev.sender], known | names | groups)
                need(f"{label}[{i}] ({ev.date}) to", ev.to, known | names | groups)
                if inside and not (self.start <= ev.date <= self.end):
                    raise ValueError(f"timeline[{i}] date {ev.date} is outside {self.start} .. {self.end}")
                if not inside and ev.date >= self.start:
                    raise ValueError(f"history[{i}] date {ev.date} is not before the start {self.start}")
                item = ev.payload.get("item")
                if item is not None and item != "core" and item not in items:
                    raise ValueError(f"{label}[{i}] ({ev.date}): unknown item {item!r}; the scenario's items: "
                                     f"{', '.join(items) or 'none'}")
            dates = [ev.date for ev in events]
            if dates != sorted(dates):
                raise ValueError(f"{label} dates are out of order")
        overlap = set(self.challengers) & set(self.targets)
        if overlap:
            raise ValueError(f"a challenger cannot be its own target: {', '.join(sorted(overlap))}")
        if self.record is not None:
            for m in self.record.key_moves:
                if m.actor:
                    need("record.key_moves actor", [m.actor], known | names | groups)
            if self.record.outcome == "war" and self.record.war_date is None:
                raise ValueError("record: outcome 'war' needs a war_date")
        return self

    @property
    def days(self) -> int:
        """Number of steps a run lasts: from start to end inclusive, or ``horizon_days`` when set."""
        return self.parameters.horizon_days or self.record_days

    @property
    def record_days(self) -> int:
        """Days from start to end inclusive (the span of the record)."""
        return (self.end - self.start).days + 1

    @property
    def dates(self) -> tuple[date, ...]:
        """The calendar date of every day of a run."""
        return _dates(self.start, self.days)

    @property
    def challenger(self) -> str:
        """The first challenger (the one summaries and single-challenger views speak of)."""
        return self.challengers[0]

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def config_hash(self) -> str:
        """A stable hash of the full validated configuration."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


# ----------------------------------------------------------------------------- the first language

_V1_FORMATS = {"bilateral": "bilateral", "big5": "minilateral", "nrc": "alliance_council", "osce": "inclusive"}
_V1_ITEMS = ("missile_limits", "exercise_caps", "military_channels", "incident_prevention")
_V1_ITEM_REDUCES = {"military_channels": "channels", "incident_prevention": "prevention"}


def migrate_v1(raw: dict[str, Any]) -> dict[str, Any]:
    """A scenario table in the first language, rewritten in the second (a new dict; documented in
    docs/scenario_language.md): ``challenger`` -> ``challengers``; an actor's ``side`` -> ``role``,
    ``milex_busd`` -> ``power`` (and ``power_measure``), ``resolve`` -> ``resolve_prior``; forum formats
    big5 / nrc / osce -> minilateral / alliance_council / inclusive (also in talks payloads); the four
    negotiable items of the first catalogue become ``items``; events without a source get
    "(no source in the first-language file)"."""
    out = {k: v for k, v in raw.items() if k not in ("challenger",)}
    out["language"] = LANGUAGE
    if "challenger" in raw:
        out["challengers"] = [raw["challenger"]]
    if "actors" in raw:
        actors = []
        for a in raw["actors"]:
            a = dict(a)
            if "side" in a:
                a["role"] = a.pop("side")
            if "milex_busd" in a:
                a["power"] = a.pop("milex_busd")
            if "resolve" in a:
                a["resolve_prior"] = a.pop("resolve")
            actors.append(a)
        out["actors"] = actors
        out.setdefault("power_measure", "military expenditure, bn US$ (first-language milex_busd)")
    if "forums" in raw:
        out["forums"] = [{**f, "format": _V1_FORMATS.get(f.get("format"), f.get("format"))} for f in raw["forums"]]
    for key in ("timeline", "history"):
        if key in raw:
            events = []
            for ev in raw[key]:
                ev = dict(ev)
                ev.setdefault("source", "(no source in the first-language file)")
                if not ev["source"]:
                    ev["source"] = "(no source in the first-language file)"
                payload = dict(ev.get("payload", {}))
                if "format" in payload:
                    payload["format"] = _V1_FORMATS.get(payload["format"], payload["format"])
                ev["payload"] = payload
                events.append(ev)
            out[key] = events
    if "items" not in raw and "actors" in raw:
        out["items"] = [{"name": i, "value": 0.08, "reduces": _V1_ITEM_REDUCES.get(i, "none")} for i in _V1_ITEMS]
    return out


# ----------------------------------------------------------------------------- loading

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


def _merged(chain: tuple[tuple[str, bytes], ...]) -> dict[str, Any]:
    """The tables of a file's ``_chain``, each merged onto the one it extends: top-level keys replace the
    base's, ``parameters`` merge key by key (a new dict; the cached tables stay as read). A first-language
    table is migrated before it is merged."""
    merged: dict[str, Any] = {}
    for key in reversed(chain):   # the base first, each file on top of the one it extends
        raw = dict(_read_toml_cached(key))
        raw.pop("extends", None)
        if raw.get("language", 1) != LANGUAGE and _looks_like_v1(raw):
            raw = migrate_v1(raw)
        params = {**merged.get("parameters", {}), **raw.pop("parameters", {})}
        merged.update(raw)
        merged["parameters"] = params
    return merged


def _looks_like_v1(raw: dict[str, Any]) -> bool:
    return "challenger" in raw or any("side" in a or "milex_busd" in a for a in raw.get("actors", []))


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
    ``batch_run`` does, or the dashboard at every reset) parses and validates its file once, not per run.
    A ``Scenario`` is frozen, so sharing one is safe."""
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
    if raw.get("language", 1) != LANGUAGE and _looks_like_v1(raw):
        raw = migrate_v1(raw)
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
    if sc.parameters.horizon_days is not None and sc.parameters.horizon_days < sc.day_of(sc.branch_date) + 1:
        raise ScenarioError(f"{where}: horizon_days {sc.parameters.horizon_days} ends before the branch date "
                            f"{sc.branch_date}")
    return sc


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def scenario_from_dict(raw: dict[str, Any], **overrides: Any) -> Scenario:
    """Validate an in-memory scenario (used by the synthetic generator and tests)."""
    return _validate(raw, raw.get("name", "scenario"), overrides)

