"""Strategic: the actor chooses among its own signals by expected utility (``model/decision.py``): what
each would change in the challenger's chance of attacking, what it concedes, its sunk cost, the boomerang
of sanctions on its own economy and the audience cost it risks — given its stake, war aversion, horizon
and type. The model computes the choice; this policy sends it."""

NAME = "strategic"
DESCRIPTION = "choose among its own signals by expected utility (stakes, costs, boomerang, war aversion, horizon)"
STRATEGIC = True


def act(obs):
    return list(obs.chosen)
