from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "storelens.analytics"
    label = "analytics"

    def ready(self) -> None:
        """Rollups move inside the sync's page transaction, through the commerce change feed: daily and per-country
        cells, customers' cells, products' cells. A guest identity merged away (a delete of customers, outside any
        change feed) moves its orders to the registered customer, whose cells are recomputed. A subscription write
        marks the MRR snapshot changed in its own transaction (the subscription change feed)."""
        from django.db.models.signals import pre_delete

        from storelens.analytics.rollups import customers, daily, product_orders, products, subscription_mrr
        from storelens.commerce import changes, subscription_changes

        changes.register(daily.on_changes)
        changes.register(customers.on_changes)
        changes.register(products.on_changes)
        changes.register(product_orders.on_changes)  # the product page's buyers and bought-together
        subscription_changes.register(subscription_mrr.note_changed)
        pre_delete.connect(
            customers.on_customer_deleted, sender="commerce.Customer", dispatch_uid="customer_rollups_guest_merged"
        )
