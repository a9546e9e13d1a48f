"""Keeping `CustomerRollup` in step with the raw rows, inside the sync's page transaction.

Each page moves the cells it touches by the difference of its orders' contributions, like the daily cells: an order
adds (1 order, its net minus its refunds' net) to its customer's (basis, status, currency) cell on every basis it
has a date for, and a refund changes only its order's net. Counts and sums are exact by adding and subtracting;
first and last dates are too when an order arrives (MIN/MAX of the cell and the new date). Where a delta cannot be
exact the customer is recomputed from their own rows instead (a few indexed reads):

- an order leaves a cell on the cell's first or last date (the next MIN/MAX is unknown without reading the rest);
- an order changes customer (a guest identity merged into a registered one, or a new e-mail);
- a customer without any cell yet who has live orders besides the page's: possibly a registered identity created on
  this page, into which earlier guest orders were merged without a change of their own. (A customer whose only
  orders are the page's, as every new customer of an import, has exactly the page's cells: no recompute.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F, Min, QuerySet, Sum

from storelens.analytics.metrics.orders import DATE_FIELD
from storelens.analytics.models import CustomerRollup
from storelens.analytics.rollups.cohorts import note_changed
from storelens.analytics.rollups.snapshots import mark_stale, refresh
from storelens.commerce.bulk import datetime_adapter
from storelens.stores.reporting import DateBasis

if TYPE_CHECKING:
    from storelens.commerce.changes import OrderChange, OrderState, RefundChange, RefundState

CHUNK = 500  # customer ids per IN (…), well under SQLite's parameter limit
CellKey = tuple[int, str, str, str]  # customer, basis, status, currency
UNKNOWN = -1  # a customer key that no longer resolves (a guest merged away on this page)


class CellDelta:
    """A cell's move: orders and net added up, and per date the net count of orders that arrived on it (positive)
    or left it (negative). One plain dict rather than two Counters: an import creates one of these per touched cell
    and basis, and building and subtracting Counters was the largest Python cost of this listener."""

    __slots__ = ("dates", "net", "orders")

    def __init__(self) -> None:
        self.orders = 0
        self.net = 0
        self.dates: dict[datetime, int] = {}


def _refund_net(state: RefundState) -> int:
    return state.amount_minor - state.refunded_tax_minor - state.refunded_shipping_minor


def on_changes(store: Any, order_changes: list[OrderChange], refund_changes: list[RefundChange]) -> None:
    """The change-feed listener: move the touched customers' cells by this page's deltas (see the module doc)."""
    from storelens.commerce.models import Customer, Order, Refund

    old_orders: dict[int, OrderState | None] = {}
    new_orders: dict[int, OrderState | None] = {}
    for ch in order_changes:
        old_orders.setdefault(ch.wc_id, ch.old)
        new_orders[ch.wc_id] = ch.new
    old_refunds: dict[int, RefundState | None] = {}
    new_refunds: dict[int, RefundState | None] = {}
    for rc in refund_changes:
        old_refunds.setdefault(rc.wc_id, rc.old)
        new_refunds[rc.wc_id] = rc.new
    # An order's refunds before the page = its refunds now − the page's new refund states + their old states.
    refunds_before_shift: dict[int, int] = defaultdict(int)
    for wc_id, new_r in new_refunds.items():
        old_r = old_refunds[wc_id]
        if new_r is not None:
            refunds_before_shift[new_r.parent_wc_id] -= _refund_net(new_r)
        if old_r is not None:
            refunds_before_shift[old_r.parent_wc_id] += _refund_net(old_r)
    touched = set(new_orders) | set(refunds_before_shift)
    if not touched:
        return
    refunds_now = dict(
        Refund.objects.filter(store=store, parent_wc_id__in=touched, deleted_at__isnull=True, order__isnull=False)
        .values("parent_wc_id")
        .annotate(net=Sum(F("amount_minor") - F("refunded_tax_minor") - F("refunded_shipping_minor")))
        .order_by()
        .values_list("parent_wc_id", "net")
    )
    stable = {
        row[0]: row[1:]
        for row in Order.objects.filter(
            store=store, wc_id__in=touched - set(new_orders), deleted_at__isnull=True, customer__isnull=False
        ).values_list("wc_id", "customer_id", "status", "currency", *DATE_COLUMNS, *AMOUNT_COLUMNS)
    }
    keys = {s.customer_key for s in [*old_orders.values(), *new_orders.values()] if s is not None and s.customer_key}
    pk_of = dict(Customer.objects.filter(store=store, key__in=keys).values_list("key", "pk")) if keys else {}

    def contribution(state: OrderState | None) -> tuple | None:
        if state is None or not state.customer_key:
            return None
        dates = _dates_of(state)
        net = state.total_minor - state.total_tax_minor - state.shipping_total_minor
        return (pk_of.get(state.customer_key, UNKNOWN), state.status, state.currency, dates, net)

    deltas: dict[CellKey, CellDelta] = defaultdict(CellDelta)
    exact: set[int] = set()  # customers to recompute from their rows

    def move(c: tuple | None, refunds: int, sign: int) -> None:
        if c is None:
            return
        customer_id, status, currency, dates, net = c
        for basis, when in zip(BASES, dates, strict=True):
            if when is None:
                continue
            d = deltas[(customer_id, basis.value, status, currency)]
            d.orders += sign
            d.net += sign * (net - refunds)
            d.dates[when] = d.dates.get(when, 0) + sign

    for wc_id in touched:
        if wc_id in new_orders:
            before, after = contribution(old_orders[wc_id]), contribution(new_orders[wc_id])
            if before and after and before[0] != after[0]:
                exact |= {before[0], after[0]}
        else:
            row = stable.get(wc_id)
            before = after = None if row is None else (row[0], row[1], row[2], row[3:6], row[6] - row[7] - row[8])
        now = refunds_now.get(wc_id) or 0
        move(before, now + refunds_before_shift.get(wc_id, 0), -1)
        move(after, now, +1)
    _apply(store, deltas, exact, set(new_orders))
    exact.discard(UNKNOWN)  # a merged-away guest's cells went with it; its orders are recomputed under the new key
    if exact:
        recompute(store, exact)
    if deltas or exact:
        mark_stale(store)
        note_changed(store, min((when for d in deltas.values() for when in d.dates), default=None))


BASES = tuple(DateBasis)  # created, paid, completed: the order of DATE_COLUMNS and of an order's dates below
DATE_COLUMNS = tuple(DATE_FIELD[basis] for basis in BASES)
_dates_of = attrgetter(*DATE_COLUMNS)  # a change-feed state's dates on each basis (OrderState names them alike)
AMOUNT_COLUMNS = ("total_minor", "total_tax_minor", "shipping_total_minor")


def _apply(store: Any, deltas: dict[CellKey, CellDelta], exact: set[int], page_orders: set[int]) -> None:
    """Move the cells of the customers not recomputed; a customer whose cells cannot move exactly joins `exact`.
    `page_orders`: the wc ids of the orders whose states this page carries."""
    customers = {key[0] for key in deltas} - exact - {UNKNOWN}
    cells: dict[CellKey, list[Any]] = {}
    with_cells: set[int] = set()
    for pk, customer_id, basis, status, currency, n, net, first, last in _cells_of(customers):
        cells[(customer_id, basis, status, currency)] = [pk, n, net, first, last]
        with_cells.add(customer_id)
    exact |= _with_other_orders(customers - with_cells, page_orders)
    changed: dict[CellKey, list[Any]] = {}
    emptied: list[tuple[int, int]] = []  # (customer, cell pk)
    for key, d in deltas.items():
        if key[0] in exact or key[0] == UNKNOWN:
            continue
        # an order that stayed on its date did not move
        added = [when for when, k in d.dates.items() if k > 0]
        removed = {when for when, k in d.dates.items() if k < 0}
        cell = cells.get(key)
        n = (cell[1] if cell else 0) + d.orders
        if n < 0 or (cell is None and removed) or (cell and (cell[3] in removed or cell[4] in removed) and n > 0):
            exact.add(key[0])
            continue
        if n == 0:
            if cell is not None:
                emptied.append((key[0], cell[0]))
            continue
        first = min([cell[3], *added] if cell else added)
        last = max([cell[4], *added] if cell else added)
        changed[key] = [n, (cell[2] if cell else 0) + d.net, first, last]
    changed = {key: value for key, value in changed.items() if key[0] not in exact}
    gone = [pk for customer_id, pk in emptied if customer_id not in exact]
    if gone:
        CustomerRollup.objects.filter(pk__in=gone).delete()
    _upsert(store, changed)


def _cells_of(customers: set[int]) -> Iterator[tuple]:
    """(pk, customer, basis, status, currency, orders, net, first, last) of these customers' cells, dates aware as
    the ORM gives them. Plain SQL: the ORM's per-value converters (parse, then make_aware) on first and last were
    most of this listener's time in an import, where returning customers' cells are read on every page."""
    table = connection.ops.quote_name(CustomerRollup._meta.db_table)
    zone = connection.timezone
    ids = sorted(customers)
    with connection.cursor() as cursor:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            cursor.execute(
                "SELECT id, customer_id, basis, status, currency, orders, net_minor, first_at, last_at "
                f"FROM {table} WHERE customer_id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for *row, first, last in cursor.fetchall():
                yield (*row, _aware(first, zone), _aware(last, zone))


def _aware(value: Any, zone: Any) -> Any:
    """A datetime column's value as the ORM returns it with USE_TZ: SQLite's naive UTC (text, or a datetime when the
    driver parsed it) made aware in the connection's zone; PostgreSQL's is aware already."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None and zone is not None:
        return value.replace(tzinfo=zone)
    return value


