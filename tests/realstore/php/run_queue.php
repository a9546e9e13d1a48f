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
    $total += $runner->run('Storelens tests');
}
echo $total;
