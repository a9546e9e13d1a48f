"""analytics.reports: the read side, what the pages, the JSON API and `storelens report` show, each from rollups
through an index (raw rows only where no rollup can answer: a product filter, drill-down, the raw checks).

`summary` (the report behind the CLI, the API summary and the KPI tiles), `customer_counts` (a range's new and
returning customers), `cells` (daily and per-country cells), `counted` (the counted-order rule as SQL), `home`,
`customers`, `products`, `orders` and `order_search`, `subscriptions`, `activity`, `fx` (ECB rates) and `currency`
(the workspace's reporting currency). Imports `metrics`, `analytics.models` and `rollups`; nothing imports it but the
pages, the API and the CLI.
"""
