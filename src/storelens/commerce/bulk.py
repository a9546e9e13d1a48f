"""A fast multi-row upsert (`INSERT … ON CONFLICT … DO UPDATE`, SQLite ≥ 3.24 and PostgreSQL) for the hot path.

Django's bulk_create(update_conflicts=True) compiles an expression per value: at 100 orders + 300 line items per page
that alone costs more than the store's latency. Here each field gets one converter (the same adaptation Django
applies) and rows go through `executemany`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models

from storelens.woocommerce import fastjson


def datetime_adapter() -> Callable[[Any], Any]:
    """`adapt_datetimefield_value` of this connection, with a shortcut on SQLite for the common case of a datetime
    already in the connection's time zone (UTC: every date the sync parses): the naive text straight away, which
    is what Django's `make_naive` + `str` give it, at a fraction of the cost (a 10k-order import adapts ~90k)."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite":
        return adapt
    zone = connection.timezone  # None when USE_TZ is off: naive values then take the shortcut, as Django's str()

    def adapted(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime) and value.tzinfo is zone:
            return str(value.replace(tzinfo=None))
        return adapt(value)

    return adapted


def _converter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return datetime_adapter()
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda v: None if v is None else ops.adapt_decimalfield_value(v, digits, places)
    if isinstance(field, models.JSONField) and field.encoder is None:
        # Order.raw is most of a page's bytes: orjson-encoded (see fastjson for where it defers to `json`).
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return lambda v: None if v is None else Jsonb(v, dumps=fastjson.dumps)
        return lambda v: None if v is None else fastjson.dumps(v)
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.BooleanField):
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def upsert_rows(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """Insert rows (dicts keyed by attname: `store_id`, `order_id`…) or update the columns in `update` when a row
    with the same `conflict` columns exists. `update=None` updates every column but the conflict ones."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    columns = [f.column for f in fields]
    convert = [_converter(f) for f in fields]
    qn = connection.ops.quote_name
    conflict_columns = [model._meta.get_field(name).column for name in conflict]
    updated = [model._meta.get_field(name).column for name in update] if update is not None else None
    if updated is None:
        updated = [c for c in columns if c not in conflict_columns]
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(qn(c) for c in conflict_columns)}) "
    )
    sql += "DO UPDATE SET " + ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in updated) if updated else "DO NOTHING"
    params = [[conv(row[name]) for conv, name in zip(convert, names, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Plain multi-row insert (line items after their order's old ones were deleted)."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    convert = [_converter(f) for f in fields]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [[conv(row[name]) for conv, name in zip(convert, names, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def mark_deleted_except(queryset: Any, keep: set[int], now: datetime) -> int:
    """Set deleted_at on rows whose wc_id is not in `keep`, diffed in Python and updated in chunks: a store's id
    list can exceed the database's limit on query parameters."""
    gone = [wc for wc in queryset.filter(deleted_at__isnull=True).values_list("wc_id", flat=True) if wc not in keep]
    count = 0
    for i in range(0, len(gone), 500):
        count += queryset.filter(wc_id__in=gone[i : i + 500]).update(deleted_at=now)
    return count
