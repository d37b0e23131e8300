"""ECharts options (plain dicts) for the dashboard's views; drawn in the browser, so a step only ships data.

Pure functions of a model (or of Monte Carlo results): easy to test, nothing here touches Solara.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import networkx as nx
import numpy as np

from agents.ladder import RUNG_LABELS
from model import CrisisModel
from model.cohesion import COMPONENTS
from model.cohesion import perceived_threat

RUNG_COLOURS = ["#2c7bb6", "#4fa3c7", "#abd9e9", "#e0f3f8", "#ffffbf", "#fee090", "#fdae61", "#f46d43",
                "#d73027", "#a50026"]
SERIES_COLOURS = ["#4c72b0", "#c44e52", "#55a868", "#8172b2", "#ccb974", "#64b5cd"]


def _grid() -> dict[str, Any]:
    return {"left": 48, "right": 16, "top": 36, "bottom": 56}


def dates_of(model: CrisisModel) -> list[str]:
    """The scenario's whole period as ISO dates: the time axis (the series fill it as the model steps)."""
    return list(_iso(model.scenario.dates))


@lru_cache(maxsize=32)
def _iso(dates: tuple) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in dates)


def escalation_option(model: CrisisModel) -> dict[str, Any]:
    """Max, mean and challenger rung over the scenario's whole period; scripted events as marks."""
    mv = model.datacollector.model_vars
    dates = dates_of(model)
    marks = [{"xAxis": ev.date.isoformat(), "name": f"{ev.date.isoformat()} {ev.sender}: {ev.note or ev.kind}"}
             for ev in model.scenario.timeline]
    marks.append({"xAxis": model.scenario.branch_date.isoformat(), "name": "branch date",
                  "lineStyle": {"color": "#333", "type": "solid", "width": 1.5}})
    series = [
        {"name": "max rung", "type": "line", "step": "end", "showSymbol": False, "data": list(mv["max_rung"]),
         "markLine": {"symbol": "none", "silent": False, "label": {"show": False},
                      "emphasis": {"label": {"show": True, "formatter": "{b}", "position": "insideEndTop"}},
                      "lineStyle": {"color": "#999", "type": "dotted", "width": 1}, "data": marks}},
        {"name": "challenger rung", "type": "line", "step": "end", "showSymbol": False,
         "data": list(mv["challenger_rung"])},
        {"name": "mean rung", "type": "line", "showSymbol": False,
         "data": [round(x, 3) for x in mv["mean_rung"]]},
    ]
    return {
        "title": {"text": "Escalation (dotted: the record's dated events; hover for what happened)",
                  "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"}, "legend": {"top": 18, "right": 10}, "grid": _grid(),
        "color": SERIES_COLOURS, "animation": False,
        "xAxis": {"type": "category", "data": dates},
        "yAxis": {"type": "value", "min": 0, "max": 9, "interval": 1, "name": "rung"},
        "dataZoom": [{"type": "inside"}],
        "series": series,
    }


def cohesion_option(model: CrisisModel, alliance: str) -> dict[str, Any]:
    """An alliance's cohesion and its components (Snyder) over time."""
    mv = model.datacollector.model_vars
    dates = dates_of(model)
    series = [{"name": "cohesion", "type": "line", "showSymbol": False, "lineStyle": {"width": 3},
               "data": [round(x, 4) for x in mv[f"cohesion_{alliance}"]]}]
    for c in COMPONENTS:
        series.append({"name": c, "type": "line", "showSymbol": False, "lineStyle": {"width": 1, "type": "dashed"},
                       "data": [round(x, 4) for x in mv[f"cohesion_{alliance}_{c}"]]})
    return {
        "title": {"text": f"{alliance} cohesion", "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"}, "legend": {"top": 18, "right": 10, "textStyle": {"fontSize": 10}},
        "grid": _grid(), "color": SERIES_COLOURS, "animation": False,
        "xAxis": {"type": "category", "data": dates}, "yAxis": {"type": "value", "min": 0, "max": 1},
        "series": series,
    }


