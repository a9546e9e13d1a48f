"""The real WooCommerce 9.9 store's dataset (../shared/woocommerce/dataset) loaded through the sync's upserts."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

DATASET = Path(os.environ.get("STORELENS_DATASET_DIR", "/work/shared/woocommerce/dataset"))


def read(name: str) -> Any:
    return json.loads((DATASET / name).read_text())


def make_store(workspace: Any) -> Any:
    from storelens.stores.models import Store

    index = read("index.json")
    return Store.objects.create(
        workspace=workspace,
        name=index["name"],
        home_url=index["home"],
        currency="USD",
        timezone_string=index["timezone_string"],
        gmt_offset=Decimal(str(index["gmt_offset"])),
    )


def load_through_upserts(store: Any, page: int = 100) -> None:
    """Orders (with the trash listing) and refunds in pages, as the import writes them."""
    from storelens.commerce import upsert_orders, upsert_refunds

    orders = read("orders.json") + read("orders-trash.json")
    for i in range(0, len(orders), page):
        upsert_orders(store, orders[i : i + page])
    by_parent: dict[int, list[dict]] = defaultdict(list)
    for refund in read("refunds.json"):
        by_parent[refund["parent_id"]].append(refund)
    for parent, refunds in by_parent.items():
        upsert_refunds(store, refunds, parent_wc_id=parent)
