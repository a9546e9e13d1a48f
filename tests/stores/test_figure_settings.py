"""A store's date basis and excluded statuses: where each came from, said on the store's page, the Settings page, the
CLI and the doctor; an assumed one is never silent, and the owner's choice wins until handed back to the store."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from storelens.analytics.reports.summary import build
from storelens.stores.models import Store
from storelens.sync.api import run_sync
from storelens.woocommerce.retry import RetryPolicy
from tests.transports import routes

from ..doctor.fakes import HOME, PUBLIC_URL, Fake, make_fake, storelens_public

pytestmark = pytest.mark.django_db

EU = {
    "environment_type": "staging",
    "analytics_date_type": "date_created",
    "analytics_excluded_statuses": ["pending", "failed", "cancelled", "on-hold"],
}
ASSUMED_EXCLUDED = (
    "Orders excluded from reports: WooCommerce's default (pending, failed, cancelled), assumed: your store refused to "
    "tell us (its environment type is staging; WooCommerce said woocommerce_rest_cannot_view). If your WooCommerce "
    "Analytics settings differ, set them here."
)
FAST_RETRIES = {"retry": RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01, max_retry_after=0.01)}


def text(response: Any) -> str:
    """The page's words, without tags (`data-` attributes are read from `response.content`)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))).replace(" .", ".")


def post_form(client: Client, page: str, action: str, data: dict[str, Any] | None = None) -> Any:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(page).content.decode())
    assert match, f"no form on {page}"
    return client.post(action, {"csrfmiddlewaretoken": match.group(1), **(data or {})}, follow=True)


