<?php
/**
 * One planned order, built the way wp-admin builds it: wc_create_order, add_product, a shipping line, a coupon, fees,
 * calculate_totals, explicit past dates, set_status + save (so stock, coupon usage and Analytics hooks fire), then
 * the later status changes and refunds in the order they would have happened.
 */

declare(strict_types=1);

function storelens_seed_fee( string $kind, array $profile ): WC_Order_Item_Fee {
	$fees = array(
		'gift'     => array( 'Gift wrap', '3.50', 'taxable' ),
		'loyalty'  => array( 'Loyalty discount', '-5.00', 'taxable' ),
		'handling' => array( 'Handling', '2.00', 'none' ),
	);
	list( $name, $amount, $tax_status ) = $fees[ $kind ];
	$fee = new WC_Order_Item_Fee();
	$fee->set_name( $name );
	$fee->set_amount( $amount );
	$fee->set_total( $amount );
	$fee->set_tax_class( '' );
	$fee->set_tax_status( $tax_status );
	return $fee;
}

function storelens_seed_shipping( string $cost ): WC_Order_Item_Shipping {
	$item = new WC_Order_Item_Shipping();
	$item->set_method_title( 'Flat rate' );
	$item->set_method_id( 'flat_rate' );
	$item->set_total( $cost );
	return $item;
}

/**
 * Sets the status, then the dates it implies (paid, completed: the planned ones, else $ts), then saves. In that
 * order because WC_Order::set_status() stamps date_completed with time() on every move to completed, even when the
 * date was set, and date_paid with time() when it was unset.
 */
function storelens_seed_set_status( WC_Order $order, string $status, int $ts, ?int $paid = null, ?int $completed = null ): void {
	$paid_before = $order->get_date_paid( 'edit' ); // read first: set_status() stamps time() when it is unset
	$order->set_status( $status );
	if ( in_array( $status, array( 'processing', 'completed' ), true ) ) {
		$order->set_date_paid( $paid ?? ( $paid_before ? $paid_before->getTimestamp() : $ts ) );
	}
	if ( 'completed' === $status ) {
		$order->set_date_completed( $completed ?? $ts );
	}
	$order->save();
}

/** Adds the seconds since $since to the seed's time spent on $phase (reported in the summary). */
function storelens_seed_lap( string $phase, float &$since ): void {
	global $storelens_seed_phases;
	$now                               = microtime( true );
	$storelens_seed_phases[ $phase ] = ( $storelens_seed_phases[ $phase ] ?? 0 ) + $now - $since;
	$since                             = $now;
}

function storelens_seed_order( array $ctx, array $spec ): WC_Order {
	$clock    = microtime( true );
	$profile  = $ctx['profile'];
	$customer = isset( $spec['customer'] ) ? $ctx['plan']['customers'][ $spec['customer'] ] : null;
	$who      = $customer ?? $spec['guest'];
	$order    = wc_create_order(
		array(
			'customer_id' => $customer ? $ctx['customer_ids'][ $spec['customer'] ] : 0,
			'created_via' => 'checkout',
		)
	);
	$address = storelens_seed_address( $profile, $who, $spec['place'] );
	$order->set_address( $address + array( 'email' => $who['email'] ), 'billing' );
	$order->set_address( $address, 'shipping' );
	foreach ( $spec['lines'] as list( $key, $qty ) ) {
		$order->add_product( $ctx['products'][ $key ], $qty );
	}
	if ( $spec['shipping'] ) {
		$order->add_item( storelens_seed_shipping( $spec['shipping'] ) );
	}
	if ( '' !== $spec['coupon'] ) {
		// apply_coupon computes discounts from the line subtotals add_product set, then recalculates the totals.
		$applied = $order->apply_coupon( $ctx['coupons'][ $spec['coupon'] ] );
		if ( is_wp_error( $applied ) ) {
			throw new RuntimeException( 'coupon: ' . $applied->get_error_message() );
		}
	}
	foreach ( $spec['fees'] as $fee ) {
		$order->add_item( storelens_seed_fee( $fee, $profile ) );
	}
	$order->calculate_totals( true );
	storelens_seed_lap( 'build', $clock );
	$order->set_payment_method( 'bacs' );
	$order->set_payment_method_title( 'Direct bank transfer' );
	$order->set_date_created( $spec['created'] );
	storelens_seed_set_status( $order, $spec['status'], $spec['created'], $spec['paid'], $spec['completed'] );
	storelens_seed_lap( 'first save', $clock );
	foreach ( $spec['history'] as list( $status, $after ) ) {
		storelens_seed_set_status( $order, $status, $spec['created'] + $after );
	}
	storelens_seed_lap( 'status changes', $clock );
	foreach ( $spec['refunds'] as list( $kind, $ts ) ) {
		$order = wc_get_order( $order->get_id() );
		storelens_seed_refund( $order, $kind, $ts );
	}
	storelens_seed_lap( 'refunds', $clock );
	return wc_get_order( $order->get_id() );
}
