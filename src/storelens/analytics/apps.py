from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "storelens.analytics"
    label = "analytics"

    def ready(self) -> None:
        # Rollups move inside the sync's page transaction, through the commerce change feed.
        from storelens.analytics import customer_rollups, rollups
        from storelens.commerce import changes

        changes.register(rollups.on_changes)  # daily and per-country cells
        changes.register(customer_rollups.on_changes)
        from storelens.analytics import product_rollups

        changes.register(product_rollups.on_changes)
