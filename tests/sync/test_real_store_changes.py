"""Changes made in the real WooCommerce store through its own PHP API reach Storelens, and every figure is exact again
after each way Storelens learns of them:

1. webhooks delivered by WooCommerce itself (its Action Scheduler queue, over HTTPS to a real `storelens serve` on
   https://127.0.0.X:8080, the only place the store delivers to) and the pass each delivery queues;
2. an incremental pass (`storelens sync ID --wait`) after changes no webhook announced (the store's webhooks disabled,
   as WooCommerce does after failed deliveries);
3. a reconciliation (`storelens sync ID --wait --reconcile`) after an edit that leaves `date_modified` alone, which
   the incremental pass cannot see (asserted, so the step proves something).

Storelens runs as the owner runs it: `serve` (no consumer), one `worker --no-periodic` (so only the jobs this test
causes run: no scheduled pass can hide a missing webhook), keys pasted with `storelens sources add`. Figures are read
from the API (every day, all three date bases) and `storelens report` (the total), against `wc_order_stats`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from storelens.sync.webhooks import TOPICS
from tests.sync.real_store_figures import expected, pick

pytestmark = [pytest.mark.realstore]

EMAIL, PASSWORD = "owner@example.com", "correct-horse-battery-staple"
BASES = ("created", "paid", "completed")
WEBHOOK_WAIT_S = 90


@dataclass
class Storelens:
    """A Storelens server the store can reach, its worker, and the owner's token and store id."""

    server: Any  # tests.conftest.LiveServer
    worker: subprocess.Popen[str]
    token: str
    store_id: int = 0

    def cli(self, *args: str) -> str:
        result = self.server.cli(*args, check=False)
        assert result.returncode == 0, f"storelens {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def api(self, route: str, **params: Any) -> Any:
        response = httpx.get(
            f"{self.server.url}/api/v1/{route}",
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
            verify=str(self.server.ca_file),
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def store(self) -> dict[str, Any]:
        rows = json.loads(self.cli("sources", "list", "--json"))
        return next(row for row in rows if row["id"] == self.store_id)


@pytest.fixture
def storelens_for_store(
    restored_real_store_us: Any, start_storelens_server: Callable[..., Any], tmp_path: Any
) -> Iterator[Storelens]:
    shop = restored_real_store_us
    server = start_storelens_server(
        tls=True,
        host=shop.host,
        port=8080,
        ca=shop.ca,
        # --verbose: the access log counts WooCommerce's webhook deliveries (quiet by default).
        args=("--no-consumer", "--verbose"),
        STORELENS_PUBLIC_URL=f"https://{shop.host}:8080",
        STORELENS_STORE_CA_BUNDLE=str(shop.ca_bundle),
        # The incremental pass re-reads only from its cursor, so step 3 can show what it misses.
        STORELENS_SYNC_LAG_OVERLAP="0",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "storelens", "worker", "--no-periodic"],
        env=server.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        server.cli("users", "create", EMAIL, "--password", PASSWORD, "--workspace", "Real store", check=True)
        token = server.cli("tokens", "create", "--user", EMAIL, check=True).stdout.strip().splitlines()[-1]
        yield Storelens(server, worker, token)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def figures(storelens: Storelens, shop: Any) -> tuple[dict, dict]:
    """(Storelens's, the store's) figures: every day with any on each date basis (API series), and the total on the
    store's own settings (`storelens report`)."""
    mine: dict[str, Any] = {}
    theirs: dict[str, Any] = {}
    for basis in BASES:
        want = expected(shop, date_basis=basis)
        params = {"store": storelens.store_id, "date_from": want.first, "date_to": want.last}
        mine[basis] = want.nonzero(storelens.api("metrics/series", grain="day", date_basis=basis, **params)["points"])
        theirs[basis] = want.days
    own = expected(shop)
    args = ("--source", str(storelens.store_id), "--from", str(own.first), "--to", str(own.last), "--json")
    mine["total"], theirs["total"] = pick(json.loads(storelens.cli("report", *args))), own.total
    return mine, theirs


def summary_matches(storelens: Storelens, shop: Any) -> bool:
    """The quick look while waiting: the API summary on the store's own settings against the store's total."""
    own = expected(shop)
    params = {"store": storelens.store_id, "date_from": own.first, "date_to": own.last}
    return pick(storelens.api("metrics/summary", **params)) == own.total


def wait_until_exact(storelens: Storelens, shop: Any, timeout: float) -> float:
    """Seconds until Storelens's total equals the store's; then every day and basis must too."""
    started = time.monotonic()
    while not summary_matches(storelens, shop) and time.monotonic() - started < timeout:
        time.sleep(1)
    waited = time.monotonic() - started
    mine, theirs = figures(storelens, shop)
    assert mine == theirs
    return waited


# --- the changes, through WooCommerce's own PHP API ------------------------------------------------------------------

CHANGES_PHP = r"""
$pick = function ( array $args, int $items = 1 ) {
    $query = array_merge( array( 'limit' => 50, 'orderby' => 'ID', 'order' => 'ASC', 'type' => 'shop_order' ), $args );
    foreach ( wc_get_orders( $query ) as $order ) {
        if ( ! $order->get_refunds() && $order->get_item_count() >= $items ) {
            return $order;
        }
    }
    throw new RuntimeException( 'no order to change for ' . json_encode( $args ) );
};
$done = array();

// A new paid order from a new guest, with a product line, shipping and tax.
$product = wc_get_products( array( 'type' => 'simple', 'status' => 'publish', 'limit' => 1 ) )[0];
$order = wc_create_order();
$order->add_product( $product, 2 );
$order->set_billing_email( 'new.guest@example.net' );
$order->set_billing_first_name( 'Neu' );
$order->set_billing_last_name( 'Gast' );
$address = array( 'country' => 'US', 'state' => 'NY', 'postcode' => '10001', 'city' => 'New York' );
$order->set_address( $address, 'billing' );
$order->set_address( $address, 'shipping' );
$shipping = new WC_Order_Item_Shipping();
$shipping->set_method_title( 'Flat rate' );
$shipping->set_method_id( 'flat_rate' );
$shipping->set_total( '7.50' );
$order->add_item( $shipping );
$order->calculate_totals();
$order->set_payment_method( 'bacs' );
$order->save();
$order->payment_complete();
$done['new'] = $order->get_id();

// A status change: processing -> completed (a completed date appears).
$order = $pick( array( 'status' => array( 'wc-processing' ) ) );
$order->update_status( 'completed' );
$done['completed'] = $order->get_id();

// A partial refund of one unit of a line, with its tax.
$order = $pick( array( 'status' => array( 'wc-completed' ), 'exclude' => array_values( $done ) ), 2 );
$items = $order->get_items();
$item = reset( $items );
$taxes = array();
foreach ( $item->get_taxes()['total'] as $rate => $amount ) {
    $taxes[ $rate ] = wc_format_decimal( (float) $amount / $item->get_quantity(), '' );
}
$line_total = wc_format_decimal( (float) $item->get_total() / $item->get_quantity(), '' );
$refund = wc_create_refund( array(
    'order_id'   => $order->get_id(),
    'amount'     => wc_format_decimal( (float) $line_total + array_sum( $taxes ), 2 ),
    'reason'     => 'Storelens test: one unit back',
    'line_items' => array(
        $item->get_id() => array( 'qty' => 1, 'refund_total' => $line_total, 'refund_tax' => $taxes ),
    ),
) );
if ( is_wp_error( $refund ) ) {
    throw new RuntimeException( $refund->get_error_message() );
}
$done['refunded'] = $order->get_id();
$done['refund'] = $refund->get_id();

// Trash one order, delete another for good.
$order = $pick( array( 'status' => array( 'wc-completed' ), 'exclude' => array_values( $done ) ) );
$done['trashed'] = $order->get_id();
$order->delete( false );
$order = $pick( array( 'status' => array( 'wc-processing', 'wc-completed' ), 'exclude' => array_values( $done ) ) );
$done['deleted'] = $order->get_id();
$order->delete( true );
echo json_encode( $done );
"""

MORE_CHANGES_PHP = r"""
$done = array();
$unpaid = array( 'status' => array( 'wc-on-hold', 'wc-pending' ), 'limit' => 1, 'orderby' => 'ID', 'order' => 'ASC' );
$order = wc_get_orders( $unpaid )[0];
$order->update_status( 'processing' );
$done['paid'] = $order->get_id();
$order = wc_get_order( (int) $argv_order );
$refund = wc_create_refund(
    array( 'order_id' => $order->get_id(), 'amount' => '3.00', 'reason' => 'Storelens test: goodwill, by amount only' )
);
if ( is_wp_error( $refund ) ) {
    throw new RuntimeException( $refund->get_error_message() );
}
$done['refund'] = $refund->get_id();
echo json_encode( $done );
"""

SILENT_EDIT_PHP = r"""
// A fee added to an order, saved with its date_modified set to what it was: WooCommerce keeps a date_modified that
// is among the changes (OrdersTableDataStore::update), so nothing modified_after can see moves.
$order = wc_get_order( (int) $argv_order );
$before = $order->get_date_modified()->getTimestamp();
$fee = new WC_Order_Item_Fee();
$fee->set_name( 'Late handling' );
$fee->set_amount( '4.00' );
$fee->set_total( '4.00' );
$fee->set_tax_status( 'none' );
$order->add_item( $fee );
$order->calculate_totals( false );
$order->set_date_modified( $before );
$order->save();
$after = wc_get_order( $order->get_id() )->get_date_modified()->getTimestamp();
echo json_encode( array( 'order' => $order->get_id(), 'before' => $before, 'after' => $after ) );
"""

DISABLE_WEBHOOKS_PHP = r"""
// As WooCommerce does after five failed deliveries in a row (WC_Webhook::failed_delivery).
$ids = json_decode( $argv_ids );
foreach ( $ids as $id ) {
    $webhook = wc_get_webhook( $id );
    $webhook->set_status( 'disabled' );
    $webhook->save();
}
echo json_encode( count( $ids ) );
"""

WEBHOOKS_PHP = r"""
$out = array();
foreach ( ( new WC_Webhook_Data_Store() )->search_webhooks( array( 'limit' => -1 ) ) as $id ) {
    $w = wc_get_webhook( $id );
    $out[] = array(
        'id' => $id, 'topic' => $w->get_topic(), 'status' => $w->get_status(), 'url' => $w->get_delivery_url(),
        'failures' => $w->get_failure_count(),
    );
}
echo json_encode( $out );
"""


def settle(shop: Any) -> None:
    """Run the store's queue until nothing is due within the next 10 s, waiting for what soon will be.

    WooCommerce schedules each Analytics import 5 s after the change (SchedulerTraits::schedule_action,
    `time() + 5`), so one run right after a change leaves `wc_order_stats` as it was."""
    while True:
        shop.run_queue()
        soon = shop.sql(
            "SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(), MAX(scheduled_date_gmt)) / 1e6 AS wait"
            " FROM wp_actionscheduler_actions WHERE status = 'pending'"
            " AND scheduled_date_gmt <= UTC_TIMESTAMP() + INTERVAL 10 SECOND"
        )[0]["wait"]
        if soon is None:
            return
        time.sleep(max(0.0, float(soon)) + 0.5)


def with_order(php: str, order_id: int) -> str:
    return f"$argv_order = {int(order_id)};\n{php}"


def test_changes_in_woocommerce_are_exact_after_webhooks_an_incremental_pass_and_a_reconciliation(
    restored_real_store_us: Any, storelens_for_store: Storelens
) -> None:
    shop, storelens = restored_real_store_us, storelens_for_store
    timings: dict[str, float] = {}

    settle(shop)  # the seed's last Analytics imports, so the store's own figures are settled
    others = {hook["id"] for hook in shop.php_json(WEBHOOKS_PHP)}

    def ours() -> list[dict[str, Any]]:
        return [hook for hook in shop.php_json(WEBHOOKS_PHP) if hook["id"] not in others]

    # Keys pasted by the owner; the worker runs the first import and registers the webhooks.
    started = time.monotonic()
    out = storelens.cli("sources", "add", shop.url, "--key", shop.consumer_key, "--secret", shop.consumer_secret)
    storelens.store_id = int(out.strip().splitlines()[-1])
    deadline = time.monotonic() + 180
    while storelens.store()["status"] != "connected" or len(ours()) < len(TOPICS):
        assert time.monotonic() < deadline, (storelens.store(), shop.php_json(WEBHOOKS_PHP))
        time.sleep(1)
    timings["import"] = time.monotonic() - started
    wait_until_exact(storelens, shop, timeout=30)

    # 1. WooCommerce delivers webhooks (its queue), each queues a pass on the worker: exact, with nothing else run.
    pings = storelens.server.log().count("POST /sync/hooks/wc/")  # WooCommerce pings each webhook it creates
    before = expected(shop).total
    changed = shop.php_json(CHANGES_PHP)
    settle(shop)
    assert expected(shop).total != before  # the changes move the figures
    timings["webhooks"] = wait_until_exact(storelens, shop, timeout=WEBHOOK_WAIT_S)
    delivered = storelens.server.log().count("POST /sync/hooks/wc/") - pings
    assert delivered >= 5, storelens.server.log()[-3000:]
    hooks = ours()
    (url,) = {hook["url"] for hook in hooks}  # one intake address, Storelens's, for every topic
    assert url.startswith(f"{shop.callback_base_url}/sync/hooks/wc/"), url
    assert all(hook["status"] == "active" and hook["failures"] == 0 for hook in hooks), hooks

    # 2. Webhooks disabled on the store: the next changes reach Storelens only through an incremental pass.
    disable = f"$argv_ids = '{json.dumps([hook['id'] for hook in hooks])}';\n{DISABLE_WEBHOOKS_PHP}"
    assert shop.php_json(disable) == len(TOPICS)
    before = expected(shop).total
    shop.php_json(with_order(MORE_CHANGES_PHP, changed["new"]))
    settle(shop)
    assert expected(shop).total != before
    assert not summary_matches(storelens, shop)  # nothing told Storelens yet
    started = time.monotonic()
    storelens.cli("sync", str(storelens.store_id), "--wait")
    timings["incremental"] = time.monotonic() - started
    mine, theirs = figures(storelens, shop)
    assert mine == theirs

    # 3. An edit that leaves date_modified alone: the incremental pass misses it, the reconciliation finds it.
    edit = shop.php_json(with_order(SILENT_EDIT_PHP, changed["new"]))
    assert edit["before"] == edit["after"], edit
    settle(shop)
    storelens.cli("sync", str(storelens.store_id), "--wait")
    assert not summary_matches(storelens, shop), "the incremental pass saw an edit that left date_modified alone"
    started = time.monotonic()
    storelens.cli("sync", str(storelens.store_id), "--wait", "--reconcile")
    timings["reconcile"] = time.monotonic() - started
    mine, theirs = figures(storelens, shop)
    assert mine == theirs
    print(f"real store changes (us): {', '.join(f'{k} {v:.1f} s' for k, v in timings.items())}")
