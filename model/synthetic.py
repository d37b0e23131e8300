"""Synthetic worlds for scale tests: N states, K alliances, a seeded random network.

``synthetic_scenario(n_states=50, n_alliances=3, seed=0)`` returns a validated ``Scenario``; the name
``synthetic-N-K-SEED`` works wherever a scenario name does (e.g. ``crisislab run synthetic-200-5-1``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import networkx as nx
import numpy as np

from model.config import Scenario, ScenarioError, scenario_from_dict

PATTERN = re.compile(r"^synthetic-(\d+)-(\d+)-(\d+)$")
MAX_STATES = 5000


def _code(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "S" + letters[(i // 26) % 26] + letters[i % 26] if i < 676 else _long_code(i)


def _long_code(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[(i // 676) % 26] + letters[(i // 26) % 26] + letters[i % 26]


def synthetic_scenario(n_states: int = 50, n_alliances: int = 3, seed: int = 0, days: int = 120) -> Scenario:
    """A random world: state 0 challenges state 1; the others are defenders split among K-1 alliances
    (led by the strongest member) plus the challenger's bloc; borders from a random geometric graph."""
    if not 4 <= n_states <= MAX_STATES:
        raise ScenarioError(f"synthetic world: n_states must be 4..{MAX_STATES}, got {n_states}")
    if not 2 <= n_alliances <= max(2, n_states // 2):
        raise ScenarioError(f"synthetic world: n_alliances must be 2..{n_states // 2}, got {n_alliances}")
    rng = np.random.default_rng(seed)
    codes = [_code(i) if n_states <= 676 else _long_code(i) for i in range(n_states)]
    milex = np.round(rng.lognormal(1.0, 1.3, n_states), 3) + 0.01
    milex[0] = max(milex[0], np.percentile(milex, 90))
    actors = []
    for i, c in enumerate(codes):
        role = "challenger" if i == 0 else "target" if i == 1 else "defender"
        actors.append({
            "iso3": c, "name": f"State {c}", "role": role, "power": float(milex[i]),
            "gdp_busd": float(milex[i] * rng.uniform(20, 80)),
            "energy_dependence": float(rng.beta(2, 4)) if i > 1 else 0.0,
            "trade_exposure": float(rng.beta(1, 12)) if i > 1 else 0.0,
            "stake": 0.9 if i == 0 else 1.0 if i == 1 else float(rng.uniform(0.2, 0.9)),
            "war_aversion": float(rng.uniform(0.3, 0.8)), "resolve_prior": float(rng.uniform(0.2, 0.9)),
            "horizon_years": 20.0 if i == 0 else float(rng.uniform(1, 8)),
            "trust_in_leader": float(rng.uniform(0.5, 0.95)), "posture": 0.4 if i == 0 else 0.1,
        })
    defenders = np.arange(2, n_states)
    blocs = rng.integers(0, n_alliances - 1, size=defenders.size)
    alliances = []
    for k in range(n_alliances - 1):
        members = defenders[blocs == k]
        if members.size == 0:
            members = defenders[[k % defenders.size]]
        lead = int(members[np.argmax(milex[members])])
        alliances.append({"name": f"A{k}", "members": [codes[m] for m in members.tolist()],
                          "leader": codes[lead], "rule": "consensus", "partners": [codes[1]]})
    alliances.append({"name": "CHALLENGER_BLOC", "members": [codes[0]], "leader": codes[0], "rule": "leader"})
    leader = alliances[0]["leader"]
    graph = nx.random_geometric_graph(n_states, radius=min(0.5, 2.2 / np.sqrt(n_states)), seed=seed)
    edges = [{"kind": "border", "a": codes[a], "b": codes[b]} for a, b in graph.edges() if a != b]
    edges.append({"kind": "rival", "a": codes[0], "b": leader})
    named = alliances[0]["members"][: max(1, len(alliances[0]["members"]) // 3)]
    named = [c for c in named if c != leader] or [alliances[0]["members"][-1]]
    start = date(2030, 1, 1)
    raw = {
        "name": f"synthetic-{n_states}-{n_alliances}-{seed}",
        "description": f"synthetic world: {n_states} states, {n_alliances} alliances, seed {seed}",
        "start": start, "end": start + timedelta(days=days - 1), "branch_date": start + timedelta(days=1),
        "language": 2, "challengers": [codes[0]], "targets": [codes[1]], "leader": leader,
        "policy_actors": [leader, alliances[0]["name"]], "named_in_ultimatum": named,
        "actors": actors, "alliances": alliances, "edges": edges,
        "forums": [{"name": "Conference", "format": "inclusive", "participants": codes}],
        "items": [{"name": "arms_limits", "value": 0.1}, {"name": "hotline", "value": 0.05, "reduces": "channels"},
                  {"name": "core", "value": 0.85, "negotiable": False}],
        "timeline": [{"date": start, "kind": "troop_buildup", "sender": codes[0], "to": [codes[1]],
                      "source": "generated (model/synthetic.py)"}],
        "power_measure": "generated index", "power_source": "generated (model/synthetic.py)",
    }
    return scenario_from_dict(raw)


def parse_synthetic(name: str) -> Scenario | None:
    """``synthetic-N-K-SEED`` → a scenario, or None if the name is not of that form."""
    m = PATTERN.match(name)
    if not m:
        return None
    n, k, s = (int(x) for x in m.groups())
    return synthetic_scenario(n, k, s)