def beliefs_option(model: CrisisModel) -> dict[str, Any]:
    """The challenger's belief that each defender and target is resolved, beside the true type (1 resolved)."""
    from model.world import DEFENDER, TARGET

    w = model.world
    ch = w.challenger
    idx = [i for i in range(w.n) if w.role[i] in (TARGET, DEFENDER)]
    believed = model.believed_resolve()[ch]
    order = sorted(idx, key=lambda i: -w.capability[i])
    return {
        "title": {"text": f"What {w.iso[ch]} believes about each state's resolve", "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"}, "legend": {"top": 18, "right": 10}, "grid": _grid(),
        "animation": False, "color": ["#4c72b0", "#c44e52"],
        "xAxis": {"type": "category", "data": [w.iso[i] for i in order], "axisLabel": {"interval": 0, "rotate": 45}},
        "yAxis": {"type": "value", "min": 0, "max": 1, "name": "P(resolved)"},
        "series": [
            {"name": "believed", "type": "bar", "data": [round(float(believed[i]), 4) for i in order]},
            {"name": "true type (hidden from it: 1 resolved, 0 not)", "type": "scatter", "symbol": "diamond",
             "symbolSize": 9, "data": [float(w.resolved[i]) for i in order]},
        ],
    }


@lru_cache(maxsize=16)
def _layout(scenario_name: str, edges: tuple[tuple[int, int], ...], n_nodes: int) -> dict[int, tuple[float, float]]:
    g = nx.Graph()
    g.add_nodes_from(range(n_nodes))
    g.add_edges_from(edges)
    pos = nx.spring_layout(g, seed=7, k=1.4 / np.sqrt(max(n_nodes, 1)), iterations=200)
    return {k: (float(x), float(y)) for k, (x, y) in pos.items()}


def _trust_colour(t: float) -> str:
    """Red (no trust) to green (full trust)."""
    t = min(max(t, 0.0), 1.0)
    r, g = int(215 * (1 - t) + 40 * t), int(48 * (1 - t) + 160 * t)
    return f"#{r:02x}{g:02x}50"


def network_option(model: CrisisModel, colour_by: str = "rung") -> dict[str, Any]:
    """States coloured by rung or by threat perception, edges by trust; alliances as diamonds."""
    w = model.world
    g = model.network
    structural = tuple(sorted({(min(a, b), max(a, b)) for a, b, d in g.edges(data=True) if d["kind"] != "trade"}))
    pos = _layout(model.scenario.name, structural, g.number_of_nodes())
    threat = perceived_threat(w.capability, w.intention, w.challenger)
    nodes = []
    for node, d in g.nodes(data=True):
        x, y = pos[node]
        if d["kind"] == "state":
            value = int(w.rung[node]) if colour_by == "rung" else round(float(threat[node]), 3)
            colour = (RUNG_COLOURS[int(w.rung[node])] if colour_by == "rung"
                      else _trust_colour(1 - min(1.0, float(threat[node]) * 2)))
            nodes.append({"name": d["iso3"], "x": x * 400, "y": y * 300, "value": value, "symbolSize": 22,
                          "itemStyle": {"color": colour, "borderColor": "#333"},
                          "tooltip": {"formatter": f"{d['name']} — rung {int(w.rung[node])} "
                                                   f"({RUNG_LABELS[int(w.rung[node])]}); threat from "
                                                   f"{w.iso[w.challenger]} {float(threat[node]):.2f}"}})
        else:
            k = w.alliance_names.index(d["iso3"])
            nodes.append({"name": d["iso3"], "x": x * 400, "y": y * 300, "symbol": "diamond", "symbolSize": 30,
                          "itemStyle": {"color": "#ddd", "borderColor": "#555"},
                          "tooltip": {"formatter": f"{d['iso3']}: cohesion {float(w.cohesion[k]):.2f}"},
                          "label": {"show": True, "fontWeight": "bold"}})
    links, seen = [], set()
    for a, b, d in g.edges(data=True):
        kind = d["kind"]
        if kind == "trade" or (min(a, b), max(a, b), kind) in seen:
            continue
        seen.add((min(a, b), max(a, b), kind))
        if kind in ("member_of", "partner_of"):
            k = w.alliance_names.index(g.nodes[b]["iso3"])
            lead = w.alliance_leader[k]
            t = float(w.trust[a, lead]) if lead >= 0 and lead != a else 1.0
        else:
            t = float((w.trust[a, b] + w.trust[b, a]) / 2)
        links.append({"source": g.nodes[a]["iso3"], "target": g.nodes[b]["iso3"],
                      "lineStyle": {"color": _trust_colour(t), "width": 1 + 2 * t,
                                    "type": "dashed" if kind in ("rival", "partner_of") else "solid"},
                      "tooltip": {"formatter": f"{g.nodes[a]['iso3']}–{g.nodes[b]['iso3']} ({kind}): trust {t:.2f}"}})
    what = "rung" if colour_by == "rung" else f"threat perceived from {w.iso[w.challenger]}"
    return {
        "title": {"text": f"Alliance network — states by {what}, edges by trust (red low, green high)",
                  "textStyle": {"fontSize": 13}},
        "tooltip": {}, "animation": False,
        "series": [{"type": "graph", "layout": "none", "roam": True, "data": nodes, "links": links,
                    "label": {"show": True, "fontSize": 10}, "emphasis": {"focus": "adjacency"}}],
    }


