"""STORELENS_EGRESS_IP: an IP address or nothing; a typo stops start-up with what to put there."""

from __future__ import annotations

import pytest

from storelens.config import SettingError, egress_ip


def test_egress_ip_is_optional_and_normalised() -> None:
    assert egress_ip("STORELENS_EGRESS_IP", environ={}) == ""
    assert egress_ip("STORELENS_EGRESS_IP", environ={"STORELENS_EGRESS_IP": " 203.0.113.7 "}) == "203.0.113.7"
    assert egress_ip("STORELENS_EGRESS_IP", environ={"STORELENS_EGRESS_IP": "2001:DB8::1"}) == "2001:db8::1"


def test_an_egress_ip_that_is_not_an_address_says_what_to_put_there() -> None:
    with pytest.raises(SettingError, match="is not an IP address"):
        egress_ip("STORELENS_EGRESS_IP", environ={"STORELENS_EGRESS_IP": "shop.example.com"})
