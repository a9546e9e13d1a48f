"""The security headers in-process: CSP on every answer; Secure cookies and HSTS whenever the request is HTTPS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from storelens.server.security import CONTENT_SECURITY_POLICY
from tests.conftest import server_env

pytestmark = pytest.mark.django_db


def test_every_answer_carries_the_content_security_policy(alice: Any, client_for: Any) -> None:
    for response in (Client().get("/accounts/login/"), client_for(alice).get("/"), Client().get("/healthz")):
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY and "unsafe" not in CONTENT_SECURITY_POLICY.split("style")[0]


def test_https_through_a_proxy_gets_secure_cookies_and_hsts(alice: Any, settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client(headers={"X-Forwarded-Proto": "https"}).get("/accounts/login/")
    assert response.cookies["csrftoken"]["secure"] is True
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    plain = Client().get("/accounts/login/")
    assert not plain.cookies["csrftoken"]["secure"] and "Strict-Transport-Security" not in plain


def test_an_https_public_url_makes_the_cookies_secure_from_the_start(tmp_path: Path) -> None:
    probe = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    code = f"import django; django.setup(); {probe}"

    def secure_with(public_url: str) -> str:
        env = server_env(tmp_path, STORELENS_PUBLIC_URL=public_url)
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
        return result.stdout.strip()

    assert secure_with("https://lens.example.com") == "True True"
    assert secure_with("") == "False False"
