<?php
/**
 * The plan: every customer and order to create, as plain data, drawn from a fixed mt_srand before anything touches
 * WooCommerce (whose own code may draw from the same generator), so two runs on the same day plan the same store.
 * Dates are UTC timestamps computed from the store's local wall clock, so DST edges are exact.
 */

declare(strict_types=1);

const STORELENS_SEED_DAYS = 540; // ~18 months ending today

function storelens_seed_pick( array $weights ) {
	$total = array_sum( $weights );
	$r     = mt_rand( 1, $total );
	foreach ( $weights as $key => $weight ) {
		$r -= $weight;
		if ( $r <= 0 ) {
			return $key;
		}
	}
	return array_key_last( $weights );
}

function storelens_seed_local( DateTimeZone $tz, string $wall ): int {
	return ( new DateTimeImmutable( $wall, $tz ) )->getTimestamp();
}

/** Registered customers: fixed names (the non-ASCII ones first), e-mails partly in mixed case. */
function storelens_seed_plan_customers( array $profile, int $start, int $now ): array {
	$names = array(
		array( 'Łukasz', 'Wójcik', 'lukasz.wojcik@example.com' ),
		array( 'Zoë', 'Adler', 'Zoe.Adler@Example.com' ),
		array( '太郎', '山田', 'yamada.taro@example.jp' ),
		array( 'Ğülşen', 'Yılmaz', 'gulsen@example.com.tr' ),
		array( 'Anna', 'Smith', 'ANNA.SMITH@EXAMPLE.COM' ),
		array( 'José', 'Núñez', 'jose.nunez@example.es' ),
	);
	$first = array( 'Mia', 'Noah', 'Emma', 'Liam', 'Olivia', 'Ben', 'Lea', 'Paul', 'Sofia', 'Jonas', 'Clara', 'Max', 'Ida', 'Tom' );
	$last  = array( 'Miller', 'Schmidt', 'Brown', 'Weber', 'Garcia', 'Fischer', 'Jones', 'Wagner', 'Moore', 'Becker' );
	for ( $i = count( $names ); $i < 36; $i++ ) {
		$f       = $first[ mt_rand( 0, count( $first ) - 1 ) ];
		$l       = $last[ mt_rand( 0, count( $last ) - 1 ) ];
		$email   = strtolower( "$f.$l.$i@example.org" );
		$names[] = array( $f, $l, 0 === $i % 7 ? ucfirst( $email ) : $email );
	}
	$customers = array();
	foreach ( $names as $i => list( $f, $l, $email ) ) {
		$customers[] = array(
			'first' => $f,
			'last'  => $l,
			'email' => $email,
			'place' => storelens_seed_place( $profile ),
			// When their first order is placed; nobody's first order is in the last week.
			'join'  => mt_rand( $start + 3600, $now - 8 * 86400 ),
		);
	}
	return $customers;
}

function storelens_seed_place( array $profile ): int {
	return storelens_seed_pick( array_map( fn( $p ) => $p[4], $profile['places'] ) );
}

/** 1–3 lines of the catalogue; a variation is "shirt/M". The doomed product and variation sell often. */
function storelens_seed_plan_lines( array $catalogue ): array {
	$keys = array_keys( $catalogue['simple'] );
	foreach ( $catalogue['variable'] as $key => $v ) {
		foreach ( array_keys( $v[2] ) as $option ) {
			$keys[] = "$key/$option";
		}
	}
	$lines = array();
	$n     = storelens_seed_pick( array( 1 => 6, 2 => 3, 3 => 1 ) );
	while ( count( $lines ) < $n ) {
		$key            = mt_rand( 1, 8 ) === 1 ? ( mt_rand( 0, 1 ) ? 'retired' : 'shirt/XL' ) : $keys[ mt_rand( 0, count( $keys ) - 1 ) ];
		$lines[ $key ] = array( $key, storelens_seed_pick( array( 1 => 7, 2 => 2, 3 => 1 ) ) );
	}
	return array_values( $lines );
}

/** A generic order at $ts: a status with its dates, lines, sometimes a coupon, fee or partial refunds. */
function storelens_seed_plan_order( array $profile, array $catalogue, int $ts, int $now ): array {
	$recent = $now - $ts < 20 * 86400;
	$status = storelens_seed_pick(
		array(
			'completed'  => $recent ? 30 : 62,
			'processing' => $recent ? 40 : 1,
			'on-hold'    => 6,
			'pending'    => 6,
			'cancelled'  => 7,
			'failed'     => 5,
			'refunded'   => 5,
		)
	);
	$order = array(
		'created'  => $ts,
		'status'   => $status,
		'lines'    => storelens_seed_plan_lines( $catalogue ),
		'shipping' => mt_rand( 1, 10 ) <= 8 ? $profile['shipping_costs'][ mt_rand( 0, 2 ) ] : null,
		'coupon'   => storelens_seed_pick( array( '' => 80, 'percent' => 8, 'fixed_cart' => 5, 'fixed_product' => 5, 'percent_utf8' => 2 ) ),
		'fees'     => array(),
		'refunds'  => array(),
		'after'    => array(),
		'tags'     => array(),
	);
	$fee = storelens_seed_pick( array( '' => 85, 'gift' => 6, 'loyalty' => 6, 'handling' => 3 ) );
	if ( '' !== $fee ) {
		$order['fees'][] = $fee;
	}
	storelens_seed_dates( $order, $now );
	if ( 'refunded' === $status ) {
		$order['status']    = 'completed';
		$order['refunds'][] = array( mt_rand( 0, 1 ) ? 'full_lines' : 'full_amount', storelens_seed_later( $order, $now ) );
	} elseif ( 'completed' === $status && mt_rand( 1, 100 ) <= 12 ) {
		$kind               = storelens_seed_pick( array( 'line' => 5, 'amount' => 4, 'shipping' => 1 ) );
		$order['refunds'][] = array( $kind, storelens_seed_later( $order, $now ) );
	}
	return $order;
}

/** Paid and completed dates that follow from the status (unpaid statuses have none). */
function storelens_seed_dates( array &$order, int $now ): void {
	$paid                = in_array( $order['status'], array( 'processing', 'completed', 'refunded' ), true );
	$order['paid']       = $paid ? min( $order['created'] + mt_rand( 0, 900 ), $now - 60 ) : null;
	$order['completed']  = in_array( $order['status'], array( 'completed', 'refunded' ), true )
		? min( $order['paid'] + mt_rand( 3600, 4 * 86400 ), $now - 30 ) : null;
}

function storelens_seed_later( array $order, int $now ): int {
	$from = max( $order['completed'] ?? 0, $order['paid'] ?? 0, $order['created'] );
	return min( $from + mt_rand( 600, 12 * 86400 ), $now - 20 );
}
