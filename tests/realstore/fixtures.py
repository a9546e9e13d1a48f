"""pytest fixtures for the real store (registered in tests/conftest.py).

- `real_store_us`, `real_store_eu`: one running store per profile for the whole session. The first time a test asks
  for either, every profile the selected tests use is started at once, in parallel (one thread each, driving its own
  php, php-fpm, nginx and database): a cold build costs the slower profile, not the sum (seconds from the cache).
- `restored_real_store_us`, `restored_real_store_eu`: the same store for a test that changes it; put back to the
  seeded state (database, nginx, `.maintenance`, extra must-use plugins) after the test.

Tests using them are marked `realstore` automatically and kept on the PostgreSQL pass. When MariaDB, php-fpm, nginx
or the archives are missing they are skipped with the reason (failed under STORELENS_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from tests.realstore.profiles import PROFILES
from tests.realstore.store import RealStore, StoreUnavailable, start_real_store

REAL_STORE_FIXTURES = frozenset({"real_store_us", "real_store_eu", "restored_real_store_us", "restored_real_store_eu"})

# Stores being started or started, by profile; a fixture takes its profile's out (claims it) and stops it at teardown.
_starting: dict[str, Future[RealStore]] = {}
_claimed: set[str] = set()
_starting_lock = threading.Lock()
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="realstore")


def profiles_used(items: list[pytest.Item]) -> set[str]:
    """The profiles whose store the selected tests ask for: named through the fixtures, or every profile for a test
    marked `realstore` that asks through getfixturevalue (which collection cannot see)."""
    names: set[str] = set()
    for item in items:
        asked = REAL_STORE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if not asked and item.get_closest_marker("realstore"):
            return set(PROFILES)
        names |= {fixture.removeprefix("restored_").removeprefix("real_store_") for fixture in asked}
    return names


def _store_future(profile: str, session: pytest.Session) -> Future[RealStore]:
    """This profile's bring-up; on the first call, also start the other profiles the session will ask for, so their
    cold builds overlap instead of following each other."""
    with _starting_lock:
        if not _starting:
            for name in sorted(profiles_used(list(session.items)) | {profile}):
                _starting[name] = _pool.submit(start_real_store, name)
        if profile not in _starting:
            _starting[profile] = _pool.submit(start_real_store, profile)
        _claimed.add(profile)
        return _starting[profile]


def _stop_unclaimed() -> None:
    """At exit, stop the stores started in advance for tests that never ran (-x, a deselected file, Ctrl-C)."""
    for profile, future in _starting.items():
        if profile not in _claimed and not future.cancel():
            with contextlib.suppress(Exception):  # a failed bring-up has cleaned up after itself
                future.result().stop(keep_files=bool(os.environ.get("STORELENS_REALSTORE_KEEP")))


atexit.register(_stop_unclaimed)


def _session_store(profile: str, request: pytest.FixtureRequest) -> Iterator[RealStore]:
    try:
        store = _store_future(profile, request.session).result()
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
def real_store_us(request: pytest.FixtureRequest) -> Iterator[RealStore]:
    """The US profile store (prices exclusive of tax, New York, production); do not change it: see restored_…."""
    yield from _session_store("us", request)


@pytest.fixture(scope="session")
def real_store_eu(request: pytest.FixtureRequest) -> Iterator[RealStore]:
    """The EU profile store (prices inclusive of tax, Berlin, staging); do not change it: see restored_…."""
    yield from _session_store("eu", request)


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
