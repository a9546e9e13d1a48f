"""Contract: the fake store answers every request Storelens makes as the real WooCommerce 11 does.

The same requests (`real_contract.CALLS`: every route and parameter the client, the sync and the doctor send, errors
included, plus the webhook journey) go to the seeded real store and to a generated fake shaped like it; status,
paging headers, `Allow`, error codes and messages and the JSON shapes must agree. What is left over is listed below,
each with the reason it is deliberate, or the engineer whose part of the fake it is (pending: reported as xfail so
it stays visible, and turns into a pass by itself once the fake is fixed).
"""

from __future__ import annotations

import re
import ssl

import pytest

from fakestore.config import FakeStoreConfig
from fakestore.store import FakeStore

from .real_contract import CALLS, WEBHOOK_JOURNEY, Keys, Side, answer_differences, exchange, fake_side, run

# No `realstore` mark: nothing here touches Storelens's database, so the PostgreSQL pass (which keeps realstore tests)
# would only repeat the same HTTP exchange; the SQLite pass runs it once.

# Differences that stay: (call name or "*", regex over the difference, why).
DELIBERATE: list[tuple[str, str, str]] = [
    (
        "wp-json index",
        r"^\$\.routes",
        "the fake lists WooCommerce's routes only; Storelens reads the index's home, url, name, time zone and "
        "namespaces, never its routes",
    ),
    (
        "wc/v3 index",
        r"^\$\.routes",
        "the fake's route table (data/wc-v3-routes.json) omits descriptions and routes Storelens never calls; "
        "Storelens reads whether /wc/v3/refunds exists and the argument names of GET /wc/v3/orders, compared exactly "
        "by the 'orders arguments' projection",
    ),
    (
        "*",
        r"^\$\[\]\._links: keys (missing in fake|only in fake): \['customer'\]$",
        "only a registered customer's order links to the customer: a short page of guests' orders has no such link "
        "(the 100-order pages compare it)",
    ),
    (
        "system status environment",
        r"^\$\.environment\.remote_(post|get)_response: real \['(bool|string)'\]",
        'the cached result of WooCommerce\'s loopback test: false or "" depending on whether it ran (both seen on '
        "11.0.1 stores); Storelens reads environment.version only",
    ),
    (
        "settings general",
        r"^\$\[\]\.options: keys",
        "country and state lists grow with each WooCommerce release; Storelens reads woocommerce_currency's value",
    ),
]

# Differences in parts of the fake other engineers are changing right now (issue 11): visible as xfail until fixed.
# (None left: order line items' `global_unique_id` and refund summaries' `total_tax` are in the fake now.)
PENDING: list[tuple[str, str, str]] = []

PROFILES = {
    "us": {"currency": "USD", "timezone": "America/New_York", "environment_type": "production"},
    "eu": {
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "environment_type": "staging",
        "analytics_date_type": "date_created",
        "analytics_excluded_statuses": ["pending", "failed", "cancelled", "on-hold"],
    },
}


def _matches(rules: list[tuple[str, str, str]], name: str, difference: str) -> str | None:
    for call, pattern, why in rules:
        if call in ("*", name) and re.search(pattern, difference):
            return why
    return None


@pytest.fixture(scope="module", params=sorted(PROFILES))
def exchanged(request: pytest.FixtureRequest) -> dict:
    """Every call on the real store of one profile and on a fake shaped like it (a few seconds for all of them)."""
    real_store = request.getfixturevalue(f"real_store_{request.param}")
    fake_store = FakeStore(
        FakeStoreConfig(home_url="https://shop.test", orders=300, months=6, seed=11, **PROFILES[request.param])
    )
    rw = fake_store.accounts.create_key(1, "Storelens contract", "read_write")
    ro = fake_store.accounts.create_key(1, "Storelens contract", "read")

    async def both() -> dict:
        real = Side(
            "real",
            real_store.url,
            {
                "rw": Keys(real_store.consumer_key, real_store.consumer_secret),
                "ro": Keys(*real_store.read_only_key),
            },
            verify=ssl.create_default_context(cafile=str(real_store.ca_bundle)),
        )
        fake = fake_side(
            fake_store,
            {"rw": Keys(rw.consumer_key, rw.consumer_secret), "ro": Keys(ro.consumer_key, ro.consumer_secret)},
        )
        try:
            return await exchange(real, fake, CALLS)
        finally:
            await real.aclose()
            await fake.aclose()

    return run(both)


NAMES = [call.name for call in CALLS] + list(WEBHOOK_JOURNEY)


@pytest.mark.parametrize("name", NAMES)
def test_fake_answers_like_woocommerce_11(exchanged: dict, name: str) -> None:
    real, fake = exchanged[name]
    differences = [d for d in answer_differences(real, fake) if _matches(DELIBERATE, name, d) is None]
    pending = sorted({why for d in differences if (why := _matches(PENDING, name, d)) is not None})
    left = [d for d in differences if _matches(PENDING, name, d) is None]
    assert left == [], f"{name}: real {real.status} {real.url}"
    if pending:
        pytest.xfail("; ".join(pending))


def test_the_real_store_answers_every_call(exchanged: dict) -> None:
    """The comparison means something only if the real store served the data: lists not empty, ids found."""
    for name in ("speed page", "refunds listing", "customers", "products", "variations", "coupons", "orders by id"):
        real, _ = exchanged[name]
        assert real.status == 200 and isinstance(real.body, list) and real.body, name
    assert exchanged["create webhook"][0].status == 201
    assert exchanged["deleted webhook"][0].status == 404
