"""The world's numeric state: numpy arrays owned by the model, indexed by state (0..N-1).

Agents are thin views over these arrays; one step is a handful of array operations. Matrices are
``observer x subject``: ``belief_a[i, j]`` is i's Beta pseudo-count for j being resolved.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

import networkx as nx
import numpy as np

from model.config import Scenario

# What the compiled day reads and writes every day lives in three arrays, one row per quantity: numba's
# cost is per argument (~60 ns for an array), more than most of a day's arithmetic. The named fields of
# those quantities are views of the rows, changed in place and never replaced (``World.resync`` puts back
# a field someone replaced).
VECTORS = ("posture", "commitment", "commitment_age", "entrapment", "capability", "stake", "audience_sensitivity",
           "exposure", "gdp", "package", "horizon", "war_aversion")
"""Rows of ``World.vectors`` (float, one value per state)."""
MATRICES = ("belief_a", "belief_b", "prior_a", "prior_b", "trust", "trust_baseline", "intention")
"""Rows of ``World.matrices`` (float, observer x subject); ``belief`` and ``prior`` are its (a, b) pairs."""
COUNTS = ("rung", "rung_since", "side")
"""Rows of ``World.counts`` (integer, one per state)."""
_VIEWS = frozenset(VECTORS + MATRICES + COUNTS + ("belief", "prior"))
Vector = IntEnum("Vector", {name.upper(): i for i, name in enumerate(VECTORS)})
Matrix = IntEnum("Matrix", {name.upper(): i for i, name in enumerate(MATRICES)})
Count = IntEnum("Count", {name.upper(): i for i, name in enumerate(COUNTS)})


@dataclass
class World:
    """All arrays of one run. Built once from a validated scenario by ``build_world``."""

    iso: list[str]
    index: dict[str, int]
    alliance_names: list[str]
    members: np.ndarray            # K x N float 0/1
    alliance_leader: np.ndarray    # K, index or -1
    alliance_consensus: np.ndarray  # K, bool
    challenger: int
    targets: np.ndarray
    leader: int
    side: np.ndarray               # N: 0 challenger side, 1 target, 2 defender, 3 neutral, 4 partner
    capability: np.ndarray         # N, challenger = 1
    gdp: np.ndarray                # N, bn USD
    exposure: np.ndarray           # N, exposure to the challenger (0-1)
    stake: np.ndarray
    war_aversion: np.ndarray
    horizon: np.ndarray
    audience_sensitivity: np.ndarray
    true_resolve: np.ndarray
    trust_baseline: np.ndarray     # N x N
    named: np.ndarray              # N bool: named in the ultimatum
    groups: dict[str, np.ndarray]  # name -> index array
    # --- dynamic state ---
    belief: np.ndarray = field(default=None)           # 2 x N x N: (a, b) Beta pseudo-counts
    prior: np.ndarray = field(default=None)            # 2 x N x N
    belief_a: np.ndarray = field(default=None)
    belief_b: np.ndarray = field(default=None)
    prior_a: np.ndarray = field(default=None)
    prior_b: np.ndarray = field(default=None)
    trust: np.ndarray = field(default=None)
    intention: np.ndarray = field(default=None)
    entrapment: np.ndarray = field(default=None)
    posture: np.ndarray = field(default=None)
    rung: np.ndarray = field(default=None)
    dyad_rung: np.ndarray = field(default=None)
    commitment: np.ndarray = field(default=None)       # hands-tying of each state's standing commitment
    commitment_age: np.ndarray = field(default=None)   # days it has stood
    package: np.ndarray = field(default=None)          # sanctions package on the table (0-1) per sender
    package_alliance: np.ndarray = field(default=None)  # alliance index through which it was threatened, -1
    enacted: np.ndarray = field(default=None)          # sanctions enacted per sender (0-1)
    held_arms: np.ndarray = field(default=None)        # capability held back per recipient
    cohesion: np.ndarray = field(default=None)         # K
    components: dict[str, np.ndarray] = field(default_factory=dict)
    talks_open: float = 0.0
    demands_on_table: bool = False
    items_offered: set = field(default_factory=set)
    core_offered: float = 0.0
    counter_demands: float = 0.0
    channels: float = 0.0
    prevention: float = 0.0
    integration: float = 0.0
    mobilised_days: int = 0
    war: bool = False
    war_day: int | None = None
    deal_day: int | None = None
    rung_since: np.ndarray = field(default=None)       # the day each state last moved to (or held) its rung
    vectors: np.ndarray = field(default=None)          # VECTORS x N
    matrices: np.ndarray = field(default=None)         # MATRICES x N x N
    counts: np.ndarray = field(default=None)           # COUNTS x N

    @property
    def n(self) -> int:
        return len(self.iso)

    def _arenas(self) -> tuple[tuple[np.ndarray, tuple[str, ...]], ...]:
        return (self.vectors, VECTORS), (self.matrices, MATRICES), (self.counts, COUNTS)

    def resync(self) -> None:
        """Copy into its row any daily quantity whose field was replaced by another array (a what-if edit)."""
        for rows, names in self._arenas():
            for i, name in enumerate(names):
                value = getattr(self, name)
                if value.base is not rows:
                    rows[i] = value
        for pair, rows in (("belief", slice(0, 2)), ("prior", slice(2, 4))):
            if getattr(self, pair).base is not self.matrices:
                self.matrices[rows] = getattr(self, pair)
        self._bind()

    def _bind(self) -> None:
        """Make each daily quantity's field the view of its row."""
        for rows, names in self._arenas():
            for i, name in enumerate(names):
                setattr(self, name, rows[i])
        self.belief, self.prior = self.matrices[0:2], self.matrices[2:4]

    @cached_property
    def labels(self) -> dict[tuple[int, ...], str]:
        """The event log's name for a set of states (a group's, or their codes), by their indices."""
        return {}

    @cached_property
    def allied_defenders(self) -> np.ndarray:
        """Defenders in at least one alliance."""
        return np.flatnonzero((self.members.sum(axis=0) > 0) & (self.side == 2))

    @cached_property
    def allied_defenders_not_named(self) -> np.ndarray:
        """Defenders in at least one alliance not named in the ultimatum."""
        return self.allied_defenders[~self.named[self.allied_defenders]]

    @cached_property
    def named_states(self) -> np.ndarray:
        """Indices of the states named in the ultimatum (``named`` is fixed for a run)."""
        return np.flatnonzero(self.named)

    @cached_property
    def all_states(self) -> np.ndarray:
        """0 .. N-1: every state's index."""
        return np.arange(self.n)

    def mask(self, *groups) -> np.ndarray:
        """N bool: True at the indices of any of the groups (index arrays, bool masks or slices)."""
        m = np.zeros(self.n, dtype=bool)
        for g in groups:
            m[g] = True
        return m

    def union(self, *groups) -> np.ndarray:
        """Sorted indices in any of the groups (``np.union1d`` for index sets, without sorting)."""
        return np.flatnonzero(self.mask(*groups))

    def minus(self, keep, *drop) -> np.ndarray:
        """Sorted indices in ``keep`` and in none of ``drop`` (``np.setdiff1d`` for index sets)."""
        m = self.mask(keep)
        for g in drop:
            m[g] = False
        return np.flatnonzero(m)

    def common(self, a, b) -> np.ndarray:
        """Sorted indices in both ``a`` and ``b`` (``np.intersect1d`` for index sets)."""
        return np.flatnonzero(self.mask(a) & self.mask(b))

    def with_named(self, idx: np.ndarray) -> np.ndarray:
        """``union(idx, named)``: the states ``idx`` and those named in the ultimatum (remembered per set)."""
        key = idx.tobytes()
        if key not in self._with_named:
            self._with_named[key] = self.union(idx, self.named)
        return self._with_named[key]

    @cached_property
    def _with_named(self) -> dict[bytes, np.ndarray]:
        return {}

    def expand(self, names) -> np.ndarray:
        """Indices of the states named by ISO3 codes, alliance names (members) or group names."""
        out: list[int] = []
        for name in names:
            if name in self.index:
                out.append(self.index[name])
            elif name in self.groups:
                out.extend(self.groups[name].tolist())
            elif name in self.alliance_names:
                out.extend(np.flatnonzero(self.members[self.alliance_names.index(name)]).tolist())
            else:
                raise KeyError(f"unknown actor {name!r}")
        return np.array(sorted(set(out)), dtype=int)


