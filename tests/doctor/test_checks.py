"""The checks engine against the fake store: every mode yields its code, a healthy store yields none."""

from __future__ import annotations

import ssl

import pytest
import trustme

from storelens.doctor.checks import run_checks
from storelens.stores import callback_rules
from tests.woocommerce import waf_pages
from tests.woocommerce.sockets import json_answer, serve

from .fakes import HOME, check_settings, firewall_in_front, make_fake, storelens_public

pytestmark = pytest.mark.anyio

EVERY_CHECK = [
    "site",
    "permalinks",
    "php_notices",
    "keys",
    "permissions",
    "authorization_header",
    "https_proxy",
    "analytics_settings",
    "woocommerce_version",
    "caching",
    "webhooks",
    "speed",
    "callback",
]


async def test_a_healthy_store_has_no_problems_and_every_check_ran() -> None:
    fake = make_fake()
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.problems == []
    assert report.checked == EVERY_CHECK
    assert report.failure is None and report.details is not None
    assert report.as_json() == {"url": HOME, "problems": [], "checked": EVERY_CHECK}


@pytest.mark.parametrize(
    ("mode", "code", "severity"),
    [
        ("plain-permalinks", "plain_permalinks", "warning"),
        ("waf-cloudflare", "waf_challenge", "error"),
        ("waf-siteground", "waf_challenge", "error"),
        ("strip-auth", "auth_header_stripped", "warning"),
        ("proxy-no-ssl", "proxy_no_ssl", "warning"),
        ("rest-disabled", "rest_disabled", "error"),
        ("maintenance", "maintenance", "error"),
        ("no-woocommerce", "not_woocommerce", "error"),
        ("not-wordpress", "not_wordpress", "error"),
        ("php-notices", "php_notices", "warning"),
        ("cache", "caching", "warning"),
        ("legacy-woocommerce", "legacy_woocommerce", "warning"),
    ],
)
async def test_each_fake_store_mode_yields_its_code_and_nothing_else(mode: str, code: str, severity: str) -> None:
    fake = make_fake({mode})
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.codes() == [code]
    problem = report.problems[0]
    assert problem.severity == severity
    assert problem.message and problem.fix
    assert (report.failure is not None) is (severity == "error")


async def test_the_cache_is_found_without_keys_too() -> None:
    fake = make_fake({"cache"})
    report = await run_checks(HOME, None, check_settings(fake))
    assert report.codes() == ["caching"]
    assert "keys" not in report.checked


@pytest.mark.parametrize(
    ("mode", "vendor"),
    [("waf-cloudflare", "Cloudflare"), ("waf-siteground", "SiteGround")],
)
async def test_a_firewall_is_named_with_what_to_allow_and_the_egress_address(mode: str, vendor: str) -> None:
    fake = make_fake({mode})
    report = await run_checks(HOME, fake.credentials, check_settings(fake, egress_ip="198.51.100.7"))
    (problem,) = report.problems
    assert vendor in problem.message
    for allowed in ("/wp-json/", "/wc-auth/", "Storelens/", "GET and POST", "198.51.100.7"):
        assert allowed in problem.fix


@pytest.mark.parametrize(
    ("page", "vendor"),
    [
        (waf_pages.SUCURI_BLOCK, "Sucuri"),
        (waf_pages.MODSECURITY_406, "ModSecurity"),
        (waf_pages.WORDFENCE_BLOCK, "Wordfence"),
        (waf_pages.CLOUDFLARE_BLOCK_NO_HEADER, "Cloudflare"),
    ],
)
async def test_firewalls_the_fake_has_no_mode_for_are_recognised_from_their_pages(page: tuple, vendor: str) -> None:
    fake = make_fake()
    report = await run_checks(HOME, fake.credentials, check_settings(fake, transport=firewall_in_front(fake, page)))
    (problem,) = report.problems
    assert problem.code == "waf_challenge" and vendor in problem.message


async def test_revoked_keys_are_keys_invalid_with_reconnect() -> None:
    fake = make_fake()
    fake.store.accounts.delete_key(fake.key.key_id)
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    (problem,) = report.problems
    assert problem.code == "keys_invalid" and problem.severity == "error"
    assert "Reconnect Store" in problem.fix


async def test_a_read_only_key_is_a_warning() -> None:
    fake = make_fake(permissions="read")
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.codes() == ["keys_read_only"]
    assert report.failure is None


async def test_a_key_whose_user_was_demoted_is_permission_denied() -> None:
    fake = make_fake()
    fake.store.accounts.set_role(1, "customer")
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.codes() == ["permission_denied"]


async def test_webhooks_woocommerce_disabled_are_reported() -> None:
    fake = make_fake()
    hook = fake.store.create_webhook(
        {"name": "Storelens order.updated", "topic": "order.updated", "delivery_url": "https://203.0.113.10/hook"}
    )
    hook.status = "disabled"
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.codes() == ["webhooks_disabled"]
    assert "order.updated" in report.problems[0].message


async def test_someone_elses_disabled_webhook_is_not_ours() -> None:
    fake = make_fake()
    hook = fake.store.create_webhook(
        {"name": "Zapier", "topic": "order.created", "delivery_url": "https://hooks.example.net/x"}
    )
    hook.status = "disabled"
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.problems == []