@pytest.fixture
def signed_in(alice: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def use_fake(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point Storelens at a fake store made with the given settings (through the one transport hook)."""
    settings.STORELENS_ALLOW_PRIVATE_STORES = True
    settings.STORELENS_PUBLIC_URL = PUBLIC_URL
    routes(monkeypatch).table[PUBLIC_URL] = storelens_public()

    def make(**config: Any) -> Fake:
        fake = make_fake(orders=config.pop("orders", 40), **config)
        routes(monkeypatch).default = fake.transport
        return fake

    yield make


def connected(alice: Any, fake: Fake) -> Store:
    store = Store(
        workspace=alice.workspaces().first(),
        entered_url=HOME,
        home_url=HOME,
        rest_root=HOME + "/wp-json/",
        name="Example Shop",
        status=Store.Status.CONNECTED,
        keys_verified_at=timezone.now(),
        key_permissions="read_write",
    )
    store.set_keys(fake.key.consumer_key, fake.key.consumer_secret)
    store.save()
    return store


def check(client: Client, store: Store) -> str:
    answer = post_form(client, f"/sources/{store.pk}/", f"/sources/{store.pk}/check/")
    store.refresh_from_db()
    return text(answer) + "\n" + answer.content.decode()


def origins(store: Store) -> tuple[str, str]:
    return (store.date_basis_origin, store.excluded_statuses_origin)


def test_a_staging_store_refusing_its_excluded_statuses_shows_them_assumed_on_the_store_and_settings_pages(
    alice: Any, signed_in: Client, use_fake: Any
) -> None:
    fake = use_fake(settings_api_refused=True, **EU)
    store = connected(alice, fake)
    page = check(signed_in, store)
    assert (store.date_basis, store.excluded_statuses) == ("created", ["pending", "failed", "cancelled"])
    assert origins(store) == ("store", "assumed")
    assert "Orders count by: the date created — read from your store's WooCommerce Analytics settings." in page
    assert ASSUMED_EXCLUDED in page
    assert 'data-setting="excluded_statuses" data-origin="assumed"' in page
    settings_page = text(signed_in.get("/settings/"))
    assert f"{store.name}: how figures are counted" in settings_page and ASSUMED_EXCLUDED in settings_page
    sales = text(signed_in.get(f"/sales/?source={store.pk}"))
    assert "Partly assumed: your store would not tell one of its WooCommerce Analytics settings" in sales
    record = store.store_settings["excluded_statuses"]
    assert (record["answer"], record["status"], record["environment_type"]) == ("refused", 403, "staging")


def test_a_staging_store_whose_settings_api_answers_is_read_without_assuming(
    alice: Any, signed_in: Client, use_fake: Any
) -> None:
    store = connected(alice, use_fake(**EU))
    page = check(signed_in, store)
    assert (store.date_basis, store.excluded_statuses) == ("created", ["cancelled", "failed", "on-hold", "pending"])
    assert origins(store) == ("store", "store") and "assumed" not in page


def test_a_store_that_never_saved_its_settings_says_woocommerces_default_as_an_answer(
    alice: Any, signed_in: Client, use_fake: Any
) -> None:
    store = connected(alice, use_fake())
    page = check(signed_in, store)
    assert origins(store) == ("default", "default")
    assert "Orders count by: the date paid — WooCommerce's default: your store has never changed this setting." in page
    assert "assumed" not in page


def test_the_owners_choice_wins_over_later_reads_until_handed_back_to_the_store(
    alice: Any, signed_in: Client, use_fake: Any
) -> None:
    store = connected(alice, use_fake(settings_api_refused=True, **EU))
    check(signed_in, store)
    chosen = ["pending", "failed", "cancelled", "on-hold"]
    page = text(
        post_form(
            signed_in,
            f"/sources/{store.pk}/",
            f"/sources/{store.pk}/figures/",
            {"setting": "excluded_statuses", "action": "set", "excluded": chosen},
        )
    )
    store.refresh_from_db()
    assert store.excluded_statuses == sorted(chosen) and origins(store) == ("store", "owner")
    assert "Every figure uses it from now on" in page
    assert "set by you here; your store's own setting is not followed" in page
    assert "Use the store's setting: pending, failed, cancelled (assumed)" in page

    page = check(signed_in, store)  # a later read does not undo the owner's choice
    assert store.excluded_statuses == sorted(chosen) and origins(store) == ("store", "owner")
    assert ASSUMED_EXCLUDED not in page

    page = text(
        post_form(
            signed_in,
            "/settings/",
            f"/sources/{store.pk}/figures/",
            {"setting": "excluded_statuses", "action": "store", "next": "settings"},
        )
    )
    store.refresh_from_db()
    assert store.excluded_statuses == ["pending", "failed", "cancelled"] and origins(store) == ("store", "assumed")
    assert ASSUMED_EXCLUDED in page  # back on the Settings page, assumed again


def test_an_unknown_status_or_date_is_refused_with_what_to_choose(alice: Any, signed_in: Client, use_fake: Any) -> None:
    store = connected(alice, use_fake())
    check(signed_in, store)
    page = text(
        post_form(
            signed_in,
            f"/sources/{store.pk}/",
            f"/sources/{store.pk}/figures/",
            {"setting": "date_basis", "action": "set", "date_basis": "shipped"},
        )
    )
    store.refresh_from_db()
    assert "Choose the date orders count by: created, paid or completed." in page
    assert origins(store) == ("default", "default")


def test_another_workspace_cannot_set_a_stores_figures(alice: Any, bob: Any, client_for: Any, use_fake: Any) -> None:
    store = connected(alice, use_fake())
    answer = client_for(bob).post(f"/sources/{store.pk}/figures/", {"setting": "date_basis", "date_basis": "created"})
    assert answer.status_code == 404


def test_stores_list_json_and_the_doctor_say_which_setting_was_assumed(
    alice: Any, signed_in: Client, use_fake: Any
) -> None:
    fake = use_fake(settings_api_refused=True, **EU)
    store = connected(alice, fake)
    check(signed_in, store)
    out = io.StringIO()
    call_command("sources", "list", "--json", stdout=out)
    figures = json.loads(out.getvalue())[0]["figure_settings"]
    assert figures["date_basis"] == {
        "value": "created",
        "origin": "store",
        "explanation": "read from your store's WooCommerce Analytics settings",
    }
    assert figures["excluded_statuses"]["origin"] == "assumed"
    assert figures["excluded_statuses"]["value"] == ["pending", "failed", "cancelled"]
    assert "refused to tell us (its environment type is staging" in figures["excluded_statuses"]["explanation"]
    assert figures["environment_type"] == "staging"

    doctor = io.StringIO()
    call_command("doctor", HOME, "--key", fake.key.consumer_key, "--secret", fake.key.consumer_secret, stdout=doctor)
    said = re.sub(r"\s+", " ", doctor.getvalue())
    assert "WARNING Storelens assumes some of your Analytics settings [analytics_settings_assumed]" in said
    assert "the order statuses it excludes (refused: HTTP 403 woocommerce_rest_cannot_view)" in said
    assert "Its WordPress environment type is “staging”" in said and "WP_ENVIRONMENT_TYPE" in said


def test_reports_count_by_the_stores_date_basis_and_by_the_owners_once_set(
    alice: Any, signed_in: Client, use_fake: Any
) -> None:
    """A store counting by creation date is reported by creation date; the owner's basis replaces it at once."""
    store = connected(alice, use_fake(orders=120, **EU))
    check(signed_in, store)
    run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    first, last = date(2000, 1, 1), date(2100, 1, 1)
    own = build([store], first, last, with_customers=False)
    by_created = build([store], first, last, date_basis="created", with_customers=False)
    by_paid = build([store], first, last, date_basis="paid", with_customers=False)
    assert own.totals.orders > 0
    assert own.daily == by_created.daily and own.daily != by_paid.daily

    post_form(
        signed_in,
        f"/sources/{store.pk}/",
        f"/sources/{store.pk}/figures/",
        {"setting": "date_basis", "action": "set", "date_basis": "paid"},
    )
    store.refresh_from_db()
    assert build([store], first, last, with_customers=False).daily == by_paid.daily
