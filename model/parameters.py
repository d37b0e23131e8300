"""Every model parameter in one validated object: default, unit, and a source or the word "assumption".

A scenario file overrides any of these in its ``[parameters]`` table; ``CrisisModel(**overrides)`` and
``crisislab run --set key=value`` override them again. Nothing numeric is inlined elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


def P(default: Any, unit: str, source: str, **bounds: Any) -> Any:
    """A parameter field: default, unit, source ("assumption" when it is one), and its bounds."""
    return Field(default, json_schema_extra={"unit": unit, "source": source}, **bounds)


class Parameters(BaseModel):
    """The mechanisms' parameters (see the module of each mechanism for the formula)."""

    model_config = ConfigDict(extra="forbid", frozen=True)   # shared by cached scenarios

    # --- time ---
    branch_date: date | None = P(None, "date", "DESIGN.md: replay branch date (None = scenario default)")

    # --- beliefs about resolve (model/beliefs.py) ---
    credibility_rule: Literal["reputation", "current_calculus", "mix"] = P(
        "reputation", "-", "Press 2005 (current calculus) vs Mercer 1996 / Kross (reputation); switch")
    credibility_weight: float = P(0.5, "share", "assumption: weight on reputation under 'mix'", ge=0, le=1)
    prior_strength: float = P(6.0, "pseudo-counts", "assumption: Beta prior a+b (at least 0.01: a+b of 5e-324 is 0/0)",
                              ge=0.01, le=1000)
    cheap_talk_weight: float = P(0.8, "pseudo-counts", "assumption: what a costless signal adds (reputation)",
                                 ge=0, le=100)
    costly_weight: float = P(3.0, "pseudo-counts per unit cost", "Fearon 1997: sunk costs and tied hands inform",
                             ge=0, le=100)
    perception_noise: float = P(0.3, "sd (multiplicative)", "assumption; Jervis 1976 misperception", ge=0, le=5)
    belief_memory_days: float = P(60.0, "days", "assumption: half-life of pseudo-counts back to the prior",
                                  gt=0, le=100000)
    calculus_interest_weight: float = P(0.5, "share", "Press 2005: credibility = power x interests", ge=0, le=1)
    # at least 0.001 day: in a daily model anything faster is immediate (and 1/5e-324 overflows)
    audience_growth_days: float = P(14.0, "days", "Fearon 1994: audience costs grow while a commitment stands",
                                    ge=0.001, le=10000)
    complete_information: bool = P(False, "flag", "Fearon 1995 benchmark: beliefs equal true resolve")

    # --- the challenger's decision (model/decision.py) ---
    decision_temperature: float = P(0.05, "stake units", "McKelvey & Palfrey 1995 quantal response; 0 = argmax",
                                    ge=0, le=10)
    hold_inertia: float = P(0.12, "stake units", "assumption: status-quo bias of a daily decision", ge=0, le=10)
    war_cost: float = P(0.7, "stake units", "Fearon 1995 c_A; calibrated (see README)", ge=0, le=100)
    defender_war_cost: float = P(0.6, "stake units", "Fearon 1995 c_B; assumption", ge=0, le=100)
    defence_multiplier: float = P(3.5, "ratio", "assumption: defender's home advantage (cf. the 3:1 rule)",
                                  gt=0, le=100)
    contest_decisiveness: float = P(2.5, "exponent", "Tullock contest success function; assumption", gt=0, le=10)
    intervention_share: float = P(0.02, "share of capability", "assumption: defenders' aid to a non-member",
                                  ge=0, le=1)
    theatre_share: float = P(0.6, "share of capability", "assumption: share of challenger force usable in theatre",
                             gt=0, le=1)
    core_value: float = P(1.0, "stake units", "seed 000: core demands are the challenger's stake", ge=0, le=100)
    core_negotiable: bool = P(False, "flag", "seed 003: NATO expansion non-negotiable for both sides")
    item_value: float = P(0.08, "stake units per item", "seed 003: negotiable items; assumption", ge=0, le=100)
    coercion_efficacy: float = P(0.35, "share per rung", "Schelling 1966 compellence; assumption", ge=0, le=10)
    upkeep_rate: float = P(0.004, "stake units per day", "assumption: cost of keeping a force mobilised",
                           ge=0, le=10)
    backdown_cost: float = P(0.8, "stake units", "Fearon 1994 audience cost of the challenger", ge=0, le=100)
    window_rate: float = P(0.004, "per day", "Fearon 1995 commitment problem: target's integration with the West",
                           ge=0, le=1)
    window_weight: float = P(25.0, "days of foresight", "assumption: how far ahead the challenger looks", ge=0,
                             le=10000)
    preventive_weight: float = P(0.25, "stake units", "Jervis 1978 security dilemma; assumption", ge=0, le=100)
    sanctions_scale: float = P(0.9, "stake units", "assumption: cost of the full Western package to the challenger",
                               ge=0, le=100)
    boomerang_sensitivity: float = P(0.8, "ratio", "seed 003: sanctions boomerang on Western economies", ge=0,
                                     le=10)
    talks_gain: float = P(0.12, "hope per round", "seed 003: 'the door is still open'; assumption", ge=0, le=1)
    rejection_hope_loss: float = P(0.5, "share", "seed 003: core demands refused point-blank; assumption",
                                   ge=0, le=1)
    strategic_horizon_weight: float = P(0.25, "per log-year", "seed 000: Moscow strategic, Washington tactical",
                                        ge=0, le=10)

    # --- allied cohesion (model/cohesion.py) ---
    weight_alignment: float = P(0.25, "share", "Snyder 1984 alliance security dilemma; assumption", ge=0, le=1)
    weight_abandonment: float = P(0.25, "share", "Snyder 1984", ge=0, le=1)
    weight_entrapment: float = P(0.25, "share", "Snyder 1984", ge=0, le=1)
    weight_burden: float = P(0.25, "share", "Snyder 1984; seed 003 boomerang", ge=0, le=1)
    consensus_threshold: float = P(0.5, "cohesion", "assumption: consensus passes above this cohesion", ge=0, le=1)
    exclusion_trust_loss: float = P(0.15, "trust", "seed 000: 'a storm of outrage' in the B9 (8 Dec)", ge=0, le=1)
    inclusion_trust_gain: float = P(0.04, "trust", "seed 002: 'nothing about us without us'", ge=0, le=1)
    ambiguity_trust_loss: float = P(0.10, "trust", "seed 000: 'alarm ... about the Americans'", ge=0, le=1)
    rejection_trust_gain: float = P(0.06, "trust", "seed 000: reject 'all and any Russian demand'", ge=0, le=1)
    delay_trust_loss: float = P(0.06, "trust", "seed 000: delayed weapons shipments", ge=0, le=1)
    reinforcement_trust_gain: float = P(0.05, "trust", "seed 000: 'boost security along the Eastern flank'",
                                        ge=0, le=1)
    ultimatum_threat_gain: float = P(0.35, "intention", "seed 000: drafts 'directly threatening' Eastern members",
                                     ge=0, le=1)
    ultimatum_entrapment_gain: float = P(0.35, "fear", "seed 000: demands meant to split NATO", ge=0, le=1)
    entrapment_decay: float = P(0.01, "per day", "assumption", ge=0, le=1)
    trust_recovery: float = P(0.002, "per day", "assumption: trust drifts back to its baseline", ge=0, le=1)

    # --- security dilemma and postures (model/posture.py) ---
    security_dilemma: float = P(0.5, "share", "Jervis 1978: defensive moves read as threats", ge=0, le=10)
    reaction_challenger: float = P(0.02, "per day", "Richardson 1960 coefficient a; assumption", ge=0, le=10)
    reaction_defender: float = P(0.02, "per day", "Richardson 1960 coefficient b; assumption", ge=0, le=10)
    fatigue_challenger: float = P(0.005, "per day", "Richardson 1960 coefficient m; assumption", ge=0, le=10)
    fatigue_defender: float = P(0.04, "per day", "Richardson 1960 coefficient n; assumption", ge=0, le=10)
    grievance_per_rung: float = P(0.0012, "posture per day per rung", "Richardson g; assumption", ge=0, le=10)
    posture_impulse: float = P(0.06, "posture per signal", "assumption: one build-up's share of the force",
                               ge=0, le=1)

    # --- accidents (model/hazard.py) ---
    base_hazard: float = P(0.0004, "per day", "assumption; Schelling 1960", ge=0, le=1)
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
    """Every parameter with its default, unit and source (for docs and ``crisislab scenarios``)."""
    rows = []
    for name, field in Parameters.model_fields.items():
        extra = field.json_schema_extra or {}
        rows.append({"name": name, "default": field.default, "unit": extra.get("unit"),
                     "source": extra.get("source")})
    return rows
