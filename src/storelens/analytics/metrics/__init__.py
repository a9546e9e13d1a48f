"""analytics.metrics: metric definitions, the only place that says what a number on a Storelens page means.

Defaults follow WooCommerce Analytics (measured on WooCommerce 9.9 and checked against the real store's dataset in
`tests/analytics/test_real_store.py`), so an owner sees the numbers their wp-admin shows:

- An order is *counted* when its status is not excluded (the store's setting, default pending, failed, cancelled;
  checkout-draft, trash and auto-draft always), it was not deleted from the store, and it has a date on the chosen
  basis (created, paid or completed; an unpaid order has no paid date, so it is absent on the paid basis).
- An order falls on the store-local day of that date's `_gmt` value (see `timezones`).
- A refund falls on its own creation day, and counts only when its order is counted (whatever day the order fell on).
- Ranges are whole local days, both ends included.

Everything here is pure: rows in, integer minor units out, no database. The rollups (`analytics.rollups`) store
exactly the per-row contributions computed here, so a rollup answer and a raw answer cannot drift apart by definition,
only by bookkeeping (which the property tests in `tests/analytics/rollups/test_daily_property.py` check).

`types` (rows, totals, contributions), `report_settings` (how a store counts), `orders` (one order or refund),
`ranges` (a range's metrics), `products`, `customers` (LTV, RFM), `subscriptions`, `periods` (calendar arithmetic),
`timezones` and `day_blocks`. What is counted by default (date basis, excluded statuses) is
`storelens.stores.reporting`.
"""
