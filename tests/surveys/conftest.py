import pytest

from .factories import sample_districts


@pytest.fixture
def districts(db):
    sample_districts()
