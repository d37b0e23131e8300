"""Deterrence, "a bigger pistol" (Kross, seed 000): costly, public, firm signals."""

from agents.signals import make

NAME = "deterrence"
DESCRIPTION = "a bigger pistol: reinforce the flank, speed deliveries, reject demands publicly, calls only with conditions"


def act(obs):
    out = []
    if obs.role == "leader":
        if obs.every("flank_reinforcement", 30):
            out.append(make("flank_reinforcement", obs.actor, (obs.challenger,), scale=0.6))
        if obs.every("weapons_delivery", 14):
            out.append(make("weapons_delivery", obs.actor, obs.targets, amount=0.01))
        if obs.every("conditional_call", 30) and obs.days_since_branch >= 3:
            out.append(make("conditional_call", obs.actor, (obs.challenger,),
                            readouts={obs.actor: "firm", obs.challenger: "firm"}))
        if obs.every("sanctions_threat", 60):
            out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    elif obs.role == "alliance":
        if obs.every("flank_reinforcement", 30) and obs.days_since_branch >= 2:
            out.append(make("flank_reinforcement", obs.actor, (obs.challenger,), scale=0.5))
    elif obs.role == "union" and obs.every("sanctions_threat", 60):
        out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    if obs.ultimatum_day is not None and obs.role in ("leader", "alliance") and obs.since("public_rejection") is None:
        out.append(make("public_rejection", obs.actor, (obs.challenger,)))
    return out
