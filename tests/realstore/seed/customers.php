<?php
/** Registered customers, created as WooCommerce's registration does (role customer, billing and shipping set). */

declare(strict_types=1);

function storelens_seed_address( array $profile, array $who, int $place ): array {
	list( $country, $state, $city, $postcode ) = $profile['places'][ $place ];
	return array(
		'first_name' => $who['first'],
		'last_name'  => $who['last'],
		'address_1'  => '1 Example Street',
		'city'       => $city,
		'state'      => $state,
		'postcode'   => $postcode,
		'country'    => $country,
	);
}

/** Creates the plan's customers; returns their user ids in plan order. */
function storelens_seed_customers( array $profile, array $customers ): array {
	$ids = array();
	foreach ( $customers as $i => $c ) {
		$id = wc_create_new_customer( $c['email'], "customer$i", 'seed-password-' . $i, array( 'first_name' => $c['first'], 'last_name' => $c['last'] ) );
		if ( is_wp_error( $id ) ) {
			throw new RuntimeException( "customer {$c['email']}: " . $id->get_error_message() );
		}
		$customer = new WC_Customer( $id );
		$address  = storelens_seed_address( $profile, $c, $c['place'] );
		foreach ( $address as $field => $value ) {
			$customer->{"set_billing_$field"}( $value );
			$customer->{"set_shipping_$field"}( $value );
		}
		$customer->set_billing_email( $c['email'] );
		$customer->save();
		$ids[] = $id;
	}
	return $ids;
}
