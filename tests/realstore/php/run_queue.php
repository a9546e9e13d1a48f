<?php
/**
 * Runs WooCommerce's Action Scheduler queue until no due action is left (webhook deliveries, Analytics imports).
 * WP-Cron is off in the test store (DISABLE_WP_CRON), so nothing runs unless a test calls this.
 * Prints the number of actions run.
 */
$runner = ActionScheduler_QueueRunner::instance();
$store = ActionScheduler::store();
$total = 0;
for ($round = 0; $round < 500; $round++) {
    $due = $store->query_actions(
        array(
            'status'       => ActionScheduler_Store::STATUS_PENDING,
            'date'         => as_get_datetime_object(),
            'date_compare' => '<=',
            'per_page'     => 1,
        )
    );
    if (!$due) {
        break;
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
