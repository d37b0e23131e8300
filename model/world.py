"""The world's numeric state: numpy arrays owned by the model, indexed by actor (0..N-1), and the network.

Agents are thin views over these arrays. Matrices are ``observer x subject``: ``belief_resolve[i, j]`` is
the probability ``i`` gives to ``j`` being the resolved type.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np

from agents.signals import ROLES
from model.config import Scenario
from model.decision import VEC, horizon_factor

ROLE_CODE = {r: i for i, r in enumerate(ROLES)}
CHALLENGER, TARGET, DEFENDER, PARTNER, PROXY, NEUTRAL = (ROLE_CODE[r] for r in ROLES)


@dataclass
class World:
    """All arrays of one run. Built once per scenario by ``initial_world`` and copied per run."""

    iso: list[str]
    index: dict[str, int]
    alliance_names: list[str]
    members: np.ndarray            # K x N float 0/1
    alliance_leader: np.ndarray    # K, index or -1
    alliance_consensus: np.ndarray  # K, bool
    challengers: np.ndarray        # the acting state of each challenger (an alliance acts through its leader)
    challenger_names: list[str]
    challenger_members: list[np.ndarray]  # the states whose power each challenger fights with
    targets: np.ndarray
    leader: int                    # the defenders' leading state, or -1
    role: np.ndarray               # N, ROLE_CODE
    power: np.ndarray              # N, the scenario's power index
    gdp: np.ndarray
    nuclear: np.ndarray            # N bool
    exposure: np.ndarray           # N x N: row's economic exposure to column (0-1)
    trust_baseline: np.ndarray     # N x N
    named: np.ndarray              # N bool: named in the ultimatum
    groups: dict[str, np.ndarray]  # name -> index array
    item_names: list[str]
    item_value: np.ndarray         # I
    item_negotiable: np.ndarray    # I bool
    item_reduces: list[str]        # I: "channels", "prevention" or "none"
    target_growth: float           # the target's projected power growth per year
    integration: float             # growth per year of the defenders' expected support
    limited_share: float           # share of the stake a fait accompli seizes (0: none defined)
    limited_kind: str | None
    protected: bool                # a target is a member of an alliance of defenders (war would be rung 8)
    # --- the run's private types ---
    resolved: np.ndarray = field(default=None)      # N bool: the actor's true type
    expansive: np.ndarray = field(default=None)     # N bool: a challenger's true aim
    # --- one value per state: the rows of ``vec`` (``decision.VEC``); the named fields are views of them ---
    vec: np.ndarray = field(default=None)
    capability: np.ndarray = field(default=None)    # power relative to the first challenger's
    posture: np.ndarray = field(default=None)       # deployed share of the forces
    commitment: np.ndarray = field(default=None)    # the strongest public commitment each state has made
    commitment_start: np.ndarray = field(default=None)  # the day its commitments began (-1: none)
    package: np.ndarray = field(default=None)       # sanctions threatened per sender (0-1)
    package_alliance: np.ndarray = field(default=None)  # alliance the package was threatened through (-1)
    enacted: np.ndarray = field(default=None)       # sanctions enacted per sender (0-1)
    value_high: np.ndarray = field(default=None)    # a resolved type's value of the stake (stake x horizon factor)
    war_cost: np.ndarray = field(default=None)      # its cost of a war it fights (war_cost x 2 x war aversion)
    defender_cost: np.ndarray = field(default=None)  # its cost of the war as a defender (defender_war_cost x ...)
    audience_sensitivity: np.ndarray = field(default=None)
    resolve_prior: np.ndarray = field(default=None)  # prior P(resolved type)
    third_support: np.ndarray = field(default=None)  # backing by third parties
    held_arms: np.ndarray = field(default=None)     # capability held back per recipient
    entrapment: np.ndarray = field(default=None)    # fear of entrapment / economic pain
    stake: np.ndarray = field(default=None)
    war_aversion: np.ndarray = field(default=None)
    horizon_years: np.ndarray = field(default=None)
    aim_prior: np.ndarray = field(default=None)     # prior P(expansive aim) (challengers)
    demand: np.ndarray = field(default=None)        # a challenger's demand (share of its declared demands)
    # --- other dynamic state ---
    belief_resolve: np.ndarray = field(default=None)  # N x N
    belief_aim: np.ndarray = field(default=None)      # N x N: P(column's aim is expansive) (challenger columns)
    trust: np.ndarray = field(default=None)
    intention: np.ndarray = field(default=None)
    rung: np.ndarray = field(default=None)
    rung_since: np.ndarray = field(default=None)
    dyad_rung: np.ndarray = field(default=None)
    offered: np.ndarray = field(default=None)           # I bool: items on the table
    offered_values: np.ndarray = field(default=None)    # I: what each item on the table is worth to the challenger
    offered_by: list = field(default_factory=list)      # who put each item on the table
    core_offered: float = 0.0                           # share of the core demands offered
    test_open: bool = False                             # counter-demands on the table (a test deal)
    demands_made: bool = False                          # a challenger has put formal demands
    sanctions_enacted: bool = False                     # some sanctions have been imposed
    talks: float = 0.0                                  # how open talks are (0-1)
    channels: float = 0.0
    prevention: float = 0.0
    pretext: float = 0.0                                # a target's own attack gives the challenger a pretext
    cohesion: np.ndarray = field(default=None)          # K
    components: dict[str, np.ndarray] = field(default_factory=dict)
    mobilised: np.ndarray = field(default=None)         # N bool: a challenger has been mobilised
    seized: np.ndarray = field(default=None)            # N: day a challenger seized its limited gain, -1
    challenger_conceded: bool = False
    war: bool = False
    war_day: int | None = None
    deal_day: int | None = None
    backdown_day: int | None = None

    @property
    def n(self) -> int:
        return len(self.iso)

    def bind(self) -> None:
        """Make each per-state quantity's field the view of its row of ``vec``."""
        for row in VEC:
            setattr(self, row.name.lower(), self.vec[row.value])

    @property
    def challenger(self) -> int:
        """The first challenger's acting state."""
        return int(self.challengers[0])

    @cached_property
    def labels(self) -> dict[tuple[int, ...], str]:
        """The event log's name for a set of states (a group's, or their codes), by their indices."""
        return {}

    @cached_property
    def target_mask(self) -> np.ndarray:
        """N bool: the targets."""
        return self.mask(self.targets)

    @cached_property
    def defenders(self) -> np.ndarray:
        return np.flatnonzero(self.role == DEFENDER)

    @cached_property
    def challenger_side(self) -> np.ndarray:
        return np.flatnonzero(self.role == CHALLENGER)

    @cached_property
    def allied_defenders(self) -> np.ndarray:
        """Defenders in at least one alliance."""
        return np.flatnonzero((self.members.sum(axis=0) > 0) & (self.role == DEFENDER))

    @cached_property
    def allied_defenders_not_named(self) -> np.ndarray:
        """Defenders in at least one alliance not named in the ultimatum."""
        return self.allied_defenders[~self.named[self.allied_defenders]]

    @cached_property
    def named_states(self) -> np.ndarray:
        return np.flatnonzero(self.named)

    @cached_property
    def all_states(self) -> np.ndarray:
        return np.arange(self.n)

    def mask(self, *groups) -> np.ndarray:
        """N bool: True at the indices of any of the groups (index arrays, bool masks or slices)."""
        m = np.zeros(self.n, dtype=bool)
        for g in groups:
            m[g] = True
        return m

    def union(self, *groups) -> np.ndarray:
        """Sorted indices in any of the groups."""
        return np.flatnonzero(self.mask(*groups))

    def minus(self, keep, *drop) -> np.ndarray:
        """Sorted indices in ``keep`` and in none of ``drop``."""
        m = self.mask(keep)
        for g in drop:
            m[g] = False
        return np.flatnonzero(m)

    def common(self, a, b) -> np.ndarray:
        """Sorted indices in both ``a`` and ``b``."""
        return np.flatnonzero(self.mask(a) & self.mask(b))

    def expand(self, names) -> np.ndarray:
        """Indices of the states named by codes, alliance names (their members) or group names."""
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

    def offer_value(self) -> float:
        """What is on the table for the challenger: the offered items' values and the core share, at most 1
        (``offered_value`` in ``model/effects.py`` decides what an offer adds)."""
        return min(1.0, float(self.offered_values.sum()) + self.core_offered)

    def negotiable_value(self, core_negotiable: bool) -> float:
        """The most the defenders could put on the table: every negotiable item (and the core if negotiable)."""
        value = float(self.item_value[self.item_negotiable].sum()) + (1.0 if core_negotiable else 0.0)
        return min(1.0, max(value, self.offer_value()))


