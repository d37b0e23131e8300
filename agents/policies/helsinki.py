"""Helsinki 2.0, not Yalta 2.0 (seed 002): inclusive formats only, and an expanded agenda."""

from agents.signals import make

NAME = "helsinki"
DESCRIPTION = "Helsinki 2.0: talks only at the OSCE with every affected state, counter-demands to test the ultimatum"


def act(obs):
    out = []
    everyone = obs.inclusive
    if obs.role == "leader":
        if obs.flank_group and obs.since("consultation") is None:
            out.append(make("consultation", obs.actor, (obs.flank_group,)))
        if obs.every("talks_round", 14) and obs.days_since_branch >= 2:
            out.append(make("talks_round", obs.actor, (obs.challenger,), format="inclusive",
                            participants=everyone, about=obs.named + obs.targets))
        if obs.ultimatum_day is not None and obs.since("counter_demands") is None:
            out.append(make("counter_demands", obs.actor, (obs.challenger,),
                            agenda=("MDA withdrawal", "GEO regions", "Crimea", "Kaliningrad missiles",
                                    "assassinations", "disinformation")))
        if obs.every("sanctions_threat", 60):
            out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    elif obs.role == "union" and obs.every("sanctions_threat", 60):
        out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    return out
