"""From stored records to the JSON WooCommerce answers: dates, absolute URLs, `_links`, `dp` and `_fields`.

Records keep UTC seconds in every `date_*` / `date_*_gmt` key and site-relative paths in URL fields; this
module prints them for the request at hand (store time zone, the links' origin and REST prefix).
"""

from __future__ import annotations

from dataclasses import dataclass

from .clock import local_str, utc_str
from .money import fmt

DATE_LOCAL = frozenset(
    {
        "date_created",
        "date_modified",
        "date_completed",
        "date_paid",
        "date_on_sale_from",
        "date_on_sale_to",
        "date_expires",
    }
)
DATE_GMT = frozenset(k + "_gmt" for k in DATE_LOCAL)
RELATIVE_URL_KEYS = frozenset({"payment_url", "permalink"})

ORDER_MONEY = ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total", "total_tax")
ITEM_MONEY = {
    "line_items": ("subtotal", "subtotal_tax", "total", "total_tax"),
    "shipping_lines": ("total", "total_tax"),
    "fee_lines": ("total", "total_tax"),
    "tax_lines": ("tax_total", "shipping_tax_total"),
}

ALLOW_ITEM = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass(frozen=True)
class View:
    """How one request wants objects printed."""

    origin: str  # scheme://host[:port] of the WordPress home URL, scheme by is_ssl()
    rest_prefix: str  # origin + "/wp-json/" or origin + "/index.php?rest_route=/"
    tz: str
    dp: int = 2

    def rest(self, route: str) -> str:
        return self.rest_prefix + route.lstrip("/")


def dated(record: dict, view: View) -> dict:
    out: dict = {}
    tz = view.tz
    origin = view.origin
    for key, value in record.items():
        if key in DATE_LOCAL:
            out[key] = local_str(value, tz)
        elif key in DATE_GMT:
            out[key] = utc_str(value)
        elif key in RELATIVE_URL_KEYS and isinstance(value, str) and value.startswith("/"):
            out[key] = origin + value
        else:
            out[key] = value
    return out


def _apply_dp(out: dict, dp: int) -> None:
    for k in ORDER_MONEY:
        if k in out:
            out[k] = fmt(out[k], dp)
    for group, keys in ITEM_MONEY.items():
        if group in out:
            items = []
            for item in out[group]:
                item = dict(item)
                for k in keys:
                    item[k] = fmt(item[k], dp)
                items.append(item)
            out[group] = items
    if "refunds" in out and isinstance(out["refunds"], list):
        out["refunds"] = [
            dict(r, total=fmt(r["total"], dp), **({"total_tax": fmt(r["total_tax"], dp)} if "total_tax" in r else {}))
            for r in out["refunds"]
        ]
    if "amount" in out and "refunded_by" in out:
        out["amount"] = fmt(out["amount"], dp)


def order(record: dict, view: View, *, resource: str = "orders") -> dict:
    out = dated(record, view)
    if view.dp != 2 or record.get("prices_include_tax"):  # a tax-inclusive order keeps its lines unrounded
        _apply_dp(out, view.dp)
    oid = record["id"]
    links: dict = {
        "self": [{"href": view.rest(f"wc/v3/{resource}/{oid}"), "targetHints": {"allow": ALLOW_ITEM}}],
        "collection": [{"href": view.rest(f"wc/v3/{resource}")}],
    }
    if resource == "orders":
        links["email_templates"] = [
            {"embeddable": True, "href": view.rest(f"wc/v3/orders/{oid}/actions/email_templates")}
        ]
    if record.get("customer_id"):
        links["customer"] = [{"href": view.rest(f"wc/v3/customers/{record['customer_id']}")}]
    if record.get("parent_id"):
        links["up"] = [{"href": view.rest(f"wc/v3/orders/{record['parent_id']}")}]
    out["_links"] = links
    return out


def refund(record: dict, view: View, *, with_parent: bool) -> dict:
    out = dated(record, view)
    parent = out["parent_id"]
    if not with_parent:
        del out["parent_id"]
    if view.dp != 2:
        _apply_dp(out, view.dp)
    rid = record["id"]
    out["_links"] = {
        "self": [
            {
                "href": view.rest(f"wc/v3/orders/{parent}/refunds/{rid}"),
                "targetHints": {"allow": ["GET", "DELETE"]},
            }
        ],
        "collection": [{"href": view.rest(f"wc/v3/orders/{parent}/refunds")}],
        "up": [{"href": view.rest(f"wc/v3/orders/{parent}")}],
    }
    return out


def simple(record: dict, view: View, resource: str, allow: list[str] | None = None) -> dict:
    out = dated(record, view)
    out["_links"] = {
        "self": [
            {"href": view.rest(f"wc/v3/{resource}/{record['id']}"), "targetHints": {"allow": allow or ALLOW_ITEM}}
        ],
        "collection": [{"href": view.rest(f"wc/v3/{resource}")}],
    }
    return out


def customer(record: dict, view: View) -> dict:
    return simple(
        record,
        view,
        "customers",
        ["GET", "POST", "PUT", "PATCH", "DELETE"] if record["id"] != 1 else ["GET", "POST", "PUT", "PATCH"],
    )


def variation(record: dict, view: View) -> dict:
    out = dated(record, view)
    parent = record["parent_id"]
    out["_links"] = {
        "self": [
            {
                "href": view.rest(f"wc/v3/products/{parent}/variations/{record['id']}"),
                "targetHints": {"allow": ALLOW_ITEM},
            }
        ],
        "collection": [{"href": view.rest(f"wc/v3/products/{parent}/variations")}],
        "up": [{"href": view.rest(f"wc/v3/products/{parent}")}],
    }
    return out


def webhook(record: dict, view: View) -> dict:
    """`record` is Webhook.as_rest(): never the secret."""
    return simple(record, view, "webhooks")


# --- _fields ------------------------------------------------------------------------------------------------


def parse_fields(value: str | None) -> dict | None:
    """`_fields=id,billing.email` as a nested mask ({"id": True, "billing": {"email": True}})."""
    if not value:
        return None
    mask: dict = {}
    for raw in value.split(","):
        path = [p for p in raw.strip().split(".") if p]
        if not path:
            continue
        node = mask
        for part in path[:-1]:
            child = node.get(part)
            if child is True:
                break
            if child is None:
                child = node[part] = {}
            node = child
        else:
            node[path[-1]] = True
    return mask


def filter_fields(data: dict, mask: dict | None) -> dict:
    """WordPress's rest_filter_response_fields: object order kept; a sub-field of a list drops the list."""
    if mask is None:
        return data
    out = {}
    for key, value in data.items():
        want = mask.get(key)
        if want is None:
            continue
        if want is True:
            out[key] = value
        elif isinstance(value, dict):
            out[key] = filter_fields(value, want)
        # a nested mask on a list or a scalar selects nothing
    return out
