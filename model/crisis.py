"""CrisisModel: wires scenario, arrays, agents, network, policies, mechanisms and data collection.

One step is one day:
1. the record's events of the day (all of them before the branch date; from it, only those of
   defenders who follow ``as_happened``), then the defender policies' signals;
2. the challenger's choice by expected utility (from the branch date);
3. dynamics: Richardson postures, audience costs, forgetting, trust recovery, accidents, cohesion;
4. data collection.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cached_property, partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

import mesa
import numpy as np
from mesa.model import _mesa_logger

from agents.alliance import AllianceAgent
from agents.ladder import WAR_RUNG
from agents.observation import NOTHING_SENT, Observation
from agents.policies import POLICIES, get_policy
from agents.signals import CATALOGUE, Signal, make
from agents.state import StateAgent
from model import decision as dec
from model.beliefs import RULES, memory_keep
from model.cohesion import COMPONENTS, burden, sanction_willingness, trust_in_centre, trust_level
from model.config import Scenario, ScenarioError, load_scenario, scenario_default_policy
from model.effects import Delivery, apply_signal, believed_resolve, deal_value
from model.eventlog import EventRecord
from model.kernels import (
    ABANDONMENT,
    ALIGNMENT,
    ALLIANCE_ROWS,
    BURDEN,
    COHESION,
    DEFENDER_WEIGHT,
    DOWN,
    ENTRAPMENT,
    STAY,
    TRUST_BASELINE,
    UP,
    challenger_choice,
    challenger_situation,
    day_coefficients,
    full_cohesion,
    move_rungs,
    quiet_dynamics,
    situation_coefficients,
    situation_terms,
)
from model.numerics import dot, mean
from model.posture import step_operator
from model.world import build_network, build_world

CLIMB_SIGNAL = {1: "domestic_crackdown", 2: "military_exercise", 3: "troop_buildup", 4: "ultimatum",
                5: "cyber_hybrid", 6: "recognition"}




def _report(name: str, model: CrisisModel) -> Any:
    return model._row[name]


class CrisisModel(mesa.Model):
    """An international crisis: states and alliances exchanging signals over an alliance network.

    Args:
        scenario: a name from ``configs/``, a path to a scenario file, or a validated ``Scenario``.
        seed: RNG seed; the same scenario, policy, overrides and seed give identical results.
        policy: a policy name applied to the scenario's defender actors, or a mapping
            ``{actor_or_alliance_or_group: policy}``; None uses the scenario's own (``as_happened``).
        collect: keep a row per day in ``datacollector`` (default). Sweeps that need only the run's
            outcome pass False: the same run, without the per-day bookkeeping.
        **overrides: scenario parameters, e.g. ``credibility_rule="current_calculus"``,
            ``branch_date="2022-01-14"``.
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
        self.branch_day = sc.day_of(sc.branch_date)
        self._dates = sc.dates
        self.policy = policy if policy is not None else (preset_policy or "as_happened")
        self._assignment = self._assign_policies(self.policy)
        self.states: dict[str, StateAgent] = {
            a.iso3: StateAgent(self, i, a.iso3, a.name, a.side) for i, a in enumerate(sc.actors)}
        self.alliances: dict[str, AllianceAgent] = {
            al.name: AllianceAgent(self, k, al.name, al.members, al.leader, al.rule, al.partners)
            for k, al in enumerate(sc.alliances)}
        self._timeline: dict[int, list] = {}
        for ev in sc.timeline:
            self._timeline.setdefault(sc.day_of(ev.date), []).append(ev)
        self._phi, self._gamma = step_operator(p.reaction_challenger, p.reaction_defender,
                                               p.fatigue_challenger, p.fatigue_defender)
        self._keep_belief = memory_keep(p.belief_memory_days)
        self._keep_trust = 1.0 - p.trust_recovery
        self._keep_entrapment = 1.0 - p.entrapment_decay
        self._weights = {"alignment": p.weight_alignment, "abandonment": p.weight_abandonment,
                         "entrapment": p.weight_entrapment, "burden": p.weight_burden}
        self._weight_vector = np.array([self._weights[c] for c in COMPONENTS])
        # What only signals change is computed again only after a signal: ``_version`` counts deliveries
        # (and ``touch()`` calls); each cache remembers the version it was computed at.
        self._version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        self._governing: dict[str, str] = {}
        self._defenders = np.flatnonzero(w.side == 2)
        self._challenger_side = np.flatnonzero(w.side == 0)
        self._allies = self._challenger_side[self._challenger_side != w.challenger]
        self._willingness = sanction_willingness(w.exposure, p.boomerang_sensitivity)
        # one row per quantity, one column per alliance (``kernels.ALIGNMENT`` ...): the components and
        # cohesion (``world.components`` and ``world.cohesion`` are its rows), and the members' mean trust
        # gap to its baseline and mean fear, carried on over quiet days
        self._alliances = a = np.zeros((ALLIANCE_ROWS, len(w.alliance_names)))
        if w.alliance_names:
            a[TRUST_BASELINE] = trust_level(w.members, self._trust_in_centre(w.trust_baseline))
            a[BURDEN] = burden(self._willingness, w.members)
            w.components = {c: a[row] for c, row in zip(COMPONENTS, (ALIGNMENT, ABANDONMENT, ENTRAPMENT, BURDEN),
                                                          strict=True)}
        w.cohesion = a[COHESION]
        self._venues = self._static_venues()
        self._sent: dict[str, Mapping[str, int]] = {}   # read-only: observations share them
        self._sender_index: dict[str, tuple[np.ndarray, int]] = {}
        self._addressee_index: dict[tuple[str, ...], np.ndarray] = {}
        self._ultimatum_day: int | None = None
        self._rung_yesterday = 0
        self.event_log: list[EventRecord] = []
        self.dyad_log: list[tuple[int, str, str, int]] = []
        self.day = 0
        self._last = {"p_win": 0.0, "sanctions": 0.0, "u_attack": 0.0, "u_hold": 0.0, "hazard": 0.0,
                      "choice": "none"}
        self._row: dict[str, Any] = {}
        self.collect = collect
        self._peak_rung = 0
        self._update_cohesion()
        self._columns = self._column_names()
        self._process_day()
        self._record()

    # ------------------------------------------------------------------ public API

    @cached_property
    def datacollector(self) -> mesa.DataCollector:
        """Mesa's data collector: a row per day when the model collects (built on first read otherwise:
        empty, as nothing is collected)."""
        return mesa.DataCollector(model_reporters={c: partial(_report, c) for c in self._columns})

    @cached_property
    def network(self):
        """The typed alliance network (networkx ``MultiDiGraph``), built when first read."""
        return build_network(self.scenario, self.world)

    def touch(self) -> None:
        """Say that the world's arrays were changed from outside (tests, what-if edits): what the model
        caches between signals is computed again (and a daily quantity whose array was replaced is copied
        back where the compiled day reads it, ``World.resync``)."""
        self.world.resync()
        self._version += 1

    @property
    def date(self) -> date:
        return self._dates[self.day]

    @cached_property
    def last_day(self) -> int:
        return self.scenario.days - 1

    def _wrapped_step(self, *args: Any, **kwargs: Any) -> None:
        """Mesa's step wrapper (counts ``steps``, then calls ``step``), formatting its per-step log line
        only when Mesa's logger would show it (Mesa formats it every step)."""
        self.steps += 1
        if _mesa_logger.isEnabledFor(logging.INFO):
            _mesa_logger.info(f"calling model.step for timestep {self.steps} ")
        self._user_step(*args, **kwargs)

    def step(self) -> None:
        """Advance one day."""
        if self.day >= self.last_day:
            self.running = False
            return
        self.day += 1
        self._process_day()
        self._record()
        if self.day >= self.last_day or self.world.war or self.world.deal_day is not None:
            self.running = False

    def run(self, days: int | None = None) -> CrisisModel:
        """Run ``days`` days (default: to the scenario's end) or until ``running`` is False."""
        stop = self.last_day if days is None else min(self.last_day, self.day + days)
        while self.running and self.day < stop:
            self.step()
        return self

    def outcome(self) -> dict[str, Any]:
        """Outcome of the run so far: war / deal / standoff, war day, peak rung, final cohesion."""
        w = self.world
        out = {
            "outcome": "war" if w.war else ("deal" if w.deal_day is not None else "standoff"),
            "war_day": w.war_day,
            "war_date": self._dates[w.war_day].isoformat() if w.war else None,
            "deal_day": w.deal_day,
            "peak_rung": int(self._peak_rung),
            "days": self.day,
        }
        for k, name in enumerate(w.alliance_names):
            out[f"final_cohesion_{name}"] = float(w.cohesion[k])
        return out

    def believed_resolve(self) -> np.ndarray:
        """N x N: the resolve each state believes each other state has (under the credibility rule)."""
        return believed_resolve(self.world, self.params)

    def deliver(self, signal: Signal) -> EventRecord | None:
        """Apply one signal now (used by policies, scripted events, tests and the dashboard)."""
        return self._deliver(signal)

    # ------------------------------------------------------------------ policies

    def _assign_policies(self, policy: str | dict[str, str]) -> dict[str, str]:
        sc = self.scenario
        known = {a.iso3 for a in sc.actors} | {al.name for al in sc.alliances} | set(sc.groups)
        if isinstance(policy, str):
            mapping = {a: policy for a in sc.policy_actors}
            default = policy
        else:
            mapping = dict(policy)
            default = mapping.pop("*", "as_happened")
        for actor, name in list(mapping.items()) + [("*", default)]:
            if actor != "*" and actor not in known:
                raise ScenarioError(f"policy assigned to unknown actor {actor!r}")
            if name not in POLICIES:
                raise ScenarioError(f"unknown policy {name!r}; known: {', '.join(POLICIES)}")
        self._default_policy = default
        return mapping

    def _governing_policy(self, sender: str) -> str:
        """The policy that governs a sender: its own, else its alliance's or group's, else the default."""
        if sender not in self._governing:
            self._governing[sender] = self._find_policy(sender)
        return self._governing[sender]

    def _find_policy(self, sender: str) -> str:
        if sender in self._assignment:
            return self._assignment[sender]
        w = self.world
        if sender in w.index:
            i = w.index[sender]
            for name, idx in w.groups.items():
                if name in self._assignment and i in idx:
                    return self._assignment[name]
            for k, name in enumerate(w.alliance_names):
                if name in self._assignment and w.members[k, i]:
                    return self._assignment[name]
        return self._default_policy

    def _role(self, actor: str) -> str:
        w = self.world
        if actor == self.scenario.leader:
            return "leader"
        if actor in w.alliance_names:
            return "alliance" if w.alliance_leader[w.alliance_names.index(actor)] >= 0 else "union"
        return "state"

    def _static_venues(self) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
        """The flank group, OSCE participants and Big-5 members: fixed for a run, computed once."""
        sc, w = self.scenario, self.world
        named = set(np.flatnonzero(w.named).tolist())
        flank = next((g for g, idx in w.groups.items() if set(idx.tolist()) == named), None)
        osce = next((f.participants for f in sc.forums if f.format == "osce"), [a.iso3 for a in sc.actors])
        big5 = next((f.participants for f in sc.forums if f.format == "big5"), [sc.leader])
        return flank, tuple(osce), tuple(x for x in big5 if x != sc.challenger)

    @cached_property
    def _common_view(self) -> tuple:
        """The run's part of every observation (``Observation``'s fields ``challenger`` ... ``core_negotiable``)."""
        sc, w = self.scenario, self.world
        flank, osce, big5 = self._venues
        return (sc.challenger, sc.leader, tuple(sc.targets), tuple(sc.named_in_ultimatum), flank, big5, osce,
                float(w.war_aversion[w.leader]), self.params.core_negotiable)

    def _today(self) -> tuple:
        """The day's and the run's part of every observation (``Observation``'s fields ``day`` ...
        ``core_negotiable``); ``_process_day`` adds each policy actor's own."""
        w = self.world
        return (self.day, self._dates[self.day], self.day - self.branch_day, int(w.rung[w.challenger]),
                self._rung_yesterday, self._ultimatum_day, dict(zip(w.alliance_names, w.cohesion.tolist())),
                self._cached("offered", self._offered), *self._common_view)

    def _offered(self) -> frozenset[str]:
        """The items the defenders have put on the table (with "core" once the core demands are)."""
        w = self.world
        return frozenset(w.items_offered | ({"core"} if w.core_offered > 0 else set()))

    # ------------------------------------------------------------------ one day

    def _process_day(self) -> None:
        w = self.world
        after_branch = self.day >= self.branch_day
        recorded = self._record_of_the_day(after_branch) if self.day in self._timeline else ()
        if after_branch and not (w.war or w.deal_day is not None):
            for sig in recorded:
                self._deliver(sig)
            today, seen = None, -1
            for actor, role, act in self._acting_policies:
                if seen != self._version:  # another actor's signals may have changed what is offered
                    today, seen = self._today(), self._version
                for sig in act(Observation.assemble(today, actor, role, self._sent.get(actor, NOTHING_SENT))):
                    self._deliver(sig)
            if self.params.complete_information and self.params.core_negotiable:
                self._complete_information_bargain()
            self._challenger_decides()
        self._dynamics()

    def _record_of_the_day(self, after_branch: bool) -> list[Signal]:
        """The record's events of the day: delivered now before the branch date; after it, only those of
        actors following the record, returned (grouped by actor) for ``_process_day`` to deliver."""
        w = self.world
        scripted_by_actor: dict[str, list[Signal]] = {}
        for ev in self._timeline[self.day]:
            if after_branch and not self._follows_record(ev.sender):
                continue
            if w.rung[w.challenger] < ev.min_challenger_rung:
                continue
            sig = make(ev.kind, ev.sender, tuple(ev.to), note=ev.note, **ev.payload)
            if after_branch:
                scripted_by_actor.setdefault(ev.sender, []).append(sig)
            else:
                self._deliver(sig)
        return [sig for signals in scripted_by_actor.values() for sig in signals]

    def _follows_record(self, sender: str) -> bool:
        """After the branch date, the record's events still happen for a defender that follows
        ``as_happened``; never for the challenger's side, whose moves its decision rule makes."""
        w = self.world
        challenger_side = sender in w.index and w.side[w.index[sender]] == 0
        return not challenger_side and self._governing_policy(sender) == "as_happened"

    def _policy_actors(self) -> list[str]:
        extra = [a for a in self._assignment if a not in self.scenario.policy_actors]
        return list(self.scenario.policy_actors) + extra

    @cached_property
    def _acting_policies(self) -> list[tuple[str, str, Any]]:
        """(actor, its role, its policy's ``act``) for every policy actor not following the record, in order."""
        out = []
        for actor in self._policy_actors():
            name = self._governing_policy(actor)
            if name != "as_happened":
                out.append((actor, self._role(actor), get_policy(name)))
        return out

    def _deliver(self, sig: Signal) -> EventRecord | None:
        w, p = self.world, self.params
        if sig.kind not in CATALOGUE:
            raise ScenarioError(f"unknown signal kind {sig.kind!r}")
        senders, k = self._senders(sig)
        if k >= 0:
            ally = self.alliances[sig.sender]
            if not ally.can_act(p.consensus_threshold):
                return self._log(sig, f"cannot agree on: {sig.spec.verb}", (
                    ("blocked: cohesion {:.2f} below the consensus threshold {:.2f}",
                     (ally.cohesion, p.consensus_threshold)),))
        addressees = self._addressees(sig.addressees)
        observers = w.all_states if sig.visibility == "public" else w.union(addressees, senders)
        strength = float(w.cohesion[k]) if k >= 0 else 1.0
        delivery = Delivery(sig, senders, k, addressees, observers, strength)
        self._version += 1
        effects = apply_signal(w, delivery, p, self.rng)
        self._sent[sig.sender] = MappingProxyType({**self._sent.get(sig.sender, NOTHING_SENT), sig.kind: self.day})
        self._move_rungs(sig, senders, addressees)
        if sig.kind == "ultimatum" and self._ultimatum_day is None:
            self._ultimatum_day = self.day
        return self._log(sig, sig.spec.verb, tuple(effects))

    def _senders(self, sig: Signal) -> tuple[np.ndarray, int]:
        """The states speaking for a signal's sender (the members, for an alliance) and the alliance's
        index (-1 for a state); fixed for a run, so looked up once per sender."""
        if sig.sender not in self._sender_index:
            w = self.world
            if sig.sender in w.index:
                self._sender_index[sig.sender] = np.array([w.index[sig.sender]]), -1
            elif sig.sender in w.alliance_names:
                k = w.alliance_names.index(sig.sender)
                self._sender_index[sig.sender] = np.flatnonzero(w.members[k]), k
            else:
                raise ScenarioError(f"unknown actor {sig.sender!r} in a {sig.kind} signal")
        return self._sender_index[sig.sender]

    def _addressees(self, names: tuple[str, ...]) -> np.ndarray:
        """``world.expand(names)``, looked up once per tuple of names (membership is fixed for a run)."""
        if names not in self._addressee_index:
            self._addressee_index[names] = self.world.expand(names) if names else np.array([], dtype=int)
        return self._addressee_index[names]

    def _move_rungs(self, sig: Signal, senders: np.ndarray, addressees: np.ndarray) -> None:
        """The senders' own rungs (down one for a de-escalation, up to the signal's rung for a firm or
        neutral move) and the rungs of their dyads with the addressees (``kernels.move_rungs``)."""
        w = self.world
        if sig.kind == "de_escalation":
            mode = DOWN
        elif sig.direction >= 0 and sig.kind not in ("talks_round", "deal_accepted"):
            mode = UP
        else:
            mode = STAY
        rows, cols, values = move_rungs(w.rung, w.dyad_rung, w.rung_since, senders, addressees,
                                        int(sig.spec.rung), mode, self.day)
        if rows.size:
            for a, b, v in zip(rows.tolist(), cols.tolist(), values.tolist(), strict=True):
                self.dyad_log.append((self.day, w.iso[senders[a]], w.iso[addressees[b]], v))
        if sig.kind == "full_invasion":
            w.war, w.war_day = True, self.day
        if sig.kind == "deal_accepted":
            w.deal_day = self.day

    def _log(self, sig: Signal, verb: str, effects: tuple) -> EventRecord:
        rec = EventRecord(self.day, self._dates[self.day], sig.sender, sig.kind, tuple(sig.addressees), verb, effects)
        self.event_log.append(rec)
        return rec

    # ------------------------------------------------------------------ the challenger

    def situation(self) -> dec.Situation:
        """What the challenger weighs today (see ``model/decision.py``), from the arrays as they are."""
        return self._situation(self._situation_terms())

    def _situation(self, t: dict[str, Any]) -> dec.Situation:
        return dec.Situation(*self._situation_fields(t))

    def _situation_fields(self, t: dict[str, Any]) -> tuple:
        """``Situation``'s fields, computed in compiled code (``model/kernels.py``)."""
        w = self.world
        return challenger_situation(w.mobilised_days, *self._situation_arguments(t))

    def _decision_arguments(self) -> tuple:
        return self._situation_arguments(self._cached("situation", self._situation_terms))

    def _situation_arguments(self, t: dict[str, Any]) -> tuple:
        """``kernels.challenger_situation``'s arguments after the first three: the world's arrays (changed in
        place, never replaced), the run's parameters and the terms only signals change."""
        w, p = self.world, self.params
        return (w.challenger, RULES[p.credibility_rule], t["coefficients"], w.vectors, w.matrices, w.counts,
                self._alliances, self._defenders, t["defender_terms"], t["package_alliance"])

    def _situation_terms(self) -> dict[str, Any]:
        """The parts of the challenger's situation that only signals change (capabilities, intentions,
        sanctions packages, what is offered), as ``kernels.challenger_situation`` takes them: the defenders'
        terms (``kernels.situation_terms``), the alliance each package was threatened through, and the
        scalars packed (``kernels.situation_coefficients``)."""
        w, p = self.world, self.params
        defender_terms, package_alliance, allies_power, targets_power, preventive, value, war_cost = situation_terms(
            w.challenger, self._defenders, self._allies, w.targets, w.capability, w.posture, w.intention, w.exposure,
            w.package_alliance, w.gdp, w.package, w.horizon, w.war_aversion, p.defence_multiplier, p.sanctions_scale,
            p.preventive_weight, p.core_value, p.strategic_horizon_weight, p.war_cost)
        return {
            "defender_terms": defender_terms, "package_alliance": package_alliance,
            "coefficients": situation_coefficients(
                credibility_weight=p.credibility_weight, theatre_share=p.theatre_share,
                growth_days=p.audience_growth_days, interest_weight=p.calculus_interest_weight,
                intervention_share=p.intervention_share, decisiveness=p.contest_decisiveness,
                boomerang=p.boomerang_sensitivity, window_rate=p.window_rate, window_weight=p.window_weight,
                upkeep_rate=p.upkeep_rate, backdown_cost=p.backdown_cost, efficacy=p.coercion_efficacy,
                inertia=p.hold_inertia, temperature=p.decision_temperature, allies_power=allies_power,
                targets_power=targets_power, preventive=preventive, value=value, war_cost=war_cost,
                deal=deal_value(w, p), talks_open=w.talks_open),
        }

    def _cached(self, name: str, compute):
        """``compute()``, computed again only when a signal has been delivered since the last time."""
        hit = self._cache.get(name)
        if hit is None or hit[0] != self._version:
            hit = self._cache[name] = (self._version, compute())
        return hit[1]

    def _complete_information_bargain(self) -> None:
        """Fearon (1995): with complete information and a divisible stake, the leader offers the smallest
        deal the challenger prefers to war, if it lies within the bargaining range."""
        w, p = self.world, self.params
        s = self.situation()
        u = dec.utilities(s, p.hold_inertia)
        offer = dec.fearon_offer(u, s.value, s.backdown)
        _, high = dec.bargaining_range(s.p_win * s.value, s.war_cost, p.defender_war_cost)
        if offer <= high and offer > w.core_offered + 1e-9:
            self._deliver(make("concession", self.scenario.leader, (self.scenario.challenger,), item="core",
                               value=offer))

    def _challenger_decides(self) -> None:
        w = self.world
        if w.war or w.deal_day is not None:
            return
        p_win, sanctions, u_attack, u_hold, choice = challenger_choice(
            self.rng.random(), w.mobilised_days, *self._cached("decision", self._decision_arguments))
        last = self._last
        last["p_win"], last["sanctions"], last["choice"] = p_win, sanctions, dec.ACTIONS[choice]
        last["u_attack"], last["u_hold"] = u_attack, u_hold
        if choice == dec.HOLD:
            return
        sc = self.scenario
        ch, rung = sc.challenger, int(w.rung[w.challenger])
        if choice == dec.CLIMB:
            kind = CLIMB_SIGNAL[rung + 1]
            to = ((sc.leader,) + tuple(a for a in w.alliance_names if w.alliance_leader[w.alliance_names.index(a)]
                                       == w.leader)) if kind == "ultimatum" else tuple(sc.targets)
            self._deliver(make(kind, ch, to, named=tuple(sc.named_in_ultimatum)))
            w.rung[w.challenger] = max(w.rung[w.challenger], rung + 1)
        elif choice == dec.DESCEND:
            self._deliver(make("de_escalation", ch, tuple(sc.targets)))
        elif choice == dec.ACCEPT:
            self._deliver(make("deal_accepted", ch, (sc.leader,)))
        elif choice == dec.ATTACK:
            self._deliver(make("full_invasion", ch, tuple(sc.targets)))
            w.rung[w.challenger] = max(int(w.rung[w.challenger]), int(WAR_RUNG))

    # ------------------------------------------------------------------ dynamics

    def _dynamics(self) -> None:
        w, p = self.world, self.params
        ch = w.challenger
        cohesion = self._cache.get("cohesion")   # computed after the last signal? then carried on in the kernel
        carry = cohesion is not None and cohesion[0] == self._version
        hazard, top_rung, challenger_rung = quiet_dynamics(self.day, w.war, carry,
                                                           *self._cached("dynamics", self._dynamics_arguments))
        self._rung_yesterday = challenger_rung
        self._peak_rung = max(self._peak_rung, top_rung)
        w.integration += p.window_rate
        if challenger_rung >= 3:
            w.mobilised_days += 1
        self._last["hazard"] = hazard
        incident = not w.war and self.rng.random() < hazard
        if incident:
            sc = self.scenario
            rec = self._deliver(make("incident", sc.challenger, (sc.leader,)))
            if w.rung[ch] < dec.MAX_COERCIVE_RUNG:
                w.rung[ch] += 1
                # the log says what the incident changed: the challenger's rung, one up
                self.event_log[-1] = replace(rec, effects=rec.effects + (
                    ("{} rung {} → {}", (sc.challenger, int(w.rung[ch]) - 1, int(w.rung[ch]))),))
            self._peak_rung = max(self._peak_rung, int(w.rung[ch]))  # the incident moved the challenger's rung
        if incident or not carry:  # a signal since cohesion was computed: from every member
            self._update_cohesion()

    def _dynamics_arguments(self) -> tuple:
        """``kernels.quiet_dynamics``' arguments after the first two (the world's arrays are changed in place,
        never replaced)."""
        w, p = self.world, self.params
        coefficients = day_coefficients(
            keep_belief=self._keep_belief, relax_beliefs=not p.complete_information, keep_trust=self._keep_trust,
            keep_entrapment=self._keep_entrapment, channels=w.channels, prevention=w.prevention,
            base_hazard=p.base_hazard, rung_growth=p.hazard_rung_growth, channel_reduction=p.channel_reduction,
            prevention_reduction=p.prevention_reduction, grievance_per_rung=p.grievance_per_rung)
        return (w.challenger, coefficients, w.vectors, w.matrices, w.counts, self._defenders, self._phi, self._gamma,
                self._alliances, self._weight_vector)

    def _trust_in_centre(self, trust: np.ndarray) -> np.ndarray:
        """K x N: each state's trust in each alliance's leader (or, without one, in the other members)."""
        w = self.world
        return trust_in_centre(w.members, w.alliance_leader, trust)

    def _update_cohesion(self) -> None:
        """Cohesion of every alliance recomputed from its members (``model/cohesion.py``), in place in
        ``world.components`` and ``world.cohesion``. On a day without signals the model does not call this:
        only trust's drift back to its baseline and entrapment's decay have moved, and both act on the
        members' mean trust and mean fear geometrically, so the dynamics carry those two means one day on
        (``kernels.carry_cohesion``) instead of recomputing them from every member."""
        w = self.world
        if not w.alliance_names:
            return
        full_cohesion(w.members, w.alliance_leader, w.trust, w.entrapment, w.capability, w.intention, w.challenger,
                      self._weight_vector, self._alliances)
        self._cache["cohesion"] = (self._version, None)

    # ------------------------------------------------------------------ data

    def _column_names(self) -> list[str]:
        cols = ["day", "date", "max_rung", "mean_rung", "challenger_rung", "war", "deal", "hazard", "p_win",
                "expected_sanctions", "believed_resolve", "u_attack", "u_hold", "choice", "talks_open",
                "deal_value", "posture_challenger", "posture_defenders", "trust_named_in_leader"]
        for name in self.world.alliance_names:
            cols.append(f"cohesion_{name}")
            cols.extend(f"cohesion_{name}_{c}" for c in COMPONENTS)
        return cols

    def _record(self) -> None:
        """The day's row for the data collector (nothing when not collecting; the peak rung is kept by
        ``_dynamics``)."""
        w = self.world
        if not self.collect:
            return
        ch = w.challenger
        dfd = self._defenders
        belief = believed_resolve(w, self.params, ch)
        row = {
            "day": self.day, "date": self.date.isoformat(), "max_rung": int(w.rung.max()),
            "mean_rung": float(w.rung.mean()), "challenger_rung": int(w.rung[ch]), "war": bool(w.war),
            "deal": w.deal_day is not None, "hazard": self._last["hazard"], "p_win": self._last["p_win"],
            "expected_sanctions": self._last["sanctions"],
            "believed_resolve": dot(belief[dfd],
                                    self._cached("situation", self._situation_terms)["defender_terms"][DEFENDER_WEIGHT]),
            "u_attack": self._last["u_attack"], "u_hold": self._last["u_hold"], "choice": self._last["choice"],
            "talks_open": w.talks_open, "deal_value": deal_value(w, self.params),
            "posture_challenger": float(w.posture[ch]), "posture_defenders": mean(w.posture[dfd]),
            "trust_named_in_leader": mean(w.trust[w.named, w.leader]) if w.named.any() else 1.0,
        }
        for k, name in enumerate(w.alliance_names):
            row[f"cohesion_{name}"] = float(w.cohesion[k])
            for c in COMPONENTS:
                row[f"cohesion_{name}_{c}"] = float(w.components[c][k])
        self._row = row
        # what ``datacollector.collect(self)`` would store, without its reporter call and ``deepcopy`` per
        # column per day (~1 us each; every value here is an immutable scalar)
        columns = self.datacollector.model_vars
        for name, value in row.items():
            columns[name].append(value)


def _reoverride(sc: Scenario, overrides: dict[str, Any]) -> Scenario:
    from model.config import scenario_from_dict

    return scenario_from_dict(sc.model_dump(), **overrides)
