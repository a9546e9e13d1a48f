"""analytics.rollups: the write side, keeping precomputed cells in step with the raw rows so pages do not depend on
history size.

The change feed (`commerce.changes`) hands each sync page's (old, new) order and refund states to three listeners,
registered in `AnalyticsConfig.ready`, inside the page's transaction: `daily` (daily and per-country cells, from one
computation of the page's moves), `customers` (each customer's cells) and `products` (per-product cells in aligned
blocks of days). `cells` holds the signed deltas and the one upsert; `rows` turns models and change-feed states into
the rows `metrics` reads; `snapshots` refreshes the customers' whole-history figures at a pass end; `rebuild.rebuild`
is the one rebuild of every cell from raw rows. Imports `metrics` and `analytics.models`, never `reports`.
"""
