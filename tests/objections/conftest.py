import pytest

from tests.objections.sample import World, world


@pytest.fixture
def w(session) -> World:
    return world(session)
