import pytest

from .answer_factories import ensure_catalogue
from .factories import sample_districts


@pytest.fixture
def catalogue(db):
    ensure_catalogue()


@pytest.fixture
def districts(db):
    ensure_catalogue()
    sample_districts()
