"""Connect from the plugin, Storelens side: start (signed in) → WooCommerce's approval → back with a one-time code →
exchange for the token and secret → status and disconnect with the token. The store is the fake one in-process."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from storelens.connector.models import ConnectorLink
from storelens.stores.models import Store
from storelens.stores.removal import remove_store
from storelens.sync.webhooks import webhook_secret
from tests.stores.helpers import HOME, PUBLIC_URL, a_store, callback_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_store")]
RETURN = HOME + "/wp-admin/admin.php?page=storelens-connector"


@pytest.fixture(autouse=True)
def public_url() -> Any:
    with override_settings(STORELENS_PUBLIC_URL=PUBLIC_URL):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def start(client: Client, state: str = "state-1", return_url: str = RETURN) -> Any:
    return client.post("/connector/start/", {"site": HOME, "return": return_url, "state": state})


def approve(client: Client, answer: Any) -> dict[str, list[str]]:
    """What WooCommerce does after Approve: post the key to the callback, then send the owner to return_url."""
    query = parse_qs(urlsplit(answer["Location"]).query)
    token = query["user_id"][0]
    assert (
        Client().post("/sources/wc-callback/", callback_body(token), content_type="application/json").status_code == 200
    )
    back = urlsplit(query["return_url"][0])
    assert f"{back.scheme}://{back.netloc}" == PUBLIC_URL
    answer = client.get(back.path, {"success": "1", "user_id": token})
    assert answer.status_code == 302 and answer["Location"].startswith(RETURN + "&")
    return parse_qs(urlsplit(answer["Location"]).query)


def exchange(code: str, site: str = HOME) -> Any:
    body = json.dumps({"code": code, "site": site, "version": "0.1.0"})
    return Client().post("/connector/exchange/", body, content_type="application/json")


def test_connect_from_the_plugin_adds_the_store_and_hands_the_plugin_a_hashed_token(alice: Any) -> None:
    client = signed_in(alice)
    page = client.get("/connector/start/", {"site": HOME, "return": RETURN, "state": "state-1"})
    assert page.status_code == 200 and b"Storelens will add it to this workspace" in page.content
    answer = start(client)
    assert answer.status_code == 302 and answer["Location"].startswith(HOME + "/wc-auth/v1/authorize?")
    (store,) = Store.objects.all()
    returned = approve(client, answer)
    assert returned["state"] == ["state-1"]

    got = exchange(returned["storelens_code"][0])
    assert got.status_code == 200, got.content
    body = got.json()
    store.refresh_from_db()
    assert body["store"] == store.public_id
    assert body["secret"] == webhook_secret(store)  # notices verify exactly like the store's webhooks
    assert body["store_url"] == f"{PUBLIC_URL}/sources/{store.pk}/"
    link = ConnectorLink.objects.get(store=store)
    assert body["token"] not in link.token_hash and len(link.token_hash) == 64
    store.refresh_from_db()
    assert store.connector_version == "0.1.0"
    assert exchange(returned["storelens_code"][0]).status_code == 400  # one use only

    bearer = {"HTTP_AUTHORIZATION": f"Bearer {body['token']}", "HTTP_X_STORELENS_CONNECTOR_VERSION": "0.1.1"}
    status = Client().get("/connector/status/", **bearer)
    assert status.status_code == 200
    assert status.json()["state"] in ("connecting", "connected")
    store.refresh_from_db()
    assert store.connector_version == "0.1.1"  # the plugin was updated: Storelens shows the new version

    out = io.StringIO()
    call_command("sources", "list", "--json", stdout=out)
    assert [row["connector"] for row in json.loads(out.getvalue())] == ["0.1.1"]

    assert Client().post("/connector/disconnect/", **bearer).status_code == 200
    assert Client().get("/connector/status/", **bearer).json()["state"] == "removed"
    store.refresh_from_db()
    assert store.connector_version is None


def test_reconnect_keeps_the_store_and_replaces_the_plugins_token(alice: Any) -> None:
    client = signed_in(alice)
    first = exchange(approve(client, start(client, "s1"))["storelens_code"][0]).json()["token"]
    page = client.get("/connector/start/", {"site": HOME, "return": RETURN, "state": "s2"})
    assert b"already one of this workspace" in page.content
    second = exchange(approve(client, start(client, "s2"))["storelens_code"][0]).json()["token"]
    assert Store.objects.count() == 1 and ConnectorLink.objects.count() == 1
    assert Client().get("/connector/status/", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 410
    assert Client().get("/connector/status/", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


def test_a_return_address_on_another_host_is_refused_and_nothing_is_added(alice: Any) -> None:
    answer = start(signed_in(alice), return_url="https://attacker.example/wp-admin/admin.php?page=storelens-connector")
    assert answer.status_code == 400 and b"different site" in answer.content
    assert not Store.objects.exists()


def test_start_asks_to_sign_in_first() -> None:
    answer = Client().get("/connector/start/", {"site": HOME, "return": RETURN, "state": "s"})
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/?next=/connector/start/")


def test_deny_on_the_store_goes_back_to_wp_admin_saying_so(alice: Any) -> None:
    client = signed_in(alice)
    token = parse_qs(urlsplit(start(client)["Location"]).query)["user_id"][0]
    answer = client.get("/connector/back/", {"success": "0", "user_id": token})
    assert parse_qs(urlsplit(answer["Location"]).query)["storelens_error"] == ["denied"]


def test_status_asks_for_reconnect_when_the_key_was_revoked_and_says_removed_after_remove(alice: Any) -> None:
    client = signed_in(alice)
    token = exchange(approve(client, start(client))["storelens_code"][0]).json()["token"]
    store = Store.objects.get()
    Store.objects.filter(pk=store.pk).update(
        status=Store.Status.NEEDS_REAUTH, status_message="WooCommerce refused Storelens's key."
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    status = Client().get("/connector/status/", **bearer).json()
    assert (status["state"], status["code"], status["action"]) == ("attention", "keys_revoked", "reconnect")
    assert status["message"] == "WooCommerce refused Storelens's key."
    Store.objects.filter(pk=store.pk).update(status=Store.Status.CONNECTED, key_permissions="read")
    assert Client().get("/connector/status/", **bearer).json()["code"] == "read_only"
    remove_store(Store.objects.get())
    answer = Client().get("/connector/status/", **bearer)
    assert answer.status_code == 410 and answer.json()["action"] == "reconnect"


def test_the_zip_download_carries_this_instances_address(alice: Any) -> None:
    answer = signed_in(alice).get("/connector/download/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    config = archive.read("storelens-connector/storelens-config.php").decode()
    assert f"'url' => '{PUBLIC_URL}'" in config
    assert "storelens-connector/storelens-connector.php" in archive.namelist()


def test_ive_installed_the_plugin_opens_the_plugins_page_on_the_store(alice: Any) -> None:
    answer = signed_in(alice).post("/connector/installed/", {"url": "shop.example.com/wp-admin/"})
    assert answer["Location"] == "https://shop.example.com/wp-admin/admin.php?page=storelens-connector"


def test_add_store_offers_both_ways(alice: Any) -> None:
    page = signed_in(alice).get("/sources/").content.decode()
    assert "Connect with WooCommerce's approval screen" in page
    assert "Install the Storelens Connector plugin" in page and 'href="/connector/download/"' in page
    assert "I've installed the plugin" in page


def test_a_store_page_says_whether_the_plugin_is_installed(alice: Any) -> None:
    store = a_store(alice.workspaces().first(), connector_version="0.1.0")
    page = signed_in(alice).get(f"/sources/{store.pk}/").content.decode()
    assert "Installed on the store, version 0.1.0" in page
