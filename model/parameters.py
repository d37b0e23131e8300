"""Every model parameter in one validated object: default, unit, a source or the word "assumption", and
for behavioural parameters the prior range calibration draws from.

A scenario file overrides any of these in its ``[parameters]`` table; ``CrisisModel(**overrides)`` and
``crisislab run --set key=value`` override them again. Nothing numeric is inlined elsewhere. Payoffs are
in *stake units*: 1 is the whole issue at stake to an actor that cares fully about it (stake 1, resolved
type, long horizon).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


def P(default: Any, unit: str, source: str, prior: tuple[float, float] | None = None, **bounds: Any) -> Any:
    """A parameter field: default, unit, source ("assumption" when it is one), the prior range calibration
    draws it from (behavioural parameters), and its validation bounds."""
    extra = {"unit": unit, "source": source}
    if prior is not None:
        extra["prior"] = [float(prior[0]), float(prior[1])]
    return Field(default, json_schema_extra=extra, **bounds)


CLAIMS = {
    "claim1": "cheap conciliatory signals lower believed resolve (reputation rule): their concession content enters "
              "the observers' Bayesian computation",
    "claim2": "talks over the heads of affected allies lower their trust in the leader",
    "claim3": "an ultimatum naming some members splits the alliance (threat, entrapment, ambiguity, rejection)",
    "claim4": "lower cohesion makes collective threats less credible",
    "claim5": "costly signals (sunk costs, tied hands) enter the sender's decision rule, so they separate types",
    "claim6": "sanctions hurt the sender (boomerang), so their credibility depends on who bears the cost",
    "claim7": "threat = capability x intention; defensive moves read as threats (security dilemma, preventive motive)",
    "claim8": "negotiable items lower the accident hazard and put a deal on the table",
    "claim9": "goals differ: each actor's own horizon and war aversion (off: every actor gets the scenario's means)",
    "claim10": "commitment problem: the target's projected shift makes acting now more valuable",
}
"""The essays' claims (DESIGN.md), each a switch ``claimN`` (default on) whose mechanism it names."""


