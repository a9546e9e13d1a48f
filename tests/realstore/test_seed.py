"""The seeded real stores hold every case the real-store tests rely on, read from the store's own tables (not from the
seed's plan), and seeding left no PHP notice or warning behind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.realstore.seeded import summary
from tests.realstore.store import RealStore
from tests.realstore.truth import analytics_lag

PROFILES = {"us": ("USD", "America/New_York"), "eu": ("EUR", "Europe/Berlin")}


@pytest.fixture(params=sorted(PROFILES), scope="module")
def store(request: pytest.FixtureRequest) -> Iterator[RealStore]:
    yield request.getfixturevalue(f"real_store_{request.param}")


def one(store: RealStore, query: str, params: tuple = ()) -> str | None:
    rows = store.sql(query, params)
    return next(iter(rows[0].values())) if rows else None


def count(store: RealStore, query: str, params: tuple = ()) -> int:
    return int(one(store, query, params) or 0)


def test_a_few_hundred_orders_over_eighteen_months_in_every_status(store: RealStore) -> None:
    rows = store.sql("SELECT status, COUNT(*) AS n FROM wp_wc_orders WHERE type = 'shop_order' GROUP BY status")
    statuses = {r["status"].removeprefix("wc-"): int(r["n"]) for r in rows}
    assert 250 <= sum(statuses.values()) <= 400, statuses
    for status in ("completed", "processing", "on-hold", "pending", "cancelled", "failed", "refunded", "trash"):
        assert statuses.get(status, 0) >= 1, f"no {status} order: {statuses}"
    first, last = store.sql("SELECT MIN(date_created_gmt) AS a, MAX(date_created_gmt) AS b FROM wp_wc_orders")[
        0
    ].values()
    span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
    assert timedelta(days=480) < span < timedelta(days=550)  # about eighteen months, wherever the plan put its ends
    assert datetime.now(UTC).replace(tzinfo=None) - datetime.fromisoformat(last) < timedelta(days=3)
    # Past dates were set explicitly: paid and completed dates spread over the months, not the seeding minute.
    assert count(store, "SELECT COUNT(DISTINCT DATE(date_paid_gmt)) FROM wp_wc_order_operational_data") > 100
    assert count(store, "SELECT COUNT(DISTINCT DATE(date_completed_gmt)) FROM wp_wc_order_operational_data") > 100


def test_store_currency_zone_and_tax_rates_are_the_profile(store: RealStore) -> None:
    currency, zone = PROFILES[store.profile]
    assert store.option("woocommerce_currency") == currency and store.option("timezone_string") == zone
    assert (
        count(store, "SELECT COUNT(*) FROM wp_wc_orders WHERE type = 'shop_order' AND currency <> %s", (currency,)) == 0
    )
    rates = {
        (r["c"], r["k"], r["r"])
        for r in store.sql(
            "SELECT tax_rate_country AS c, tax_rate_class AS k, tax_rate AS r FROM wp_woocommerce_tax_rates"
        )
    }
    if store.profile == "eu":
        assert {("DE", "", "19.0000"), ("DE", "reduced-rate", "7.0000"), ("AT", "", "20.0000")} <= rates
        assert ("AT", "reduced-rate", "10.0000") in rates
        assert store.option("woocommerce_prices_include_tax") == "yes"
    else:
        assert ("US", "", "8.8750") in rates and store.option("woocommerce_prices_include_tax") == "no"
    # No rate is doubled (the fixture and the seed both know the profile's rates).
    assert (
        count(
            store,
            "SELECT COUNT(*) FROM (SELECT 1 FROM wp_woocommerce_tax_rates GROUP BY tax_rate_country, "
            "tax_rate_state, tax_rate_class HAVING COUNT(*) > 1) d",
        )
        == 0
    )


def test_guests_registered_customers_and_guests_using_their_emails(store: RealStore) -> None:
    assert count(store, "SELECT COUNT(*) FROM wp_wc_orders WHERE type = 'shop_order' AND customer_id = 0") >= 60
    assert count(store, "SELECT COUNT(DISTINCT customer_id) FROM wp_wc_orders WHERE customer_id > 0") >= 30
    shared = count(
        store,
        "SELECT COUNT(*) FROM wp_wc_orders o JOIN wp_users u ON LOWER(u.user_email) = LOWER(o.billing_email) "
        "WHERE o.type = 'shop_order' AND o.customer_id = 0",
    )
    assert shared >= 10
    # Mixed case: guests and registered customers whose stored e-mail is not lower case, and a guest whose e-mail
    # differs from the registered one only by case.
    assert (
        count(store, "SELECT COUNT(*) FROM wp_wc_orders WHERE BINARY billing_email <> BINARY LOWER(billing_email)") >= 5
    )
    assert count(store, "SELECT COUNT(*) FROM wp_users WHERE BINARY user_email <> BINARY LOWER(user_email)") >= 2
    assert (
        count(
            store,
            "SELECT COUNT(*) FROM wp_wc_orders o JOIN wp_users u ON LOWER(u.user_email) = LOWER(o.billing_email) "
            "WHERE o.customer_id = 0 AND BINARY u.user_email <> BINARY o.billing_email",
        )
        >= 1
    )


def test_a_guest_order_sits_next_to_the_registered_customers_first_order(store: RealStore) -> None:
    """The import crash of issue 11: in one REST page (by date or by id), a guest order with a registered
    customer's e-mail and that customer's first order."""
    pairs = summary(store)["guest_next_to_first_order"]
    assert len(pairs) >= 3
    assert any(p["guest_email"] == p["customer_email"] for p in pairs)
    assert any(p["guest_email"] != p["customer_email"] for p in pairs)
    for p in pairs:
        first, guest = p["first_order_id"], p["guest_order_id"]
        rows = store.sql(
            "SELECT id, customer_id, billing_email, date_created_gmt FROM wp_wc_orders WHERE id IN (%s, %s)",
            (first, guest),
        )
        by_id = {int(r["id"]): r for r in rows}
        assert int(by_id[first]["customer_id"]) == p["customer_id"] and int(by_id[guest]["customer_id"]) == 0
        assert by_id[guest]["billing_email"].lower() == by_id[first]["billing_email"].lower()
        earliest = one(
            store,
            "SELECT id FROM wp_wc_orders WHERE type = 'shop_order' AND customer_id = %s "
            "ORDER BY date_created_gmt, id LIMIT 1",
            (p["customer_id"],),
        )
        assert int(earliest or 0) == first, "the customer's first order"
        between = count(
            store,
            "SELECT COUNT(*) FROM wp_wc_orders WHERE type = 'shop_order' AND id NOT IN (%s, %s) AND "
            "date_created_gmt BETWEEN %s AND %s",
            (first, guest, by_id[first]["date_created_gmt"], by_id[guest]["date_created_gmt"]),
        )
        assert between == 0, "adjacent in date order"


def test_simple_and_variable_products_and_sold_products_deleted_later(store: RealStore) -> None:
    assert count(store, "SELECT COUNT(*) FROM wp_posts WHERE post_type = 'product_variation'") >= 5
    assert (
        count(store, "SELECT COUNT(DISTINCT variation_id) FROM wp_wc_order_product_lookup WHERE variation_id > 0") >= 5
    )
    gone = summary(store)["deleted_products"]
    assert {g["key"] for g in gone} == {"retired", "shirt/XL"}
    for g in gone:
        assert count(store, "SELECT COUNT(*) FROM wp_posts WHERE ID = %s", (g["id"],)) == 0
        column = "_variation_id" if g["parent_id"] else "_product_id"
        sold = count(
            store,
            "SELECT COUNT(*) FROM wp_woocommerce_order_itemmeta WHERE meta_key = %s AND meta_value = %s",
            (column, str(g["id"])),
        )
        assert sold >= 3, f"{g['key']} was sold before being deleted"


def test_coupons_of_each_kind_were_used(store: RealStore) -> None:
    rows = store.sql(
        "SELECT p.post_title AS code, t.meta_value AS kind, u.meta_value AS used FROM wp_posts p "
        "JOIN wp_postmeta t ON t.post_id = p.ID AND t.meta_key = 'discount_type' "
        "JOIN wp_postmeta u ON u.post_id = p.ID AND u.meta_key = 'usage_count' WHERE p.post_type = 'shop_coupon'"
    )
    used = {}
    for r in rows:
        used[r["kind"]] = used.get(r["kind"], 0) + int(r["used"] or 0)
    assert set(used) == {"percent", "fixed_cart", "fixed_product"} and min(used.values()) >= 1, used
    assert "été15" in {r["code"] for r in rows}
    assert count(store, "SELECT COUNT(*) FROM wp_woocommerce_order_items WHERE order_item_type = 'coupon'") >= 20


def item_meta_count(store: RealStore, item_type: str, condition: str, key: str = "_line_total") -> int:
    return count(
        store,
        "SELECT COUNT(*) FROM wp_woocommerce_order_items i JOIN wp_wc_orders o ON o.id = i.order_id "
        "JOIN wp_woocommerce_order_itemmeta m ON m.order_item_id = i.order_item_id AND m.meta_key = %s "
        f"WHERE o.type = 'shop_order' AND i.order_item_type = %s AND {condition}",
        (key, item_type),
    )


def test_positive_and_negative_fees_and_taxed_shipping(store: RealStore) -> None:
    assert item_meta_count(store, "fee", "CAST(m.meta_value AS DECIMAL(12,4)) > 0") >= 3
    assert item_meta_count(store, "fee", "CAST(m.meta_value AS DECIMAL(12,4)) < 0") >= 3
    assert item_meta_count(store, "fee", "CAST(m.meta_value AS DECIMAL(12,4)) < 0", key="_line_tax") >= 1
    assert item_meta_count(store, "shipping", "CAST(m.meta_value AS DECIMAL(12,4)) > 0", key="total_tax") >= 20


def test_refunds_by_line_with_tax_by_amount_full_and_two_on_one_order(store: RealStore) -> None:
    refunds = "SELECT r.id FROM wp_wc_orders r WHERE r.type = 'shop_order_refund'"
    with_lines = count(
        store,
        f"SELECT COUNT(*) FROM ({refunds} AND EXISTS (SELECT 1 FROM wp_woocommerce_order_items i "
        "JOIN wp_woocommerce_order_itemmeta m ON m.order_item_id = i.order_item_id AND m.meta_key = '_line_tax' "
        "WHERE i.order_id = r.id AND i.order_item_type = 'line_item' AND CAST(m.meta_value AS DECIMAL(12,4)) < 0)) x",
    )
    amount_only = count(
        store,
        f"SELECT COUNT(*) FROM ({refunds} AND NOT EXISTS (SELECT 1 FROM wp_woocommerce_order_items i "
        "WHERE i.order_id = r.id)) x",
    )
    assert with_lines >= 5 and amount_only >= 5
    assert count(store, "SELECT COUNT(*) FROM wp_wc_orders WHERE type = 'shop_order' AND status = 'wc-refunded'") >= 5
    assert (
        count(
            store,
            "SELECT COUNT(*) FROM (SELECT parent_order_id FROM wp_wc_orders WHERE type = 'shop_order_refund' "
            "GROUP BY parent_order_id HAVING COUNT(*) >= 2) x",
        )
        >= 2
    )
    kinds = summary(store)["refunds_by_kind"]
    for kind in ("line", "amount", "shipping", "fee", "line_and_negative_fee", "full_lines", "full_amount", "rest"):
        assert kinds.get(kind), f"no {kind} refund"
    assert kinds.get("auto_full"), "the order set to refunded got WooCommerce's own refund"


def test_trashed_and_permanently_deleted_orders(store: RealStore) -> None:
    s = summary(store)
    assert len(s["trashed_orders"]) >= 3 and len(s["deleted_orders"]) >= 3
    statuses = {
        r["id"]: r["status"] for r in store.sql("SELECT id, status FROM wp_wc_orders WHERE type = 'shop_order'")
    }
    assert all(statuses.get(str(i)) == "trash" for i in s["trashed_orders"])
    assert not any(str(i) in statuses for i in s["deleted_orders"])


def local_times(store: RealStore, ids: list[int]) -> list[datetime]:
    zone = ZoneInfo(PROFILES[store.profile][1])
    placeholders = ", ".join(["%s"] * len(ids))
    rows = store.sql(f"SELECT date_created_gmt AS d FROM wp_wc_orders WHERE id IN ({placeholders})", tuple(ids))
    return [datetime.fromisoformat(r["d"]).replace(tzinfo=UTC).astimezone(zone) for r in rows]


def test_orders_at_local_midnight_and_on_both_dst_changes(store: RealStore) -> None:
    ids = summary(store)["ids"]
    assert sum(t.time().isoformat() == "00:00:00" for t in local_times(store, ids["midnight"])) >= 4
    zone = ZoneInfo(PROFILES[store.profile][1])
    changes = {"spring": 0, "fall": 0}
    for t in local_times(store, ids["dst"]):
        # An hour either side in absolute time (arithmetic on an aware local datetime is wall-clock arithmetic).
        utc = t.astimezone(UTC)
        before = (utc - timedelta(hours=1)).astimezone(zone).utcoffset()
        after = (utc + timedelta(hours=1)).astimezone(zone).utcoffset()
        assert before is not None and after is not None
        if before != after:
            changes["spring" if after > before else "fall"] += 1
    assert changes["spring"] >= 3 and changes["fall"] >= 3, changes
    # The fall-back hour happens twice: two orders with the same local wall-clock time an hour apart.
    fall = local_times(store, ids["dst_fall"])
    walls = [t.replace(tzinfo=None) for t in fall]
    assert len(walls) > len(set(walls)), "an order in each repetition of the repeated hour"
    assert zone.key == PROFILES[store.profile][1]


def test_status_changed_later_with_the_dates_the_changes_set(store: RealStore) -> None:
    ids = summary(store)["ids"]
    assert len(ids["status_changed"]) >= 6
    onhold_paid = ids["onhold_paid_completed"][0]
    row = store.sql(
        "SELECT o.status, o.date_created_gmt AS c, d.date_paid_gmt AS p, d.date_completed_gmt AS f FROM wp_wc_orders o "
        "JOIN wp_wc_order_operational_data d ON d.order_id = o.id WHERE o.id = %s",
        (onhold_paid,),
    )[0]
    created, paid, completed = (datetime.fromisoformat(row[k]) for k in ("c", "p", "f"))
    assert row["status"] == "wc-completed"
    assert (paid - created, completed - created) == (timedelta(days=2), timedelta(days=4))
    notes = count(
        store,
        "SELECT COUNT(*) FROM wp_comments WHERE comment_post_ID = %s AND comment_type = 'order_note' "
        "AND comment_content LIKE %s",
        (onhold_paid, "%status changed from%"),
    )
    assert notes >= 2
    assert (
        one(store, "SELECT status FROM wp_wc_orders WHERE id = %s", (ids["processing_cancelled"][0],)) == "wc-cancelled"
    )


def test_silent_edits_left_date_modified_alone(store: RealStore) -> None:
    edits = {e["edit"]: e for e in summary(store)["silent_edits"]}
    assert set(edits) == {"address_name", "item_name", "customer_note", "status"}
    for e in edits.values():
        assert (
            one(store, "SELECT date_updated_gmt FROM wp_wc_orders WHERE id = %s", (e["order_id"],))
            == e["date_updated_gmt"]
        )
    assert one(store, "SELECT status FROM wp_wc_orders WHERE id = %s", (edits["status"]["order_id"],)) == "wc-cancelled"
    first_name = one(
        store,
        "SELECT first_name FROM wp_wc_order_addresses WHERE order_id = %s AND address_type = 'billing'",
        (edits["address_name"]["order_id"],),
    )
    assert first_name == edits["address_name"]["after"]
    # WooCommerce Analytics never heard of the status edit: its row still has the old status.
    lag = {(r["order"], r["stats"], r["current"]) for r in analytics_lag(store.sql)}
    assert (edits["status"]["order_id"], "completed", "cancelled") in lag


def test_non_ascii_names(store: RealStore) -> None:
    names = {
        r["n"] for r in store.sql("SELECT CONCAT(first_name, ' ', last_name) AS n FROM wp_wc_order_addresses") if r["n"]
    }
    for fragment in ("Łukasz", "Zoë", "山田", "Ğ"):
        assert any(fragment in n for n in names), fragment


def test_tax_inclusive_lines_carry_more_than_two_decimals(store: RealStore) -> None:
    """EU (prices include tax, tax rounded at subtotal): a gross price over 1.19 leaves six stored decimals
    (19.99 → 16.798319), which REST shows at dp=4. US (prices exclude tax): lines are exact cents, tax per line
    rounded to cents."""
    long_decimals = item_meta_count(store, "line_item", "m.meta_value REGEXP '\\\\.[0-9]{3,}'")
    taxed = item_meta_count(store, "line_item", "CAST(m.meta_value AS DECIMAL(12,6)) > 0", key="_line_tax")
    assert taxed >= 50
    if store.profile == "eu":
        assert long_decimals >= 50
    else:
        assert long_decimals == 0


def test_analytics_imported_everything_and_the_queue_is_empty(store: RealStore) -> None:
    missing = count(
        store,
        "SELECT COUNT(*) FROM wp_wc_orders o LEFT JOIN wp_wc_order_stats s ON s.order_id = o.id "
        "WHERE o.type IN ('shop_order', 'shop_order_refund') AND s.order_id IS NULL",
    )
    assert missing == 0
    # Analytics' own imports (group wc-admin-data) are all done. WooCommerce's housekeeping actions scheduled a minute
    # after install (action_scheduler/migration_hook, woocommerce_delete_legacy_report_transients) are not checked:
    # a store restored from the seed cache an hour later finds them due, and they change no order or Analytics row.
    due = count(
        store,
        "SELECT COUNT(*) FROM wp_actionscheduler_actions a JOIN wp_actionscheduler_groups g ON g.group_id = a.group_id "
        "WHERE a.status = 'pending' AND a.scheduled_date_gmt <= UTC_TIMESTAMP() AND g.slug = 'wc-admin-data'",
    )
    assert due == 0


def test_seeding_left_no_php_notice_or_warning(store: RealStore) -> None:
    problems = [
        line
        for line in store.debug_log().splitlines()
        if re.search(r"PHP (Fatal|Warning|Notice|Deprecated|Parse)", line)
        # WordPress 6.7+ notes that WooCommerce's activation loads translations before `init`: the install's, not
        # the seed's (it appears before any seed file runs).
        and "_load_textdomain_just_in_time" not in line
    ]
    assert problems == []
