<?php
/**
 * Commits in batches. WordPress writes every row in its own autocommit transaction; on a disk-synced MariaDB
 * (innodb_flush_log_at_trx_commit=1, the default) each order's hundred-odd writes then wait for as many fsyncs.
 * The seed turns autocommit off for its own connection and commits every few orders: same rows, same hooks, a
 * fraction of the syncs. WooCommerce's own START TRANSACTION/COMMIT (HPOS writes) just commit earlier.
 */

declare(strict_types=1);

function storelens_seed_begin_batching(): void {
	global $wpdb;
	$wpdb->query( 'SET autocommit = 0' );
}

function storelens_seed_commit(): void {
	global $wpdb;
	$wpdb->query( 'COMMIT' );
}

function storelens_seed_end_batching(): void {
	global $wpdb;
	$wpdb->query( 'COMMIT' );
	$wpdb->query( 'SET autocommit = 1' );
}

/**
 * What the seed cost, to tell PHP's share of the wall time from MariaDB's: this process's CPU seconds and the
 * statements its own connection sent (a session counter: other stores on the server do not count).
 */
function storelens_seed_cost(): array {
	global $wpdb;
	$usage  = getrusage();
	$status = array();
	foreach ( $wpdb->get_results( "SHOW SESSION STATUS WHERE Variable_name = 'Questions'", ARRAY_N ) as $row ) {
		$status[ $row[0] ] = (int) $row[1];
	}
	return array(
		'php_cpu_seconds' => round( $usage['ru_utime.tv_sec'] + $usage['ru_stime.tv_sec'] + ( $usage['ru_utime.tv_usec'] + $usage['ru_stime.tv_usec'] ) / 1e6, 2 ),
		'queries'         => $status['Questions'] ?? null,
	);
}
