"""CrisisModel: wires scenario, types, arrays, agents, network, policies, mechanisms and recording.

One step is one day:
1. the record's events of the day (all of them before the branch date; from it, only those of actors who
   follow ``as_happened``), then the policies' signals (``strategic`` actors: their decision rule's);
2. each challenger's choice by expected utility (from the branch date), which every observer reads by
   Bayes' rule (holding too is a choice);
3. dynamics: postures (Richardson), fading rungs, fading evidence, trust recovery, entrapment decay, the
   sanctions' drain, the accident hazard, cohesion;
4. the day's row.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.model import _mesa_logger

from agents.alliance import AllianceAgent
from agents.ladder import (
    FADE_DAYS,
    MOBILISED_RUNG,
    SEIZE_RUNG,
    UP,
    has_backed_down,
    sender_rung_after,
)
from agents.observation import NOTHING_SENT, Observation
from agents.signals import CATALOGUE, FIRM, Signal, first_kind, make, options_of
from agents.state import StateAgent
from model import decision as dec
from model.actortypes import describe, draw_types, type_index
from model.beliefs import memory_keep, relax, update_challenger
from model.cohesion import COMPONENTS, sanction_willingness, update_cohesion
from model.config import Scenario, ScenarioError, load_scenario, scenario_default_policy
from model.decision import CLIMB, DAY, LEVER, RUN, TERM, TYPES
from model.dynamics import fade_rungs, posture_step, relax_world
from model.effects import Context, Delivery, apply_signal, levers
from model.eventlog import EventRecord
from model.hazard import accident_hazard
from model.numerics import mean
from model.packing import pack
from model.policybook import PolicyBook
from model.posture import step_operator
from model.recording import Recorder
from model.world import DEFENDER, build_network, build_world, scenario_memo

CLIMB_EXCLUDED_ENDS = ("war", "seize", "deal")
MOVES = {
    "descend": first_kind(lambda s: s.ladder == "down"),
    "accept": first_kind(lambda s: s.ends == "deal"),
    "concede": first_kind(lambda s: s.rule("deal") == "lower_demands"),
    "incident": first_kind(lambda s: s.rule("threat") == "mutual"),
}
"""The catalogue's kind for each of a challenger's moves that is not a climb, found by its declaration."""
CORE_SHARES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
"""The shares of the core demands a strategic defender can offer at once (when the core is negotiable)."""
PRETEXT_KEEP = 0.5 ** (1 / 14)
"""A pretext fades with a two-week half-life (a target's attack is news for a fortnight)."""


class CrisisModel(mesa.Model):
    """An international crisis: states and alliances exchanging signals over an alliance network.

    Args:
        scenario: a name from ``configs/``, a path to a scenario file, or a validated ``Scenario``.
        seed: RNG seed; the same scenario, policy, overrides and seed give identical results (types are
            drawn from it first).
        policy: a policy name applied to the scenario's policy actors, or a mapping
            ``{actor_or_alliance_or_group: policy}``; None uses the scenario's own (``as_happened``).
        collect: keep a row per day in ``datacollector`` (default).
        **overrides: parameters, e.g. ``credibility_rule="current_calculus"``, ``branch_date="2022-01-14"``,
            ``horizon_days=334``, ``claim2=False``.
    """

    def __init__(self, scenario: str | Path | Scenario = "ukraine_2021", seed: int | None = None,
                 policy: str | dict[str, str] | None = None, collect: bool = True, **overrides: Any) -> None:
        super().__init__(seed=seed)
        if isinstance(scenario, Scenario):
            sc = scenario if not overrides else _reoverride(scenario, overrides)
            preset_policy = None
        else:
            sc = load_scenario(scenario, **overrides)
            preset_policy = scenario_default_policy(scenario)
        self.scenario = sc
        self.params = p = sc.parameters
        self.seed = seed
        self.world = w = build_world(sc)
        draw_types(w, self.rng, p)
        self.branch_day = sc.day_of(sc.branch_date)
        self._dates = sc.dates
        self.policy = policy if policy is not None else (preset_policy or "as_happened")
        self.book = PolicyBook(sc, w, self.policy)
        self.states: dict[str, StateAgent] = {
            a.iso3: StateAgent(self, i, a.iso3, a.name, a.role) for i, a in enumerate(sc.actors)}
        self.alliances: dict[str, AllianceAgent] = {
            al.name: AllianceAgent(self, k, al.name, al.members, al.leader, al.rule, al.partners)
            for k, al in enumerate(sc.alliances)}
        self._timeline: dict[int, list] = {}
        for ev in sc.timeline:
            self._timeline.setdefault(sc.day_of(ev.date), []).append(ev)
        self._constants()
        self.recorder = Recorder(w.alliance_names, collect)
        self.event_log: list[EventRecord] = []
        self.dyad_log: list[tuple[int, str, str, int]] = []
        self._sent: dict[str, MappingProxyType] = {}
        self._senders: dict[str, tuple[np.ndarray, int]] = {}
        self._pending_likelihoods: dict[int, np.ndarray] = {}
        self._ultimatum_day: int | None = None
        self._rung_yesterday = 0
        self._peak_rung = 0
        self.day = 0
        self.collect = collect
        self._ctx = Context(p, self.rng, self._likelihoods)
        self._ticks = 0
        self._update_cohesion()
        self._replay_history()
        self._process_day()
        self._record()

    # ------------------------------------------------------------------ set-up

    def _constants(self) -> None:
        """What stays fixed for the run: the packed run constants, each challenger's sanctions exposure and
        the boomerang on each sender, the Richardson operators (a day; the lookahead), cohesion's weights."""
        w, p = self.world, self.params
        self._run = pack(
            RUN, resolve_low=p.resolve_low, temperature=p.decision_temperature, reading=p.reading_temperature,
            lookahead=p.lookahead_days,
            war_cost=p.war_cost, defence_multiplier=p.defence_multiplier, decisiveness=p.contest_decisiveness,
            intervention_share=p.intervention_share, alliance_share=p.alliance_defence_share,
            theatre_share=p.theatre_share, limited_defence_share=p.limited_defence_share,
            limited_cost_share=p.limited_cost_share, limited_sanctions_share=p.limited_sanctions_share,
            sanctions_scale=p.sanctions_scale, audience_scale=p.audience_scale, growth_days=p.audience_growth_days,
            upkeep_rate=p.upkeep_rate, signal_cost_scale=p.signal_cost_scale, preventive_weight=p.preventive_weight,
            pretext_share=p.pretext_share, test_value=p.test_value, test_price=p.test_price,
            talks_floor=p.talks_floor, posture_floor=p.posture_floor, credibility_weight=p.credibility_weight,
            rule=dec.RULES[p.credibility_rule], claim4=p.claim4, claim6=p.claim6, claim7=p.claim7, claim10=p.claim10,
            target_growth=w.target_growth, integration=w.integration, limited_share=w.limited_share,
            protected=w.protected, protect_alliance=self._protecting_alliance(),
            mobilisation_rate=p.mobilisation_rate, concession_step=p.concession_step,
            support_relief=p.support_relief, pretext_discount=p.pretext_discount, core_negotiable=p.core_negotiable,
            posture_impulse=p.posture_impulse, concede_cost=CATALOGUE[MOVES["concede"]].cost,
            escalation_risk=p.escalation_risk)
        self._challengers = []
        for k, c in enumerate(w.challengers.tolist()):
            outside = w.role != 0
            economy = w.exposure[c] * outside
            total = economy.sum()
            harm = economy / total if total > 0 else (w.gdp * outside) / max((w.gdp * outside).sum(), 1e-9)
            boomerang = p.boomerang_sensitivity * w.exposure[:, c]
            self._challengers.append({"index": c, "name": w.challenger_names[k], "fighting": w.challenger_members[k],
                                      "harm": np.ascontiguousarray(harm), "boomerang": np.ascontiguousarray(boomerang),
                                      "climbs": {}})
        self._phi, self._gamma = step_operator(p.reaction_challenger, p.reaction_defender, p.fatigue_challenger,
                                               p.fatigue_defender)
        self._phi_l, self._gamma_l = step_operator(p.reaction_challenger, p.reaction_defender, p.fatigue_challenger,
                                                   p.fatigue_defender, p.lookahead_days)
        self._keep_belief = memory_keep(p.belief_memory_days)
        self._keep_trust = 1.0 - p.trust_recovery
        self._keep_entrapment = 1.0 - p.entrapment_decay
        self._weights = np.array([p.weight_alignment, p.weight_abandonment, p.weight_entrapment, p.weight_burden])
        self._components = np.zeros((len(COMPONENTS), len(w.alliance_names)))
        for i, c in enumerate(COMPONENTS):
            w.components[c] = self._components[i]
        from model.cohesion import alike
        willingness = sanction_willingness(w.exposure[:, w.challenger], p.boomerang_sensitivity)
        self._burden = alike(willingness, w.members) if w.alliance_names else np.zeros(0)
        self._defenders = w.defenders
        self._holds_rung = w.mask(w.challengers) | (w.role == 0)   # challenger-side rungs do not fade
        self._no_levers = np.zeros(len(LEVER))
        self._no_levers[LEVER.BELIEF] = -1.0
        self._discount = {}

    def _protecting_alliance(self) -> int:
        """The alliance of defenders whose member a target is (collective defence), or -1."""
        w = self.world
        for k in range(len(w.alliance_names)):
            if any(w.members[k, t] for t in w.targets) and (w.members[k] * (w.role == DEFENDER)).sum() > 0:
                return k
        return -1

    def _replay_history(self) -> None:
        """The background history before the start: each event read by every observer (reputations), the
        evidence fading from its date to the start (``belief_memory_days``). Read once per scenario (the
        reading depends on no draw) unless perceptions are noisy."""
        sc, w, p = self.scenario, self.world, self.params
        if not sc.history or p.complete_information:
            return
        if p.perception_noise == 0:
            beliefs = scenario_memo(sc, "history", lambda: self._read_history() or (w.belief_resolve.copy(),
                                                                                   w.belief_aim.copy()))
            w.belief_resolve[...], w.belief_aim[...] = beliefs
        else:
            self._read_history()
        self._ticks += 1   # beliefs changed without a logged signal

    def _read_history(self) -> None:
        sc, w = self.scenario, self.world
        last = None
        for ev in sc.history:
            if last is not None:
                self._relax_beliefs((ev.date - last).days)
            sig = make(ev.kind, ev.sender, tuple(ev.to), note=ev.note, **ev.payload)
            senders, alliance = self._resolve_sender(sig)
            d = Delivery(sig, senders, alliance, self._addressees(sig.addressees), w.all_states, 0)
            for channel, (rule, weight) in d.kind.channels.items():
                if channel == "beliefs":
                    from model.effects import beliefs_channel
                    beliefs_channel(w, d, rule, weight, self._ctx)
            last = ev.date
        self._relax_beliefs((sc.start - last).days)

    def _relax_beliefs(self, days: int) -> None:
        if days > 0:
            keep = self._keep_belief ** days
            relax(self.world.belief_resolve, self.world.resolve_prior, keep)
            relax(self.world.belief_aim, self.world.aim_prior, keep)

    # ------------------------------------------------------------------ public API

    @property
    def datacollector(self) -> mesa.DataCollector:
        """Mesa's data collector: a row per day (empty when the model does not collect)."""
        return self.recorder.datacollector

    @property
    def decision_log(self) -> pd.DataFrame:
        """One row per strategic choice: ``day``, ``actor``, ``chosen``, ``u_<action>`` for every action
        (NaN where not available) and the terms behind them (``recording.DECISION_COLUMNS``)."""
        return self.recorder.decision_log()

    @cached_property
    def network(self):
        """The typed alliance network (networkx ``MultiDiGraph``), built when first read."""
        return build_network(self.scenario, self.world)

    @property
    def date(self) -> date:
        return self._dates[self.day]

    @cached_property
    def last_day(self) -> int:
        return self.scenario.days - 1

    def _wrapped_step(self, *args: Any, **kwargs: Any) -> None:
        """Mesa's step wrapper, formatting its per-step log line only when Mesa's logger would show it."""
        self.steps += 1
        if _mesa_logger.isEnabledFor(logging.INFO):
            _mesa_logger.info(f"calling model.step for timestep {self.steps} ")
        self._user_step(*args, **kwargs)

    def step(self) -> None:
        """Advance one day."""
        if self.day >= self.last_day or self._ended():
            self.running = False
            return
        self.day += 1
        self._process_day()
        self._record()
        if self.day >= self.last_day or self._ended():
            self.running = False

    def run(self, days: int | None = None) -> CrisisModel:
        """Run ``days`` days (default: to the horizon) or until ``running`` is False."""
        stop = self.last_day if days is None else min(self.last_day, self.day + days)
        while self.running and self.day < stop:
            self.step()
        return self

    def _ended(self) -> bool:
        w = self.world
        return w.war or w.deal_day is not None or w.backdown_day is not None

    def outcome(self) -> dict[str, Any]:
        """The run so far: ``outcome`` (war / limited_war / deal / backdown / standoff), its day, the deal's
        items and who conceded, peak rung, final cohesion of every alliance."""
        w = self.world
        seized = int(w.seized[w.challenger])
        if w.war:
            kind = "war"
        elif w.deal_day is not None:
            kind = "deal"
        elif w.backdown_day is not None:
            kind = "backdown"
        elif seized >= 0:
            kind = "limited_war"
        else:
            kind = "standoff"
        items = [n for n, on in zip(w.item_names, w.offered.tolist(), strict=True) if on]
        if w.core_offered > 0:
            items.append("core")
        by_defenders = bool(items)
        conceded = None
        if kind == "deal":
            conceded = ("both" if by_defenders and w.challenger_conceded else "defenders" if by_defenders
                        else "challenger" if w.challenger_conceded else "none")
        out = {
            "outcome": kind,
            "war_day": w.war_day,
            "war_date": self._dates[w.war_day].isoformat() if w.war else None,
            "deal_day": w.deal_day,
            "backdown_day": w.backdown_day,
            "seize_day": seized if seized >= 0 else None,
            "deal_items": ",".join(items) if kind == "deal" else "",
            "who_conceded": conceded,
            "peak_rung": int(self._peak_rung),
            "days": self.day,
            "challenger_resolved": bool(w.resolved[w.challenger]),
            "challenger_expansive": bool(w.expansive[w.challenger]),
        }
        for k, name in enumerate(w.alliance_names):
            out[f"final_cohesion_{name}"] = float(w.cohesion[k])
        return out

    def deliver(self, signal: Signal) -> EventRecord | None:
        """Apply one signal now (used by policies, scripted events, tests and the dashboard)."""
        return self._deliver(signal)

    def situation(self, challenger: int = 0) -> dict[str, float]:
        """What the challenger weighs today under its true type: its utilities by action and the terms behind
        them (``decision.TERM``), from the arrays as they are."""
        ch = self._challengers[challenger]
        u, terms = self._utilities(ch)
        t = self._true_type(ch["index"])
        out = {f"u_{a}": float(u[t, i]) for i, a in enumerate(dec.ACTIONS)}
        climbs = u[t, dec.FIRST_CLIMB:]
        out["u_climb"] = float(climbs[np.isfinite(climbs)].max()) if np.isfinite(climbs).any() else float("-inf")
        out.update({m.name.lower(): float(terms[t, m.value]) for m in TERM})
        return out

    def reading(self, signal: Signal) -> dict[str, dict[str, float]]:
        """How observers would read ``signal`` now, without sending it: for each of its speaking states, the
        likelihood of the move under each of its types (``{"low": P, "high": P}`` for a defender or any
        other sender; the four ``decision.TYPES`` for a challenger), and the likelihood ratio
        (``"ratio"``: high over low resolve)."""
        w = self.world
        senders, k = self._resolve_sender(signal)
        d = Delivery(signal, senders, k, self._addressees(signal.addressees), w.all_states, self.day)
        out = {}
        for s in senders.tolist():
            lik, kind = self._likelihoods(d, s)
            if kind == "challenger":
                row = {t: float(lik[i]) for i, t in enumerate(TYPES)}
                row["ratio"] = float((lik[2] + lik[3]) / max(lik[0] + lik[1], 1e-300))
            else:
                row = {"low": float(lik[0]), "high": float(lik[1]), "ratio": float(lik[1] / max(lik[0], 1e-300))}
            out[w.iso[s]] = row
        return out

    def believed_resolve(self) -> np.ndarray:
        """N x N: the probability each observer acts on that each subject is resolved (credibility rule)."""
        w, p = self.world, self.params
        if p.credibility_rule == "reputation":
            return w.belief_resolve.copy()
        prior = np.broadcast_to(w.resolve_prior, w.belief_resolve.shape)
        if p.credibility_rule == "current_calculus":
            return prior.copy()
        return p.credibility_weight * w.belief_resolve + (1 - p.credibility_weight) * prior

    def type_of(self, actor: str) -> str:
        """An actor's drawn type in words ('resolved, expansive aim')."""
        return describe(self.world, self.world.index[actor])

    # ------------------------------------------------------------------ one day

    def _process_day(self) -> None:
        w = self.world
        after_branch = self.day >= self.branch_day
        recorded = self._record_of_the_day(after_branch) if self.day in self._timeline else {}
        if after_branch and not self._ended():
            for signals in recorded.values():
                for sig in signals:
                    self._deliver(sig)
            self._policies_act(recorded)
            for ch in self._challengers:
                if not self._ended():
                    self._challenger_decides(ch)
        if not w.war:
            self._dynamics()
        self._peak_rung = max(self._peak_rung, int(w.rung.max()))
        self._update_cohesion()

    def _record_of_the_day(self, after_branch: bool) -> dict[str, list[Signal]]:
        """The record's events of the day: delivered now before the branch date; after it, only those of
        actors following the record, returned by actor for ``_process_day`` to deliver."""
        w = self.world
        by_actor: dict[str, list[Signal]] = {}
        for ev in self._timeline[self.day]:
            if after_branch and not self.book.follows_record(ev.sender):
                continue
            if w.rung[w.challenger] < ev.min_challenger_rung:
                continue
            sig = make(ev.kind, ev.sender, tuple(ev.to), note=ev.note, **ev.payload)
            if after_branch:
                by_actor.setdefault(ev.sender, []).append(sig)
            elif not self._ended():
                self._deliver(sig)
        return by_actor

    @cached_property
    def _acting(self) -> list[tuple[str, str, Any, bool]]:
        return self.book.acting()

    def _policies_act(self, recorded: dict[str, list[Signal]]) -> None:
        today = None
        version = -1
        for actor, role, act, strategic in self._acting:
            if self._ended():
                return
            if version != len(self.event_log):   # another actor's signals may have changed what is offered
                today, version = self._today(), len(self.event_log)
            chosen = ()
            if strategic:
                if (self.day - self.branch_day) % max(int(self.params.review_days), 1):
                    continue
                chosen = self._strategic_choice(actor, role)
            obs = Observation.assemble(today, actor, role, self._sent.get(actor, NOTHING_SENT),
                                       tuple(recorded.get(actor, ())), chosen)
            for sig in act(obs):
                self._deliver(sig)

    # ------------------------------------------------------------------ observations

    @cached_property
    def _common_view(self) -> tuple:
        """The run's part of every observation (``Observation``'s fields ``challenger`` ... ``core_negotiable``)."""
        sc, w = self.scenario, self.world
        named = set(np.flatnonzero(w.named).tolist())
        flank = next((g for g, idx in w.groups.items() if named and set(idx.tolist()) == named), None)
        inclusive = next((f.participants for f in sc.forums if f.format == "inclusive"), [a.iso3 for a in sc.actors])
        mini = next((f.participants for f in sc.forums if f.format == "minilateral"), [sc.leader or sc.challenger])
        aversion = float(w.war_aversion[w.leader]) if w.leader >= 0 else 0.5
        return (sc.challenger, sc.leader or "", tuple(sc.targets), tuple(sc.named_in_ultimatum), flank,
                tuple(x for x in mini if x not in sc.challengers), tuple(inclusive), aversion,
                self.params.core_negotiable)

    def _today(self) -> tuple:
        w = self.world
        return (self.day, self._dates[self.day], self.day - self.branch_day, int(w.rung[w.challenger]),
                self._rung_yesterday, self._ultimatum_day, dict(zip(w.alliance_names, w.cohesion.tolist())),
                self._items_pending(), *self._common_view)

    def _items_pending(self) -> tuple[str, ...]:
        w = self.world
        pending = [n for n, neg, on in zip(w.item_names, w.item_negotiable.tolist(), w.offered.tolist(), strict=True)
                   if neg and not on]
        if self.params.core_negotiable and w.core_offered < 1.0:
            pending.append("core")
        return tuple(pending)

    # ------------------------------------------------------------------ delivering signals

    def _deliver(self, sig: Signal) -> EventRecord | None:
        w, p = self.world, self.params
        if sig.kind not in CATALOGUE:
            raise ScenarioError(f"unknown signal kind {sig.kind!r}")
        senders, k = self._resolve_sender(sig)
        if k >= 0 and w.alliance_consensus[k] and w.cohesion[k] < p.consensus_threshold:
            return self._log(sig, f"cannot agree on: {sig.spec.verb}", (
                ("blocked: cohesion {:.2f} below the consensus threshold {:.2f}",
                 (float(w.cohesion[k]), p.consensus_threshold)),))
        addressees = self._addressees(sig.addressees)
        observers = w.all_states if sig.visibility == "public" else w.union(addressees, senders)
        d = Delivery(sig, senders, k, addressees, observers, self.day)
        effects = apply_signal(w, d, self._ctx)
        self._pending_likelihoods.clear()
        self._sent[sig.sender] = MappingProxyType({**self._sent.get(sig.sender, NOTHING_SENT), sig.kind: self.day})
        self._move_on_ladder(d)
        if sig.spec.rule("deal") == "demands" and self._ultimatum_day is None:
            self._ultimatum_day = self.day
        return self._log(sig, sig.spec.verb, tuple(effects))

    def _resolve_sender(self, sig: Signal) -> tuple[np.ndarray, int]:
        """The states speaking for a signal's sender (the members, for an alliance or a group) and the
        alliance's index (-1 otherwise); fixed for a run, so looked up once per sender."""
        if sig.sender not in self._senders:
            w = self.world
            if sig.sender in w.index:
                self._senders[sig.sender] = np.array([w.index[sig.sender]]), -1
            elif sig.sender in w.alliance_names:
                k = w.alliance_names.index(sig.sender)
                self._senders[sig.sender] = np.flatnonzero(w.members[k]), k
            elif sig.sender in w.groups:
                self._senders[sig.sender] = w.groups[sig.sender], -1
            else:
                raise ScenarioError(f"unknown actor {sig.sender!r} in a {sig.kind} signal")
        return self._senders[sig.sender]

    def _addressees(self, names: tuple[str, ...]) -> np.ndarray:
        try:
            return self.world.expand(names) if names else np.array([], dtype=int)
        except KeyError as e:
            raise ScenarioError(str(e).strip("'\"")) from None

    def _move_on_ladder(self, d: Delivery) -> None:
        """The ladder's rules (``agents/ladder.py``) for a delivered signal: its senders' rungs, their dyads
        with the addressees, and a crisis ended by war, a seized gain or a deal."""
        w, kind = self.world, d.kind
        move = kind.ladder if d.signal.direction >= 0 or kind.ladder != UP else "stay"
        rung = self._war_rung() if kind.ends == "war" else kind.rung
        for s in d.sender_list:
            new = sender_rung_after(move, int(w.rung[s]), rung)
            if new != w.rung[s] or move == UP:
                w.rung_since[s] = self.day
            w.rung[s] = new
            if new >= MOBILISED_RUNG and s in w.challengers:
                w.mobilised[s] = True
        if rung > 0 and move != "stay":
            for s in d.sender_list:
                for a in d.addressees.tolist():
                    if a == s:
                        continue
                    value = max(w.dyad_rung[s, a], rung) if move == UP else max(w.dyad_rung[s, a] - 1, 0)
                    if value != w.dyad_rung[s, a]:
                        w.dyad_rung[s, a] = w.dyad_rung[a, s] = value
                        self.dyad_log.append((self.day, w.iso[s], w.iso[a], int(value)))
        if kind.ends == "war":
            w.war, w.war_day = True, self.day
        elif kind.ends == "seize":
            for s in d.sender_list:
                if s in w.challengers and w.seized[s] < 0:
                    w.seized[s] = self.day
        for s in d.sender_list:
            if s in w.challengers and has_backed_down(bool(w.mobilised[s]), int(w.rung[s])) and not w.war:
                w.backdown_day = self.day
        self._peak_rung = max(self._peak_rung, int(w.rung.max()))

    def _war_rung(self) -> int:
        from agents.ladder import war_rung
        return war_rung(self.world.protected)

    def _log(self, sig: Signal, verb: str, effects: tuple) -> EventRecord:
        rec = EventRecord(self.day, self._dates[self.day], sig.sender, sig.kind, tuple(sig.addressees), verb, effects)
        self.event_log.append(rec)
        return rec

    # ------------------------------------------------------------------ the challengers

    def _true_type(self, c: int) -> int:
        w = self.world
        return type_index(w.resolved[c], w.expansive[c])

    def _climb_options(self, ch: dict, rung: int) -> tuple[list[str], np.ndarray]:
        """The signals a challenger could climb with from this rung (the catalogue's firm options for
        challengers at the next rung, and those allowed from this rung on), cached per rung."""
        if rung not in ch["climbs"]:
            w = self.world
            names = []
            for kind in options_of("challenger"):
                spec = CATALOGUE[kind]
                if spec.direction != FIRM or spec.ends in CLIMB_EXCLUDED_ENDS:
                    continue
                if spec.requires_nuclear and not w.nuclear[ch["index"]]:
                    continue
                next_rung = spec.rung == rung + 1 and spec.min_rung <= rung
                from_here = 0 < spec.min_rung <= rung   # a move allowed from this rung on (a surge, a commitment)
                if next_rung or from_here:
                    names.append(kind)
            names = names[:dec.MAX_CLIMBS]
            table = np.zeros((dec.MAX_CLIMBS, len(CLIMB)))
            for s, kind in enumerate(names):
                spec = CATALOGUE[kind]
                table[s] = _climb_row(spec, spec.rung, self.params)
            ch["climbs"][rung] = (names, table)
        return ch["climbs"][rung]

    def _useful_climbs(self, ch: dict) -> tuple[list[str], np.ndarray]:
        """Today's climb options without those that would change nothing (no higher rung, no stronger
        commitment, no build-up)."""
        w = self.world
        c = ch["index"]
        names, table = self._climb_options(ch, int(w.rung[c]))
        keep = [s for s in range(len(names)) if table[s, CLIMB.RUNG] > w.rung[c] or table[s, CLIMB.IMPULSE] > 0
                or table[s, CLIMB.HANDS_TYING] > w.commitment[c]]
        if len(keep) == len(names):
            return names, table
        out = np.zeros_like(table)
        out[:len(keep)] = table[keep]
        return [names[s] for s in keep], out

    def _day_values(self, ch: dict, n_climbs: int) -> np.ndarray:
        """The day's values for one challenger (``decision.DAY``), computed again only after the world changed
        (a delivered signal, or a new day)."""
        key = (self.day, len(self.event_log), self._ticks)
        hit = ch.get("day")
        if hit is None or hit[0] != key:
            hit = ch["day"] = (key, self._compute_day_values(ch))
        hit[1][DAY.N_CLIMBS] = n_climbs
        return hit[1]

    def touch(self) -> None:
        """Say that the world's arrays were changed from outside (tests, what-if edits): what the model keeps
        between signals is computed again."""
        self._ticks += 1

    def _compute_day_values(self, ch: dict) -> np.ndarray:
        w, p = self.world, self.params
        c = ch["index"]
        leader = w.leader
        leader_audience = 0.0
        if leader >= 0 and w.commitment_start[leader] >= 0:
            leader_audience = dec.audience_cost(w.audience_sensitivity[leader], w.commitment[leader],
                                                self.day - w.commitment_start[leader], p.audience_scale,
                                                p.audience_growth_days)
        discount = self._discount.get(c)
        if discount is None:
            discount = self._discount[c] = float(np.exp(-p.lookahead_days / (365.0 * max(w.horizon_years[c], 1e-3))))
        belief_leader = w.belief_resolve[leader, c] if leader >= 0 else w.resolve_prior[c]
        return pack(
            DAY, day=self.day, challenger=c, leader=leader, rung=int(w.rung[c]), seized=w.seized[c] >= 0,
            demand=w.demand[c], mobilised=w.mobilised[c], offer=w.offer_value(),
            negotiable=w.negotiable_value(p.core_negotiable), talks=w.talks, test_open=w.test_open,
            pretext=w.pretext, discount=discount, leader_belief_high=belief_leader, leader_audience=leader_audience,
            n_climbs=0, surge=0.0, expected_pretext=0.0)

    def _utilities(self, ch: dict, extra: str | None = None, lever: np.ndarray | None = None,
                   sender: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """The challenger's utilities (types x alternatives) and terms today; ``extra``: one more move to
        weigh as an alternative (a recorded move, to read it); ``lever``/``sender``: a what-if."""
        w, p = self.world, self.params
        c = ch["index"]
        names, table = self._useful_climbs(ch)
        n = len(names)
        if extra is not None and extra not in names and n < dec.MAX_CLIMBS:
            spec = CATALOGUE[extra]
            table = table.copy()
            table[n] = _climb_row(spec, spec.rung if spec.ladder == UP else int(w.rung[c]), p)
            n += 1
        day = self._day_values(ch, n)
        leader = w.leader
        belief_leader = (dec.effective_belief(w.belief_resolve[c, leader], w.resolve_prior[leader],
                                              dec.RULES[p.credibility_rule], p.credibility_weight)
                         if leader >= 0 else 0.5)
        return dec.challenger_utilities(
            self._run, day, w.vec, ch["harm"], ch["boomerang"], w.belief_resolve[c], w.intention[c], self._defenders,
            w.targets, ch["fighting"], w.cohesion, self._phi_l, self._gamma_l, table,
            self._no_levers if lever is None else lever, sender, belief_leader)

    def _declining(self) -> bool:
        """Is there something on the table a challenger declines by holding (an offer, a wider bargain)? Only
        then is holding read as a move: holding with nothing offered is how every type waits."""
        return self.world.offer_value() > 0 or self.world.test_open

    def _attack_terms(self, ch: dict, lever: np.ndarray | None = None, sender: int = -1) -> np.ndarray:
        """``decision.attack_terms``: each type's best fight, best peace and p_win today (or after a what-if)."""
        w = self.world
        c = ch["index"]
        return dec.attack_terms(self._run, self._day_values(ch, 0), w.vec, ch["harm"], ch["boomerang"],
                                w.belief_resolve[c], w.intention[c], self._defenders, w.targets, ch["fighting"],
                                w.cohesion, self._phi_l, self._gamma_l, self._no_levers if lever is None else lever,
                                sender)

    def _alternative_of(self, ch: dict, kind: str) -> int | None:
        """The alternative a challenger's move is (None: weigh it as an extra option)."""
        spec = CATALOGUE[kind]
        if spec.ends == "war":
            return dec.WAR
        if spec.ends == "seize":
            return dec.LIMITED
        if spec.ends == "deal":
            return dec.ACCEPT
        if "deal" in spec.channels and spec.channels["deal"][0] == "lower_demands":
            return dec.CONCEDE
        if spec.ladder == "down":
            return dec.DESCEND
        names, _ = self._useful_climbs(ch)
        return dec.FIRST_CLIMB + names.index(kind) if kind in names else None

    def _challenger_decides(self, ch: dict) -> None:
        w, p = self.world, self.params
        c = ch["index"]
        u, terms = self._utilities(ch)
        t = self._true_type(c)
        alt = int(dec.choose(u[t], p.decision_temperature, self.rng.random()))
        probs = dec.read_probabilities(u, p.reading_temperature, p.reading_tremble)   # as observers read the move
        names, _ = self._useful_climbs(ch)
        kind = self._kind_of(alt, names)
        chosen = "climb" if alt >= dec.FIRST_CLIMB else dec.ACTIONS[alt]
        self.recorder.decision(self.day, self._dates[self.day], w.iso[c], u[t], terms[t], chosen, kind or "",
                               TYPES[t])
        if kind is None:   # declining what is on the table is a choice too: observers read it
            if not p.complete_information and self._declining():
                update_challenger(w.belief_resolve, w.belief_aim, w.all_states, c, probs[:, alt],
                                  np.full(1, p.hold_evidence))
                self._ticks += 1
            return
        why = self.recorder.why(w.iso[c], self.day, self._dates[self.day], chosen, u[t], alt, terms[t], names)
        self._pending_likelihoods[c] = probs[:, alt].copy()
        sc = self.scenario
        sig = make(kind, ch["name"], self._addressed(kind), named=tuple(sc.named_in_ultimatum))
        rec = self._deliver(sig)
        if rec is not None and self.event_log and self.event_log[-1] is rec:
            self.event_log[-1] = replace(rec, effects=(why, *rec.effects))

    def _kind_of(self, alt: int, climbs: list[str]) -> str | None:
        if alt == dec.HOLD:
            return None
        if alt >= dec.FIRST_CLIMB:
            return climbs[alt - dec.FIRST_CLIMB]
        return {dec.DESCEND: MOVES["descend"], dec.ACCEPT: MOVES["accept"], dec.CONCEDE: MOVES["concede"],
                dec.LIMITED: self.world.limited_kind, dec.WAR: self._war_kind()}[alt]

    def _war_kind(self) -> str:
        """The scenario's kind of war, or, on a target an alliance protects, the catalogue's war on that rung."""
        kind = self.scenario.war_kind
        rung = self._war_rung()
        if CATALOGUE[kind].rung == rung:
            return kind
        return first_kind(lambda s: s.ends == "war" and s.rung == rung)

    def _addressed(self, kind: str) -> tuple[str, ...]:
        """Whom a strategically chosen move goes to (the catalogue's ``addressed_to``)."""
        sc, w = self.scenario, self.world
        to = CATALOGUE[kind].addressed_to
        if to in ("leader", "leader_and_alliances") and sc.leader:
            led = tuple(a for k, a in enumerate(w.alliance_names) if w.alliance_leader[k] == w.leader)
            return (sc.leader, *led) if to == "leader_and_alliances" else (sc.leader,)
        if to == "flank":
            flank = self._common_view[4]
            return (flank,) if flank else tuple(sc.named_in_ultimatum)
        if to == "challenger":
            return (sc.challenger,)
        return tuple(sc.targets)

    # ------------------------------------------------------------------ likelihoods (the beliefs channel)

    def _likelihoods(self, d: Delivery, sender: int) -> tuple[np.ndarray, str]:
        """How likely each type of ``sender`` was to make this move (``effects.Context.likelihoods``): for a
        challenger, from its own decision rule (its four types); for anyone else, whether sending beat doing
        nothing for its low and high type (``decision.defender_signal_gain``): [low, high]."""
        if sender in self._pending_likelihoods:
            return self._pending_likelihoods[sender], "challenger"
        ch = next((c for c in self._challengers if c["index"] == sender), None)
        if ch is not None:
            alt = self._alternative_of(ch, d.signal.kind)
            extra = None
            if alt is None:
                extra = d.signal.kind
                names, _ = self._useful_climbs(ch)
                alt = dec.FIRST_CLIMB + min(len(names), dec.MAX_CLIMBS - 1)
            u, _ = self._utilities(ch, extra=extra)
            probs = dec.read_probabilities(u, self.params.reading_temperature, self.params.reading_tremble)
            return probs[:, alt].copy(), "challenger"
        speaker = self._speaker(d) if (d.alliance >= 0 or d.senders.size > 1) else sender
        if speaker not in d.readings:
            d.readings[speaker] = self._send_likelihoods(d, speaker)
        return d.readings[speaker], "other"

    def _speaker(self, d: Delivery) -> int:
        """Whose decision an alliance's or group's signal is read as: its leader, else its strongest member."""
        w = self.world
        if d.alliance >= 0 and w.alliance_leader[d.alliance] >= 0:
            return int(w.alliance_leader[d.alliance])
        return int(d.senders[np.argmax(w.capability[d.senders])])

    def _send_likelihoods(self, d: Delivery, sender: int) -> np.ndarray:
        """[P(send | low type), P(send | high type)] as an observer reads the move: each type sends when the
        signal is worth more to it than doing nothing (quantal choice at the reading temperature, with the
        tremble), the worth including how the challenger would read it (``_signal_gains``)."""
        return self._likelihoods_from(self._signal_gains(d, sender, reading=True))

    def _likelihoods_from(self, gains: np.ndarray) -> np.ndarray:
        temperature, tremble = self.params.reading_temperature, self.params.reading_tremble
        return np.array([(1 - tremble) * dec.smooth_step(g, temperature) + tremble / 2 for g in gains])

    def _signal_gains(self, d: Delivery, sender: int, reading: bool, belief_after: float = -1.0) -> np.ndarray:
        """The sender's gain from this signal over doing nothing, for its low and high type.

        ``reading``: as an observer computes it (the claims' switches decide what enters it): each type of the
        sender weighs what the signal does directly (its material effect on the challenger's chance of
        attacking, the commitment it makes, what it concedes, what it costs), not how it will be read — a
        level-0 sender, so that the reading never chases itself. Otherwise: as a strategic sender weighs it,
        anticipating that reading: the challenger's belief after it is ``belief_after`` (-1: unchanged)."""
        w, p = self.world, self.params
        ch = self._challengers[0]
        c = ch["index"]
        lev = levers(w, d, p, sender)
        terms = self._attack_terms(ch)
        b_r = w.belief_resolve[sender, c] if sender != c else 0.5
        b_a = w.belief_aim[sender, c] if sender != c else 0.5
        attack_before = dec.attack_probability(terms, p.reading_temperature, b_r, b_a)

        def gains(belief: float) -> np.ndarray:
            lev[LEVER.BELIEF] = belief
            after = self._attack_terms(ch, lev, sender)
            return self._gains(d, sender, lev, terms, attack_before,
                               dec.attack_probability(after, p.reading_temperature, b_r, b_a), reading)

        return gains(-1.0 if reading else belief_after)

    def _belief_after(self, c: int, sender: int, likelihoods: np.ndarray) -> float:
        """The challenger's effective belief that ``sender`` is resolved after a move with these likelihoods
        ([low, high])."""
        p, w = self.params, self.world
        b = w.belief_resolve[c, sender]
        post = b * likelihoods[1] / max(b * likelihoods[1] + (1 - b) * likelihoods[0], 1e-12)
        return dec.effective_belief(post, w.resolve_prior[sender], dec.RULES[p.credibility_rule],
                                    p.credibility_weight)

    def _gains(self, d: Delivery, sender: int, lev: np.ndarray, terms: np.ndarray, attack_before: float,
               attack_after: float, reading: bool) -> np.ndarray:
        """``decision.defender_signal_gain`` for this signal and sender (see ``_signal_gains``)."""
        w, p = self.world, self.params
        ch = self._challengers[0]
        spec = d.kind
        cost = p.signal_cost_scale * d.signal.cost
        hands = d.signal.hands_tying if d.signal.visibility == "public" else 0.0
        concedes = spec.concedes * p.concession_content + (lev[LEVER.OFFER] if "deal" in spec.channels else 0.0)
        if reading and not p.claim5:
            cost, hands = 0.0, 0.0
        if reading and not p.claim1 and d.signal.cost == 0 and d.signal.hands_tying == 0 and d.signal.direction < 0:
            concedes = 0.0
        boom = 0.0
        if p.claim6 and lev[LEVER.ENACTED] > 0:
            boom = ch["boomerang"][sender] * lev[LEVER.ENACTED] * p.sanctions_scale
        a_j = dec.audience_cost(w.audience_sensitivity[sender], max(w.commitment[sender], hands),
                                self.day - w.commitment_start[sender] if w.commitment_start[sender] >= 0 else 0.0,
                                p.audience_scale, p.audience_growth_days)
        value_high = w.value_high[sender]
        cost_follow = (ch["boomerang"][sender] if p.claim6 else 0.0) + p.escalation_risk * w.defender_cost[sender]
        follow = [dec.follow_through(value_high * r, a_j, cost_follow, p.reading_temperature)
                  for r in (p.resolve_low, 1.0)]
        out = np.empty(2)
        dec.defender_signal_gain(attack_before, attack_after, value_high, p.resolve_low, w.defender_cost[sender],
                                 float(terms[0, TERM.P_WIN]), concedes, cost, hands, w.audience_sensitivity[sender],
                                 p.audience_scale, boom, follow[1], follow[0], out)
        return out

    # ------------------------------------------------------------------ strategic defenders and targets

    def _strategic_choice(self, actor: str, role: str) -> tuple[Signal, ...]:
        """What the decision rule picks for a ``strategic`` actor today: each of its options' gain over doing
        nothing under its true type, the challenger's reading of it included; a quantal choice (nothing, or
        one signal)."""
        w, p = self.world, self.params
        candidates = self._candidate_signals(actor, role)
        if not candidates:
            return ()
        probe = make(candidates[0].kind, actor, candidates[0].addressees)
        senders, k = self._resolve_sender(probe)
        dummy = Delivery(probe, senders, k, np.array([], dtype=int), w.all_states, self.day)
        speaker = self._speaker(dummy) if (k >= 0 or senders.size > 1) else int(senders[0])
        resolved = int(bool(w.resolved[speaker]))
        c = self._challengers[0]["index"]
        gains = np.full(len(candidates) + 1, -np.inf)
        gains[0] = 0.0
        for i, sig in enumerate(candidates):
            d = Delivery(sig, senders, k, self._addressees(sig.addressees), w.all_states, self.day)
            after = (self._belief_after(c, speaker, self._send_likelihoods(d, speaker))
                     if "beliefs" in sig.spec.channels and not p.complete_information else -1.0)
            gains[i + 1] = self._signal_gains(d, speaker, reading=False, belief_after=after)[resolved]
        pick = int(dec.choose(gains, p.decision_temperature, self.rng.random()))
        chosen = candidates[pick - 1] if pick > 0 else None
        self.recorder.defender_decision(self.day, self._dates[self.day], actor, "signal" if chosen else "nothing",
                                        chosen.kind if chosen else "", "high" if resolved else "low", 0.0,
                                        float(gains[pick]))
        return (chosen,) if chosen is not None else ()

    def _candidate_signals(self, actor: str, role: str) -> list[Signal]:
        """The signals a strategic actor weighs, with the scenario's venues and items filled in."""
        sc, w = self.scenario, self.world
        me = "target" if role == "target" else "defender"
        ch = sc.challenger
        named = tuple(sc.named_in_ultimatum)
        flank = self._common_view[4]
        out = []
        for kind in options_of(me):
            spec = CATALOGUE[kind]
            if spec.answers_demands and (self._ultimatum_day is None or self._sent.get(actor, {}).get(kind)):
                continue
            if spec.rule("deal") == "talks":   # one option per forum the challenger (or an alliance) sits in
                for f in sc.forums:
                    if ch in f.participants or any(a in f.participants for a in w.alliance_names):
                        out.append(make(kind, actor, (ch,), format=f.format, participants=tuple(f.participants),
                                        about=named + tuple(sc.targets)))
            elif spec.rule("deal") == "offer":   # each pending item; the core as a menu of shares
                for item in self._items_pending():
                    if item != "core":
                        out.append(make(kind, actor, (ch,), item=item))
                        continue
                    left = 1.0 - w.core_offered
                    for share in CORE_SHARES:
                        if share <= left + 1e-9:
                            out.append(make(kind, actor, (ch,), item="core", value=w.core_offered + share))
            elif spec.addressed_to == "flank" and not (flank or named):
                continue
            else:
                out.append(make(kind, actor, self._addressed(kind)))
        return out

    # ------------------------------------------------------------------ dynamics

    def _dynamics(self) -> None:
        w, p = self.world, self.params
        day = self.day
        fade_rungs(w.rung, w.rung_since, self._holds_rung, day, FADE_DAYS)
        dfd = self._defenders
        others = 0.0
        for ch in self._challengers:
            c = ch["index"]
            others = posture_step(w.posture, c, dfd, self._phi, self._gamma,
                                  dec.grievance(float(w.rung[c]), p.mobilisation_rate))
            if w.sanctions_enacted:
                drain = p.sanctions_drain / 365.0 * float((w.enacted * ch["harm"]).sum())
                w.capability[ch["fighting"]] *= 1.0 - drain
        relax_world(w.belief_resolve, w.resolve_prior, w.belief_aim, w.aim_prior, self._keep_belief,
                    not p.complete_information, w.trust, w.trust_baseline, self._keep_trust, w.entrapment,
                    self._keep_entrapment)
        w.pretext *= PRETEXT_KEEP
        self._ticks += 1   # beliefs, trust and the pretext moved without a logged signal
        top = int(w.rung.max())
        proximity = float(w.posture[w.challenger]) * others
        hazard = accident_hazard(float(top), proximity, w.channels, w.prevention, p.base_hazard,
                                 p.hazard_rung_growth, p.channel_reduction, p.prevention_reduction)
        self.recorder.last["hazard"] = hazard
        self._rung_yesterday = int(w.rung[w.challenger])
        if self.rng.random() < hazard and not self._ended():
            sc = self.scenario
            c = w.challenger
            rec = self._deliver(make(MOVES["incident"], sc.challenger, (sc.leader or sc.targets[0],)))
            if w.rung[c] < SEIZE_RUNG - 1 and rec is not None:
                w.rung[c] += 1
                w.rung_since[c] = day
                if w.rung[c] >= MOBILISED_RUNG:
                    w.mobilised[c] = True
                self.event_log[-1] = replace(rec, effects=rec.effects + (
                    ("{} rung {} → {} (escalation by accident)", (sc.challenger, int(w.rung[c]) - 1, int(w.rung[c]))),))

    def _update_cohesion(self) -> None:
        w = self.world
        if w.alliance_names:
            update_cohesion(w.members, w.alliance_leader, w.trust, w.entrapment, w.capability, w.intention,
                            w.challenger, self._burden, self._weights, self._components, w.cohesion)

    # ------------------------------------------------------------------ data

    def _record(self) -> None:
        w = self.world
        if not self.collect:
            return
        ch = w.challenger
        dfd = self._defenders
        last = self.recorder.last
        if self.day < self.branch_day:   # nobody chooses yet: the row shows what the challenger would weigh
            u, terms = self._utilities(self._challengers[0])
            t = self._true_type(ch)
            last.update(p_win=float(terms[t, TERM.P_WIN]), sanctions=float(terms[t, TERM.SANCTIONS]),
                        u_war=float(u[t, dec.WAR]), u_hold=float(u[t, dec.HOLD]))
        leader = w.leader
        believed = self.believed_resolve()[ch]
        weights = w.capability[dfd]
        row = {
            "day": self.day, "date": self.date.isoformat(), "max_rung": int(w.rung.max()),
            "mean_rung": float(w.rung.mean()), "challenger_rung": int(w.rung[ch]), "war": bool(w.war),
            "deal": w.deal_day is not None, "hazard": last["hazard"], "p_win": last["p_win"],
            "expected_sanctions": last["sanctions"],
            "believed_resolve": float((believed[dfd] * weights).sum() / weights.sum()) if dfd.size else float("nan"),
            "belief_expansive": float(w.belief_aim[leader, ch]) if leader >= 0 else float(w.belief_aim[:, ch].mean()),
            "u_war": last["u_war"], "u_hold": last["u_hold"], "choice": last["choice"], "talks_open": w.talks,
            "deal_value": w.offer_value(), "posture_challenger": float(w.posture[ch]),
            "posture_defenders": mean(w.posture[dfd]) if dfd.size else 0.0,
            "trust_named_in_leader": mean(w.trust[w.named, leader]) if (w.named.any() and leader >= 0) else 1.0,
        }
        for k, name in enumerate(w.alliance_names):
            row[f"cohesion_{name}"] = float(w.cohesion[k])
            for c in COMPONENTS:
                row[f"cohesion_{name}_{c}"] = float(w.components[c][k])
        self.recorder.day_row(row)
        last["choice"] = "none"


def _climb_row(spec, rung: int, p) -> list[float]:
    """A climb option's row (``decision.CLIMB``): its costs, today's posture impulse (weight), its rung, whether
    it sets up a pretext, and for a move the challenger can repeat, the daily surge it sustains."""
    weight = spec.rule("posture") and spec.channels["posture"][1] or 0.0
    surge = p.posture_impulse * weight if spec.min_rung > 0 else 0.0
    return [spec.cost, spec.hands_tying, weight, rung, _gives_pretext(spec), surge]


def _gives_pretext(spec) -> float:
    """Formal demands (the deal channel's ``demands`` rule): their expected rejection is a pretext for war."""
    return 1.0 if spec.channels.get("deal", ("", 0))[0] == "demands" else 0.0


def _reoverride(sc: Scenario, overrides: dict[str, Any]) -> Scenario:
    from model.config import scenario_from_dict

    return scenario_from_dict(sc.model_dump(), **overrides)

