"""Our exact copy of what a store holds, keyed by (source, WooCommerce id) so that every write is an idempotent upsert.

Money is integer minor units of the object's currency (`*_minor` + `currency`): SQLite sums decimals as floats, and
the dashboard must be exact to the cent. Line items and refund lines also keep their amounts at the precision the
sync asks for (`dp=4`) as `*_e4`: integer ten-thousandths of the currency's major unit whatever its exponent (USD
12.3456 → 123456, JPY 1500 → 15000000), because WooCommerce keeps line amounts unrounded; their `*_minor` twins are the
same amounts rounded half away from zero per line, which is how WooCommerce Analytics itself stores a line
(`wc_order_product_lookup.product_net_revenue = round(line total, price decimals)`). Dates are the store's `*_gmt`
fields as aware UTC datetimes.
"""

from __future__ import annotations

from django.db import models

from storelens.accounts.scoping import WorkspaceQuerySet
from storelens.stores.models import Store


class StoreOwned(models.Model):
    """Every commerce row belongs to one source and, through it, to one workspace."""

    workspace_lookup = "store__workspace"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True


class Customer(StoreOwned):
    """One buyer identity: `wc:<id>` for a registered customer, `email:<lowercased>` for a guest. A guest e-mail
    that later registers is merged into the registered identity (its orders re-point to it)."""

    key = models.CharField(max_length=300)
    wc_id = models.BigIntegerField(null=True, blank=True)
    email = models.CharField(max_length=254, blank=True)
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    is_registered = models.BooleanField(default=False)
    role = models.CharField(max_length=64, blank=True)
    raw = models.JSONField(null=True, blank=True)
    first_order_at = models.DateTimeField(null=True, blank=True)
    orders_count = models.IntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # The order whose billing details name an identity created from orders (a guest): its latest, by (created_at,
    # wc id), so the name and country do not depend on which page of an import arrived first. Nullable so that SQLite
    # adds the columns in place (a remade table loses the order search's FTS triggers).
    named_at = models.DateTimeField(null=True, blank=True)
    named_by_wc_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "key"], name="commerce_customer_store_key")]
        indexes = [models.Index(fields=["store", "email"]), models.Index(fields=["store", "wc_id"])]


class Order(StoreOwned):
    wc_id = models.BigIntegerField()
    parent_wc_id = models.BigIntegerField(default=0)
    number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=40)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    total_minor = models.BigIntegerField(default=0)
    total_tax_minor = models.BigIntegerField(default=0)
    shipping_total_minor = models.BigIntegerField(default=0)
    shipping_tax_minor = models.BigIntegerField(default=0)
    discount_total_minor = models.BigIntegerField(default=0)
    discount_tax_minor = models.BigIntegerField(default=0)
    fee_total_minor = models.BigIntegerField(default=0)
    subtotal_minor = models.BigIntegerField(default=0)  # Σ line subtotal_e4, rounded once for the order
    items_count = models.IntegerField(default=0)
    customer = models.ForeignKey(Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders")
    wc_customer_id = models.BigIntegerField(default=0)
    billing_email = models.CharField(max_length=254, blank=True)
    billing_country = models.CharField(max_length=2, blank=True)
    payment_method = models.CharField(max_length=100, blank=True)
    payment_method_title = models.CharField(max_length=200, blank=True)
    created_via = models.CharField(max_length=64, blank=True)
    coupon_codes = models.JSONField(default=list, blank=True)
    # What the breakdown reports key on, taken from the payload at upsert (commerce migration 0004 filled them from
    # `raw`): the distinct shipping method titles, and [code, discount in minor units] per coupon line.
    shipping_methods = models.JSONField(default=list, blank=True)
    coupon_discounts = models.JSONField(default=list, blank=True)
    prices_include_tax = models.BooleanField(default=False)
    refund_ids = models.JSONField(default=list, blank=True)  # the order's `refunds[]` ids, to notice refund changes
    deleted_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "wc_id"], name="commerce_order_store_wc_id")]
        indexes = [
            models.Index(fields=["store", "created_at"]),
            models.Index(fields=["store", "modified_at"]),
            models.Index(fields=["store", "status"]),
            # The orders list (analytics.order_list): a status filter walks its own orders by date, "largest total"
            # walks the totals (ties by id, as the keyset cursor does), a search finds an order number, and the count
            # finds deleted orders, which no rollup holds, without reading the range. PostgreSQL also gets trigram
            # indexes for the search (commerce migration 0004).
            models.Index(fields=["store", "status", "created_at"], name="order_list_status_created"),
            models.Index(fields=["store", "total_minor", "id"], name="order_list_total"),
            models.Index(fields=["store", "number"], name="order_list_number"),
            models.Index(
                fields=["store", "created_at"], condition=models.Q(deleted_at__isnull=False), name="order_list_deleted"
            ),
        ]

    @property
    def counts(self) -> bool:
        """Deleted and trashed orders stay visible but never count in figures."""
        return self.deleted_at is None and self.status != "trash"


