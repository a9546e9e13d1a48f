"""The generated store: deterministic by seed, every status, and money that adds up like WooCommerce's."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from fakestore.books import STATUSES
from fakestore.store import FakeStore

from .rest_helpers import make_store


def D(value: str) -> Decimal:
    return Decimal(value)


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return make_store(orders=1500, seed=5, months=12)


_ORDERS: dict[int, list[dict]] = {}


def all_orders(store: FakeStore) -> list[dict]:
    """Every order as JSON, built once per store (the module's tests share them)."""
    if id(store) not in _ORDERS:
        _ORDERS[id(store)] = [store.order_json(i) for i in store.orders.ids if store.orders.exists(i)]
    return _ORDERS[id(store)]


def test_same_seed_and_settings_give_the_same_store_byte_for_byte() -> None:
    a, b = make_store(orders=120, seed=9), make_store(orders=120, seed=9)
    assert list(a.orders.ids) == list(b.orders.ids)
    assert [a.order_json(i) for i in a.orders.ids] == [b.order_json(i) for i in b.orders.ids]
    assert [a.refund_json(i) for i in a.refunds.ids] == [b.refund_json(i) for i in b.refunds.ids]
    assert [a.customer_json(i) for i in a.customers.ids] == [b.customer_json(i) for i in b.customers.ids]


def test_another_seed_gives_another_store() -> None:
    a, b = make_store(orders=50, seed=1), make_store(orders=50, seed=2)
    assert [a.order_json(i)["total"] for i in a.orders.ids[:20]] != [
        b.order_json(i)["total"] for i in b.orders.ids[:20]
    ]


def test_orders_come_in_every_status_including_checkout_draft_and_trash() -> None:
    small = make_store(orders=40, seed=3)
    statuses = {STATUSES[c] for c in small.orders.status}
    assert statuses == {
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
        "checkout-draft",
        "trash",
    }


def test_order_totals_add_up_to_the_cent(store: FakeStore) -> None:
    for o in all_orders(store):
        lines = sum((D(li["total"]) for li in o["line_items"]), Decimal(0))
        line_tax = sum((D(li["total_tax"]) for li in o["line_items"]), Decimal(0))
        subtotals = sum((D(li["subtotal"]) for li in o["line_items"]), Decimal(0))
        ship = sum((D(s["total"]) for s in o["shipping_lines"]), Decimal(0))
        ship_tax = sum((D(s["total_tax"]) for s in o["shipping_lines"]), Decimal(0))
        fees = sum((D(f["total"]) for f in o["fee_lines"]), Decimal(0))
        fee_tax = sum((D(f["total_tax"]) for f in o["fee_lines"]), Decimal(0))
        assert D(o["cart_tax"]) == line_tax + fee_tax
        assert D(o["shipping_tax"]) == ship_tax
        assert D(o["total_tax"]) == line_tax + fee_tax + ship_tax
        assert D(o["discount_total"]) == subtotals - lines
        assert D(o["total"]) == lines + ship + fees + D(o["total_tax"]), o["id"]
        assert D(o["total"]) > 0
        for t in o["tax_lines"]:
            assert D(t["tax_total"]) + D(t["shipping_tax_total"]) == D(o["total_tax"])
        for li in o["line_items"]:
            assert isinstance(li["price"], (int, float))
            assert Decimal(str(li["price"])) * li["quantity"] == pytest.approx(D(li["total"]), abs=Decimal("0.01"))
            for tax in li["taxes"]:  # unrounded strings, rounding to the line's tax
                assert Decimal(tax["total"]).quantize(Decimal("0.01"), "ROUND_HALF_UP") == D(li["total_tax"])


def test_money_is_printed_like_woocommerce(store: FakeStore) -> None:
    orders = all_orders(store)
    assert all(len(o["total"].split(".")[1]) == 2 for o in orders)
    unrounded = [t["total"] for o in orders for li in o["line_items"] for t in li["taxes"]]
    assert any(len(v.split(".")[-1]) > 2 for v in unrounded if "." in v)  # "0.665625"
    negative_fees = [f for o in orders for f in o["fee_lines"] if f["total"].startswith("-")]
    assert negative_fees and all(f["amount"] == "-10" and f["total"] == "-10.00" for f in negative_fees)
    coupons = [c for o in orders for c in o["coupon_lines"]]
    assert coupons and all(isinstance(c["nominal_amount"], (int, float)) for c in coupons)
    assert any("." not in c["discount"] or not c["discount"].endswith("0") for c in coupons)


def test_refunds_carry_woocommerces_signs_and_point_at_order_items(store: FakeStore) -> None:
    refund_ids = list(store.refunds.ids)
    assert len(refund_ids) > 20
    kinds = Counter()
    for rid in refund_ids:
        r = store.refund_json(rid, with_parent=True)
        order = store.order_json(r["parent_id"])
        assert D(r["amount"]) > 0
        # WooCommerce 11's summary carries the refund's own tax: its tax lines summed, negative like the total
        tax = sum((D(t["tax_total"]) + D(t["shipping_tax_total"]) for t in r["tax_lines"]), D(0))
        summary = {"id": rid, "reason": r["reason"], "total": "-" + r["amount"], "total_tax": f"{tax:.2f}"}
        assert summary in order["refunds"]
        kinds["taxed" if tax < 0 else "untaxed"] += 1
        item_ids = {x["id"] for g in ("line_items", "shipping_lines", "fee_lines") for x in order[g]}
        for li in r["line_items"]:
            assert li["quantity"] < 0 and D(li["total"]) <= 0 and D(li["total_tax"]) <= 0
            meta = {m["key"]: m["value"] for m in li["meta_data"]}
            assert int(meta["_refunded_item_id"]) in item_ids
        kinds["items" if r["line_items"] else "amount only"] += 1
    assert kinds["items"] and kinds["amount only"] and kinds["taxed"] and kinds["untaxed"]


def test_fully_refunded_orders_keep_their_total_and_are_refunded_in_full(store: FakeStore) -> None:
    refunded = [o for o in all_orders(store) if o["status"] == "refunded"]
    assert refunded
    for o in refunded:
        assert sum(-D(r["total"]) for r in o["refunds"]) == D(o["total"])


def test_dates_are_naive_local_and_utc_and_paid_only_when_paid(store: FakeStore) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    for o in all_orders(store)[:300]:
        local = datetime.fromisoformat(o["date_created"]).replace(tzinfo=ZoneInfo("America/New_York"))
        gmt = datetime.fromisoformat(o["date_created_gmt"]).replace(tzinfo=ZoneInfo("UTC"))
        assert local == gmt
        assert o["date_modified_gmt"] >= o["date_created_gmt"]
        if o["status"] in ("pending", "on-hold", "failed", "cancelled", "checkout-draft", "trash"):
            assert o["date_paid"] is None and o["date_paid_gmt"] is None
        if o["status"] in ("processing", "completed", "refunded"):
            assert o["date_paid"] is not None
        if o["status"] == "completed":
            assert o["date_completed_gmt"] >= o["date_paid_gmt"]


def test_customers_guests_gateways_currencies_and_names_vary(store: FakeStore) -> None:
    orders = all_orders(store)
    assert any(o["customer_id"] == 0 for o in orders) and any(o["customer_id"] for o in orders)
    assert len({o["payment_method"] for o in orders}) >= 5
    assert {"checkout", "store-api", "admin", "rest-api"} <= {o["created_via"] for o in orders}
    currencies = Counter(o["currency"] for o in orders)
    assert currencies["USD"] > 1400 and currencies["EUR"] >= 1
    assert any(not o["billing"]["first_name"].isascii() or not o["billing"]["last_name"].isascii() for o in orders)
    customers = [store.customer_json(i) for i in store.customers.ids]
    assert any(not c["first_name"].isascii() for c in customers)


def test_products_are_simple_and_variable_with_variations_some_on_sale(store: FakeStore) -> None:
    products = [store.products.get(i) for i in store.products.ids]
    types = Counter(p["type"] for p in products)
    assert types["simple"] and types["variable"]
    assert any(p["on_sale"] for p in products)
    for p in products:
        if p["type"] == "variable":
            assert p["variations"] and all(store.variations.get(v)["parent_id"] == p["id"] for v in p["variations"])


def test_store_currency_and_time_zone_are_chosen() -> None:
    tokyo = make_store(orders=30, currency="JPY", timezone="Asia/Tokyo")
    o = tokyo.order_json(tokyo.orders.ids[-1])
    assert o["currency"] in ("JPY", "EUR")
    from datetime import datetime

    assert datetime.fromisoformat(o["date_created"]) - datetime.fromisoformat(o["date_created_gmt"]) == (
        datetime(2000, 1, 1, 9) - datetime(2000, 1, 1)
    )


def test_subscriptions_exist_only_when_asked() -> None:
    assert make_store(orders=80).subscriptions is None
    with_subs = make_store(orders=400, subscriptions=True)
    assert with_subs.subscriptions is not None and len(with_subs.subscriptions) > 0
    sub = with_subs.subscription_json(with_subs.subscriptions.ids[0])
    assert sub["billing_period"] in ("month", "year") and "refunds" not in sub
    assert with_subs.order(sub["parent_id"]) is not None


def test_generation_keeps_only_index_columns_until_an_order_is_read() -> None:
    big = make_store(orders=20_000, seed=4)
    assert len(big.orders) == 20_000
    assert big.orders.overlay == {}
    big.order_json(big.orders.ids[123])
    assert big.orders.overlay == {}  # built on demand, cached, never stored


def test_guests_use_registered_customers_emails_next_to_their_first_orders_in_another_case() -> None:
    """Issue 11's first import died on such a page: a guest order with the e-mail of a customer whose first order
    (the first a sync reads: their oldest, or their newest for the history import) is right next to it."""
    store = make_store(orders=1500, seed=5, months=12)
    book = store.orders
    positions: dict[int, list[int]] = {}
    for p in range(len(book)):
        positions.setdefault(book.owner[p], []).append(p)
    before = after = cased = 0
    for pos, (cid, guest_order, _) in store.factory.borrowed_email.items():
        order = store.order_json(book.ids[pos])
        assert order["customer_id"] == 0
        if not cid:  # a repeat guest, typing the e-mail of an earlier guest order in another case
            earlier = store.order_json(guest_order)["billing"]["email"]
            assert order["billing"]["email"].lower() == earlier.lower() and guest_order < book.ids[pos]
            continue
        account = store.customers.get(cid)["email"]
        assert order["billing"]["email"].lower() == account.lower()
        cased += order["billing"]["email"] != account
        before += pos == positions[cid][0] - 1
        after += pos == positions[cid][-1] + 1
    assert before and after and cased
    accounts = [store.customers.get(c)["email"] for c in store.customers.ids if store.customers.get(c)]
    assert any(e != e.lower() for e in accounts)  # accounts opened with a mixed-case e-mail


def test_the_email_shapes_are_configurable_and_leave_the_rest_of_the_store_alone() -> None:
    plain = make_store(orders=600, seed=8, months=12, shared_email_guests=0, mixed_case_emails=0)
    shaped = make_store(orders=600, seed=8, months=12)
    assert not plain.factory.borrowed_email and not plain.factory.mixed_case_customers
    assert shaped.factory.borrowed_email
    assert list(plain.orders.created) == list(shaped.orders.created)
    assert list(plain.orders.status) == list(shaped.orders.status)
    untouched = [i for p, i in enumerate(shaped.orders.ids) if p not in shaped.factory.borrowed_email][:50]
    for oid in untouched:
        a, b = plain.order_json(oid), shaped.order_json(oid)
        assert a["line_items"] == b["line_items"] and a["total"] == b["total"]


def test_an_eu_store_prices_include_tax_and_keeps_line_amounts_unrounded() -> None:
    """The `eu` profile: VAT included in the prices (19 % and 7 % in Germany, Austria's and France's rates too),
    line amounts net of it kept unrounded (4 decimals at dp=4, 2 at the default), taxes unrounded strings."""
    store = make_store(orders=400, seed=9, months=6, tax_profile="eu", currency="EUR", timezone="Europe/Berlin")
    rates: set[int] = set()
    four = 0
    for oid in store.orders.ids:
        if not store.orders.exists(oid):
            continue
        o4, o2 = store.order_json(oid, store.view(dp=4)), store.order_json(oid)
        assert o4["prices_include_tax"] is True and len(o2["total"].split(".")[1]) == 2
        for li4, li2 in zip(o4["line_items"], o2["line_items"], strict=True):
            assert all(len(li4[k].split(".")[1]) == 4 and len(li2[k].split(".")[1]) == 2 for k in ("total", "subtotal"))
            four += li4["total"][-2:] != "00"
            for tax in li4["taxes"]:
                rates.add(tax["id"])
                gross = D(li4["total"]) + D(tax["total"])  # the price the buyer saw, tax included: whole cents
                assert abs(gross - gross.quantize(D("0.01"))) <= D("0.0001")  # (the line printed to 4 decimals)
            if li4["tax_class"] == "reduced-rate":
                assert all(t["id"] in (6, 8, 10) for t in li4["taxes"])
        # The lines as kept: the order's total is their gross sum rounded once, taxes unrounded too (tax rounded at
        # subtotal, as on the real EU store, where rounding each line's tax first is a cent off in 73 of 268 orders)
        o6 = store.order_json(oid, store.view(dp=6))
        assert D(o6["total"]) == (
            sum((D(li["total"]) + D(li["total_tax"]) for li in o6["line_items"]), D("0"))
            + sum((D(s["total"]) + D(s["total_tax"]) for s in o6["shipping_lines"] + o6["fee_lines"]), D("0"))
        ).quantize(D("0.01"), "ROUND_HALF_UP")
    assert four > 100  # most lines carry 3rd and 4th decimals
    assert {4, 6} <= rates and rates & {7, 8}  # German standard and reduced, and Austrian rates
    products = [store.products.get(p) for p in store.products.ids]
    assert any(p["tax_class"] == "reduced-rate" for p in products if p)


def test_recent_payments_completions_and_refunds_spread_over_the_last_days_instead_of_its_last_minute() -> None:
    from datetime import UTC, datetime

    store = make_store(orders=1500, seed=5, months=12)
    end = store.history_end

    def seconds_before_end(stamp: str | None) -> float | None:
        if not stamp:
            return None
        return end - datetime.fromisoformat(stamp).replace(tzinfo=UTC).timestamp()

    refunds = [seconds_before_end(store.refund_json(i)["date_created_gmt"]) for i in store.refunds.ids]
    orders = all_orders(store)
    paid = [seconds_before_end(o["date_paid_gmt"]) for o in orders]
    completed = [seconds_before_end(o["date_completed_gmt"]) for o in orders]
    last_week = [s for s in refunds if s is not None and s < 7 * 86400]
    assert len(last_week) >= 3  # a store this size refunds every few days: the check below has something to see
    for label, stamps in (("refunds", refunds), ("payments", paid), ("completions", completed)):
        last_minute = [s for s in stamps if s is not None and s <= 60]
        assert len(last_minute) <= 1, f"{len(last_minute)} {label} on the history's last minute"
    assert all(s is None or s > 0 for s in refunds + paid + completed)  # nothing after the end of history
    # Refunds in the last day fall at different hours, as a real store's do.
    last_day_hours = {int(s // 3600) for s in refunds if s is not None and s < 86400}
    last_day = [s for s in refunds if s is not None and s < 86400]
    assert len(last_day_hours) == len(last_day) or len(last_day) < 2
