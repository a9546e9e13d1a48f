"""The Storelens Connector plugin's `storelens/v1` routes (plugin/storelens-connector), on a fake store in the
`storelens-connector` mode, answering as the real plugin does on WordPress 7.1 + WooCommerce 11.0.1:

- `settings`: the Analytics options whatever the environment type (`unset` names those never saved), the plugin's
  version, no risky plugins.
- `census?resource=orders|refunds`: ids with `date_modified_gmt` (orders: `status`, every status wc/v3's `any`
  covers plus trash; refunds: `parent_id`), keyset-paged by `after_id`. The other resources are not taught here.
- `orders`: `ids=…` (any status, trash included) or wc/v3's own listing parameters with `per_page` up to 500 (with
  `modified_after`: every status and trash, oldest id first, GMT dates, whatever else was asked); each order in
  wc/v3's JSON without `_links`, with `storelens_refunds` (its refunds as /wc/v3/refunds shows them).

The key is checked as on wc/v3 (the real plugin adds its namespace to WooCommerce's authentication; restauth does
the same in this mode).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..books import CODE
from ..serializers import order as order_view
from ..serializers import refund as refund_view
from . import orders, site
from .http import Reply, RestError, RestRequest
from .params import ListQuery, parse_list

VERSION = "0.1.0"
MAX_PER_REQUEST = 500


def settings(req: RestRequest, q: ListQuery) -> Reply:
    options = site._analytics_options(req)
    date_type, excluded = options["woocommerce_date_type"], options["woocommerce_excluded_report_order_statuses"]
    unset = [name for name, value in (("date_type", date_type), ("excluded_statuses", excluded)) if value is False]
    config = req.store.config
    return Reply(
        200,
        {
            "date_type": date_type or "date_paid",
            "excluded_statuses": list(excluded) if excluded is not False else ["pending", "failed", "cancelled"],
            "actionable_statuses": ["processing", "on-hold"],
            "environment_type": config.environment_type,
            "plugin_version": VERSION,
            "risky_plugins": [],
            "unset": [*unset, "actionable_statuses"],
        },
    )


def _int(req: RestRequest, name: str, default: int, maximum: int | None = None) -> int:
    raw = req.get.get(name)
    if raw is None:
        return default
    if not isinstance(raw, str) or not raw.isdigit() or (maximum is not None and not 1 <= int(raw) <= maximum):
        raise RestError(400, "rest_invalid_param", f"Invalid parameter(s): {name}", {"params": {name: "invalid"}})
    return int(raw)


def census(req: RestRequest, q: ListQuery) -> Reply:
    resource = req.get.get("resource")
    if resource not in ("orders", "refunds"):
        raise RestError(400, "rest_invalid_param", "Invalid parameter(s): resource", {"params": {"resource": "x"}})
    after, limit = _int(req, "after_id", 0), _int(req, "per_page", 5000, maximum=10000)
    book = req.store.orders if resource == "orders" else req.store.refunds
    listed = (orders._status_codes(["any"]) or set()) | {CODE["trash"]} if resource == "orders" else None
    items: list[dict[str, Any]] = []
    for pos, object_id in enumerate(book.ids):
        if object_id <= after or (listed is not None and book.status[pos] not in listed) or not book.exists(object_id):
            continue
        shown = order_view(book.record_at(pos), req.view) if listed is not None else None
        if shown is not None:
            items.append({"id": object_id, "status": shown["status"], "date_modified_gmt": shown["date_modified_gmt"]})
        else:
            refund = refund_view(book.record_at(pos), req.view, with_parent=True)
            modified = refund.get("date_modified_gmt") or refund.get("date_created_gmt")
            items.append({"id": object_id, "parent_id": refund["parent_id"], "date_modified_gmt": modified})
        if len(items) == limit:
            break
    following = items[-1]["id"] if len(items) == limit else None
    return Reply(200, {"resource": resource, "items": items, "next_after_id": following})


def _with_refunds(req: RestRequest, shown: list[dict]) -> list[dict]:
    book = req.store.refunds
    for order in shown:
        order.pop("_links", None)
        positions = orders.sorted_positions(book, ListQuery(orderby="id"), statuses=None, owner=int(order["id"]))
        order["storelens_refunds"] = [refund_view(book.record_at(p), req.view, with_parent=True) for p in positions]
    return shown


def connector_orders(req: RestRequest, q: ListQuery) -> Reply:
    ids = req.get.get("ids")
    if isinstance(ids, str) and ids:
        wanted = [int(i) for i in ids.split(",") if i.isdigit()]
        if len(wanted) > MAX_PER_REQUEST:
            raise RestError(400, "rest_invalid_param", "Invalid parameter(s): ids", {"params": {"ids": "too many"}})
        book = req.store.orders
        readable = [i for i in sorted(set(wanted)) if book.exists(i) and book.status_of(i) != "auto-draft"]
        shown = [order_view(rec, req.view) for rec in map(book.get, readable) if rec is not None]
        return Reply(200, _with_refunds(req, shown), {"X-WP-Total": str(len(shown)), "X-WP-TotalPages": "1"})
    per_page = _int(req, "per_page", 10, maximum=MAX_PER_REQUEST)
    get = dict(req.get)
    if isinstance(get.get("modified_after"), str) and get["modified_after"]:
        # As the plugin: every status wc/v3's `any` covers plus trash, oldest id first, dates in GMT.
        get.update({"status": "any,trash", "orderby": "id", "order": "asc", "dates_are_gmt": "true"})
    # wc/v3's own listing, whose schema caps per_page at 100: the plugin lifts that cap and nothing else.
    capped = dataclasses.replace(req, get={**get, "per_page": str(min(per_page, 100))})
    listing = parse_list(capped, orders.ORDER_LIST)
    listing.per_page = per_page
    reply = orders.list_orders(req, listing)
    headers = {k: v for k, v in reply.headers.items() if k.lower() != "link"}
    return Reply(reply.status, _with_refunds(req, list(reply.data)), headers)
