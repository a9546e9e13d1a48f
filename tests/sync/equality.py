"""The copy-equals-store check: every order, line item, refund and customer identity, exactly.

Expected values are computed here from the fake store's own JSON with Decimal arithmetic, independently of the
sync's parser, so a parsing bug cannot hide behind itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from storelens.commerce.models import Coupon, Customer, LineItem, Order, Product, Refund, RefundLine, Variation


def cents(value: Any) -> int:
    return int((Decimal(str(value or "0")) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def e4(value: Any) -> int:
    """A dp=4 line amount in ten-thousandths, exactly (the copy keeps line amounts as the store gave them)."""
    return int(Decimal(str(value or "0")).scaleb(4).to_integral_value(rounding=ROUND_HALF_UP))


def store_orders(shop: Any) -> dict[int, dict]:
    view = shop.view(dp=4)
    return {oid: shop.order_json(oid, view) for oid in list(shop.orders.ids) if shop.orders.exists(oid)}


def assert_copy_equals_store(store: Any, shop: Any) -> None:
    expected = store_orders(shop)
    # Only the compared columns, with the customer's wc_id joined in: 20k model instances with their raw JSON and a
    # customer query per order made this check as slow as the import it checks.
    rows = {
        o["wc_id"]: o
        for o in Order.objects.filter(store=store).values(
            "wc_id",
            "deleted_at",
            "status",
            "currency",
            "total_minor",
            "total_tax_minor",
            "shipping_total_minor",
            "discount_total_minor",
            "modified_at",
            "refund_ids",
            "customer__wc_id",
        )
    }
    live = {wc for wc, o in rows.items() if o["deleted_at"] is None}
    missing = set(expected) - live
    extra = live - set(expected)
    assert not missing and not extra, f"orders missing: {sorted(missing)[:10]}, not deleted: {sorted(extra)[:10]}"
    lines: dict[int, set] = {}
    for li in LineItem.objects.filter(store=store, order__deleted_at__isnull=True).values(
        "order__wc_id",
        "wc_item_id",
        "product_wc_id",
        "variation_wc_id",
        "quantity",
        "subtotal_minor",
        "total_minor",
        "subtotal_e4",
        "total_e4",
        "total_tax_e4",
    ):
        lines.setdefault(li["order__wc_id"], set()).add(
            (
                li["wc_item_id"],
                li["product_wc_id"],
                li["variation_wc_id"],
                int(li["quantity"]),
                li["subtotal_minor"],
                li["total_minor"],
                li["subtotal_e4"],
                li["total_e4"],
                li["total_tax_e4"],
            )
        )
    for wc_id, payload in expected.items():
        row = rows[wc_id]
        got = (
            row["status"],
            row["currency"],
            row["total_minor"],
            row["total_tax_minor"],
            row["shipping_total_minor"],
            row["discount_total_minor"],
            row["modified_at"].strftime("%Y-%m-%dT%H:%M:%S") if row["modified_at"] else None,
        )
        want = (
            payload["status"],
            payload["currency"],
            cents(payload["total"]),
            cents(payload["total_tax"]),
            cents(payload["shipping_total"]),
            cents(payload["discount_total"]),
            payload["date_modified_gmt"],
        )
        assert got == want, f"order {wc_id}: {got} != {want}"
        want_lines = {
            (
                li["id"],
                li["product_id"],
                li["variation_id"],
                int(li["quantity"]),
                cents(li["subtotal"]),
                cents(li["total"]),
                e4(li["subtotal"]),
                e4(li["total"]),
                e4(li["total_tax"]),
            )
            for li in payload["line_items"]
        }
        assert lines.get(wc_id, set()) == want_lines, f"order {wc_id} line items differ"
        assert row["refund_ids"] == sorted(r["id"] for r in payload["refunds"]), f"order {wc_id} refund ids differ"

    want_refunds = {}
    for wc_id in expected:
        for rid in shop.refund_ids_of(wc_id):
            refund = shop.refund_json(rid, shop.view(dp=4))
            want_refunds[rid] = (
                wc_id,
                cents(refund["amount"]),
                sorted(
                    (li["id"], int(li["quantity"]), cents(li["total"]), e4(li["total"]), e4(li["total_tax"]))
                    for li in refund["line_items"]
                ),
            )
    got_refunds = {}
    refund_lines: dict[int, list] = {}
    for line in RefundLine.objects.filter(store=store, refund__deleted_at__isnull=True).values(
        "refund__wc_id", "wc_item_id", "quantity", "total_minor", "total_e4", "total_tax_e4"
    ):
        refund_lines.setdefault(line["refund__wc_id"], []).append(
            (line["wc_item_id"], int(line["quantity"]), line["total_minor"], line["total_e4"], line["total_tax_e4"])
        )
    for r in Refund.objects.filter(store=store, deleted_at__isnull=True).values(
        "wc_id", "parent_wc_id", "amount_minor", "order__wc_id"
    ):
        got_refunds[r["wc_id"]] = (r["parent_wc_id"], r["amount_minor"], sorted(refund_lines.get(r["wc_id"], [])))
        assert r["order__wc_id"] == r["parent_wc_id"], f"refund {r['wc_id']} is not linked to its order"
    assert got_refunds == want_refunds

    registered = {cid for cid in list(shop.customers.ids) if shop.customers.exists(cid)}
    got_registered = set(
        Customer.objects.filter(store=store, is_registered=True, deleted_at__isnull=True).values_list(
            "wc_id", flat=True
        )
    )
    assert registered <= got_registered, f"registered customers missing: {sorted(registered - got_registered)[:10]}"
    account_emails = {(shop.customers.get(cid).get("email") or "").lower() for cid in registered}
    guest_emails = {
        (p["billing"].get("email") or "").strip().lower()
        for p in expected.values()
        if not p["customer_id"] and (p["billing"].get("email") or "").strip()
    } - account_emails
    # A guest identity whose every order was deleted on the store keeps its row but has no live order left.
    got_guests = set(
        Customer.objects.filter(store=store, is_registered=False, orders__deleted_at__isnull=True)
        .distinct()
        .values_list("email", flat=True)
    )
    assert got_guests == guest_emails
    # A guest order with a registered customer's e-mail (in any case) belongs to that customer: the lowest id, as the
    # merge picks.
    customer_of_email: dict[str, int] = {}
    for cid in sorted(registered):
        customer_of_email.setdefault((shop.customers.get(cid).get("email") or "").strip().lower(), cid)
    for wc_id, payload in expected.items():
        if payload["customer_id"]:
            assert rows[wc_id]["customer__wc_id"] == payload["customer_id"], f"order {wc_id} customer"
        else:
            email = (payload["billing"].get("email") or "").strip().lower()
            want = customer_of_email.get(email) if email else None
            assert rows[wc_id]["customer__wc_id"] == want, f"guest order {wc_id} ({email}) customer"


def assert_catalogue_equals_store(store: Any, shop: Any) -> None:
    """Products (trash included), variations and coupons: which exist, and the fields we store, exactly."""

    def money(value: Any) -> int | None:
        return cents(value) if value not in (None, "") else None

    def live(book: Any) -> list[int]:
        return [i for i in list(book.ids) if book.exists(i)]

    want_products = {
        pid: (p["status"], p["name"], p["sku"], money(p.get("price")), p["date_modified_gmt"])
        for pid in live(shop.products)
        if (p := shop.products.get(pid))
    }
    got_products = {
        p.wc_id: (p.status, p.name, p.sku, p.price_minor, int(p.modified_at.timestamp()) if p.modified_at else None)
        for p in Product.objects.filter(store=store, deleted_at__isnull=True)
    }
    assert got_products == want_products, "products differ"
    want_variations = {
        vid: (v["parent_id"], v["sku"], money(v.get("price")))
        for vid in live(shop.variations)
        if (v := shop.variations.get(vid))
    }
    got_variations = {
        v.wc_id: (v.product_wc_id, v.sku, v.price_minor)
        for v in Variation.objects.filter(store=store, deleted_at__isnull=True)
    }
    assert got_variations == want_variations, "variations differ"
    # The coupons listing omits trashed coupons, as WooCommerce's does: those are deleted for us.
    want_coupons = {
        cid: (c["code"].lower(), c["discount_type"], Decimal(str(c["amount"])))
        for cid in live(shop.coupons)
        if (c := shop.coupons.get(cid)) and c["status"] != "trash"
    }
    got_coupons = {
        c.wc_id: (c.code, c.discount_type, c.amount)
        for c in Coupon.objects.filter(store=store, deleted_at__isnull=True)
    }
    assert got_coupons == want_coupons, "coupons differ"
