"""Collection parameters as WordPress validates them, and pagination headers as WooCommerce builds them.

Validation messages and codes are the captured ones (`per_page must be between 1 (inclusive) and 100
(inclusive)`, `status[0] is not one of …`, `Invalid date.`). The `Link` header is rebuilt the way
WC_REST_CRUD_Controller does it: the request's own (sanitized) query, `page` replaced in place, then the
parameters the controller set itself (orders: `status[…]`, `dp`, `context`), prev/next only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from ..clock import filter_cutoff, is_valid_rest_date
from ..phpquery import PhpValue, as_list
from .http import RestRequest, invalid_params

ORDER_STATUSES = [
    "any",
    "trash",
    "auto-draft",
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
]
SUBSCRIPTION_STATUSES = [
    "any",
    "pending",
    "active",
    "on-hold",
    "cancelled",
    "switched",
    "expired",
    "pending-cancel",
    "trash",
]
_INT = re.compile(r"^-?\d+$")


def enum_text(values: list[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    if len(values) == 2:
        return f"{values[0]} and {values[1]}"
    return ", ".join(values[:-1]) + ", and " + values[-1]


def _scalar(value: PhpValue | None) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    return value


@dataclass
class ListQuery:
    page: int = 1
    per_page: int = 10
    offset: int | None = None
    order: str = "desc"
    orderby: str = "date"
    search: str = ""
    include: list[int] | None = None
    exclude: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    created_after: int | None = None
    created_before: int | None = None
    modified_after: int | None = None
    modified_before: int | None = None
    dp: int = 2
    fields: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ListSpec:
    orderby: list[str]
    default_orderby: str = "date"
    default_order: str = "desc"
    statuses: list[str] | None = None  # the status enum when the collection has one
    default_status: str | None = None
    dates: bool = True  # after/before/modified_after/modified_before/dates_are_gmt
    modified: bool = True  # modified_after/modified_before exist (legacy WooCommerce ignores them)
    booleans: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()


def _int_param(
    problems: dict,
    name: str,
    raw: PhpValue | None,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    value = _scalar(raw)
    if raw is None:
        return default
    if value is None or not _INT.match(value.strip()):
        problems[name] = ("rest_invalid_type", f"{name} is not of type integer.")
        return default
    number = int(value)
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        problems[name] = (
            "rest_out_of_bounds",
            f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)",
        )
    elif minimum is not None and number < minimum:
        problems[name] = ("rest_out_of_bounds", f"{name} must be greater than or equal to {minimum}")
    return number


def bool_value(raw: PhpValue | None) -> bool | None:
    value = _scalar(raw)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    return None


def parse_list(req: RestRequest, spec: ListSpec) -> ListQuery:
    g = req.get
    problems: dict[str, tuple[str, str]] = {}
    q = ListQuery(order=spec.default_order, orderby=spec.default_orderby)
    q.page = _int_param(problems, "page", g.get("page"), 1, minimum=1)
    q.per_page = _int_param(problems, "per_page", g.get("per_page"), 10, minimum=1, maximum=100)
    if g.get("offset") is not None:
        q.offset = _int_param(problems, "offset", g.get("offset"), 0)
    order = _scalar(g.get("order"))
    if order is not None:
        if order not in ("asc", "desc"):
            problems["order"] = ("rest_not_in_enum", "order is not one of asc and desc.")
        else:
            q.order = order
    orderby = _scalar(g.get("orderby"))
    if orderby is not None:
        if orderby not in spec.orderby:
            problems["orderby"] = ("rest_not_in_enum", f"orderby is not one of {enum_text(spec.orderby)}.")
        else:
            q.orderby = orderby
    q.search = _scalar(g.get("search")) or ""
    for name in ("include", "exclude"):
        if g.get(name) is not None:
            ids = []
            for i, item in enumerate(as_list(g.get(name))):
                if not _INT.match(item):
                    problems[name] = ("rest_invalid_type", f"{name}[{i}] is not of type integer.")
                    break
                ids.append(int(item))
            if name == "include":
                q.include = ids if ids else None
            else:
                q.exclude = ids
    if spec.statuses is not None:
        raw = g.get("status")
        values = as_list(raw) if raw is not None else [spec.default_status or "any"]
        if raw is not None and not values:
            values = [spec.default_status or "any"]
        for i, value in enumerate(values):
            if value not in spec.statuses:
                problems["status"] = ("rest_not_in_enum", f"status[{i}] is not one of {enum_text(spec.statuses)}.")
                break
        q.statuses = values
    dates_are_gmt = False
    # WooCommerce before 5.8 has no modified_after/modified_before: unknown parameters are ignored silently.
    with_modified = spec.modified and not req.store.config.has("legacy-woocommerce")
    if spec.dates:
        raw_gmt = g.get("dates_are_gmt")
        if raw_gmt is not None:
            parsed = bool_value(raw_gmt)
            if parsed is None:
                problems["dates_are_gmt"] = ("rest_invalid_type", "dates_are_gmt is not of type boolean.")
            else:
                dates_are_gmt = parsed
        names = ["after", "before"] + (["modified_after", "modified_before"] if with_modified else [])
        for name in names:
            value = _scalar(g.get(name))
            if value is None:
                continue
            if not is_valid_rest_date(value):
                problems[name] = ("rest_invalid_date", "Invalid date.")
    for name in spec.booleans:
        if g.get(name) is not None and bool_value(g.get(name)) is None:
            problems[name] = ("rest_invalid_type", f"{name} is not of type boolean.")
    for name in spec.integers:
        if g.get(name) is not None:
            q.extra[name] = _int_param(problems, name, g.get(name), 0)
    if g.get("dp") is not None:
        q.dp = _int_param(problems, "dp", g.get("dp"), 2)
    if problems:
        raise invalid_params(problems)
    if spec.dates:
        tz = req.store.timezone
        for name, attr in (
            ("after", "created_after"),
            ("before", "created_before"),
            ("modified_after", "modified_after"),
            ("modified_before", "modified_before"),
        ):
            value = _scalar(g.get(name))
            if value is None or (name.startswith("modified") and not with_modified):
                continue
            setattr(q, attr, filter_cutoff(value, dates_are_gmt, tz))
    q.fields = _scalar(g.get("_fields"))
    return q


def page_slice(positions: list[Any], q: ListQuery) -> tuple[list[Any], int]:
    start = q.offset if q.offset is not None else (q.page - 1) * q.per_page
    return positions[start : start + q.per_page], len(positions)


# --- Link header ---------------------------------------------------------------------------------------------


def _encode(value: str) -> str:
    return quote_plus(value, safe="").replace("%2B", "+")


def _pairs(key: str, value: PhpValue) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for k, v in value.items():
            out.extend(_pairs(f"{key}[{k}]", v))
        return out
    return [(key, value)]


def pagination(
    req: RestRequest,
    route: str,
    q: ListQuery,
    total: int,
    returned: int,
    *,
    crud: bool = True,
    set_params: list[tuple[str, PhpValue]] | None = None,
    item_params: list[tuple[str, str]] | None = None,
    booleans: tuple[str, ...] = ("dates_are_gmt",),
) -> dict[str, str]:
    """X-WP-Total, X-WP-TotalPages and Link; a CRUD page past the end reports 0/0 as HPOS does."""
    max_pages = math.ceil(total / q.per_page) if total else 0
    if crud and returned == 0 and q.page > max_pages:
        total = max_pages = 0
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(max_pages)}
    params: list[tuple[str, str]] = []
    skip = {name for name, _ in (set_params or [])}
    for key, value in req.get.items():
        if key in skip:
            continue
        if key in booleans:
            flag = bool_value(value)
            if flag:
                params.append((key, "1"))
            continue
        if key == "oauth_signature" and isinstance(value, str):
            value = value.rstrip("=")  # base64 padding does not survive WordPress's rebuild (captured)
        params.extend(_pairs(key, value))
    for key, value in set_params or []:
        params.extend(_pairs(key, value))
    if returned:
        present = {k for k, _ in params}
        for key, value in item_params or []:
            if key not in present:
                params.append((key, value))
    base = req.view.rest_prefix
    plain = "?rest_route=" in base
    links = []

    def link(page: int) -> str:
        pairs = list(params)
        for i, (k, _) in enumerate(pairs):
            if k == "page":
                pairs[i] = ("page", str(page))
                break
        else:
            pairs.append(("page", str(page)))
        if plain:
            pairs = [("rest_route", "/" + route)] + [p for p in pairs if p[0] != "rest_route"]
            url = base.split("?", 1)[0]
        else:
            url = base + route
        return url + "?" + "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)

    if q.page > 1:
        prev_page = min(q.page - 1, max_pages)
        links.append(f'<{link(prev_page)}>; rel="prev"')
    if max_pages > q.page:
        links.append(f'<{link(q.page + 1)}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def statuses_param(statuses: list[str]) -> tuple[str, PhpValue]:
    return ("status", {str(i): s for i, s in enumerate(statuses)})


__all__ = [
    "ORDER_STATUSES",
    "SUBSCRIPTION_STATUSES",
    "ListQuery",
    "ListSpec",
    "bool_value",
    "enum_text",
    "page_slice",
    "pagination",
    "parse_list",
    "statuses_param",
]
