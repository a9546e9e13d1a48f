"""What `seed/seed.php` made in a real store: its summary (`wp-content/uploads/storelens-seed.json`), read back.

The summary lists ids by scenario tag (`ids["midnight"]`, `ids["two_refunds"]`, …), the guest orders placed right
after a registered customer's first order (`guest_next_to_first_order`), refunds by kind (`refunds_by_kind`),
`trashed_orders`, `deleted_orders`, `deleted_products`, and `silent_edits` (SQL edits that left `date_modified`
alone: order id, field, before, after). Tests that need a particular case take its id from here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SUMMARY = Path("wp-content") / "uploads" / "storelens-seed.json"


def summary(store: Any) -> dict[str, Any]:
    """The seed summary of a running `RealStore` (raises FileNotFoundError when the store was seeded minimally)."""
    path = Path(store.wp_root) / SUMMARY
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the store was not seeded by seed/seed.php (STORELENS_REALSTORE_SEED?)"
        )
    return json.loads(path.read_text())
