"""The store's clock (`{% load store_clock %}`): one format, the store's zone, the UTC instant kept for logs; and the
library is found by its name from any app's template, as the store pages, alerts and dashboard load it."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from django.template import Context, Template

from storelens.stores.templatetags.store_clock import store_time, store_time_text


def test_times_are_the_stores_wall_clock_with_its_zone_in_one_format() -> None:
    instant = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
    new_york = SimpleNamespace(timezone_string="America/New_York", gmt_offset=0)
    assert store_time_text(instant, new_york) == "6 Dec 2026 18:59 EST"
    assert (
        store_time_text(instant, SimpleNamespace(timezone_string="Europe/Berlin", gmt_offset=0))
        == "7 Dec 2026 00:59 CET"
    )
    assert (
        store_time_text(instant, SimpleNamespace(timezone_string="", gmt_offset="5.5")) == "7 Dec 2026 05:29 UTC+05:30"
    )
    assert store_time_text(instant, SimpleNamespace(timezone_string="America/Sao_Paulo", gmt_offset=0)).endswith(
        "20:59 UTC-03:00"  # a zone whose abbreviation is a number is shown as its offset
    )
    assert store_time_text(None, new_york) == ""
    html = store_time(instant, new_york)
    assert 'datetime="2026-12-06T23:59:00+00:00"' in html and 'title="6 Dec 2026 23:59 UTC"' in html


def test_a_template_loads_the_store_clock_by_name() -> None:
    store = SimpleNamespace(timezone_string="Asia/Tokyo", gmt_offset=0)
    instant = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
    text = Template("{% load store_clock %}{{ t|store_time:s }} / {{ t|store_time_plain:s }}").render(
        Context({"t": instant, "s": store})
    )
    assert text == (
        '<time datetime="2026-12-06T23:59:00+00:00" title="6 Dec 2026 23:59 UTC">7 Dec 2026 08:59 JST</time>'
        " / 7 Dec 2026 08:59 JST"
    )


def test_a_zone_this_machine_does_not_know_is_shown_as_utc_and_says_so() -> None:
    instant = datetime(2026, 12, 6, 23, 59, tzinfo=UTC)
    assert store_time_text(instant, SimpleNamespace(timezone_string="Europe/Nowhere", gmt_offset=0)) == (
        "6 Dec 2026 23:59 UTC"
    )
