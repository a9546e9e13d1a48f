<?php
/**
 * Refunds as wp-admin makes them: line refunds carry the item's per-unit total and tax rounded to the shop's
 * decimals (what the refund form fills in); amount-only refunds have no lines; "full" refunds refund what remains.
 * Never through a gateway (refund_payment false).
 */

declare(strict_types=1);

function storelens_seed_refund_item( WC_Order_Item $item, int $qty = 0 ): array {
	$dp    = wc_get_price_decimals();
	$share = $qty > 0 ? $qty / max( 1, $item->get_quantity() ) : 1;
	$taxes = array();
	foreach ( $item->get_taxes()['total'] ?? array() as $rate_id => $tax ) {
		if ( '' !== $tax ) {
			$taxes[ $rate_id ] = round( (float) $tax * $share, $dp );
		}
	}
	return array(
		'qty'          => $qty,
		'refund_total' => round( (float) $item->get_total() * $share, $dp ),
		'refund_tax'   => $taxes,
	);
}

function storelens_seed_first( WC_Order $order, string $type, string $name = '' ): WC_Order_Item {
	foreach ( $order->get_items( $type ) as $item ) {
		if ( '' === $name || $item->get_name() === $name ) {
			return $item;
		}
	}
	throw new RuntimeException( "order {$order->get_id()} has no $type item $name to refund" );
}

/** The refund's line items for a kind: item id => [qty, refund_total, refund_tax]. */
function storelens_seed_refund_lines( WC_Order $order, string $kind ): array {
	switch ( $kind ) {
		case 'line':
			$item = storelens_seed_first( $order, 'line_item' );
			return array( $item->get_id() => storelens_seed_refund_item( $item, 1 ) );
		case 'shipping':
			$item = storelens_seed_first( $order, 'shipping' );
			return array( $item->get_id() => storelens_seed_refund_item( $item ) );
		case 'fee':
			$item = storelens_seed_first( $order, 'fee', 'Gift wrap' );
			return array( $item->get_id() => storelens_seed_refund_item( $item ) );
		case 'line_and_negative_fee':
			$line = storelens_seed_first( $order, 'line_item' );
			$fee  = storelens_seed_first( $order, 'fee', 'Loyalty discount' );
			return array(
				$line->get_id() => storelens_seed_refund_item( $line, 1 ),
				$fee->get_id()  => storelens_seed_refund_item( $fee ),
			);
		case 'full_lines':
			$lines = array();
			foreach ( $order->get_items( array( 'line_item', 'shipping', 'fee' ) ) as $item ) {
				$qty                       = $item instanceof WC_Order_Item_Product ? $item->get_quantity() : 0;
				$lines[ $item->get_id() ] = storelens_seed_refund_item( $item, $qty );
			}
			return $lines;
	}
	return array(); // amount, full_amount, rest: no lines
}

function storelens_seed_refund( WC_Order $order, string $kind, int $ts ): WC_Order_Refund {
	$lines = storelens_seed_refund_lines( $order, $kind );
	if ( in_array( $kind, array( 'full_lines', 'full_amount', 'rest' ), true ) ) {
		$amount = (float) $order->get_remaining_refund_amount();
	} elseif ( 'amount' === $kind ) {
		$amount = round( (float) $order->get_total() * 0.25, wc_get_price_decimals() );
	} else {
		$amount = 0.0;
		foreach ( $lines as $line ) {
			$amount += $line['refund_total'] + array_sum( $line['refund_tax'] );
		}
		$amount = round( $amount, wc_get_price_decimals() );
	}
	$refund = wc_create_refund(
		array(
			'order_id'       => $order->get_id(),
			'amount'         => $amount,
			'reason'         => "seed: $kind",
			'line_items'     => $lines,
			'refund_payment' => false,
			'restock_items'  => ! empty( $lines ),
			'date_created'   => $ts,
		)
	);
	if ( is_wp_error( $refund ) ) {
		throw new RuntimeException( "refund $kind of order {$order->get_id()}: " . $refund->get_error_message() );
	}
	return $refund;
}
