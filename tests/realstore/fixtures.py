"""pytest fixtures for the real store (registered in tests/conftest.py).

- `real_store_us`, `real_store_eu`: one running store per profile for the whole session, started the first time a
  test asks for it (a few seconds from the cache, under a minute cold).
- `restored_real_store_us`, `restored_real_store_eu`: the same store for a test that changes it; put back to the
  seeded state (database, nginx, `.maintenance`, extra must-use plugins) after the test.

Tests using them are marked `realstore` automatically and kept on the PostgreSQL pass. When MariaDB, php-fpm, nginx
or the archives are missing they are skipped with the reason (failed under STORELENS_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.realstore.store import RealStore, StoreUnavailable, start_real_store

REAL_STORE_FIXTURES = frozenset({"real_store_us", "real_store_eu", "restored_real_store_us", "restored_real_store_eu"})


def _session_store(profile: str) -> Iterator[RealStore]:
    try:
        store = start_real_store(profile)
    except StoreUnavailable as error:
        from tests.conftest import service_unavailable

        service_unavailable(f"the real WordPress + WooCommerce store cannot run here: {error}")
        raise  # unreachable: service_unavailable skips or fails
    print(f"\nreal store {profile} at {store.url} ({'cache' if store.from_cache else 'cold'}): {store.timings}")
    try:
        yield store
    finally:
        store.stop(keep_files=bool(os.environ.get("STORELENS_REALSTORE_KEEP")))


@pytest.fixture(scope="session")
def real_store_us() -> Iterator[RealStore]:
    """The US profile store (prices exclusive of tax, New York, production); do not change it: see restored_…."""
    yield from _session_store("us")


@pytest.fixture(scope="session")
def real_store_eu() -> Iterator[RealStore]:
    """The EU profile store (prices inclusive of tax, Berlin, staging); do not change it: see restored_…."""
    yield from _session_store("eu")


@pytest.fixture
def restored_real_store_us(real_store_us: RealStore) -> Iterator[RealStore]:
    """The US store for a test that changes it; restored to the seeded state afterwards."""
    yield real_store_us
    real_store_us.restore()


@pytest.fixture
def restored_real_store_eu(real_store_eu: RealStore) -> Iterator[RealStore]:
    """The EU store for a test that changes it; restored to the seeded state afterwards."""
    yield real_store_eu
    real_store_eu.restore()