_MEMO: dict[tuple[int, str], tuple[weakref.ref, object]] = {}
"""What is computed once per live scenario (its initial world, its history's reading), by the scenario's id
and a name (scenarios are not hashable); an entry goes with its scenario."""
TEMPLATE_MAX_STATES = 200
"""Up to this many states a scenario's initial world is kept and copied per run."""


def scenario_memo(sc: Scenario, name: str, compute):
    """``compute()``, once per live scenario and ``name``."""
    key = (id(sc), name)
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is sc:
        return hit[1]
    value = compute()
    _MEMO[key] = (weakref.ref(sc, lambda _: _MEMO.pop(key, None)), value)
    return value


def _template(sc: Scenario) -> World:
    return scenario_memo(sc, "world", lambda: initial_world(sc))


def build_world(sc: Scenario) -> World:
    """A fresh world for a run: a copy of the scenario's initial world, every array copied, every mutable
    container new (types are drawn by the model afterwards)."""
    if len(sc.actors) > TEMPLATE_MAX_STATES:
        return initial_world(sc)
    template = _template(sc)
    w = copy.copy(template)
    for name, value in vars(template).items():
        if isinstance(value, np.ndarray):
            setattr(w, name, value.copy())
    w.bind()
    w.components = {}
    w.offered_by = list(template.offered_by)
    w.__dict__.pop("labels", None)
    return w


