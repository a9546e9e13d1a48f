<?php
/**
 * Runs WooCommerce's Action Scheduler queue until no due action is left (webhook deliveries, Analytics imports).
 * WP-Cron is off in the test store (DISABLE_WP_CRON), so nothing runs unless a test calls this.
 * Prints the number of actions run.
 */
$runner = ActionScheduler_QueueRunner::instance();
$store = ActionScheduler::store();
$total = 0;
$waited = 0;
$due_within = function (int $seconds) use ($store): bool {
    return (bool) $store->query_actions(
        array(
            'status'       => ActionScheduler_Store::STATUS_PENDING,
            'date'         => as_get_datetime_object('@' . (time() + $seconds)),
            'date_compare' => '<=',
            'per_page'     => 1,
        )
    );
};
for ($round = 0; $round < 500; $round++) {
    if (!$due_within(0)) {
        // WooCommerce schedules each order's Analytics import 5 s after the change: a test that just changed an
        // order would otherwise find nothing due and compare against stale Analytics tables. Wait for those.
        if (!$due_within(10) || $waited >= 30) {
            break;
        }
        sleep(1);
        $waited++;
        continue;
    }
    $ran = $runner->run('Storelens tests');
    $total += $ran;
    if ($ran === 0) {
        // Due actions but nothing ran: a claim was left on them by a run that stopped early. This store has no other
        // runner (WP-Cron is off), so the claims are released now instead of after Action Scheduler's 5 minutes.
        global $wpdb;
        $wpdb->query("UPDATE {$wpdb->prefix}actionscheduler_actions SET claim_id = 0 WHERE status = 'pending' AND claim_id <> 0");
        $wpdb->query("DELETE FROM {$wpdb->prefix}actionscheduler_claims");
    }
}
echo $total;
