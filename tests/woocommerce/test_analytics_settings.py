"""Each WooCommerce Analytics setting read on its own, against the fake store behaving as WooCommerce 11 does in each
WordPress environment type: what was read, what was never saved (WooCommerce's default applies), what was refused."""

from __future__ import annotations

import httpx
import pytest

from storelens.woocommerce.analytics_settings import (
    DATE_TYPE,
    EXCLUDED_STATUSES,
    Origin,
    read_analytics_settings,
    read_option,
)

from .conftest import FakeSleep
from .test_fakestore import make_fake

pytestmark = pytest.mark.anyio

SAVED = {"analytics_date_type": "date_created", "analytics_excluded_statuses": ["pending", "failed", "on-hold"]}


def _routes(fake: object) -> list[tuple[str, str, int]]:
    """Every request the store answered, as (path, query, status), recorded by an event hook on the transport."""
    return fake.seen  # type: ignore[attr-defined,no-any-return]


def recording(fake: object) -> None:
    inner = fake.transport  # type: ignore[attr-defined]
    seen: list[tuple[str, str, int]] = []

    class Recorder(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await inner.handle_async_request(request)
            seen.append((request.url.path, request.url.query.decode(), response.status_code))
            return response

    fake.transport = Recorder()  # type: ignore[attr-defined]
    fake.seen = seen  # type: ignore[attr-defined]


async def test_a_production_store_answers_both_options_each_with_its_own_request(fake_sleep: FakeSleep) -> None:
    fake = make_fake(orders=5, **SAVED)
    recording(fake)
    async with fake.client(fake_sleep) as client:
        settings = await read_analytics_settings(client)
    assert settings.date_type.origin is Origin.READ and settings.date_type.value == "date_created"
    assert settings.excluded_statuses.origin is Origin.READ
    assert settings.excluded_statuses.value == ("pending", "failed", "on-hold")
    assert settings.environment_type is None  # nothing refused: not asked
    options = [(q, status) for path, q, status in _routes(fake) if path.endswith("/wc-admin/options")]
    assert options == [(f"options={DATE_TYPE}", 200), (f"options={EXCLUDED_STATUSES}", 200)]


async def test_options_never_saved_are_unset_so_woocommerces_defaults_apply(fake_sleep: FakeSleep) -> None:
    async with make_fake(orders=5).client(fake_sleep) as client:
        settings = await read_analytics_settings(client)
    assert [r.origin for r in settings.readings] == [Origin.UNSET, Origin.UNSET]
    assert all(r.known for r in settings.readings)
    assert settings.date_type.effective() == "date_paid"
    assert set(settings.excluded_statuses.effective()) == {"pending", "failed", "cancelled"}


@pytest.mark.parametrize("environment", ["staging", "development", "local"])
async def test_outside_production_the_excluded_statuses_are_refused_by_options_and_read_from_settings(
    fake_sleep: FakeSleep, environment: str
) -> None:
    fake = make_fake(orders=5, environment_type=environment, **SAVED)
    recording(fake)
    async with fake.client(fake_sleep) as client:
        settings = await read_analytics_settings(client)
    assert (settings.date_type.origin, settings.date_type.value) == (Origin.READ, "date_created")
    assert settings.date_type.route == "/wc-admin/options"  # on WooCommerce's allow-list: answered
    assert settings.excluded_statuses.origin is Origin.READ
    assert settings.excluded_statuses.value == ("pending", "failed", "on-hold")
    assert settings.excluded_statuses.route == f"/wc/v3/settings/wc_admin/{EXCLUDED_STATUSES}"
    refused = [(p, s) for p, q, s in _routes(fake) if q == f"options={EXCLUDED_STATUSES}"]
    assert refused == [("/wp-json/wc-admin/options", 403)]


async def test_the_whole_combined_request_is_refused_outside_production_as_woocommerce_11_does() -> None:
    fake = make_fake(orders=5, environment_type="staging", **SAVED)
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.home) as http:
        both = await http.get(
            "/wp-json/wc-admin/options",
            params={"options": f"{DATE_TYPE},{EXCLUDED_STATUSES}"},
            auth=(fake.key.consumer_key, fake.key.consumer_secret),
        )
        alone = await http.get(
            "/wp-json/wc-admin/options",
            params={"options": DATE_TYPE},
            auth=(fake.key.consumer_key, fake.key.consumer_secret),
        )
    assert both.status_code == 403
    assert both.json() == {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot view these options.",
        "data": {"status": 403},
    }
    assert alone.status_code == 200 and alone.json() == {DATE_TYPE: "date_created"}


async def test_a_shop_managers_key_is_refused_the_excluded_statuses_even_in_production(fake_sleep: FakeSleep) -> None:
    """Off the allow-list WooCommerce wants manage_options, which shop managers lack; the settings API does not."""
    fake = make_fake(orders=5, **SAVED)
    fake.store.accounts.set_role(fake.key.user_id, "shop_manager")
    async with fake.client(fake_sleep) as client:
        reading = await read_option(client, EXCLUDED_STATUSES)
    assert reading.origin is Origin.READ and reading.route.startswith("/wc/v3/settings/wc_admin/")


async def test_refused_by_both_routes_the_setting_is_unknown_with_the_refusal_and_the_environment(
    fake_sleep: FakeSleep,
) -> None:
    fake = make_fake(orders=5, environment_type="staging", settings_api_refused=True, **SAVED)
    async with fake.client(fake_sleep) as client:
        settings = await read_analytics_settings(client)
    assert (settings.date_type.origin, settings.date_type.value) == (Origin.READ, "date_created")
    excluded = settings.excluded_statuses
    assert (excluded.origin, excluded.status, excluded.code) == (Origin.REFUSED, 403, "woocommerce_rest_cannot_view")
    assert not excluded.known and excluded.value is None
    assert set(excluded.effective()) == {"pending", "failed", "cancelled"}  # what Storelens must then assume
    assert settings.environment_type == "staging"


async def test_a_store_that_does_not_answer_leaves_the_setting_unknown_as_unreachable(fake_sleep: FakeSleep) -> None:
    fake = make_fake(orders=5, **SAVED)
    fake.store.config.faults.error_5xx_rate = 1.0
    async with fake.client(fake_sleep) as client:
        reading = await read_option(client, DATE_TYPE)
    assert (reading.origin, reading.code, reading.status) == (Origin.UNREACHABLE, "server_error", 500)


async def test_the_fakes_wc_admin_setting_has_the_shape_woocommerce_11_answers() -> None:
    """Keys in order as measured on WooCommerce 11.0.1 (GET /wc/v3/settings/wc_admin/<id> on the EU store)."""
    fake = make_fake(orders=5, environment_type="staging", **SAVED)
    async with httpx.AsyncClient(transport=fake.transport, base_url=fake.home) as http:
        answer = await http.get(
            f"/wp-json/wc/v3/settings/wc_admin/{EXCLUDED_STATUSES}",
            auth=(fake.key.consumer_key, fake.key.consumer_secret),
        )
    body = answer.json()
    assert answer.status_code == 200
    assert list(body) == ["id", "label", "description", "default", "type", "options", "value", "group_id", "_links"]
    assert list(body["options"])[-1] == "checkout-draft" and body["default"] == ["pending", "cancelled", "failed"]
    assert body["_links"]["self"][0]["targetHints"] == {"allow": ["GET", "POST", "PUT", "PATCH"]}
