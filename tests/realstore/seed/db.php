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