class Parameters(BaseModel):
    """The mechanisms' parameters (see the module of each mechanism for the formula)."""

    model_config = ConfigDict(extra="forbid", frozen=True)   # shared by cached scenarios

    # --- time ---
    branch_date: date | None = P(None, "date", "DESIGN.md: replay branch date (None = scenario default)")
    horizon_days: int | None = P(None, "days", "DESIGN.md 'Outcomes and horizon': days a run lasts from the start "
                                 "(None = the scenario's own span); a run may go on past the record", ge=1, le=20000)

    # --- claims (DESIGN.md "Mechanism checks") ---
    claim1: bool = P(True, "switch", CLAIMS["claim1"])
    claim2: bool = P(True, "switch", CLAIMS["claim2"])
    claim3: bool = P(True, "switch", CLAIMS["claim3"])
    claim4: bool = P(True, "switch", CLAIMS["claim4"])
    claim5: bool = P(True, "switch", CLAIMS["claim5"])
    claim6: bool = P(True, "switch", CLAIMS["claim6"])
    claim7: bool = P(True, "switch", CLAIMS["claim7"])
    claim8: bool = P(True, "switch", CLAIMS["claim8"])
    claim9: bool = P(True, "switch", CLAIMS["claim9"])
    claim10: bool = P(True, "switch", CLAIMS["claim10"])

    # --- types and beliefs (model/beliefs.py, model/actortypes.py) ---
    credibility_rule: Literal["reputation", "current_calculus", "mix"] = P(
        "reputation", "-", "Press 2005 (current calculus) vs Mercer 1996 / Kross (reputation); switch")
    credibility_weight: float = P(0.5, "share", "assumption: weight on reputation under 'mix'", ge=0, le=1)
    resolve_low: float = P(0.7, "share of the stake", "assumption: how much a low-resolve type values the stake "
                           "(a resolved type values it fully)", prior=(0.2, 0.8), ge=0, le=1)
    pretext_share: float = P(0.3, "share", "Kross (seed 000): for an expansive challenger the demands are a pretext; "
                             "what a deal on them is worth to it", prior=(0.0, 0.7), ge=0, le=1)
    complete_information: bool = P(False, "flag", "Fearon 1995 benchmark: every actor knows every type")
    belief_memory_days: float = P(365.0, "days", "assumption: half-life of evidence about a type (reputations "
                                  "fade; Weisiger & Yarhi-Milo 2015)", prior=(60, 2000), gt=0, le=100000)
    perception_noise: float = P(0.0, "sd of the log likelihood ratio (multiplicative)",
                                "Jervis 1976 misperception; 0 = signals read as sent", ge=0, le=5)

    # --- decisions (model/decision.py) ---
    decision_temperature: float = P(0.002, "stake units", "McKelvey & Palfrey 1995 quantal response: an actor's own "
                                    "choice noise (small: spread comes from types); 0 = argmax",
                                    prior=(0.0005, 0.01), ge=0, le=10)
    reading_temperature: float = P(0.02, "stake units", "assumption: how uncertain an actor is about another's "
                                   "payoffs when it predicts or reads the other's choices (the likelihoods of Bayes' "
                                   "rule, follow-through, concessions)", prior=(0.005, 0.08), gt=0, le=10)
    reading_tremble: float = P(0.1, "probability", "Selten 1975 trembling hand: the chance an observer gives to a move "
                               "made for reasons outside its model of the sender (bounds every likelihood ratio)",
                               prior=(0.02, 0.3), ge=0, le=1)
    hold_evidence: float = P(0.1, "moves per day", "assumption: an observer counts a day of declining what is on the "
                             "table as this share of a move (day-to-day choices share their reasons: they are not "
                             "independent evidence)",
                             prior=(0.02, 0.5), ge=0, le=1)
    lookahead_days: float = P(30.0, "days", "assumption: how far ahead an actor projects what holding brings",
                              prior=(10, 90), ge=1, le=3650)
    horizon_scale_years: float = P(5.0, "years", "assumption: a lasting gain's value to an actor with horizon h is "
                                   "1 - exp(-h / scale) (seed 000: Moscow strategic, Washington tactical)",
                                   prior=(1, 20), gt=0, le=1000)
    war_cost: float = P(0.5, "stake units", "Fearon 1995 c_A, for war aversion 0.5 (scaled by 2 x war aversion)",
                        prior=(0.1, 1.0), ge=0, le=100)
    defender_war_cost: float = P(0.5, "stake units", "Fearon 1995 c_B: the defenders' cost of a war, for war aversion "
                                 "0.5 (scaled by 2 x war aversion)", prior=(0.15, 1.5), ge=0, le=100)
    defence_multiplier: float = P(3.0, "ratio", "Mearsheimer 1989: the attacker's 3:1 rule", prior=(1.5, 5.0),
                                  gt=0, le=100)
    contest_decisiveness: float = P(2.0, "exponent", "Tullock contest success function; assumption",
                                    prior=(1.0, 4.0), gt=0, le=10)
    intervention_share: float = P(0.01, "share of power", "assumption: a defender's military aid to a non-member "
                                  "at war, as a share of its power", prior=(0.0, 0.15), ge=0, le=1)
    escalation_risk: float = P(0.1, "share of its war cost", "assumption: what a defender risks (escalation, "
                               "retaliation) by carrying out a threat or arming a target at war", prior=(0.0, 0.3),
                               ge=0, le=10)
    concession_content: float = P(1.0, "x catalogue", "Kross (seed 000): what cheap conciliatory moves (calls without "
                                  "conditions, delays, ambiguity) concede of the sender's stake, as a multiple of the "
                                  "catalogue's values (claim 1)", prior=(0.0, 3.0), ge=0, le=100)
    alliance_defence_share: float = P(0.5, "share of power", "NATO Article 5: collective defence of a member; "
                                      "assumption for the share committed", ge=0, le=1)
    theatre_share: float = P(0.6, "share of power", "assumption: share of the challenger's force usable in theatre",
                             gt=0, le=1)
    limited_defence_share: float = P(0.3, "share", "assumption: the target's forces defending the region a fait "
                                     "accompli would seize, as a share of its whole defence", gt=0, le=1)
    limited_cost_share: float = P(0.3, "share", "assumption: a fait accompli's cost as a share of a full war's",
                                  ge=0, le=1)
    limited_sanctions_share: float = P(0.5, "share", "assumption: the sanctions a fait accompli triggers, as a share "
                                       "of those threatened for a war", ge=0, le=1)
    sanctions_scale: float = P(0.5, "stake units", "assumption: cost of the full sanctions package to the challenger",
                               prior=(0.05, 1.0), ge=0, le=100)
    sanctions_drain: float = P(0.1, "share of power per year", "assumption: enacted sanctions drain the challenger's "
                               "war chest", ge=0, le=10)
    boomerang_sensitivity: float = P(0.8, "ratio", "seed 003: sanctions boomerang on Western economies",
                                     prior=(0.2, 1.5), ge=0, le=10)
    audience_growth_days: float = P(14.0, "days", "Fearon 1994: audience costs grow while a commitment stands "
                                    "(at least 0.001 day: anything faster is immediate)", ge=0.001, le=10000)
    audience_scale: float = P(0.3, "stake units", "Fearon 1994: audience cost of backing down from a full commitment "
                              "for sensitivity 1", prior=(0.1, 1.5), ge=0, le=100)
    upkeep_rate: float = P(0.002, "stake units per day", "assumption: the daily cost of keeping the whole force "
                           "mobilised (a flow: level x rate, going forward)", prior=(0.0, 0.008), ge=0, le=10)
    signal_cost_scale: float = P(0.1, "stake units", "Fearon 1997: what a signal of sunk cost 1 costs its sender",
                                 prior=(0.02, 0.3), ge=0, le=100)
    preventive_weight: float = P(0.15, "stake units", "Jervis 1978 security dilemma: the value of striking before "
                                 "a perceived threat grows", prior=(0.0, 0.5), ge=0, le=100)
    concession_step: float = P(0.25, "share of the demands", "assumption: how much the challenger's own concession "
                               "lowers its demands", gt=0, le=1)
    item_value: float = P(0.08, "share of the demands", "seed 003: an item's value when the scenario gives none",
                          ge=0, le=1)
    core_negotiable: bool = P(False, "flag", "seed 003: NATO expansion non-negotiable for both sides")
    test_value: float = P(0.3, "share of the demands", "seed 002: what the widened agenda offers (talks on the "
                          "challenger's concerns) in exchange for reciprocity", ge=0, le=1)
    test_price: float = P(0.15, "stake units", "seed 002: what the counter-demands ask of the challenger", ge=0,
                          le=100)
    talks_gain: float = P(0.15, "per round", "seed 003: 'the door is still open'; assumption", ge=0, le=1)
    talks_floor: float = P(0.25, "share", "assumption: the chance concessions come without open talks, relative "
                           "to with them", ge=0, le=1)
    rejection_hope_loss: float = P(0.5, "share", "seed 003: core demands refused point-blank; assumption", ge=0,
                                   le=1)
    review_days: float = P(7.0, "days", "assumption: a strategic defender or target reviews its moves this often "
                           "(a weekly principals' meeting)", ge=1, le=365)
    pretext_discount: float = P(0.3, "share of the war cost", "DESIGN.md: a target's own attack gives the challenger "
                                "a pretext (Georgia 2008); assumption", ge=0, le=1)
    support_relief: float = P(0.3, "share of the sanctions", "assumption: a third party's backing of the challenger "
                              "offsets part of the sanctions it fears (e.g. the Xi-Putin statement)", ge=0, le=1)
    delivery_amount: float = P(0.01, "power (challenger = 1)", "assumption: one weapons package, when the record "
                               "gives no size", ge=0, le=10)

    # --- allied cohesion (model/cohesion.py) ---
    weight_alignment: float = P(0.25, "share", "Snyder 1984 alliance security dilemma; assumption", ge=0, le=1)
    weight_abandonment: float = P(0.25, "share", "Snyder 1984", ge=0, le=1)
    weight_entrapment: float = P(0.25, "share", "Snyder 1984", ge=0, le=1)
    weight_burden: float = P(0.25, "share", "Snyder 1984; seed 003 boomerang", ge=0, le=1)
    consensus_threshold: float = P(0.5, "cohesion", "assumption: consensus passes above this cohesion", ge=0, le=1)
    exclusion_trust_loss: float = P(0.15, "trust", "seed 000: 'a storm of outrage' in the B9 (8 Dec)",
                                    prior=(0.0, 0.4), ge=0, le=1)
    inclusion_trust_gain: float = P(0.04, "trust", "seed 002: 'nothing about us without us'", ge=0, le=1)
    ambiguity_trust_loss: float = P(0.10, "trust", "seed 000: 'alarm ... about the Americans'", ge=0, le=1)
    rejection_trust_gain: float = P(0.06, "trust", "seed 000: reject 'all and any Russian demand'", ge=0, le=1)
    delay_trust_loss: float = P(0.06, "trust", "seed 000: delayed weapons shipments", ge=0, le=1)
    reinforcement_trust_gain: float = P(0.05, "trust", "seed 000: 'boost security along the Eastern flank'",
                                        ge=0, le=1)
    ultimatum_threat_gain: float = P(0.35, "intention", "seed 000: drafts 'directly threatening' Eastern members",
                                     ge=0, le=1)
    ultimatum_entrapment_gain: float = P(0.35, "fear", "seed 000: demands meant to split NATO", ge=0, le=1)
    boomerang_fear_gain: float = P(0.15, "fear per unit exposure", "seed 003: the boomerang on exposed allies",
                                   ge=0, le=1)
    entrapment_decay: float = P(0.01, "per day", "assumption", ge=0, le=1)
    trust_recovery: float = P(0.002, "per day", "assumption: trust drifts back to its baseline", ge=0, le=1)

    # --- threat perception (model/effects.py threat channel) ---
    intention_step: float = P(0.04, "intention per signal", "assumption: one firm move's effect on the reading of "
                              "its sender's hostile intent (x (1 + rung) / 3)", ge=0, le=1)
    security_dilemma: float = P(0.5, "share", "Jervis 1978: defensive moves read as threats", ge=0, le=10)

    # --- postures (model/posture.py) ---
    reaction_challenger: float = P(0.005, "per day", "Richardson 1960 coefficient a; assumption", ge=0, le=10)
    reaction_defender: float = P(0.02, "per day", "Richardson 1960 coefficient b; assumption", ge=0, le=10)
    fatigue_challenger: float = P(0.005, "per day", "Richardson 1960 coefficient m; assumption", ge=0, le=10)
    fatigue_defender: float = P(0.04, "per day", "Richardson 1960 coefficient n; assumption", ge=0, le=10)
    mobilisation_rate: float = P(0.0035, "posture per day", "Richardson g: a mobilised challenger's standing build-up "
                                 "(its posture tends to g/m); set to the record's slow pace of Dec 2021 - Jan 2022 "
                                 "(~94,000 -> ~120,000 troops in seven weeks; docs/research/ukraine_2021_record.toml "
                                 "[[buildup]]): a faster surge is the challenger's choice (troop_buildup)", ge=0,
                                 le=10)
    posture_impulse: float = P(0.06, "posture per signal", "assumption: one build-up's share of the force",
                               ge=0, le=1)
    posture_floor: float = P(0.05, "posture", "assumption: forces always present in theatre", ge=0, le=1)

    # --- accidents (model/hazard.py) ---
    base_hazard: float = P(0.0003, "per day", "assumption; Schelling 1960", ge=0, le=1)
    hazard_rung_growth: float = P(1.5, "ratio per rung", "assumption", ge=1, le=100)
    channel_reduction: float = P(0.5, "share", "seed 003: military communication channels", ge=0, le=1)
    prevention_reduction: float = P(0.5, "share", "seed 003: incident-prevention mechanisms", ge=0, le=1)

    @model_validator(mode="after")
    def _weights_sum(self) -> Parameters:
        total = self.weight_alignment + self.weight_abandonment + self.weight_entrapment + self.weight_burden
        if total <= 0:
            raise ValueError("cohesion weights (weight_alignment ... weight_burden) must not all be zero")
        return self


def parameter_table() -> list[dict[str, Any]]:
    """Every parameter with its default, unit, source and prior (for docs and ``crisislab scenarios``)."""
    rows = []
    for name, field in Parameters.model_fields.items():
        extra = field.json_schema_extra or {}
        rows.append({"name": name, "default": field.default, "unit": extra.get("unit"),
                     "source": extra.get("source"), "prior": extra.get("prior")})
    return rows


def priors() -> dict[str, tuple[float, float]]:
    """The behavioural parameters calibration draws, with their prior ranges (uniform)."""
    return {r["name"]: tuple(r["prior"]) for r in parameter_table() if r["prior"] is not None}
