"""The e-mail digest choice on Settings (per member and workspace), what the page says when digests cannot be sent,
and STORELENS_SMTP_URL refused at start when Storelens could not use it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from storelens import config
from storelens.accounts.models import Membership
from storelens.config import SettingError
from storelens.dashboard.models import DigestSubscription

SMTP = "smtp://127.0.0.1:2525"


@pytest.mark.django_db
def test_a_member_chooses_a_weekly_digest_and_settings_shows_it_chosen(alice: Any, client_for: Any) -> None:
    client = client_for(alice)
    with override_settings(STORELENS_SMTP_URL=SMTP):
        answer = client.post("/settings/digest/", {"frequency": "weekly"}, follow=True)
        html = answer.content.decode()
    assert "You will receive a weekly e-mail digest at alice@example.com." in html
    assert '<option value="weekly" selected>' in html
    assert "no mail server is configured" not in html
    assert DigestSubscription.objects.get(membership__user=alice).frequency == "weekly"
    client.post("/settings/digest/", {"frequency": "off"})
    assert DigestSubscription.objects.get(membership__user=alice).frequency == "off"


@pytest.mark.django_db
def test_each_workspace_keeps_its_own_choice(alice: Any, make_member: Any, client_for: Any) -> None:
    make_member("alice@example.com", "Second Shop", role="analyst")
    client = client_for(alice)
    client.post("/settings/digest/", {"frequency": "daily"})
    choices = dict(DigestSubscription.objects.values_list("membership__workspace__name", "frequency"))
    assert choices == {"Alice's Shop": "daily"}


@pytest.mark.django_db
def test_an_unknown_frequency_is_refused_and_nothing_changes(alice: Any, client_for: Any) -> None:
    html = client_for(alice).post("/settings/digest/", {"frequency": "hourly"}, follow=True).content.decode()
    assert "Choose one of: off, daily, weekly, monthly." in html
    assert not DigestSubscription.objects.exists()


@pytest.mark.django_db
def test_settings_says_digests_are_off_and_why_without_an_smtp_server(alice: Any, client_for: Any) -> None:
    with override_settings(STORELENS_SMTP_URL=""):
        html = client_for(alice).get("/settings/").content.decode()
    assert "E-mail digests are off on this installation: no mail server is configured." in html
    assert "STORELENS_SMTP_URL" in html


@pytest.mark.django_db
def test_support_cannot_subscribe_and_is_told_why(make_member: Any, client_for: Any) -> None:
    sam = make_member("sam@example.com", "Alice's Shop", role="support")
    client = client_for(sam)
    html = client.get("/settings/").content.decode()
    assert "Your role (Support) cannot receive digests" in html and 'id="digest-frequency"' not in html
    assert client.post("/settings/digest/", {"frequency": "daily"}).status_code == 403
    assert not DigestSubscription.objects.filter(membership=Membership.objects.get(user=sam)).exists()


def test_smtp_url_is_read_with_its_user_password_port_and_sender() -> None:
    smtp = config.parse_smtp_url("X", "smtp://me%40x.org:p%40ss@mail.example.com:587?starttls=1&from=r@example.com")
    assert (smtp.host, smtp.port, smtp.username, smtp.password) == ("mail.example.com", 587, "me@x.org", "p@ss")
    assert (smtp.use_tls, smtp.use_ssl, smtp.sender, smtp.timeout) == (True, False, "r@example.com", 30)
    secure = config.parse_smtp_url("X", "smtps://mail.example.com")
    assert (secure.port, secure.use_ssl, secure.sender) == (465, True, "storelens@mail.example.com")
    assert config.smtp_url("X", environ={}) == ""


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("http://mail.example.com", "is not an SMTP address"),
        ("smtp://", "is not an SMTP address"),
        ("smtp://mail.example.com:99999", "the port is not a number"),
        ("smtp://mail.example.com?sender=a@b.c", "unknown option sender"),
        ("smtp://mail.example.com?from=nobody", "is not an e-mail address"),
        ("smtp://mail.example.com?starttls=maybe", "must be 1 or 0"),
        ("smtps://mail.example.com?starttls=1", "already speaks TLS"),
        ("smtp://mail.example.com?timeout=0", "whole number of seconds"),
    ],
)
def test_smtp_urls_storelens_cannot_use_stop_start_up_with_what_to_fix(raw: str, says: str) -> None:
    with pytest.raises(SettingError, match=says):
        config.smtp_url("STORELENS_SMTP_URL", environ={"STORELENS_SMTP_URL": raw})