def _with_other_orders(customers: set[int], page_orders: set[int]) -> set[int]:
    """Those of `customers` with a live order that is not one of the page's (through the customer index). Plain SQL:
    an import asks this of every new customer, and building the ORM's query with 500 ids cost more than running it."""
    from storelens.commerce.models import Order

    found: set[int] = set()
    ids = sorted(customers)
    table = connection.ops.quote_name(Order._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            cursor.execute(
                f"SELECT customer_id, wc_id FROM {table} "
                f"WHERE customer_id IN ({', '.join(['%s'] * len(chunk))}) AND deleted_at IS NULL",
                chunk,
            )
            found.update(customer_id for customer_id, wc_id in cursor.fetchall() if wc_id not in page_orders)
    return found


def on_customer_deleted(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    """A guest identity deleted by `commerce.customers.merge_guests_into_registered` (the customers sync calls it too,
    outside any change feed): its orders were just handed to the registered customer with the same e-mail (the
    lowest id, as the merge picks), so that customer is recomputed; the guest's own cells go with it (cascade).
    Only a delete of customers themselves (not a store's deletion cascading) is one."""
    if instance.is_registered or not instance.email or not isinstance(origin, QuerySet) or origin.model is not sender:
        return
    target = (
        sender.objects.filter(store_id=instance.store_id, is_registered=True, email=instance.email)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if target is not None:
        recompute(instance.store, [target])
        mark_stale(instance.store)
        from storelens.commerce.models import Order

        firsts = Order.objects.filter(customer_id=target).aggregate(*(Min(c) for c in DATE_COLUMNS)).values()
        note_changed(instance.store, min((w for w in firsts if w is not None), default=None))


def recompute(store: Any, customer_ids: Iterable[int]) -> None:
    ids = sorted(set(customer_ids))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        CustomerRollup.objects.filter(store=store, customer_id__in=chunk).delete()
        _write(store, chunk)


def rebuild(store: Any) -> int:
    """Every customer of a store from raw rows (the repair path, called by `rollups.rebuild.rebuild`), then the store's
    customer snapshot from them."""
    CustomerRollup.objects.filter(store=store).delete()
    written = _write(store, None)
    refresh(store)
    return written


ORDER_COLUMNS = ("pk", "customer_id", "status", "currency", *DATE_COLUMNS, *AMOUNT_COLUMNS)


def _write(store: Any, ids: list[int] | None) -> int:
    """Insert the rows of these customers (None: every customer of the source), summed in Python from two plain
    reads: the customers' orders (through the customer index) and the refunds of those orders (through the order
    index). Grouped SQL per basis let SQLite pick the date indexes and walk the whole store on every page."""
    from storelens.commerce.models import Order, Refund

    orders = Order.objects.filter(deleted_at__isnull=True, customer__isnull=False)
    refunds = Refund.objects.filter(deleted_at__isnull=True, order__isnull=False)
    refund_columns = ("order_id", "amount_minor", "refunded_tax_minor", "refunded_shipping_minor")
    order_rows: Iterable[tuple]
    if ids is not None:
        order_rows = list(orders.filter(customer_id__in=ids).values_list(*ORDER_COLUMNS))
        refund_rows = list(refunds.filter(order_id__in=[r[0] for r in order_rows]).values_list(*refund_columns))
    else:  # the whole store: refunds are few, orders are streamed
        refund_rows = list(refunds.filter(store=store).values_list(*refund_columns))
        order_rows = orders.filter(store=store).values_list(*ORDER_COLUMNS).iterator(chunk_size=5000)
    refunded = {r[0] for r in refund_rows}
    # key (customer, basis, status, currency) → [orders, net, first, last]
    rows: dict[tuple[int, str, str, str], list[Any]] = {}
    cells_of: dict[int, list[list[Any]]] = {}  # refunded order → its cell on each basis where it counts
    for pk, customer_id, status, currency, *dates, total, tax, shipping in order_rows:
        net = total - tax - shipping
        for basis, when in zip(BASES, dates, strict=True):
            if when is None:
                continue
            key = (customer_id, basis.value, status, currency)
            cell = rows.get(key)
            if cell is None:
                cell = rows[key] = [0, 0, when, when]
            cell[0] += 1
            cell[1] += net
            cell[2] = min(cell[2], when)
            cell[3] = max(cell[3], when)
            if pk in refunded:
                cells_of.setdefault(pk, []).append(cell)
    for order_id, amount, tax, shipping in refund_rows:
        for cell in cells_of.get(order_id, ()):
            cell[1] -= amount - tax - shipping
    _insert(store, rows)
    return len(rows)


def _insert(store: Any, rows: dict[tuple[int, str, str, str], list[Any]]) -> None:
    """One executemany: Django's bulk_create spent ≈ 0.2 ms a row preparing values, most of this listener's time."""
    if not rows:
        return
    table = connection.ops.quote_name(CustomerRollup._meta.db_table)
    columns = "store_id, customer_id, basis, status, currency, orders, net_minor, first_at, last_at"
    adapt = _memo(datetime_adapter())
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (store.pk, customer_id, basis, status, currency, n, net, adapt(first), adapt(last))
                for (customer_id, basis, status, currency), (n, net, first, last) in rows.items()
            ],
        )


def _upsert(store: Any, rows: dict[CellKey, list[Any]]) -> None:
    """Absolute values for the moved cells: INSERT … ON CONFLICT (customer, basis, status, currency) DO UPDATE."""
    if not rows:
        return
    table = connection.ops.quote_name(CustomerRollup._meta.db_table)
    columns = "store_id, customer_id, basis, status, currency, orders, net_minor, first_at, last_at"
    adapt = _memo(datetime_adapter())
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (customer_id, basis, status, currency) DO UPDATE SET orders = excluded.orders, "
            "net_minor = excluded.net_minor, first_at = excluded.first_at, last_at = excluded.last_at",
            [
                (store.pk, customer_id, basis, status, currency, n, net, adapt(first), adapt(last))
                for (customer_id, basis, status, currency), (n, net, first, last) in rows.items()
            ],
        )


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`adapt` remembering its answers: a cell's first and last dates are often the same, and so are an order's dates
    on its bases, and the datetime adaptation (text on SQLite) is per value."""
    seen: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        out = seen.get(value)
        if out is None:
            out = seen[value] = adapt(value)
        return out

    return adapted
