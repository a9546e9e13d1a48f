"""storelens.analytics: the only place that computes a number. `metrics` (pure definitions) < `models` < `rollups`
(write side, kept in step by the change feed) < `reports` (read side for pages, API and CLI); each imports only the
layers below it (`tests/analytics/test_layers.py`)."""
