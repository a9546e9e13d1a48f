<?php
/**
 * What the seed made, read back from the store's own tables (not from the plan), so the tests and the fixture can
 * find every special case by id: counts, ids per scenario tag, the guest/first-order pairs, refunds by kind, trashed
 * and deleted orders, deleted products and the silent edits.
 */

declare(strict_types=1);

function storelens_seed_counts(): array {
	global $wpdb;
	$orders = $wpdb->prefix . 'wc_orders';
	$counts = array(
		'orders_by_status' => array(),
		'refunds'          => (int) $wpdb->get_var( "SELECT COUNT(*) FROM $orders WHERE type = 'shop_order_refund'" ),
		'customers'        => count( get_users( array( 'role' => 'customer', 'fields' => 'ID' ) ) ),
		'order_stats_rows' => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_order_stats" ),
	);
	foreach ( $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM $orders WHERE type = 'shop_order' GROUP BY status ORDER BY status" ) as $row ) {
		$counts['orders_by_status'][ preg_replace( '/^wc-/', '', $row->status ) ] = (int) $row->n;
	}
	$counts['orders'] = array_sum( $counts['orders_by_status'] );
	return $counts;
}

/** Refund ids by the kind the seed gave them ("seed: line" …; WooCommerce's own automatic refund is "auto_full"). */
function storelens_seed_refunds_by_kind(): array {
	global $wpdb;
	$orders = $wpdb->prefix . 'wc_orders';
	$rows   = $wpdb->get_results(
		"SELECT o.id, o.parent_order_id, m.meta_value AS reason FROM $orders o
		 LEFT JOIN {$wpdb->prefix}wc_orders_meta m ON m.order_id = o.id AND m.meta_key = '_refund_reason'
		 WHERE o.type = 'shop_order_refund' ORDER BY o.id"
	);
	$kinds = array();
	foreach ( $rows as $row ) {
		$kind             = 0 === strpos( (string) $row->reason, 'seed: ' ) ? substr( $row->reason, 6 ) : 'auto_full';
		$kinds[ $kind ][] = array( 'id' => (int) $row->id, 'order_id' => (int) $row->parent_order_id );
	}
	return $kinds;
}

function storelens_seed_write_summary( array $summary ): string {
	$json = wp_json_encode( $summary, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
	$path = wp_upload_dir()['basedir'] . '/storelens-seed.json';
	wp_mkdir_p( dirname( $path ) );
	file_put_contents( $path, $json . "\n" );
	return $json;
}