class LineItem(StoreOwned):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="line_items")
    wc_item_id = models.BigIntegerField()
    product_wc_id = models.BigIntegerField(default=0)
    variation_wc_id = models.BigIntegerField(default=0)
    name = models.CharField(max_length=400, blank=True)
    sku = models.CharField(max_length=200, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    subtotal_minor = models.BigIntegerField(default=0)  # per line, rounded: what product figures sum
    subtotal_tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    total_tax_minor = models.BigIntegerField(default=0)
    subtotal_e4 = models.BigIntegerField(default=0)  # as the store gave it (dp=4): 10⁻⁴ of the major unit
    subtotal_tax_e4 = models.BigIntegerField(default=0)
    total_e4 = models.BigIntegerField(default=0)
    total_tax_e4 = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["store", "product_wc_id"])]


class Refund(StoreOwned):
    wc_id = models.BigIntegerField()
    parent_wc_id = models.BigIntegerField()
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds")
    created_at = models.DateTimeField(null=True, blank=True)
    amount_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    reason = models.TextField(blank=True)
    refunded_tax_minor = models.BigIntegerField(default=0)
    refunded_shipping_minor = models.BigIntegerField(default=0)
    refunded_shipping_tax_minor = models.BigIntegerField(default=0)
    refunded_fees_minor = models.BigIntegerField(default=0)
    # Σ line quantities, negative as WooCommerce gives them: Analytics counts them against items sold on the
    # refund's date (wc_order_stats.num_items_sold of the refund row), so metrics need it without reading lines.
    items_quantity = models.IntegerField(default=0)
    # The refund that made its order fully refunded (the refunded amounts reach the order total with it): what
    # WooCommerce 11 marks `_refund_type = full` (a protected meta the REST API never shows), and Analytics then
    # counts with the ORDER's net, tax, shipping and items, negated, instead of the refund's own lines.
    full_refund = models.BooleanField(default=False)
    raw = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "wc_id"], name="commerce_refund_store_wc_id")]
        indexes = [models.Index(fields=["store", "parent_wc_id"]), models.Index(fields=["store", "created_at"])]


class RefundLine(StoreOwned):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    wc_item_id = models.BigIntegerField()
    refunded_item_id = models.BigIntegerField(null=True, blank=True)
    product_wc_id = models.BigIntegerField(default=0)
    variation_wc_id = models.BigIntegerField(default=0)
    quantity = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    subtotal_minor = models.BigIntegerField(default=0)  # negative, per line rounded like LineItem's
    total_minor = models.BigIntegerField(default=0)
    total_tax_minor = models.BigIntegerField(default=0)
    subtotal_e4 = models.BigIntegerField(default=0)  # negative, as the store gave it (dp=4)
    total_e4 = models.BigIntegerField(default=0)
    total_tax_e4 = models.BigIntegerField(default=0)


class Product(StoreOwned):
    wc_id = models.BigIntegerField()
    parent_wc_id = models.BigIntegerField(default=0)
    name = models.CharField(max_length=400, blank=True)
    sku = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=40, blank=True)
    price_minor = models.BigIntegerField(null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "wc_id"], name="commerce_product_store_wc_id")]


class Variation(StoreOwned):
    wc_id = models.BigIntegerField()
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="variations")
    product_wc_id = models.BigIntegerField(default=0)
    sku = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=40, blank=True)
    price_minor = models.BigIntegerField(null=True, blank=True)
    attributes = models.JSONField(default=list, blank=True)
    raw = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "wc_id"], name="commerce_variation_store_wc_id")]


class Coupon(StoreOwned):
    wc_id = models.BigIntegerField()
    code = models.CharField(max_length=200)
    discount_type = models.CharField(max_length=40, blank=True)
    amount = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    status = models.CharField(max_length=40, blank=True)
    raw = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "wc_id"], name="commerce_coupon_store_wc_id")]


class Subscription(StoreOwned):
    wc_id = models.BigIntegerField()
    parent_wc_id = models.BigIntegerField(default=0)
    status = models.CharField(max_length=40)
    billing_period = models.CharField(max_length=20, blank=True)
    billing_interval = models.IntegerField(default=1)
    total_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True)
    start_at = models.DateTimeField(null=True, blank=True)
    next_payment_at = models.DateTimeField(null=True, blank=True)
    end_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    customer = models.ForeignKey(Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    wc_customer_id = models.BigIntegerField(default=0)
    raw = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "wc_id"], name="commerce_subscription_store_wc_id")]
