"""Reactive (tit for tat on the ladder): mirror escalation with costly moves, reward de-escalation
with talks; a war-averse leader leans to concessions as the rung climbs (claim 9)."""

from agents.signals import make

NAME = "reactive"
DESCRIPTION = "rule-based: answer each climb with reinforcement and sanctions, each step down with talks"


def act(obs):
    out = []
    climbed = obs.challenger_rung > obs.challenger_rung_yesterday
    descended = obs.challenger_rung < obs.challenger_rung_yesterday
    if obs.role == "leader":
        if climbed:
            out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
            if obs.challenger_rung >= 3:
                out.append(make("weapons_delivery", obs.actor, obs.targets, amount=0.01))
        if descended:
            out.append(make("talks_round", obs.actor, (obs.challenger,), format="alliance_council",
                            participants=obs.inclusive, about=obs.named + obs.targets))
        # a war-averse leader buys time with concessions once the danger is high enough
        pending = obs.items_pending
        if pending and obs.leader_war_aversion * obs.challenger_rung / 9 > 0.3 and obs.every("concession", 10):
            out.append(make("concession", obs.actor, (obs.challenger,), item=pending[0]))
        if obs.flank_group and min(obs.cohesion.values(), default=1.0) < 0.5 and obs.every("consultation", 14):
            out.append(make("consultation", obs.actor, (obs.flank_group,)))
    elif obs.role == "alliance" and climbed and obs.challenger_rung >= 3:
        out.append(make("flank_reinforcement", obs.actor, (obs.challenger,), scale=0.5))
    elif obs.role == "union" and climbed and obs.challenger_rung >= 4 and obs.every("sanctions_threat", 30):
        out.append(make("sanctions_threat", obs.actor, (obs.challenger,)))
    return out