_TEMPLATES: dict[int, tuple[weakref.ref, World]] = {}
"""Each live scenario's initial world, by the scenario's id (scenarios are not hashable); an entry goes
with its scenario."""


def _template(sc: Scenario) -> World:
    hit = _TEMPLATES.get(id(sc))
    if hit is not None and hit[0]() is sc:
        return hit[1]
    world, key = initial_world(sc), id(sc)
    _TEMPLATES[key] = (weakref.ref(sc, lambda _: _TEMPLATES.pop(key, None)), world)
    return world


TEMPLATE_MAX_STATES = 200
"""Up to this many states a scenario's initial world is kept and copied per run (building it from the
scenario's actors costs more than copying); above it, copying N x N arrays costs as much as building
them, and keeping one would double the memory."""


def build_world(sc: Scenario) -> World:
    """A fresh world for a run of a validated scenario: a copy of the scenario's initial world (built once
    per scenario, by ``initial_world``), every array copied, every mutable container new."""
    if len(sc.actors) > TEMPLATE_MAX_STATES:
        return initial_world(sc)
    template = _template(sc)
    w = copy.copy(template)
    for name, value in vars(template).items():
        if isinstance(value, np.ndarray) and name not in _VIEWS:
            setattr(w, name, value.copy())
    w._bind()   # the views of the copied rows
    w.items_offered = set()
    w.components = {}
    return w