def _exposure_matrix(sc: Scenario, index: dict[str, int], first_challenger: int) -> np.ndarray:
    """N x N exposure: the actors' shorthand (0.6 energy + 0.4 trade dependence on the first challenger),
    then every explicit ``[[exposures]]`` entry."""
    n = len(index)
    e = np.zeros((n, n))
    for i, a in enumerate(sc.actors):
        if i != first_challenger:
            e[i, first_challenger] = 0.6 * a.energy_dependence + 0.4 * a.trade_exposure
    for x in sc.exposures:
        e[index[x.of], index[x.to]] = x.value
    np.fill_diagonal(e, 0.0)
    return e


def initial_world(sc: Scenario) -> World:
    """Arrays from a validated scenario; capability is power relative to the first challenger's."""
    iso = [a.iso3 for a in sc.actors]
    index = {c: i for i, c in enumerate(iso)}
    n = len(iso)
    names = [al.name for al in sc.alliances]
    members = np.zeros((len(names), n))
    for k, al in enumerate(sc.alliances):
        members[k, [index[m] for m in al.members]] = 1.0
    leaders = np.array([index[al.leader] if al.leader else -1 for al in sc.alliances], dtype=int)
    acting, fighting = [], []
    for c in sc.challengers:
        if c in index:
            acting.append(index[c])
            fighting.append(np.array([index[c]]))
        else:   # an alliance: it acts through its leader (else its strongest member) and fights with all
            k = names.index(c)
            mem = np.flatnonzero(members[k])
            power = np.array([sc.actors[m].power for m in mem])
            acting.append(int(leaders[k]) if leaders[k] >= 0 else int(mem[np.argmax(power)]))
            fighting.append(mem)
    power = np.array([a.power for a in sc.actors], dtype=float)
    first_power = max(float(power[fighting[0]].sum()), 1e-9)
    groups = {g: np.array([index[m] for m in ms], dtype=int) for g, ms in sc.groups.items()}
    trust0 = np.array([a.trust_in_leader for a in sc.actors])
    trust_baseline = np.tile(trust0[:, None], (1, n))
    np.fill_diagonal(trust_baseline, 1.0)
    targets = np.array([index[t] for t in sc.targets], dtype=int)
    role = np.array([ROLE_CODE[a.role] for a in sc.actors])
    defender_alliances = [k for k in range(len(names)) if (members[k] * (role == DEFENDER)).sum() > 0]
    protected = any(members[k, t] > 0 for k in defender_alliances for t in targets)
    items = sc.items
    w = World(
        iso=iso, index=index, alliance_names=names, members=members, alliance_leader=leaders,
        alliance_consensus=np.array([al.rule == "consensus" for al in sc.alliances], dtype=bool),
        challengers=np.array(acting, dtype=int), challenger_names=list(sc.challengers),
        challenger_members=fighting, targets=targets,
        leader=index[sc.leader] if sc.leader else -1, role=role, power=power,
        gdp=np.array([a.gdp_busd for a in sc.actors], dtype=float),
        nuclear=np.array([a.nuclear for a in sc.actors], dtype=bool),
        exposure=_exposure_matrix(sc, index, acting[0]), trust_baseline=trust_baseline,
        named=np.isin(np.arange(n), [index[c] for c in sc.named_in_ultimatum]), groups=groups,
        item_names=[i.name for i in items], item_value=np.array([i.value for i in items], dtype=float),
        item_negotiable=np.array([i.negotiable for i in items], dtype=bool),
        item_reduces=[i.reduces for i in items],
        target_growth=sc.projection.target_power_growth_per_year, integration=sc.projection.integration_per_year,
        limited_share=sc.limited_gain.share if sc.limited_gain else 0.0,
        limited_kind=sc.limited_gain.kind if sc.limited_gain else None, protected=bool(protected),
    )
    w.vec = np.zeros((len(VEC), n))
    w.bind()
    p = sc.parameters
    w.capability[...] = power / first_power
    w.stake[...] = [a.stake for a in sc.actors]
    aversion = np.array([a.war_aversion for a in sc.actors])
    horizon = np.array([a.horizon_years for a in sc.actors])
    if not p.claim9:   # goals alike: every actor gets the scenario's mean horizon and war aversion
        aversion[...] = aversion.mean()
        horizon[...] = horizon.mean()
    w.war_aversion[...] = aversion
    w.horizon_years[...] = horizon
    w.audience_sensitivity[...] = [a.audience_sensitivity for a in sc.actors]
    w.resolve_prior[...] = [a.resolve_prior for a in sc.actors]
    w.aim_prior[...] = [a.aim_prior for a in sc.actors]
    w.value_high[...] = w.stake * np.array([horizon_factor(h, p.horizon_scale_years) for h in horizon])
    w.war_cost[...] = p.war_cost * 2.0 * aversion
    w.defender_cost[...] = p.defender_war_cost * 2.0 * aversion
    reset_dynamics(w, sc)
    return w


