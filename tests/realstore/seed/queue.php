<?php
/**
 * Runs WooCommerce's Action Scheduler queue to the end (Analytics imports, stock and customer lookups), as WP-Cron
 * would over the next minutes; the seed's figures in wc_order_stats exist only after this.
 */

declare(strict_types=1);

function storelens_seed_pending_actions( int $within_seconds = 0 ): int {
	global $wpdb;
	$until = gmdate( 'Y-m-d H:i:s', time() + $within_seconds );
	return (int) $wpdb->get_var(
		$wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->prefix}actionscheduler_actions WHERE status = 'pending' AND scheduled_date_gmt <= %s", $until )
	);
}

/**
 * A round that ran nothing while actions are due: a claim was left on them (a run that claimed a batch and stopped
 * early). Action Scheduler itself releases such claims only after 5 minutes (its queue cleaner); the seed is the only
 * runner of this store (WP-Cron is off), so no claim can belong to anyone else and they are released at once.
 */
function storelens_seed_release_claims(): void {
	global $wpdb;
	$wpdb->query( "UPDATE {$wpdb->prefix}actionscheduler_actions SET claim_id = 0 WHERE status = 'pending' AND claim_id <> 0" );
	$wpdb->query( "DELETE FROM {$wpdb->prefix}actionscheduler_claims" );
	storelens_seed_commit();
}

/** Returns how many actions ran. */
function storelens_seed_run_queue( int $max_rounds = 200 ): int {
	// The runner's time limit (30 s) counts from when the runner was created, at WordPress's start: once a script has
	// run longer than that, every run() does one action and stops. The seed is a CLI process: no limit.
	add_filter( 'action_scheduler_queue_runner_time_limit', fn() => DAY_IN_SECONDS );
	$ran = 0;
	$waited = 0;
	for ( $round = 0; $round < $max_rounds; $round++ ) {
		if ( 0 === storelens_seed_pending_actions() ) {
			// WooCommerce schedules each order's Analytics import 5 s after the change (SchedulerTraits:
			// schedule_single( time() + 5 )): the last orders' imports are not due yet. Wait for them, briefly.
			if ( 0 === storelens_seed_pending_actions( 10 ) || $waited >= 30 ) {
				break;
			}
			sleep( 1 );
			++$waited;
			continue;
		}
		$this_round = ActionScheduler_QueueRunner::instance()->run( 'storelens-seed' );
		$ran       += $this_round;
		storelens_seed_commit();
		if ( 0 === $this_round ) {
			storelens_seed_release_claims();
		}
	}
	$left = storelens_seed_pending_actions();
	if ( $left > 0 ) {
		global $wpdb;
		$stuck = $wpdb->get_results(
			$wpdb->prepare( "SELECT action_id, hook, status, scheduled_date_gmt, claim_id, schedule FROM {$wpdb->prefix}actionscheduler_actions WHERE status = 'pending' AND scheduled_date_gmt <= %s LIMIT 10", gmdate( 'Y-m-d H:i:s' ) ),
			ARRAY_A
		);
		$claims = $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}actionscheduler_claims", ARRAY_A );
		throw new RuntimeException( "Action Scheduler still has $left due actions after $max_rounds rounds ($ran actions ran); the due ones and the claims (a claim left on them stops every run), for the bug report: " . wp_json_encode( array( 'due' => $stuck, 'claims' => $claims, 'now' => gmdate( 'Y-m-d H:i:s' ) ) ) );
	}
	return $ran;
}