# ---------------------------------------------------------------------------- Monte Carlo

def fan_option(mc: dict[str, Any], title: str) -> dict[str, Any]:
    """Median and 50 / 90 % bands of the highest rung per day (stacked-area bands)."""
    series = []
    for c, (label, r) in enumerate(mc["groups"].items()):
        q = r["rung_quantiles"]   # 5 x days: p5, p25, p50, p75, p95
        colour = SERIES_COLOURS[c % len(SERIES_COLOURS)]
        stack = f"band{c}"
        series += [
            {"name": f"{label} p5", "type": "line", "data": q[0], "stack": stack, "lineStyle": {"opacity": 0},
             "symbol": "none", "tooltip": {"show": False}},
            {"name": f"{label} 90 %", "type": "line", "data": (np.array(q[4]) - q[0]).round(3).tolist(),
             "stack": stack, "lineStyle": {"opacity": 0}, "symbol": "none",
             "areaStyle": {"color": colour, "opacity": 0.15}},
            {"name": f"{label} median", "type": "line", "data": q[2], "symbol": "none", "step": "end",
             "lineStyle": {"color": colour, "width": 2}},
            {"name": f"{label} 50 %", "type": "line", "data": q[1], "symbol": "none",
             "lineStyle": {"color": colour, "width": 1, "type": "dashed"}},
            {"name": f"{label} 50 % ", "type": "line", "data": q[3], "symbol": "none",
             "lineStyle": {"color": colour, "width": 1, "type": "dashed"}},
        ]
    return {
        "title": {"text": title, "textStyle": {"fontSize": 13}}, "animation": False, "tooltip": {"trigger": "axis"},
        "grid": _grid(), "xAxis": {"type": "category", "data": mc["dates"]},
        "yAxis": {"type": "value", "min": 0, "max": 9, "interval": 1, "name": "rung"}, "series": series,
    }


def p_war_option(mc: dict[str, Any], title: str) -> dict[str, Any]:
    series = []
    for c, (label, r) in enumerate(mc["groups"].items()):
        series.append({"name": f"{label} (P(war) {r['p_war']:.2f}, P(deal) {r['p_deal']:.2f})", "type": "line",
                       "step": "end", "symbol": "none", "data": r["p_war_by_day"],
                       "lineStyle": {"width": 2, "color": SERIES_COLOURS[c % len(SERIES_COLOURS)]}})
    return {
        "title": {"text": title, "textStyle": {"fontSize": 13}}, "animation": False, "tooltip": {"trigger": "axis"},
        "legend": {"top": 18, "right": 10}, "grid": _grid(), "xAxis": {"type": "category", "data": mc["dates"]},
        "yAxis": {"type": "value", "min": 0, "max": 1, "name": "P(war by day)"}, "series": series,
    }
