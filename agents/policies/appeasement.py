"""Appeasement, "a box of chocolates" (Kross, seed 000): cheap conciliatory signals."""

from agents.signals import make

NAME = "appeasement"
DESCRIPTION = "a box of chocolates: unconditional calls, weapons delays, bilateral / Big-5 talks, 'security concerns'"


def act(obs):
    out = []
    if obs.role != "leader":
        if obs.role == "union" and obs.every("sanctions_threat", 90):
            out.append(make("sanctions_threat", obs.actor, (obs.challenger,), hands_tying=0.1))
        return out
    about = (obs.flank_group,) if obs.flank_group else obs.named
    if obs.every("leader_call", 21):
        out.append(make("leader_call", obs.actor, (obs.challenger,),
                        readouts={obs.actor: "firm", obs.challenger: "conciliatory"}))
    if obs.days_since_branch == 1:
        out.append(make("talks_offer", obs.actor, (obs.challenger,), format="minilateral",
                        participants=obs.minilateral + (obs.challenger,), about=about))
    if obs.every("weapons_delay", 30) and obs.days_since_branch >= 3:
        out.append(make("weapons_delay", obs.actor, obs.targets, amount=0.01))
    if obs.ultimatum_day is not None:
        if obs.since("ambiguous_response") is None:
            out.append(make("ambiguous_response", obs.actor, (obs.challenger,)))
        if obs.every("acknowledge_concerns", 21):
            out.append(make("acknowledge_concerns", obs.actor, (obs.challenger,)))
        if obs.every("talks_round", 14):
            out.append(make("talks_round", obs.actor, (obs.challenger,), format="bilateral",
                            participants=(obs.actor, obs.challenger), about=about + obs.targets))
    return out
