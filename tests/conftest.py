import pytest

from model import CrisisModel


@pytest.fixture
def toy():
    """A two_blocs model on its branch day with nothing scripted after it."""
    return CrisisModel("two_blocs", seed=1)
