<?php
/**
 * The special cases every test needs to find: local midnight, both DST changes, orders whose status changes later,
 * fees, each kind of refund, each coupon, trashed and deleted orders and edits that leave date_modified alone. Each
 * order carries tags naming its cases; the summary lists their ids by tag.
 */

declare(strict_types=1);

function storelens_seed_special( int $ts, string $status, array $tags, array $extra = array() ): array {
	$order = array_merge(
		array(
			'created'  => $ts,
			'status'   => $status,
			'lines'    => array( array( 'mug', 1 ), array( 'book', 2 ) ),
			'shipping' => null,
			'coupon'   => '',
			'fees'     => array(),
			'refunds'  => array(),
			'after'    => array(),
			'history'  => array(),
			'tags'     => $tags,
		),
		$extra
	);
	$order['paid']      = in_array( $status, array( 'processing', 'completed' ), true ) ? $ts : null;
	$order['completed'] = 'completed' === $status ? $ts + 86400 : null;
	return $order;
}

function storelens_seed_plan_specials( array $profile, DateTimeZone $tz, int $start, int $now ): array {
	$specials = array();
	$day      = fn( int $days_ago, string $time ) => storelens_seed_local(
		$tz,
		( new DateTimeImmutable( '@' . $now ) )->setTimezone( $tz )->modify( "-$days_ago days" )->format( 'Y-m-d' ) . " $time"
	);
	$ship = $profile['shipping_costs'][1];

	// Local midnight and the last second of a local day (paid at the same instant).
	foreach ( array( 400, 250, 90, 12 ) as $ago ) {
		$specials[] = storelens_seed_special( $day( $ago, '00:00:00' ), 'completed', array( 'midnight' ) );
	}
	foreach ( array( 300, 45 ) as $ago ) {
		$specials[] = storelens_seed_special( $day( $ago, '23:59:59' ), 'completed', array( 'last_second' ) );
	}

	// Both DST changes in range: a second before and at the change, the repeated (or skipped) half hour, late evening
	// on the changing day and just after the next local midnight.
	foreach ( array_slice( $tz->getTransitions( $start, $now ), 1 ) as $t ) {
		$tag = $t['isdst'] ? 'dst_spring' : 'dst_fall';
		foreach ( array( -1800, -1, 0, 1800 ) as $offset ) {
			$specials[] = storelens_seed_special( $t['ts'] + $offset, 'completed', array( 'dst', $tag ) );
		}
		$wall       = ( new DateTimeImmutable( '@' . $t['ts'] ) )->setTimezone( $tz );
		$specials[] = storelens_seed_special( storelens_seed_local( $tz, $wall->format( 'Y-m-d' ) . ' 23:30:00' ), 'completed', array( 'dst', $tag ) );
		$specials[] = storelens_seed_special( storelens_seed_local( $tz, $wall->modify( '+1 day' )->format( 'Y-m-d' ) . ' 00:30:00' ), 'processing', array( 'dst', $tag ) );
	}

	// Status changed later: [initial status, then [status, seconds after creation], ...].
	$changes = array(
		'onhold_paid_completed'  => array( 'on-hold', array( 'processing', 2 * 86400 ), array( 'completed', 4 * 86400 ) ),
		'pending_paid_completed' => array( 'pending', array( 'processing', 3600 ), array( 'completed', 3 * 86400 ) ),
		'processing_cancelled'   => array( 'processing', array( 'cancelled', 86400 ) ),
		'pending_failed'         => array( 'pending', array( 'failed', 3600 ) ),
		'onhold_cancelled'       => array( 'on-hold', array( 'cancelled', 5 * 86400 ) ),
		'completed_refunded'     => array( 'completed', array( 'refunded', 6 * 86400 ) ),
		'pending_onhold'         => array( 'pending', array( 'on-hold', 7200 ) ),
	);
	$ago = 200;
	foreach ( $changes as $name => $steps ) {
		$ts         = $day( $ago, '14:10:00' );
		$specials[] = storelens_seed_special( $ts, array_shift( $steps ), array( 'status_changed', $name ), array( 'history' => $steps ) );
		$ago       -= 23;
	}

	// Fees, refunds and coupons, each on its own completed order with shipping.
	$money = array(
		'fee_positive'        => array( 'fees' => array( 'gift' ) ),
		'fee_negative'        => array( 'fees' => array( 'loyalty' ) ),
		'fee_untaxed'         => array( 'fees' => array( 'handling' ) ),
		'refund_line_tax'     => array( 'refunds' => array( 'line' ) ),
		'refund_amount_only'  => array( 'refunds' => array( 'amount' ) ),
		'refund_shipping'     => array( 'refunds' => array( 'shipping' ) ),
		'refund_fee'          => array( 'fees' => array( 'gift' ), 'refunds' => array( 'fee' ) ),
		'refund_negative_fee' => array( 'fees' => array( 'loyalty', 'gift' ), 'refunds' => array( 'line_and_negative_fee' ) ),
		'two_refunds'         => array( 'refunds' => array( 'line', 'amount' ) ),
		'partial_then_rest'   => array( 'refunds' => array( 'line', 'rest' ) ),
		'full_refund_lines'   => array( 'fees' => array( 'gift' ), 'refunds' => array( 'full_lines' ) ),
		'full_refund_amount'  => array( 'fees' => array( 'loyalty' ), 'refunds' => array( 'full_amount' ) ),
		'coupon_percent'      => array( 'coupon' => 'percent' ),
		'coupon_fixed_cart'   => array( 'coupon' => 'fixed_cart' ),
		'coupon_fixed_product' => array( 'coupon' => 'fixed_product' ),
		'coupon_percent_utf8' => array( 'coupon' => 'percent_utf8', 'fees' => array( 'loyalty' ) ),
		'variation_sold'      => array( 'lines' => array( array( 'shirt/XL', 2 ), array( 'tea/250g', 1 ) ) ),
		'deleted_product_sold' => array( 'lines' => array( array( 'retired', 1 ), array( 'sticker', 3 ) ) ),
	);
	$ago = 330;
	foreach ( $money as $name => $extra ) {
		$o = storelens_seed_special( $day( $ago, '10:20:00' ), 'completed', array( $name ), array( 'shipping' => $ship ) + $extra );
		foreach ( $o['refunds'] as $i => $kind ) {
			$o['refunds'][ $i ] = array( $kind, $o['completed'] + ( $i + 1 ) * 2 * 86400 );
		}
		$specials[] = $o;
		$ago       -= 17;
	}

	// Trashed and permanently deleted orders (some with a refund, one trashed first then deleted).
	$gone = array(
		array( 'completed', array( 'trash' ), array(), 'trashed' ),
		array( 'processing', array( 'trash' ), array(), 'trashed' ),
		array( 'completed', array( 'trash' ), array( 'line' ), 'trashed' ),
		array( 'completed', array( 'delete' ), array(), 'deleted' ),
		array( 'completed', array( 'delete' ), array( 'amount' ), 'deleted' ),
		array( 'cancelled', array( 'trash', 'delete' ), array(), 'deleted' ),
	);
	$ago = 150;
	foreach ( $gone as list( $status, $after, $refunds, $tag ) ) {
		$o = storelens_seed_special( $day( $ago, '09:45:00' ), $status, array( $tag ), array( 'after' => $after ) );
		foreach ( $refunds as $i => $kind ) {
			$o['refunds'][ $i ] = array( $kind, $o['completed'] + 86400 );
		}
		$specials[] = $o;
		$ago       -= 11;
	}

	// Edited later straight in the database, date_modified untouched (done after everything else).
	$ago = 60;
	foreach ( array( 'address_name', 'item_name', 'customer_note', 'status' ) as $edit ) {
		$specials[] = storelens_seed_special( $day( $ago, '16:05:00' ), 'completed', array( 'silent_edit' ), array( 'silent_edit' => $edit ) );
		$ago       -= 9;
	}
	return $specials;
}
