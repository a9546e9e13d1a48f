"""Serve a recorded store: the JSON files of `shared/woocommerce/dataset/`, as the real API returned them.

Records are converted to the fake's storage form (UTC seconds in date keys, site-relative URLs) so that they
print back exactly as recorded, with links rebuilt for the fake's own home URL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .books import Book
from .clock import parse_utc_naive
from .serializers import DATE_GMT, DATE_LOCAL

if TYPE_CHECKING:
    from .store import FakeStore

_ORIGIN = re.compile(r"^https?://[^/]+")


def _stored(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if key == "_links":
            continue
        if key in DATE_LOCAL:
            out[key] = parse_utc_naive(record.get(key + "_gmt")) if value is not None else None
        elif key in DATE_GMT:
            out[key] = parse_utc_naive(value)
        elif key in ("payment_url", "permalink") and isinstance(value, str):
            out[key] = _ORIGIN.sub("", value)
        else:
            out[key] = value
    return out


def _read(directory: Path, name: str) -> list | dict:
    path = directory / name
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def load_dataset(store: FakeStore, directory: str) -> None:
    base = Path(directory)
    if not base.is_dir():
        raise FileNotFoundError(
            f"dataset directory {directory} does not exist; point --dataset at shared/woocommerce/dataset"
        )
    store.factory = None
    index = _read(base, "index.json")
    if isinstance(index, dict) and index:
        store.site_name = index.get("name", store.site_name)
        store.site_description = index.get("description", store.site_description)
    settings = _read(base, "settings-general.json")
    if isinstance(settings, list) and settings:
        store.settings_general = [{k: v for k, v in s.items() if k != "_links"} for s in settings]

    orders = [_stored(o) for o in _read(base, "orders.json")] + [_stored(o) for o in _read(base, "orders-trash.json")]
    orders.sort(key=lambda o: o["id"])
    store.orders = Book()
    for o in orders:
        store.orders.append(
            o["id"],
            o["status"],
            o["date_created_gmt"],
            o["date_modified_gmt"] or o["date_created_gmt"],
            o["customer_id"],
        )
        store.orders.put(o["id"], o)

    refunds = sorted((_stored(r) for r in _read(base, "refunds.json")), key=lambda r: r["id"])
    store.refunds = Book()
    store.refunds_of = {}
    for r in refunds:
        store.refunds.append(r["id"], "completed", r["date_created_gmt"], r["date_created_gmt"], r["parent_id"])
        store.refunds.put(r["id"], r)
        store.refunds_of.setdefault(r["parent_id"], []).append(r["id"])

    customers = sorted((_stored(c) for c in _read(base, "customers.json")), key=lambda c: c["id"])
    store.customers = Book()
    store.customer_names = []
    for c in customers:
        created = c["date_created_gmt"] or 0
        store.customers.append(c["id"], c["role"], created, c["date_modified_gmt"] or created)
        store.customers.put(c["id"], c)
        store.customer_names.append((f"{c['first_name']} {c['last_name']}").strip() or c["username"])

    store.products = Book()
    categories: dict[int, dict] = {}
    for p in sorted((_stored(p) for p in _read(base, "products.json")), key=lambda p: p["id"]):
        store.products.append(p["id"], p["status"], p["date_created_gmt"], p["date_modified_gmt"])
        store.products.put(p["id"], p)
        for c in p.get("categories", []):
            categories[c["id"]] = c
    store.categories = [categories[k] for k in sorted(categories)]
    store.variations = Book()
    for v in sorted((_stored(v) for v in _read(base, "variations.json")), key=lambda v: v["id"]):
        store.variations.append(v["id"], v["status"], v["date_created_gmt"], v["date_modified_gmt"], v["parent_id"])
        store.variations.put(v["id"], v)
    store.coupons = Book()
    for c in sorted((_stored(c) for c in _read(base, "coupons.json")), key=lambda c: c["id"]):
        store.coupons.append(c["id"], c["status"], c["date_created_gmt"], c["date_modified_gmt"])
        store.coupons.put(c["id"], c)

    store.subscriptions = Book() if store.config.subscriptions else None
    all_ids = [o["id"] for o in orders] + [r["id"] for r in refunds] + [p for p in store.products.ids]
    all_ids += list(store.variations.ids) + list(store.coupons.ids)
    store._next_id = max(all_ids, default=0) + 1
    store.history_start = min(store.orders.created, default=0)
    store.history_end = max(store.orders.modified, default=0)