def reset_dynamics(w: World, sc: Scenario) -> None:
    """Initial values of the dynamic arrays (beliefs start at the public prior)."""
    n = w.n
    k = len(w.alliance_names)
    w.belief_resolve = np.tile(w.resolve_prior[None, :], (n, 1))
    w.belief_aim = np.tile(w.aim_prior[None, :], (n, 1))
    w.trust = w.trust_baseline.copy()
    w.intention = np.zeros((n, n))
    for c in w.challengers:   # everyone's prior on the challengers' hostile intention, and theirs on everyone's
        w.intention[:, c] = 0.3
        w.intention[c, :] = 0.3
        w.intention[c, c] = 0.0
    w.posture[...] = [a.posture for a in sc.actors]
    w.rung = np.zeros(n, dtype=np.int64)
    w.rung_since = np.zeros(n, dtype=np.int64)
    w.dyad_rung = np.zeros((n, n), dtype=np.int64)
    w.commitment_start[...] = -1.0
    w.package_alliance[...] = -1.0
    w.offered = np.zeros(len(w.item_names), dtype=bool)
    w.offered_values = np.zeros(len(w.item_names))
    w.offered_by = [None] * len(w.item_names)
    w.demand[...] = 1.0
    w.cohesion = np.ones(k)
    w.components = {}
    w.mobilised = np.zeros(n, dtype=bool)
    w.seized = np.full(n, -1, dtype=np.int64)


def build_network(sc: Scenario, w: World) -> nx.MultiDiGraph:
    """The typed alliance network: states are nodes 0..N-1, alliances N..N+K-1 (codes as attributes).

    Edge kinds: ``member_of``, ``partner_of`` (state -> alliance), the scenario's own kinds (both ways:
    rival, border, occupies, protects ...), and ``trade`` (row -> column, weighted by exposure).
    """
    g = nx.MultiDiGraph()
    for i, a in enumerate(sc.actors):
        g.add_node(i, iso3=a.iso3, name=a.name, kind="state", role=a.role)
    for k, al in enumerate(sc.alliances):
        node = w.n + k
        g.add_node(node, iso3=al.name, name=al.name, kind="alliance", rule=al.rule)
        for m in al.members:
            g.add_edge(w.index[m], node, kind="member_of")
        for m in al.partners:
            g.add_edge(w.index[m], node, kind="partner_of")
    for e in sc.edges:
        a, b = w.index[e.a], w.index[e.b]
        g.add_edge(a, b, kind=e.kind, weight=e.weight)
        g.add_edge(b, a, kind=e.kind, weight=e.weight)
    rows, cols = np.nonzero(w.exposure)
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        g.add_edge(i, j, kind="trade", weight=float(w.exposure[i, j]))
    return g
