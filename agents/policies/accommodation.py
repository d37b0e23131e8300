"""Accommodation (seed 003): put the negotiable items on the table; keep the core demands off it."""

from agents.signals import NEGOTIABLE_ITEMS, make

NAME = "accommodation"
DESCRIPTION = "offer the negotiable items (missile limits, exercise caps, channels, incident prevention) at the NRC"


def act(obs):
    out = []
    if obs.role == "leader":
        if obs.every("talks_round", 10) and obs.days_since_branch >= 2:
            out.append(make("talks_round", obs.actor, (obs.challenger,), format="nrc",
                            participants=obs.osce, about=obs.named + obs.targets))
        pending = [i for i in NEGOTIABLE_ITEMS if i not in obs.items_offered]
        if pending and obs.every("concession", 7) and obs.days_since_branch >= 5:
            out.append(make("concession", obs.actor, (obs.challenger,), item=pending[0]))
        if obs.core_negotiable and not pending and "core" not in obs.items_offered and obs.every("concession", 7):
            out.append(make("concession", obs.actor, (obs.challenger,), item="core"))
        if obs.every("sanctions_threat", 60):
            out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    elif obs.role == "union" and obs.every("sanctions_threat", 60):
        out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    if (obs.ultimatum_day is not None and not obs.core_negotiable and obs.role == "leader"
            and obs.since("public_rejection") is None):
        out.append(make("public_rejection", obs.actor, (obs.challenger,)))
    return out