async def test_a_store_slower_than_the_threshold_per_page_of_100_orders_is_slow() -> None:
    # The fake waits 50 ms before every answer; the 5 s threshold is scaled down to 40 ms so the test stays quick.
    fake = make_fake(faults={"latency_ms": 50.0})
    report = await run_checks(HOME, fake.credentials, check_settings(fake, slow_seconds=0.04))
    assert report.codes() == ["slow"]
    assert "page of 100 orders" in report.problems[0].message


async def test_a_store_that_times_out_is_unreachable() -> None:
    fake = make_fake(faults={"timeout_rate": 1.0, "timeout_s": 0.0})
    report = await run_checks(HOME, fake.credentials, check_settings(fake))
    assert report.codes() == ["unreachable"]
    assert report.checked == ["site"]  # the store's failure alone: Storelens's own address is checked once it answers


async def test_a_store_that_refuses_connections_is_unreachable() -> None:
    async with serve(json_answer()) as (port, _):
        pass  # the port is closed again: nothing listens there now
    report = await run_checks(f"https://127.0.0.1:{port}", None, check_settings(None))
    (problem,) = report.problems
    assert problem.code == "unreachable" and "refused" in problem.message


async def test_a_self_signed_store_certificate_is_a_tls_error() -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    async with serve(json_answer(), context) as (port, _):
        report = await run_checks(f"https://127.0.0.1:{port}", None, check_settings(None))
    (problem,) = report.problems
    assert problem.code == "tls_error"


# --- can the store post keys to Storelens? ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("public_url", "words", "severity"),
    [
        ("", "STORELENS_PUBLIC_URL is not set", "warning"),
        ("http://203.0.113.10", callback_rules.WC_NOT_SSL, "error"),
        ("https://203.0.113.10:9443", callback_rules.WC_INVALID_URL, "error"),
        ("https://192.168.1.20", callback_rules.WC_INVALID_URL, "error"),
    ],
)
async def test_a_public_url_wordpress_refuses_is_callback_unreachable_in_woocommerces_words(
    public_url: str, words: str, severity: str
) -> None:
    fake = make_fake()
    # Without keys, as when connecting: the store will need to post them to Storelens.
    report = await run_checks(HOME, None, check_settings(fake, public_url=public_url))
    (problem,) = report.problems
    assert problem.code == "callback_unreachable" and problem.severity == severity
    assert words in problem.message
    assert "keys you create on your store" in problem.fix


@pytest.mark.parametrize("public_url", ["", "http://203.0.113.10"])
async def test_with_keys_that_work_an_unset_or_plain_http_public_url_is_no_problem(public_url: str) -> None:
    # The keys arrived already; webhooks may be delivered over http, and a Reconnect checks the rules itself.
    fake = make_fake()
    report = await run_checks(HOME, fake.credentials, check_settings(fake, public_url=public_url))
    assert report.problems == [] and "callback" in report.checked


async def test_with_keys_that_work_a_public_url_that_stops_webhooks_is_a_warning_that_says_syncing_goes_on() -> None:
    fake = make_fake()
    report = await run_checks(HOME, fake.credentials, check_settings(fake, callback_transport=storelens_public(502)))
    (problem,) = report.problems
    assert problem.code == "callback_unreachable" and problem.severity == "warning"
    assert "syncing goes on" in problem.message


async def test_a_public_url_that_answers_anything_but_200_cannot_receive_keys() -> None:
    fake = make_fake()
    report = await run_checks(HOME, fake.credentials, check_settings(fake, callback_transport=storelens_public(502)))
    (problem,) = report.problems
    assert problem.code == "callback_unreachable"
    assert callback_rules.WC_SEND_FAILED in problem.message and "HTTP 502" in problem.message


async def test_a_public_url_nothing_listens_on_cannot_receive_keys() -> None:
    async with serve(json_answer()) as (port, _):
        pass
    fake = make_fake(home=f"https://127.0.0.1:{port}")
    settings = check_settings(fake, public_url=f"https://127.0.0.1:{port}", callback_transport=None)
    report = await run_checks(fake.home, fake.credentials, settings)
    (problem,) = report.problems
    assert problem.code == "callback_unreachable" and callback_rules.WC_SEND_FAILED in problem.message


async def test_a_public_url_with_a_certificate_wordpress_does_not_trust_is_curl_error_60() -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    async with serve(json_answer(), context) as (port, _):
        fake = make_fake(home=f"https://127.0.0.1:{port}")
        settings = check_settings(fake, public_url=f"https://127.0.0.1:{port}", callback_transport=None)
        report = await run_checks(fake.home, fake.credentials, settings)
    (problem,) = report.problems
    assert problem.code == "callback_unreachable" and callback_rules.WC_CURL_60 in problem.message


async def test_the_same_public_url_with_a_trusted_certificate_is_fine() -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with ca.cert_pem.tempfile() as ca_file:
        async with serve(json_answer(), context) as (port, _):
            fake = make_fake(home=f"https://127.0.0.1:{port}")
            settings = check_settings(
                fake, public_url=f"https://127.0.0.1:{port}", callback_transport=None, callback_verify=ca_file
            )
            report = await run_checks(fake.home, fake.credentials, settings)
    assert report.problems == []


async def test_a_public_url_whose_name_does_not_resolve_cannot_receive_keys() -> None:
    fake = make_fake()
    settings = check_settings(fake, public_url="https://storelens.example.net", resolve=lambda host: None)
    report = await run_checks(HOME, fake.credentials, settings)
    (problem,) = report.problems
    assert problem.code == "callback_unreachable" and "does not resolve" in problem.message
    assert callback_rules.WC_SEND_FAILED in problem.message
