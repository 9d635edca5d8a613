"""lib/periodic.py: a periodic task is claimed by the first event of each interval."""

import pytest
from django.core.cache import caches

from quire.lib.periodic import claim_interval


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["default"].clear()


def test_the_first_caller_of_an_interval_claims_it_and_the_rest_do_not():
    assert claim_interval("test:periodic", 60)
    assert not claim_interval("test:periodic", 60)
    assert claim_interval("test:another", 60)


def test_an_interval_of_zero_claims_nothing():
    assert not claim_interval("test:never", 0)
    assert not claim_interval("test:never", -5)
