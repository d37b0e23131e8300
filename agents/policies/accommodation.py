"""Accommodation (seed 003): put the negotiable items on the table one by one (the core demands too, only
where the scenario makes them negotiable); reject the core demands publicly where they are not."""

from agents.signals import make

NAME = "accommodation"
DESCRIPTION = "offer the negotiable items (e.g. missile limits, exercise caps, channels, incident prevention) at the alliance council"


def act(obs):
    out = []
    if obs.role == "leader":
        if obs.every("talks_round", 10) and obs.days_since_branch >= 2:
            out.append(make("talks_round", obs.actor, (obs.challenger,), format="alliance_council",
                            participants=obs.inclusive, about=obs.named + obs.targets))
        if obs.items_pending and obs.every("concession", 7) and obs.days_since_branch >= 5:
            out.append(make("concession", obs.actor, (obs.challenger,), item=obs.items_pending[0]))
        if obs.every("sanctions_threat", 60):
            out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
        if obs.ultimatum_day is not None and not obs.core_negotiable and obs.since("public_rejection") is None:
            out.append(make("public_rejection", obs.actor, (obs.challenger,)))
    elif obs.role == "union" and obs.every("sanctions_threat", 60):
        out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    return out
