<?php
/**
 * Puts the plan together: customers, each customer's first order, the guest orders placed right after some of those
 * first orders with the same e-mail (adjacent in date and id, so in the same REST page: the case that crashed the
 * first import), generic history denser towards today, the special cases, and who bought each order.
 */

declare(strict_types=1);

const STORELENS_SEED_GENERIC_ORDERS = 170;

/** Guests: unique, returning, in mixed case, with non-ASCII names. */
function storelens_seed_guest( int $n ): array {
	$names = array( array( 'Zoë', 'Guest' ), array( '花子', '山田' ), array( 'Ğani', 'Öztürk' ), array( 'Łucja', 'Kowalska' ), array( 'Sam', 'Lee' ), array( 'Kim', 'Ray' ) );
	list( $f, $l ) = $names[ $n % count( $names ) ];
	return array( 'first' => $f, 'last' => $l, 'email' => 0 === $n % 5 ? "Guest.$n@Example.NET" : "guest.$n@example.net" );
}

/** Who placed an order at $ts: a registered customer who had already placed a first order, or a guest. */
function storelens_seed_buyer( array $customers, int $ts, int &$guests ): array {
	$joined = array_keys( array_filter( $customers, fn( $c ) => $c['join'] < $ts ) );
	$kind   = storelens_seed_pick( array( 'customer' => $joined ? 52 : 0, 'guest' => 30, 'returning_guest' => 8, 'guest_registered_email' => 10 ) );
	if ( 'customer' === $kind ) {
		return array( 'customer' => $joined[ mt_rand( 0, count( $joined ) - 1 ) ], 'tags' => array() );
	}
	if ( 'guest_registered_email' === $kind ) {
		$c     = $customers[ mt_rand( 0, count( $customers ) - 1 ) ];
		$email = mt_rand( 0, 1 ) ? strtolower( $c['email'] ) : strtoupper( $c['email'] );
		return array( 'guest' => array( 'first' => $c['first'], 'last' => $c['last'], 'email' => $email ), 'tags' => array( 'guest_registered_email' ) );
	}
	$n = 'returning_guest' === $kind && $guests > 0 ? mt_rand( 0, $guests - 1 ) : $guests++;
	return array( 'guest' => storelens_seed_guest( $n ), 'tags' => array( 'guest' ) );
}

function storelens_seed_plan( array $profile, int $now ): array {
	mt_srand( 'us' === $profile['name'] ? 20261101 : 20261102 );
	$tz        = new DateTimeZone( $profile['timezone'] );
	$start     = storelens_seed_local( $tz, ( new DateTimeImmutable( '@' . $now ) )->setTimezone( $tz )->modify( '-' . STORELENS_SEED_DAYS . ' days' )->format( 'Y-m-d' ) );
	$catalogue = storelens_seed_catalogue( $profile );
	$customers = storelens_seed_plan_customers( $profile, $start, $now );
	$orders    = array();
	$guests    = 0;

	foreach ( $customers as $i => $c ) {
		$o             = storelens_seed_plan_order( $profile, $catalogue, $c['join'], $now );
		$o['customer'] = $i;
		$o['tags'][]   = 'customer_first_order';
		$orders[]      = $o;
		if ( $i < 3 || 0 === $i % 9 ) {
			// The guest order right after the customer's first order, with their e-mail in another case.
			$g          = storelens_seed_plan_order( $profile, $catalogue, $c['join'] + 120, $now );
			// Half with the very same e-mail, half in another case (lower-cased, or capitalised when it was lower).
			$flipped    = strtolower( $c['email'] ) === $c['email'] ? ucfirst( $c['email'] ) : strtolower( $c['email'] );
			$email      = 0 === $i % 2 ? $c['email'] : $flipped;
			$g['guest'] = array( 'first' => $c['first'], 'last' => $c['last'], 'email' => $email );
			$g['tags']  = array_merge( $g['tags'], array( 'guest_registered_email', 'guest_next_to_first_order' ) );
			$g['pair']  = $i;
			$orders[]   = $g;
		}
	}
	for ( $i = 0; $i < STORELENS_SEED_GENERIC_ORDERS; $i++ ) {
		// sqrt skews towards today: a shop that grows.
		$ts       = $start + (int) ( ( $now - 3600 - $start ) * sqrt( mt_rand( 0, 1000000 ) / 1000000 ) );
		$orders[] = storelens_seed_plan_order( $profile, $catalogue, $ts, $now );
	}
	foreach ( storelens_seed_plan_specials( $profile, $tz, $start, $now ) as $o ) {
		$orders[] = $o;
	}
	foreach ( $orders as &$o ) {
		$o += array( 'history' => array(), 'silent_edit' => null );
		if ( ! isset( $o['customer'] ) && ! isset( $o['guest'] ) ) {
			$buyer     = storelens_seed_buyer( $customers, $o['created'], $guests );
			$o        += $buyer; // adds 'customer' or 'guest'; 'tags' is merged below
			$o['tags'] = array_values( array_unique( array_merge( $o['tags'], $buyer['tags'] ) ) );
		}
		$o['place'] = isset( $o['customer'] ) ? $customers[ $o['customer'] ]['place'] : storelens_seed_place( $profile );
	}
	unset( $o );
	usort( $orders, fn( $a, $b ) => $a['created'] <=> $b['created'] );
	return array( 'customers' => $customers, 'orders' => $orders, 'start' => $start );
}
