"""The page shell, the empty dashboard and the settings page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from storelens.accounts.models import ApiToken
from storelens.dashboard.context import optional_url

pytestmark = pytest.mark.django_db


def test_empty_dashboard_says_what_to_do_next(alice: Any, client_for: Any) -> None:
    page = client_for(alice).get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Connect your first store" in html
    connect = optional_url("stores:add") or optional_url("stores:list")
    if connect:
        assert f'href="{connect}"' in html
    else:
        assert "storelens sources add" in html


def test_navigation_lists_dashboard_data_stores_and_settings(alice: Any, client_for: Any) -> None:
    html = client_for(alice).get("/settings/").content.decode()
    assert '<a href="/" >Dashboard</a>' not in html  # no stray attribute spacing
    assert 'href="/">Dashboard</a>' in html
    assert 'href="/settings/" class="active" aria-current="page">Settings</a>' in html
    if optional_url("stores:list"):
        assert f'href="{optional_url("stores:list")}">Data sources</a>' in html


def test_optional_url_is_empty_for_a_page_no_app_provides() -> None:
    assert optional_url("nowhere:nothing") == ""
    assert optional_url("dashboard:settings") == "/settings/"


def test_pages_load_only_local_assets(alice: Any, client_for: Any) -> None:
    html = client_for(alice).get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html and "/static/storelens/storelens.css" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "pages must not load anything from elsewhere"


def test_static_files_are_served_by_whitenoise(client: Client) -> None:
    for path, kind in (
        ("/static/vendor/htmx/htmx.min.js", "javascript"),
        ("/static/vendor/echarts/echarts.min.js", "javascript"),
        ("/static/storelens/storelens.css", "text/css"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response["Content-Type"]


def test_creating_a_token_shows_it_once(alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    page = client.post("/settings/tokens/", {"token-name": "spreadsheet"}).content.decode()
    token = ApiToken.objects.get(name="spreadsheet")
    raw = page.split('id="new-token">')[1].split("<")[0]
    assert ApiToken.objects.authenticate(raw) == token
    again = client.get("/settings/").content.decode()
    assert raw not in again and token.hint in again


def test_revoking_a_token_stops_it_working(alice: Any, client_for: Any) -> None:
    token, raw = ApiToken.issue(alice, alice.workspaces().get(), "old")
    response = client_for(alice).post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401


def test_only_an_owner_renames_the_workspace(alice: Any, make_member: Any, client_for: Any) -> None:
    clerk = make_member("clerk@example.com", "Alice's Shop", role="admin")
    client_for(clerk).post("/settings/workspace/", {"workspace-name": "Clerk's Shop"})
    assert alice.workspaces().get().name == "Alice's Shop"
    client_for(alice).post("/settings/workspace/", {"workspace-name": "Alice & Co"})
    assert alice.workspaces().get().name == "Alice & Co"


def test_settings_page_forms_carry_csrf_tokens(alice: Any, csrf_client: Client) -> None:
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    html = csrf_client.get("/settings/").content.decode()
    assert html.count('method="post"') == html.count('name="csrfmiddlewaretoken"')
    assert csrf_client.post("/settings/tokens/", {"token-name": "x"}).status_code == 403


def test_settings_page_has_unique_element_ids(alice: Any, client_for: Any) -> None:
    """Labels point at ids; two forms with a `name` field once sent "Token name" typing into the workspace name."""
    ids = re.findall(r'\bid="([^"]+)"', client_for(alice).get("/settings/").content.decode())
    assert len(ids) == len(set(ids))
