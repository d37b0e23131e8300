"""As it happened: the defenders follow the scenario's dated record."""

NAME = "as_happened"
DESCRIPTION = "the record: every defender move at its historical date"


def act(obs):
    return list(obs.scripted)
