"""What a run records: the day's row (Mesa's data collector), each strategic choice with its utilities and
terms (``decision_log``), and the words that explain a challenger's move ("why" sentences).

The model calls ``Recorder.day_row`` at the end of every day and ``Recorder.decision`` after every strategic
choice; nothing here changes the world.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import mesa
import numpy as np
import pandas as pd

from model.cohesion import COMPONENTS
from model.decision import ACTIONS, FIRST_CLIMB, HOLD, TERM, WAR

DECISION_COLUMNS = ("day", "date", "actor", "chosen", "signal", "type", "u_hold", "u_climb", "u_descend",
                    "u_accept", "u_concede", "u_limited_war", "u_war", "p_win", "war_cost", "sanctions", "hope",
                    "window", "audience_cost", "flow_cost", "p_later", "leader_sees_war")
"""``CrisisModel.decision_log``'s columns (the contract of DESIGN.md "Explanations")."""
NAN = float("nan")
HOLD_COLUMN, WAR_COLUMN = HOLD, WAR
ACTION_WORDS = {"hold": "holding", "descend": "stepping down", "accept": "accepting the deal",
                "concede": "lowering its demands", "limited_war": "a fait accompli", "war": "war", "climb": "climbing"}


def _report(name: str, model: Any) -> Any:
    return model.recorder.row[name]


DAY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("day", "int"), ("date", "str"), ("max_rung", "int"), ("mean_rung", "float"), ("challenger_rung", "int"),
    ("war", "bool"), ("deal", "bool"), ("hazard", "float"), ("p_win", "float"), ("expected_sanctions", "float"),
    ("believed_resolve", "float"), ("belief_expansive", "float"), ("u_war", "float"), ("u_hold", "float"),
    ("choice", "str"), ("talks_open", "float"), ("deal_value", "float"), ("posture_challenger", "float"),
    ("posture_defenders", "float"), ("trust_named_in_leader", "float"))
"""A day's row (then, per alliance, its cohesion and components): names and types, declared once."""
OUTCOME_COLUMNS: tuple[tuple[str, str], ...] = (
    ("outcome", "str"), ("war_day", "int"), ("war_date", "str"), ("deal_day", "int"), ("backdown_day", "int"),
    ("seize_day", "int"), ("deal_items", "str"), ("who_conceded", "str"), ("peak_rung", "int"), ("days", "int"),
    ("challenger_resolved", "bool"), ("challenger_expansive", "bool"))
"""``CrisisModel.outcome()`` (then ``final_cohesion_<ALLIANCE>``): names and types, declared once."""


def day_columns(alliance_names: list[str]) -> list[tuple[str, str]]:
    """The columns of a day's row with their types."""
    cols = list(DAY_COLUMNS)
    for name in alliance_names:
        cols.append((f"cohesion_{name}", "float"))
        cols.extend((f"cohesion_{name}_{c}", "float") for c in COMPONENTS)
    return cols


def outcome_columns(alliance_names: list[str]) -> list[tuple[str, str]]:
    """The columns of ``CrisisModel.outcome()`` with their types."""
    return list(OUTCOME_COLUMNS) + [(f"final_cohesion_{name}", "float") for name in alliance_names]


