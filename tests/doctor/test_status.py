"""Status from reality: the Check connection button and the sync set the source's status from what the store does,
every page shows a banner while a store needs attention, and both clear by themselves once the cause is gone."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from storelens.stores import problems
from storelens.stores.models import Store
from storelens.sync import api as sync_api
from storelens.woocommerce.errors import StoreError
from storelens.woocommerce.retry import RetryPolicy
from tests.transports import routes

from .fakes import HOME, PUBLIC_URL, Fake, make_fake, storelens_public

FAST_RETRIES = {"retry": RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01, max_retry_after=0.01)}


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def post_form(client: Client, page: str, action: str) -> Any:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(page).content.decode())
    assert match, f"no form on {page}"
    return client.post(action, {"csrfmiddlewaretoken": match.group(1)}, follow=True)


@pytest.fixture
def signed_in(alice: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def fake(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fake]:
    settings.STORELENS_ALLOW_PRIVATE_STORES = True
    settings.STORELENS_PUBLIC_URL = PUBLIC_URL
    fake = make_fake(orders=40)
    table = routes(monkeypatch)
    table.table[PUBLIC_URL] = storelens_public()
    table.default = fake.transport
    yield fake


def connected_store(alice: Any, fake: Fake) -> Store:
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
    page = f"/sources/{store.pk}/"
    return text(post_form(client, page, f"/sources/{store.pk}/check/"))


@pytest.mark.parametrize(
    ("mode", "status", "code"),
    [
        ("waf-cloudflare", Store.Status.BLOCKED, "waf_challenge"),
        ("waf-siteground", Store.Status.BLOCKED, "waf_challenge"),
        ("maintenance", Store.Status.UNREACHABLE, "maintenance"),
        ("rest-disabled", Store.Status.MISCONFIGURED, "rest_disabled"),
        ("no-woocommerce", Store.Status.MISCONFIGURED, "not_woocommerce"),
        ("not-wordpress", Store.Status.MISCONFIGURED, "not_wordpress"),
    ],
)
def test_check_connection_sets_the_status_of_each_failing_mode_with_its_help_link(
    mode: str, status: str, code: str, alice: Any, signed_in: Client, fake: Fake
) -> None:
    store = connected_store(alice, fake)
    fake.store.config.set_modes({mode})
    page = check(signed_in, store)
    store.refresh_from_db()
    assert (store.status, store.status_code) == (status, code)
    assert store.status_message and store.status_fix
    assert f'href="/help/{code}/"' in page  # the message after the button, and the card
    assert "What to do:" in page and store.status_fix in page
    assert "needs your attention" in text(signed_in.get("/"))  # the banner


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("plain-permalinks", "plain_permalinks"),
        ("strip-auth", "auth_header_stripped"),
        ("proxy-no-ssl", "proxy_no_ssl"),
        ("php-notices", "php_notices"),
        ("cache", "caching"),
        ("legacy-woocommerce", "legacy_woocommerce"),
    ],
)
def test_check_connection_shows_warnings_without_breaking_a_working_store(
    mode: str, code: str, alice: Any, signed_in: Client, fake: Fake
) -> None:
    store = connected_store(alice, fake)
    fake.store.config.set_modes({mode})
    page = check(signed_in, store)
    store.refresh_from_db()
    assert store.status == Store.Status.CONNECTED and store.status_code == ""
    assert f'href="/help/{code}/"' in page
    assert "needs your attention" not in page


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda fake: fake.store.accounts.delete_key(fake.key.key_id), "keys_invalid"),
        (lambda fake: fake.store.accounts.set_role(1, "customer"), "permission_denied"),
    ],
)
def test_check_connection_with_keys_that_stopped_working_asks_to_reconnect(
    change: Any, code: str, alice: Any, signed_in: Client, fake: Fake
) -> None:
    store = connected_store(alice, fake)
    change(fake)
    page = check(signed_in, store)
    store.refresh_from_db()
    assert (store.status, store.status_code) == (Store.Status.NEEDS_REAUTH, code)
    assert "Needs re-authorization" in page and "Reconnect Store" in page


def test_the_banner_shows_on_every_page_until_check_connection_finds_the_cause_gone(
    alice: Any, signed_in: Client, fake: Fake
) -> None:
    store = connected_store(alice, fake)
    fake.store.config.set_modes({"waf-cloudflare"})
    check(signed_in, store)
    for url in ("/", "/sources/", "/settings/", "/help/", "/help/waf_challenge/"):
        page = text(signed_in.get(url))
        assert "Example Shop needs your attention: Blocked by firewall." in page, url
        assert f'href="/sources/{store.pk}/"' in page
    own_page = text(signed_in.get(f"/sources/{store.pk}/"))  # the card says it all there
    assert "needs your attention" not in own_page and "Blocked by firewall" in own_page
    fake.store.config.set_modes(set())
    page = check(signed_in, store)
    store.refresh_from_db()
    assert store.status == Store.Status.CONNECTED and store.status_message == ""
    assert "needs your attention" not in page and "Storelens's keys work" in page


def test_a_failing_sync_sets_the_status_and_a_later_good_sync_clears_it(
    alice: Any, signed_in: Client, fake: Fake
) -> None:
    store = connected_store(alice, fake)
    fake.store.accounts.delete_key(fake.key.key_id)
    with pytest.raises(StoreError):
        sync_api.run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert (store.status, store.status_code) == (Store.Status.NEEDS_REAUTH, "keys_invalid")
    assert "Reconnect Store" in store.status_fix
    detail = text(signed_in.get(f"/sources/{store.pk}/"))
    assert "Needs re-authorization" in detail and "Since " in detail and 'href="/help/keys_invalid/"' in detail
    assert "needs your attention" in text(signed_in.get("/"))

    key = fake.store.accounts.create_key(1, "Storelens", "read_write")  # the owner reconnected
    store.set_keys(key.consumer_key, key.consumer_secret)
    store.save()
    sync_api.run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert store.status == Store.Status.CONNECTED and store.status_code == ""
    assert "needs your attention" not in text(signed_in.get("/"))


def test_a_sync_blocked_by_a_firewall_names_the_vendor_and_the_address_to_allow(
    alice: Any, fake: Fake, settings: Any
) -> None:
    settings.STORELENS_EGRESS_IP = "198.51.100.7"
    store = connected_store(alice, fake)
    fake.store.config.set_modes({"waf-cloudflare"})
    with pytest.raises(StoreError):
        sync_api.run_sync(store.pk, client_options=FAST_RETRIES)
    store.refresh_from_db()
    assert store.status == Store.Status.BLOCKED and "Cloudflare" in store.status_message
    assert "198.51.100.7" in store.status_fix and "/wp-json/" in store.status_fix


def test_help_pages_exist_for_every_code_and_unknown_codes_are_404(signed_in: Client) -> None:
    index = text(signed_in.get("/help/"))
    for code, entry in problems.CATALOGUE.items():
        assert f'href="/help/{code}/"' in index
        page = text(signed_in.get(f"/help/{code}/"))
        assert entry.title in page and entry.fix in page
        for step in entry.steps:
            assert step in page
    assert signed_in.get("/help/no_such_problem/").status_code == 404
    assert signed_in.get("/help/timeout/").status_code == 200  # the seam's code for the same owner-facing problem


def test_the_connect_card_links_the_help_pages_of_what_stops_connecting(
    alice: Any, signed_in: Client, fake: Any, settings: Any
) -> None:
    store = Store.objects.create(
        workspace=alice.workspaces().first(), entered_url=HOME, home_url=HOME, plain_permalinks=True
    )
    assert 'href="/help/plain_permalinks/"' in text(signed_in.get(f"/sources/{store.pk}/"))
    settings.STORELENS_PUBLIC_URL = "http://203.0.113.10"  # WooCommerce sends keys over HTTPS only
    store.plain_permalinks = False
    store.save()
    assert 'href="/help/callback_unreachable/"' in text(signed_in.get(f"/sources/{store.pk}/"))


def test_warnings_stay_on_the_store_page_with_help_until_a_check_finds_them_gone(
    alice: Any, signed_in: Client, fake: Any, settings: Any
) -> None:
    store = connected_store(alice, fake)
    settings.STORELENS_PUBLIC_URL = ""  # the check warns about Storelens's own address: never kept on the store
    store.data_warnings = [{"code": "rounded_amounts", "message": "Some amounts were rounded."}]
    store.save()
    fake.store.config.set_modes({"strip-auth", "php-notices"})
    check(signed_in, store)
    page = text(signed_in.get(f"/sources/{store.pk}/"))
    assert "Worth fixing on your store" in page
    for code in ("auth_header_stripped", "php_notices"):
        assert problems.CATALOGUE[code].title in page and f'href="/help/{code}/"' in page
    assert "Some amounts were rounded." in page
    assert "STORELENS_PUBLIC_URL" not in page  # about Storelens's own address, not the store
    check(signed_in, store)  # once the working way to send keys is remembered, the next check still finds it
    page = text(signed_in.get(f"/sources/{store.pk}/"))
    assert problems.CATALOGUE["auth_header_stripped"].title in page

    fake.store.config.set_modes({"php-notices"})  # the host passed the Authorization header on
    check(signed_in, store)
    page = text(signed_in.get(f"/sources/{store.pk}/"))
    assert problems.CATALOGUE["auth_header_stripped"].title not in page
    assert problems.CATALOGUE["php_notices"].title in page and "Some amounts were rounded." in page

    fake.store.config.set_modes({"waf-cloudflare"})  # a failed check saw nothing: the warnings stay
    check(signed_in, store)
    assert problems.CATALOGUE["php_notices"].title in text(signed_in.get(f"/sources/{store.pk}/"))


def test_back_from_the_store_without_keys_names_a_cached_approval_screen_among_the_causes(
    alice: Any, signed_in: Client, fake: Any
) -> None:
    from storelens.stores.models import ConnectAttempt

    store = Store.objects.create(workspace=alice.workspaces().first(), entered_url=HOME, home_url=HOME)
    _, token = ConnectAttempt.start(store, alice)
    page = text(signed_in.get(f"/sources/{store.pk}/?success=1&user_id={token}"))
    assert "Your store did not send Storelens the keys" in page
    assert "Error: Invalid nonce verification." in page and 'href="/help/caching/"' in page
    assert 'href="/help/callback_unreachable/"' in page


def test_the_firewall_help_page_names_the_address_storelens_connects_from(signed_in: Client, settings: Any) -> None:
    assert "Storelens connects to your store from" not in text(signed_in.get("/help/waf_challenge/"))
    settings.STORELENS_EGRESS_IP = "198.51.100.7"
    page = re.sub(r"<[^>]+>", "", text(signed_in.get("/help/waf_challenge/")))
    assert "Storelens connects to your store from 198.51.100.7: allow that address too." in page


def test_check_connection_says_a_failure_once_on_the_store_page_with_no_public_url_note_when_keys_work(
    alice: Any, signed_in: Client, fake: Fake, settings: Any
) -> None:
    store = connected_store(alice, fake)
    fake.store.config.set_modes({"maintenance"})
    page = check(signed_in, store)
    store.refresh_from_db()
    assert store.status_code == "maintenance"
    assert page.count(store.status_message) == 1 and page.count(store.status_fix) == 1
    fake.store.config.set_modes(set())
    settings.STORELENS_PUBLIC_URL = ""
    page = check(signed_in, store)
    assert "Storelens's keys work" in page
    assert "STORELENS_PUBLIC_URL" not in page  # a server setting, and the store does not need it to sync