def initial_world(sc: Scenario) -> World:
    """Arrays from a validated scenario; capability is military spending relative to the challenger's."""
    iso = [a.iso3 for a in sc.actors]
    index = {c: i for i, c in enumerate(iso)}
    n = len(iso)
    ch = index[sc.challenger]
    milex = np.array([a.milex_busd for a in sc.actors], dtype=float)
    cap = milex / max(milex[ch], 1e-9)
    side_code = {"challenger": 0, "target": 1, "defender": 2, "neutral": 3, "partner": 4}
    names = [al.name for al in sc.alliances]
    members = np.zeros((len(names), n))
    for k, al in enumerate(sc.alliances):
        members[k, [index[m] for m in al.members]] = 1.0
    groups = {g: np.array([index[m] for m in ms], dtype=int) for g, ms in sc.groups.items()}
    exposure = np.array([0.6 * a.energy_dependence + 0.4 * a.trade_exposure for a in sc.actors])
    exposure[ch] = 0.0
    trust0 = np.array([a.trust_in_leader for a in sc.actors])
    trust_baseline = np.tile(trust0[:, None], (1, n))
    np.fill_diagonal(trust_baseline, 1.0)
    w = World(
        iso=iso, index=index, alliance_names=names, members=members,
        alliance_leader=np.array([index[al.leader] if al.leader else -1 for al in sc.alliances], dtype=int),
        alliance_consensus=np.array([al.rule == "consensus" for al in sc.alliances], dtype=bool),
        challenger=ch, targets=np.array([index[t] for t in sc.targets], dtype=int), leader=index[sc.leader],
        side=np.array([side_code[a.side] for a in sc.actors]), capability=cap,
        gdp=np.array([a.gdp_busd for a in sc.actors], dtype=float), exposure=exposure,
        stake=np.array([a.stake for a in sc.actors]), war_aversion=np.array([a.war_aversion for a in sc.actors]),
        horizon=np.array([a.horizon_years for a in sc.actors]),
        audience_sensitivity=np.array([a.audience_sensitivity for a in sc.actors]),
        true_resolve=np.array([a.resolve for a in sc.actors]), trust_baseline=trust_baseline,
        named=np.isin(np.arange(n), [index[c] for c in sc.named_in_ultimatum]), groups=groups,
    )
    reset_dynamics(w, sc)
    return w


def reset_dynamics(w: World, sc: Scenario) -> None:
    """Initial values of the dynamic arrays, written into the rows of ``vectors``, ``matrices`` and
    ``counts`` (allocated here; the scenario's fixed quantities copied in first)."""
    p = sc.parameters
    n = w.n
    k = len(w.alliance_names)
    fixed = {name: getattr(w, name) for name in VECTORS + MATRICES + COUNTS if getattr(w, name) is not None}
    w.vectors = np.zeros((len(VECTORS), n))
    w.matrices = np.zeros((len(MATRICES), n, n))
    w.counts = np.zeros((len(COUNTS), n), dtype=np.int64)
    w._bind()
    for name, value in fixed.items():
        getattr(w, name)[...] = value
    del fixed
    if p.complete_information:
        strength = 1e6
        w.prior_a[...] = w.true_resolve * strength
        w.prior_b[...] = (1 - w.true_resolve) * strength
    else:
        # every observer starts from the same public prior: the subject's stake (what it is seen to care)
        m0 = np.clip(0.25 + 0.5 * w.stake, 0.05, 0.95)
        w.prior_a[...] = m0 * p.prior_strength
        w.prior_b[...] = (1 - m0) * p.prior_strength
    w.belief_a[...] = w.prior_a
    w.belief_b[...] = w.prior_b
    w.trust[...] = w.trust_baseline
    w.intention[:, w.challenger] = 0.3    # everyone's prior on the challenger's hostile intention
    w.intention[w.challenger, :] = 0.3
    w.intention[w.challenger, w.challenger] = 0.0
    w.posture[...] = [a.posture for a in sc.actors]
    w.dyad_rung = np.zeros((n, n), dtype=np.int64)
    w.package_alliance = np.full(n, -1, dtype=int)
    w.enacted = np.zeros(n)
    w.held_arms = np.zeros(n)
    w.cohesion = np.ones(k)
    w.components = {}


def build_network(sc: Scenario, w: World) -> nx.MultiDiGraph:
    """The typed alliance network: states are nodes 0..N-1, alliances N..N+K-1 (ISO codes as attributes).

    Edge kinds: ``member_of``, ``partner_of`` (state -> alliance), ``rival``, ``border`` (both ways),
    ``trade`` (state -> challenger, weighted by exposure).
    """
    g = nx.MultiDiGraph()
    for i, a in enumerate(sc.actors):
        g.add_node(i, iso3=a.iso3, name=a.name, kind="state", side=a.side)
    for k, al in enumerate(sc.alliances):
        node = w.n + k
        g.add_node(node, iso3=al.name, name=al.name, kind="alliance", rule=al.rule)
        for m in al.members:
            g.add_edge(w.index[m], node, kind="member_of")
        for m in al.partners:
            g.add_edge(w.index[m], node, kind="partner_of")
    for e in sc.edges:
        a, b = w.index[e.a], w.index[e.b]
        g.add_edge(a, b, kind=e.kind)
        g.add_edge(b, a, kind=e.kind)
    for i in range(w.n):
        if i != w.challenger and w.exposure[i] > 0:
            g.add_edge(i, w.challenger, kind="trade", weight=float(w.exposure[i]))
    return g
