"""The real WordPress + WooCommerce stores (tests/realstore), imported the way an owner does it (`storelens sources
add URL --key --secret`, which runs the whole first import), report exactly what the store's own Analytics tables
say: `wc_order_stats`, one row per order and per refund, read with the store's Analytics settings
(`tests/realstore/truth.py`). Every day of the seeded history and the total, through `storelens report` and the JSON
API (summary for the total, the daily series for each day), on the store's own settings and with each override.

One import per profile per session (a module fixture): every test here only reads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.sync.real_store_figures import day_differences, expected, pick

pytestmark = [pytest.mark.realstore, pytest.mark.django_db]

# (date basis, excluded statuses) overrides; None keeps the store's own setting.
OVERRIDES: dict[str, tuple[str | None, list[str] | None]] = {
    "own": (None, None),
    "created": ("created", None),
    "paid": ("paid", None),
    "completed": ("completed", None),
    # The other profile's exclusions: on-hold counted on the EU store, excluded on the US store.
    "excluded": (None, ["pending", "failed", "cancelled", "on-hold"]),
    "excluded-defaults": (None, ["pending", "failed", "cancelled"]),
}
# The store's Analytics settings as the profile sets them (tests/realstore/profiles.py), and where Storelens must
# find them: the US store never saved either (WooCommerce's defaults apply); the EU store saved both, and being
# `staging` refuses the excluded statuses through /wc-admin/options (the settings API still answers).
OWN_SETTINGS = {
    "us": ("paid", ["pending", "failed", "cancelled"], ("default", "default")),
    "eu": ("created", ["pending", "failed", "cancelled", "on-hold"], ("store", "store")),
}


@dataclass
class Imported:
    shop: Any  # tests.realstore.RealStore
    store_id: int
    seconds: float
    token: str
    stores_add_stderr: str


def _import(shop: Any, profile: str, django_db_blocker: Any) -> Iterator[Imported]:
    """`storelens sources add` against the real store (the first import runs inline: jobs are immediate in tests),
    committed outside any test transaction so every test of the module reads it; deleted at the end."""
    from storelens.accounts.models import ApiToken, User, Workspace
    from storelens.stores.models import Store

    with (
        django_db_blocker.unblock(),
        override_settings(STORELENS_ALLOW_PRIVATE_STORES=True, STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle)),
    ):
        workspace = Workspace.objects.create(name=f"Real store {profile}")
        user = User.objects.create_user(f"owner-{profile}@example.com", "correct-horse-battery-staple")
        from storelens.accounts.models import Membership

        Membership.objects.create(user=user, workspace=workspace, role="owner")
        _, token = ApiToken.issue(user, workspace, "real store test")
        out, err = StringIO(), StringIO()
        started = time.monotonic()
        call_command(
            "sources",
            "add",
            shop.url,
            "--key",
            shop.consumer_key,
            "--secret",
            shop.consumer_secret,
            "--workspace",
            workspace.name,
            stdout=out,
            stderr=err,
        )
        seconds = time.monotonic() - started
        store_id = int(out.getvalue().strip())
        try:
            yield Imported(shop, store_id, seconds, token, err.getvalue())
        finally:
            Store.objects.filter(pk=store_id).delete()
            workspace.delete()
            user.delete()


@pytest.fixture(scope="module", params=["us", "eu"])
def imported(request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Imported]:
    """Module scope, so it is made before any test's transaction opens (a function fixture's would be rolled back
    with the first test)."""
    shop = request.getfixturevalue(f"real_store_{request.param}")
    yield from _import(shop, request.param, django_db_blocker)


def _report(store_id: int, first: date, last: date, basis: str | None, excluded: list[str] | None) -> dict:
    args = ["--source", str(store_id), "--from", first.isoformat(), "--to", last.isoformat(), "--json"]
    if basis:
        args += ["--date-basis", basis]
    if excluded is not None:
        args += ["--exclude-statuses", ",".join(excluded)]
    out = StringIO()
    call_command("report", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def _api(imported: Imported, route: str, first: date, last: date, basis: str | None, excluded: list[str] | None) -> Any:
    params = {"source": imported.store_id, "date_from": first.isoformat(), "date_to": last.isoformat()}
    if basis:
        params["date_basis"] = basis
    if excluded is not None:
        params["exclude_statuses"] = ",".join(excluded)
    response = Client(headers={"Authorization": f"Bearer {imported.token}"}).get(f"/api/v1/metrics/{route}", params)
    assert response.status_code == 200, response.content
    return response.json()


def assert_reports_equal_truth(imported: Imported, basis: str | None, excluded: list[str] | None) -> None:
    """Every day and the total: the API's daily series, the API summary and `storelens report`, against the store."""
    want = expected(imported.shop, basis, excluded)
    series = _api(imported, "series", want.first, want.last, basis, excluded)
    assert not day_differences(want.nonzero(series["points"]), want.days)
    assert pick(_report(imported.store_id, want.first, want.last, basis, excluded)) == want.total
    assert pick(_api(imported, "summary", want.first, want.last, basis, excluded)) == want.total
    assert int(want.total["orders"]) > 50  # the seed's orders are in the range: this compares something


def test_the_first_import_reads_the_stores_own_analytics_settings(imported: Imported) -> None:
    from storelens.stores.models import Store

    store = Store.objects.get(pk=imported.store_id)
    basis, excluded, origins = OWN_SETTINGS[imported.shop.profile]
    assert (store.date_basis, sorted(store.excluded_statuses)) == (basis, sorted(excluded))
    assert (store.date_basis_origin, store.excluded_statuses_origin) == origins
    assert store.status == Store.Status.CONNECTED, (store.status, store.status_message)


@pytest.mark.parametrize("override", list(OVERRIDES))
def test_every_day_and_the_total_equal_the_stores_analytics_tables(imported: Imported, override: str) -> None:
    basis, excluded = OVERRIDES[override]
    assert_reports_equal_truth(imported, basis, excluded)
