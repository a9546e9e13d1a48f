"""`storelens alerts check --at …` and `storelens alerts list --json`."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from tests.alerts.conftest import stop_orders

pytestmark = pytest.mark.django_db


def test_the_command_checks_as_of_an_instant_and_lists_what_fired(fired: object) -> None:
    from io import StringIO

    from django.core.management import call_command

    stop_orders(fired)
    out = StringIO()
    with override_settings(STORELENS_SMTP_URL=""):
        call_command("alerts", "check", "--at", "2025-03-10T20:30:00", stdout=out)
    assert out.getvalue().startswith("Detected: 1 fired,")
    assert "Delivered: 1 waiting: no SMTP." in out.getvalue()
    out = StringIO()
    call_command("alerts", "list", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["kind"] == "orders_stopped" and row["figures"]["silence_hours"] == 4 and row["store"] == "Corner"
