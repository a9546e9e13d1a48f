"""`commerce.bulk`: the datetime adaptation of the hot-path upserts equals Django's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from storelens.commerce.bulk import datetime_adapter


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        None,
        datetime(2024, 3, 1, 12, 30, 5, tzinfo=UTC),
        datetime(2024, 3, 1, 12, 30, 5, 123456, tzinfo=UTC),
        datetime(2024, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone.utc),  # noqa: UP017 (the alias is the same object)
    ],
)
def test_a_datetime_is_adapted_as_django_adapts_it(value: datetime | None) -> None:
    assert datetime_adapter()(value) == connection.ops.adapt_datetimefield_value(value)
