"""`storelens doctor` on an address no request can be made to names the problem and exits 1, without a traceback."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command


@pytest.mark.parametrize("url", ["http://0177.0.0.1:8931", "http://[::1:8931"])
def test_doctor_on_an_unusable_address_names_invalid_url_and_exits_1(url: str, settings: Any) -> None:
    settings.STORELENS_ALLOW_PRIVATE_STORES = True
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("doctor", url, "--json", stdout=out)
    assert exit_.value.code == 1
    problems = json.loads(out.getvalue())["problems"]
    assert problems[0]["code"] == "invalid_url"
