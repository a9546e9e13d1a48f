"""The data sources pages with the Django test client (CSRF enforced): add, connect, return, remove."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings

from storelens.stores.models import ConnectAttempt, Store

from .helpers import KEY, PUBLIC_URL, SECRET, a_store

pytestmark = pytest.mark.django_db


def csrf_token(client: Client, url: str) -> str:
    page = client.get(url)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, f"no form on {url}"
    return match.group(1)


def post_form(client: Client, page: str, action: str, data: dict[str, str] | None = None) -> Any:
    return client.post(action, {"csrfmiddlewaretoken": csrf_token(client, page), **(data or {})})


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_empty_list_offers_to_add_a_store(signed_in: Client) -> None:
    page = text(signed_in.get("/sources/"))
    assert "Add a WooCommerce store" in page and 'action="/sources/add/"' in page


def test_list_shows_each_store_with_status_last_sync_and_actions(alice: Any, signed_in: Client) -> None:
    workspace = alice.workspaces().first()
    first = a_store(workspace, name="First", status=Store.Status.NEEDS_REAUTH, status_message="The key was revoked.")
    first.set_keys(KEY, SECRET)
    first.save()
    a_store(workspace, name="Second", home_url="https://two.example.com", status=Store.Status.BLOCKED)
    page = text(signed_in.get("/sources/"))
    assert "First" in page and "Needs re-authorization" in page and "The key was revoked." in page
    assert "Second" in page and "Blocked by firewall" in page
    for action in ("Reconnect Store", "Check connection", "Remove", "Add a WooCommerce store"):
        assert action in page
    assert "never" in page  # no successful sync yet


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("exa mple.com", "invalid_url", "contains spaces"),
        ("ftp://example.com", "invalid_url", "not a web address"),
        ("http://127.0.0.1:9/wp-admin/", "private_address", "STORELENS_ALLOW_PRIVATE_STORES"),
        ("http://10.1.2.3", "private_address", "10.1.2.3 is a private network address"),
    ],
)
@override_settings(STORELENS_ALLOW_PRIVATE_STORES=False)
def test_adding_an_address_storelens_cannot_use_says_why_and_what_to_do(
    signed_in: Client, typed: str, code: str, words: str
) -> None:
    answer = post_form(signed_in, "/sources/", "/sources/add/", {"url": typed})
    page = text(answer)
    assert answer.status_code == 400
    assert f'data-code="{code}"' in page and words in page and "What to do:" in page
    assert "Traceback" not in page
    assert not Store.objects.exists()


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_connect_sends_the_browser_to_the_approval_screen_with_a_one_time_token(
    alice: Any, signed_in: Client, fake_store: Any
) -> None:
    store = a_store(alice.workspaces().first())
    page = f"/sources/{store.pk}/"
    answer = post_form(signed_in, page, f"/sources/{store.pk}/connect/", {"scope": "read_write"})
    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://shop.example.com/wc-auth/v1/authorize"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["app_name"] == "Storelens" and query["scope"] == "read_write"
    assert query["return_url"] == f"http://testserver{page}"
    assert query["callback_url"] == f"{PUBLIC_URL}/sources/wc-callback/"
    attempt = ConnectAttempt.objects.get(store=store)
    assert attempt.token_hash == ConnectAttempt.hash_token(query["user_id"]) and attempt.scope == "read_write"


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_read_only_choice_is_passed_as_scope_read(alice: Any, signed_in: Client, fake_store: Any) -> None:
    store = a_store(alice.workspaces().first())
    answer = post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/connect/", {"scope": "read"})
    assert parse_qs(urlsplit(answer["Location"]).query)["scope"] == ["read"]
    assert "no webhooks" in text(signed_in.get(f"/sources/{store.pk}/"))


@pytest.mark.parametrize(
    ("public_url", "words"),
    [
        ("", "STORELENS_PUBLIC_URL"),
        ("http://203.0.113.10", "only sends keys over HTTPS"),
        ("https://203.0.113.10:8443", "port 8443"),
        ("https://192.168.1.20", "private or local network address"),
    ],
)
def test_connect_explains_when_the_store_could_not_post_keys_to_storelens(
    alice: Any, signed_in: Client, public_url: str, words: str
) -> None:
    store = a_store(alice.workspaces().first())
    with override_settings(STORELENS_PUBLIC_URL=public_url):
        page = text(signed_in.get(f"/sources/{store.pk}/"))
        assert words in page and "manual keys" in page
        assert f'action="/sources/{store.pk}/connect/"' not in page  # no button into a certain error
        answer = post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/connect/")
    assert answer.status_code == 302 and answer["Location"] == f"/sources/{store.pk}/"
    assert not ConnectAttempt.objects.exists()


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_plain_permalinks_are_explained_first_with_the_fix_and_manual_keys(alice: Any, signed_in: Client) -> None:
    store = a_store(alice.workspaces().first(), plain_permalinks=True)
    page = text(signed_in.get(f"/sources/{store.pk}/"))
    assert "plain permalinks" in page and "Settings → Permalinks" in page and "Post name" in page
    assert "Use keys you create on your store" in page
    answer = post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/connect/")
    assert answer["Location"] == f"/sources/{store.pk}/"
    assert not ConnectAttempt.objects.exists()


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_coming_back_after_deny_says_so_and_offers_try_again(alice: Any, signed_in: Client) -> None:
    store = a_store(alice.workspaces().first())
    page = text(signed_in.get(f"/sources/{store.pk}/?success=0&user_id=whatever"))
    assert "You chose Deny on your store" in page and "Try again" in page


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_coming_back_without_keys_explains_the_likely_causes(alice: Any, signed_in: Client, fake_store: Any) -> None:
    store = a_store(alice.workspaces().first())
    post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/connect/")
    page = text(signed_in.get(f"/sources/{store.pk}/"))
    assert "Your store did not send Storelens the keys" in page
    assert "over HTTPS" in page and "firewall" in page and "plain permalinks" in page.lower()
    assert "Use keys you create on your store" in page


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_an_expired_link_is_named_when_the_owner_comes_back(alice: Any, signed_in: Client, fake_store: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    store = a_store(alice.workspaces().first())
    post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/connect/")
    ConnectAttempt.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "The connection link expired" in text(signed_in.get(f"/sources/{store.pk}/"))


def test_card_polls_while_the_keys_are_being_checked(alice: Any, signed_in: Client) -> None:
    from django.utils import timezone

    store = a_store(alice.workspaces().first(), keys_received_at=timezone.now())
    card = text(signed_in.get(f"/sources/{store.pk}/card/?success=1&user_id=t"))
    assert "Checking the keys" in card
    assert f'hx-get="/sources/{store.pk}/card/?success=1&user_id=t"' in card and 'hx-trigger="every 1s"' in card


def test_card_says_connected_and_stops_polling_once_verified(alice: Any, signed_in: Client) -> None:
    from django.utils import timezone

    now = timezone.now()
    store = a_store(
        alice.workspaces().first(), keys_received_at=now, keys_verified_at=now, status=Store.Status.CONNECTED
    )
    card = text(signed_in.get(f"/sources/{store.pk}/card/"))
    assert "Connected" in card and "hx-trigger" not in card


def test_remove_asks_for_confirmation_then_deletes_the_store(alice: Any, signed_in: Client) -> None:
    store = a_store(alice.workspaces().first())
    confirm = text(signed_in.get(f"/sources/{store.pk}/remove/"))
    assert "forget the store's keys" in confirm
    refused = post_form(signed_in, f"/sources/{store.pk}/remove/", f"/sources/{store.pk}/remove/")
    assert refused.status_code == 400 and Store.objects.filter(pk=store.pk).exists()
    done = post_form(signed_in, f"/sources/{store.pk}/remove/", f"/sources/{store.pk}/remove/", {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == "/sources/"
    assert not Store.objects.filter(pk=store.pk).exists()
    listing = text(signed_in.get("/sources/"))
    assert "Removed Example Shop" in listing and "Revoke Storelens's key" in listing


@override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL)
def test_connect_uses_the_query_form_when_the_store_does_not_route_wc_auth_paths(
    alice: Any, signed_in: Client, fake_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stale rewrite rules: /wc-auth/v1/authorize is the theme's 404, `/?wc-auth-version=1&…` still works."""
    import httpx

    from tests.transports import routes

    app = routes(monkeypatch).default.app  # type: ignore[union-attr]

    async def stale_rewrites(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/wc-auth/"):
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/html")]})
            await send({"type": "http.response.body", "body": b"<html>Page not found</html>"})
            return
        await app(scope, receive, send)

    routes(monkeypatch).default = httpx.ASGITransport(app=stale_rewrites)
    store = a_store(alice.workspaces().first())
    answer = post_form(signed_in, f"/sources/{store.pk}/", f"/sources/{store.pk}/connect/")
    target = urlsplit(answer["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://shop.example.com/"
    assert query["wc-auth-version"] == ["1"] and query["wc-auth-route"] == ["authorize"]
    assert query["app_name"] == ["Storelens"]


def test_a_check_that_never_ran_points_at_the_job_worker(alice: Any, signed_in: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    store = a_store(alice.workspaces().first(), keys_received_at=timezone.now() - timedelta(minutes=2))
    card = text(signed_in.get(f"/sources/{store.pk}/card/"))
    assert "Checking the keys" in card and "storelens worker" in card
