<?php
/**
 * What happens to orders and products after the fact: trashing, permanent deletion, deleting sold products, and edits
 * made straight in the database that leave `date_updated_gmt` (REST's date_modified) alone: the rows a
 * `modified_after` sync can never see. Each is recorded for the tests.
 */

declare(strict_types=1);

function storelens_seed_after( int $order_id, array $ops ): void {
	foreach ( $ops as $op ) {
		// WC_Data::delete() sets the object's id to 0, even when it only trashes: reload by id for the next step.
		wc_get_order( $order_id )->delete( 'delete' === $op );
	}
}

/** Deletes a sold simple product and a sold variation (as "Delete permanently" in wp-admin). */
function storelens_seed_delete_products( array $products ): array {
	$gone = array();
	foreach ( array( 'retired', 'shirt/XL' ) as $key ) {
		$product = wc_get_product( $products[ $key ]->get_id() );
		$gone[]  = array( 'key' => $key, 'id' => $product->get_id(), 'parent_id' => $product->get_parent_id(), 'name' => $product->get_name() );
		$product->delete( true );
	}
	return $gone;
}

/** One direct SQL edit; returns what changed and the order's date_updated_gmt before and after (equal). */
function storelens_seed_silent_edit( int $order_id, string $edit ): array {
	global $wpdb;
	$orders  = $wpdb->prefix . 'wc_orders';
	$updated = fn() => $wpdb->get_var( $wpdb->prepare( "SELECT date_updated_gmt FROM $orders WHERE id = %d", $order_id ) );
	$before  = $updated();
	switch ( $edit ) {
		case 'address_name':
			$table = $wpdb->prefix . 'wc_order_addresses';
			$where = array( 'order_id' => $order_id, 'address_type' => 'billing' );
			$old   = $wpdb->get_var( $wpdb->prepare( "SELECT first_name FROM $table WHERE order_id = %d AND address_type = 'billing'", $order_id ) );
			$new   = $old . ' (edited)';
			$wpdb->update( $table, array( 'first_name' => $new ), $where );
			$field = 'billing.first_name';
			break;
		case 'item_name':
			$table = $wpdb->prefix . 'woocommerce_order_items';
			$item  = $wpdb->get_row( $wpdb->prepare( "SELECT order_item_id, order_item_name FROM $table WHERE order_id = %d AND order_item_type = 'line_item' ORDER BY order_item_id LIMIT 1", $order_id ) );
			$old   = $item->order_item_name;
			$new   = $old . ' (renamed)';
			$wpdb->update( $table, array( 'order_item_name' => $new ), array( 'order_item_id' => $item->order_item_id ) );
			$field = "line_items[{$item->order_item_id}].name";
			break;
		case 'customer_note':
			$old = $wpdb->get_var( $wpdb->prepare( "SELECT customer_note FROM $orders WHERE id = %d", $order_id ) );
			$new = 'Leave it with the neighbour — added by SQL';
			$wpdb->update( $orders, array( 'customer_note' => $new ), array( 'id' => $order_id ) );
			$field = 'customer_note';
			break;
		case 'status':
			$old = $wpdb->get_var( $wpdb->prepare( "SELECT status FROM $orders WHERE id = %d", $order_id ) );
			$new = 'wc-cancelled';
			$wpdb->update( $orders, array( 'status' => $new ), array( 'id' => $order_id ) );
			$field = 'status';
			break;
		default:
			throw new InvalidArgumentException( "unknown silent edit $edit" );
	}
	wp_cache_flush();
	$after = $updated();
	if ( $after !== $before ) {
		throw new RuntimeException( "silent edit $edit of order $order_id changed date_updated_gmt ($before -> $after)" );
	}
	return array( 'order_id' => $order_id, 'edit' => $edit, 'field' => $field, 'before' => $old, 'after' => $new, 'date_updated_gmt' => $before );
}
