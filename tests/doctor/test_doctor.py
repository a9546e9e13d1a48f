"""`storelens doctor URL [--key K --secret S] [--json]` on every fake-store mode: the right problem, in both forms."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from storelens.stores import problems
from tests.transports import routes

from .fakes import HOME, PUBLIC_URL, Fake, make_fake, storelens_public


@pytest.fixture
def doctor_env(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings.STORELENS_ALLOW_PRIVATE_STORES = True
    settings.STORELENS_PUBLIC_URL = PUBLIC_URL
    settings.STORELENS_EGRESS_IP = ""
    routes(monkeypatch).table[PUBLIC_URL] = storelens_public()
    yield


def doctor(fake: Fake, *args: str, keys: bool = True, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    routes(monkeypatch).default = fake.transport
    out = io.StringIO()
    extra = ["--key", fake.key.consumer_key, "--secret", fake.key.consumer_secret] if keys else []
    try:
        call_command("doctor", HOME, *extra, *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


MODES = [
    ("plain-permalinks", "plain_permalinks", 0),
    ("waf-cloudflare", "waf_challenge", 1),
    ("waf-siteground", "waf_challenge", 1),
    ("strip-auth", "auth_header_stripped", 0),
    ("proxy-no-ssl", "proxy_no_ssl", 0),
    ("rest-disabled", "rest_disabled", 1),
    ("maintenance", "maintenance", 1),
    ("no-woocommerce", "not_woocommerce", 1),
    ("not-wordpress", "not_wordpress", 1),
    ("php-notices", "php_notices", 0),
    ("cache", "caching", 0),
    ("legacy-woocommerce", "legacy_woocommerce", 0),
]


def test_doctor_on_a_healthy_store_prints_no_problems_in_both_forms(
    doctor_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = make_fake()
    code, out = doctor(fake, "--json", monkeypatch=monkeypatch)
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"url", "problems", "checked"}
    assert data["url"] == HOME and data["problems"] == []
    assert {"site", "keys", "webhooks", "speed", "callback"} <= set(data["checked"])
    code, out = doctor(fake, monkeypatch=monkeypatch)
    assert code == 0 and "No problems found." in out and "Checked: site," in out


@pytest.mark.parametrize(("mode", "code", "exit_code"), MODES)
def test_doctor_names_each_modes_problem_in_json(
    mode: str, code: str, exit_code: int, doctor_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out = doctor(make_fake({mode}), "--json", monkeypatch=monkeypatch)
    data = json.loads(out)
    assert [p["code"] for p in data["problems"]] == [code]
    (problem,) = data["problems"]
    assert set(problem) == {"code", "severity", "message", "fix"}
    assert problem["severity"] == ("error" if exit_code else "warning")
    assert status == exit_code


@pytest.mark.parametrize(("mode", "code", "exit_code"), MODES)
def test_doctor_names_each_modes_problem_in_words_with_its_help_page(
    mode: str, code: str, exit_code: int, doctor_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out = doctor(make_fake({mode}), monkeypatch=monkeypatch)
    entry = problems.CATALOGUE[code]
    assert ("ERROR" if exit_code else "WARNING") in out
    assert entry.title in out and f"[{code}]" in out
    assert "What to do:" in out
    assert f"{PUBLIC_URL}/help/{code}/" in out
    assert status == exit_code


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda fake: fake.store.accounts.delete_key(fake.key.key_id), "keys_invalid"),
        (lambda fake: fake.store.accounts.set_role(1, "customer"), "permission_denied"),
        (
            lambda fake: setattr(
                fake.store.create_webhook(
                    {"name": "Storelens order.created", "topic": "order.created", "delivery_url": PUBLIC_URL + "/h"}
                ),
                "status",
                "disabled",
            ),
            "webhooks_disabled",
        ),
    ],
)
def test_doctor_with_keys_finds_what_only_keys_show(
    change: Any, code: str, doctor_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = make_fake()
    change(fake)
    _, out = doctor(fake, "--json", monkeypatch=monkeypatch)
    assert [p["code"] for p in json.loads(out)["problems"]] == [code]
    _, text = doctor(fake, monkeypatch=monkeypatch)
    assert f"[{code}]" in text


def test_doctor_reports_a_read_only_key(doctor_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = doctor(make_fake(permissions="read"), "--json", monkeypatch=monkeypatch)
    assert [p["code"] for p in json.loads(out)["problems"]] == ["keys_read_only"]


def test_doctor_without_keys_skips_the_keyed_checks(doctor_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = doctor(make_fake(), "--json", keys=False, monkeypatch=monkeypatch)
    data = json.loads(out)
    assert data["problems"] == [] and "keys" not in data["checked"] and "site" in data["checked"]


def test_doctor_names_the_egress_address_for_a_firewall(
    doctor_env: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STORELENS_EGRESS_IP = "198.51.100.7"
    _, out = doctor(make_fake({"waf-cloudflare"}), "--json", monkeypatch=monkeypatch)
    (problem,) = json.loads(out)["problems"]
    assert "198.51.100.7" in problem["fix"] and "Cloudflare" in problem["message"]


def test_doctor_says_stores_cannot_send_keys_without_a_public_url_only_while_no_keys_work(
    doctor_env: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STORELENS_PUBLIC_URL = ""
    status, out = doctor(make_fake(), "--json", keys=False, monkeypatch=monkeypatch)
    (problem,) = json.loads(out)["problems"]
    assert problem["code"] == "callback_unreachable" and problem["severity"] == "warning"
    assert "STORELENS_PUBLIC_URL" in problem["message"] and status == 0
    assert problem["fix"].startswith("Whoever runs Storelens: set STORELENS_PUBLIC_URL to its public https:// address.")
    _, text = doctor(make_fake(), keys=False, monkeypatch=monkeypatch)
    assert "/help/callback_unreachable/" in text
    # With keys that work the store needs no callback (changes are polled): no note about a server setting.
    status, out = doctor(make_fake(), "--json", monkeypatch=monkeypatch)
    assert json.loads(out)["problems"] == [] and status == 0
    _, text = doctor(make_fake(), monkeypatch=monkeypatch)
    assert "STORELENS_PUBLIC_URL" not in text


def test_doctor_on_a_private_address_says_so_plainly_and_how_to_allow_it_once(
    doctor_env: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STORELENS_ALLOW_PRIVATE_STORES = False
    settings.STORELENS_PUBLIC_URL = ""
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("doctor", "http://127.0.0.1:1", stdout=out)
    text = out.getvalue()
    assert "127.0.0.1 is this computer's own address (loopback)" in text
    assert "127.0.0.1 points to 127.0.0.1" not in text
    assert "STORELENS_ALLOW_PRIVATE_STORES=1" in text
    assert text.count("ERROR") == 1 and "STORELENS_PUBLIC_URL" not in text  # the one problem, not a second one


def test_doctor_needs_both_key_and_secret(doctor_env: None) -> None:
    with pytest.raises(CommandError, match="both --key and --secret"):
        call_command("doctor", HOME, "--key", "ck_x", stdout=io.StringIO())