class Recorder:
    """A run's rows, decision log and the memory its explanations need."""

    def __init__(self, alliance_names: list[str], collect: bool) -> None:
        self.collect = collect
        self.columns = [name for name, _ in day_columns(alliance_names)]
        self.row: dict[str, Any] = {}
        self.decisions: list[tuple] = []
        self.last: dict[str, Any] = {"p_win": float("nan"), "sanctions": float("nan"), "u_war": float("nan"),
                                     "u_hold": float("nan"), "choice": "none", "hazard": 0.0}
        self.previous_move: dict[str, tuple[int, date, np.ndarray]] = {}
        self.datacollector = mesa.DataCollector(model_reporters={c: partial(_report, c) for c in self.columns})

    # ------------------------------------------------------------------ decisions

    def decision(self, day: int, when: date, actor: str, u: np.ndarray, terms: np.ndarray, chosen: str, signal: str,
                 type_name: str) -> None:
        """Record one challenger choice: its utilities (per action; the best climb as ``u_climb``) and terms
        (kept as arrays; ``decision_log`` builds the table when read)."""
        self.decisions.append((day, when, actor, chosen, signal, type_name, u, terms))
        self.last.update(p_win=float(terms[TERM.P_WIN]), sanctions=float(terms[TERM.SANCTIONS]),
                         u_war=float(u[WAR_COLUMN]), u_hold=float(u[HOLD_COLUMN]), choice=chosen)

    def defender_decision(self, day: int, when: date, actor: str, chosen: str, signal: str, type_name: str,
                          u_nothing: float, u_chosen: float) -> None:
        """Record a strategic defender's choice (its utility of doing nothing as ``u_hold``; the chosen signal's
        as ``u_climb``; the challenger's columns NaN)."""
        self.decisions.append((day, when, actor, chosen, signal, type_name, u_nothing, u_chosen))

    def decision_log(self) -> pd.DataFrame:
        rows = []
        for day, when, actor, chosen, signal, type_name, u, terms in self.decisions:
            if isinstance(u, np.ndarray):
                climbs = u[FIRST_CLIMB:]
                finite = climbs[np.isfinite(climbs)]
                values = [float(v) if np.isfinite(v) else NAN for v in u[:FIRST_CLIMB]]
                by_action = dict(zip(ACTIONS, values, strict=True))
                rows.append((day, when, actor, chosen, signal, type_name, by_action["hold"],
                             float(finite.max()) if finite.size else NAN, by_action["descend"], by_action["accept"],
                             by_action["concede"], by_action["limited_war"], by_action["war"],
                             *(float(terms[TERM[n.upper()]]) for n in DECISION_COLUMNS[13:])))
            else:   # a strategic defender: the utility of doing nothing and of its choice
                rows.append((day, when, actor, chosen, signal, type_name, u, terms, *([NAN] * 5), *([NAN] * 9)))
        return pd.DataFrame(rows, columns=list(DECISION_COLUMNS))

    def why(self, actor: str, day: int, when: date, action: str, u: np.ndarray, chosen_index: int,
            terms: np.ndarray, climbs: list[str]) -> tuple[str, tuple]:
        """The explanation of a challenger's move: its utility against the next best, and the terms behind
        it, with the change in its chance of winning since its previous move."""

        def words(i: int) -> str:
            if i < 0:
                return "nothing"
            if i >= FIRST_CLIMB:
                return f"climbing ({climbs[i - FIRST_CLIMB].replace('_', ' ')})"
            return ACTION_WORDS[ACTIONS[i]]

        finite = [(float(u[i]), i) for i in range(u.size) if np.isfinite(u[i]) and i != chosen_index]
        other_u, other_i = max(finite) if finite else (float("nan"), -1)
        text = "why: {} {:.2f} against {} {:.2f}; chance of winning {:.2f}"
        values: list = [words(chosen_index), float(u[chosen_index]), words(other_i), other_u,
                        float(terms[TERM.P_WIN])]
        prev = self.previous_move.get(actor)
        if prev is not None:
            text += " ({:.2f} on {})"
            values += [float(prev[2][TERM.P_WIN]), prev[1].isoformat()]
        text += ", expected sanctions {:.2f}, hope of concessions {:.2f}, cost of backing down {:.2f}"
        values += [float(terms[TERM.SANCTIONS]), float(terms[TERM.HOPE]), float(terms[TERM.AUDIENCE_COST])]
        if abs(float(terms[TERM.WINDOW])) > 0.005:
            text += ", closing window {:.2f}"
            values.append(float(terms[TERM.WINDOW]))
        self.previous_move[actor] = (day, when, terms.copy())
        return text, tuple(values)

    # ------------------------------------------------------------------ days

    def day_row(self, row: dict[str, Any]) -> None:
        """Keep the day's row (what ``datacollector.collect`` would store, without its reporter call and
        ``deepcopy`` per column per day; every value is an immutable scalar)."""
        self.row = row
        if not self.collect:
            return
        columns = self.datacollector.model_vars
        for name, value in row.items():
            columns[name].append(value)
