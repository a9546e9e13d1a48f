"""`wc/v3` orders, refunds and subscriptions controllers (HPOS behaviour of WooCommerce 9.9)."""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from typing import Any

from ..books import CODE, STATUSES, Book
from ..phpquery import as_list
from ..serializers import filter_fields, parse_fields
from ..serializers import order as order_view
from ..serializers import refund as refund_view
from ..store import StoreError
from .http import Reply, RestError, RestRequest
from .params import (
    ORDER_STATUSES,
    SUBSCRIPTION_STATUSES,
    ListQuery,
    ListSpec,
    bool_value,
    page_slice,
    pagination,
    statuses_param,
)

ORDER_LIST = ListSpec(
    orderby=["date", "id", "include", "title", "slug", "modified"],
    statuses=ORDER_STATUSES,
    default_status="any",
    integers=("customer", "product", "parent"),
)
REFUND_LIST = ListSpec(orderby=["date", "id", "include", "title", "slug", "modified"])
SUBSCRIPTION_LIST = ListSpec(
    orderby=["date", "id", "include", "title", "slug", "modified"],
    statuses=SUBSCRIPTION_STATUSES,
    default_status="any",
    integers=("customer", "product", "parent"),
)
# WordPress "any": every status whose exclude_from_search is false: not trash, not auto-draft (checkout-draft is in).
ANY_EXCLUDED = {"trash", "auto-draft", "deleted"}


def invalid_order_id() -> RestError:
    return RestError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")


def from_store_error(err: StoreError) -> RestError:
    extra = None
    if err.params:
        extra = {"params": err.params}
    return RestError(err.status, err.code, err.message, extra)


def fold(text: str) -> str:
    """MySQL's accent- and case-insensitive collation, roughly (so `EUR` finds `Écouteurs` as on the real store)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _status_codes(statuses: list[str], book_kind: str = "order") -> set[int] | None:
    if "any" in statuses:
        excluded = {CODE[s] for s in ANY_EXCLUDED if s in CODE}
        explicit = {CODE[s] for s in statuses if s != "any" and s in CODE}
        return {i for i in range(len(STATUSES)) if i not in excluded} | explicit
    return {CODE[s] for s in statuses if s in CODE}


class _SortCache:
    """Sorted position lists per (query, book version): the pages of one listing do not re-sort 100k rows."""

    def __init__(self, size: int = 32) -> None:
        self._items: OrderedDict[Any, list[int]] = OrderedDict()
        self._size = size

    def get(self, key: Any) -> list[int] | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Any, value: list[int]) -> None:
        self._items[key] = value
        if len(self._items) > self._size:
            self._items.popitem(last=False)


def _sort_cache(book: Book) -> _SortCache:
    cache = getattr(book, "_sort_cache", None)
    if cache is None:
        cache = _SortCache()
        book._sort_cache = cache  # type: ignore[attr-defined]
    return cache


def sorted_positions(
    book: Book,
    q: ListQuery,
    *,
    statuses: set[int] | None,
    owner: int | None = None,
    record_filter: Any = None,
    filter_key: Any = None,
) -> list[int]:
    key = (
        book.version,
        tuple(sorted(statuses)) if statuses is not None else None,
        q.created_after,
        q.created_before,
        q.modified_after,
        q.modified_before,
        tuple(q.include) if q.include else None,
        tuple(q.exclude),
        owner,
        q.orderby,
        q.order,
        filter_key,
    )
    cache = _sort_cache(book)
    hit = cache.get(key)
    if hit is not None:
        return hit
    positions = book.positions(
        statuses,
        created_after=q.created_after,
        created_before=q.created_before,
        modified_after=q.modified_after,
        modified_before=q.modified_before,
        owner=owner,
        include=set(q.include) if q.include else None,
        exclude=set(q.exclude) if q.exclude else None,
    )
    if record_filter is not None:
        positions = [p for p in positions if record_filter(book.record_at(p))]
    reverse = q.order == "desc"
    ids, created, modified = book.ids, book.created, book.modified
    if q.orderby in ("date", "title", "slug"):
        positions.sort(key=lambda p: (created[p], ids[p]), reverse=reverse)
    elif q.orderby == "modified":
        positions.sort(key=lambda p: (modified[p], ids[p]), reverse=reverse)
    elif q.orderby == "include" and q.include:
        rank = {i: n for n, i in enumerate(q.include)}
        positions.sort(key=lambda p: rank.get(ids[p], 0))
    else:  # id
        positions.sort(key=lambda p: ids[p], reverse=reverse)
    cache.put(key, positions)
    return positions


def _order_filter(req: RestRequest, q: ListQuery) -> tuple[Any, Any]:
    """Filters that need the full record (search, product, created_via, parent): slow, but rare."""
    checks = []
    key = []
    if q.search:
        term = fold(q.search)
        key.append(("search", term))

        def search(rec: dict) -> bool:
            hay = [str(rec["id"]), rec.get("transaction_id") or ""]
            hay += [str(v) for v in rec["billing"].values()] + [str(v) for v in rec["shipping"].values()]
            hay += [li["name"] for li in rec["line_items"]]
            return any(term in fold(h) for h in hay)

        checks.append(search)
    product = q.extra.get("product")
    if product:
        key.append(("product", product))
        checks.append(
            lambda rec: any(li["product_id"] == product or li["variation_id"] == product for li in rec["line_items"])
        )
    created_via = as_list(req.get.get("created_via")) if req.get.get("created_via") is not None else []
    if created_via:
        key.append(("created_via", tuple(created_via)))
        checks.append(lambda rec: rec.get("created_via") in created_via)
    if "parent" in q.extra and req.get.get("parent") is not None:
        parents = [int(x) for x in as_list(req.get.get("parent")) if x.isdigit()]
        key.append(("parent", tuple(parents)))
        checks.append(lambda rec: rec.get("parent_id") in parents)
    if req.get.get("parent_exclude") is not None:
        excluded = [int(x) for x in as_list(req.get.get("parent_exclude")) if x.isdigit()]
        key.append(("parent_exclude", tuple(excluded)))
        checks.append(lambda rec: rec.get("parent_id") not in excluded)
    if not checks:
        return None, None
    return (lambda rec: all(c(rec) for c in checks)), tuple(key)


def _render_orders(req: RestRequest, book: Book, positions: list[int], q: ListQuery, resource: str) -> list[dict]:
    mask = parse_fields(q.fields)
    view = req.view
    out = []
    for p in positions:
        rec = book.record_at(p)
        out.append(filter_fields(order_view(rec, view, resource=resource), mask))
    return out


def list_orders(req: RestRequest, q: ListQuery) -> Reply:
    store = req.store
    return _list_order_like(req, q, store.orders, "orders")


def list_subscriptions(req: RestRequest, q: ListQuery) -> Reply:
    book = req.store.subscriptions
    assert book is not None
    return _list_order_like(req, q, book, "subscriptions")


def _list_order_like(req: RestRequest, q: ListQuery, book: Book, resource: str) -> Reply:
    statuses = _status_codes(q.statuses)
    owner = q.extra.get("customer") if req.get.get("customer") is not None else None
    record_filter, filter_key = _order_filter(req, q)
    positions = sorted_positions(
        book, q, statuses=statuses, owner=owner, record_filter=record_filter, filter_key=filter_key
    )
    page, total = page_slice(positions, q)
    data = _render_orders(req, book, page, q, resource)
    headers = pagination(
        req,
        f"wc/v3/{resource}",
        q,
        total,
        len(data),
        set_params=[statuses_param(q.statuses)],
        item_params=[("dp", str(q.dp)), ("context", "view")],
    )
    return Reply(200, data, headers)


def get_order(req: RestRequest, q: ListQuery, order_id: str) -> Reply:
    rec = req.store.orders.get(int(order_id))
    if rec is None:
        raise invalid_order_id()
    return Reply(200, filter_fields(order_view(rec, req.view), parse_fields(q.fields)))


def create_order(req: RestRequest, q: ListQuery) -> Reply:
    payload = dict(req.body or {})
    for key in ("status", "customer_id", "payment_method", "payment_method_title", "set_paid", "currency"):
        if key not in payload and key in req.post:
            payload[key] = req.post[key]
    try:
        rec = req.store.create_order(payload)
    except StoreError as err:
        raise from_store_error(err) from err
    location = req.view.rest(f"wc/v3/orders/{rec['id']}")
    return Reply(201, order_view(rec, req.view), {"Location": location})


def update_order(req: RestRequest, q: ListQuery, order_id: str) -> Reply:
    if req.store.orders.get(int(order_id)) is None:
        raise invalid_order_id()
    try:
        rec = req.store.update_order(int(order_id), dict(req.body or {}))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, order_view(rec, req.view))


def delete_order(req: RestRequest, q: ListQuery, order_id: str) -> Reply:
    oid = int(order_id)
    if req.store.orders.get(oid) is None:
        raise invalid_order_id()
    force = bool_value(req.param("force")) is True
    try:
        rec = req.store.delete_order(oid) if force else req.store.trash_order(oid)
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, order_view(rec, req.view))


# --- refunds -------------------------------------------------------------------------------------------------


def _refund_positions(req: RestRequest, q: ListQuery, parent: int | None) -> list[int]:
    book = req.store.refunds
    return sorted_positions(book, q, statuses=None, owner=parent)


def list_order_refunds(req: RestRequest, q: ListQuery, order_id: str) -> Reply:
    oid = int(order_id)
    # The listing never looks the order up (only a single refund does): an unknown order has no refunds, 200 [].
    positions = _refund_positions(req, q, oid)
    page, total = page_slice(positions, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(refund_view(req.store.refunds.record_at(p), req.view, with_parent=False), mask) for p in page]
    headers = pagination(req, f"wc/v3/orders/{oid}/refunds", q, total, len(data), item_params=[("dp", str(q.dp))])
    return Reply(200, data, headers)


def list_refunds(req: RestRequest, q: ListQuery) -> Reply:
    positions = _refund_positions(req, q, None)
    page, total = page_slice(positions, q)
    mask = parse_fields(q.fields)
    data = [filter_fields(refund_view(req.store.refunds.record_at(p), req.view, with_parent=True), mask) for p in page]
    headers = pagination(req, "wc/v3/refunds", q, total, len(data), item_params=[("dp", str(q.dp))])
    return Reply(200, data, headers)


def get_order_refund(req: RestRequest, q: ListQuery, order_id: str, refund_id: str) -> Reply:
    rec = req.store.refunds.get(int(refund_id))
    if rec is None or rec["parent_id"] != int(order_id):
        raise RestError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.")
    return Reply(200, filter_fields(refund_view(rec, req.view, with_parent=False), parse_fields(q.fields)))


def create_order_refund(req: RestRequest, q: ListQuery, order_id: str) -> Reply:
    oid = int(order_id)
    if req.store.orders.get(oid) is None:
        raise RestError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
    body = dict(req.body or {})
    api_refund = bool_value(str(body.get("api_refund", "true")).lower()) is not False
    try:
        rec = req.store.create_refund(
            oid,
            body.get("amount"),
            str(body.get("reason") or ""),
            body.get("line_items") or [],
            api_refund=api_refund,
            refunded_by=req.user.id if req.user else 1,
        )
    except StoreError as err:
        raise from_store_error(err) from err
    # WooCommerce leaves the route pattern unresolved in this Location header (captured as is).
    location = req.view.rest(f"wc/v3/orders/(?P<order_id>[\\d]+)/refunds/{rec['id']}")
    return Reply(201, refund_view(rec, req.view, with_parent=False), {"Location": location})


def delete_order_refund(req: RestRequest, q: ListQuery, order_id: str, refund_id: str) -> Reply:
    force = bool_value(req.param("force")) is True
    if not force:
        raise RestError(501, "woocommerce_rest_trash_not_supported", "Refunds do not support trashing.")
    try:
        rec = req.store.delete_refund(int(order_id), int(refund_id))
    except StoreError as err:
        raise from_store_error(err) from err
    return Reply(200, refund_view(rec, req.view, with_parent=False))


# --- subscriptions -------------------------------------------------------------------------------------------


def get_subscription(req: RestRequest, q: ListQuery, sub_id: str) -> Reply:
    book = req.store.subscriptions
    rec = book.get(int(sub_id)) if book is not None else None
    if rec is None:
        raise RestError(404, "woocommerce_rest_shop_subscription_invalid_id", "Invalid ID.")
    return Reply(200, filter_fields(order_view(rec, req.view, resource="subscriptions"), parse_fields(q.fields)))


def subscription_statuses(req: RestRequest, q: ListQuery) -> Reply:
    return Reply(
        200,
        {
            "wc-pending": "Pending",
            "wc-active": "Active",
            "wc-on-hold": "On hold",
            "wc-cancelled": "Cancelled",
            "wc-switched": "Switched",
            "wc-expired": "Expired",
            "wc-pending-cancel": "Pending Cancellation",
        },
    )
