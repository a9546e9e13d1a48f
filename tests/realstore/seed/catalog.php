<?php
/**
 * Tax rates, products (simple and variable, two tax classes, stock managed so stock hooks run) and one coupon of each
 * kind. Everything is created through WooCommerce's own classes, as a shop manager would in wp-admin.
 */

declare(strict_types=1);

/**
 * Creates the profile's tax rates that the store does not have yet (the fixture may have created some: a rate with the
 * same country, state, class and percentage is kept, never doubled); returns rate ids by "country/state/class".
 */
function storelens_seed_tax_rates( array $profile ): array {
	global $wpdb;
	$ids = array();
	foreach ( $profile['tax_rates'] as $order => list( $country, $state, $rate, $name, $priority, $compound, $shipping, $class ) ) {
		$existing = $wpdb->get_var(
			$wpdb->prepare(
				"SELECT tax_rate_id FROM {$wpdb->prefix}woocommerce_tax_rates WHERE tax_rate_country = %s AND tax_rate_state = %s AND tax_rate_class = %s AND tax_rate = %s",
				$country,
				$state,
				$class,
				$rate
			)
		);
		if ( $existing ) {
			$ids[ "$country/$state/$class" ] = (int) $existing;
			continue;
		}
		$id = WC_Tax::_insert_tax_rate(
			array(
				'tax_rate_country'  => $country,
				'tax_rate_state'    => $state,
				'tax_rate'          => $rate,
				'tax_rate_name'     => $name,
				'tax_rate_priority' => $priority,
				'tax_rate_compound' => $compound,
				'tax_rate_shipping' => $shipping,
				'tax_rate_order'    => $order,
				'tax_rate_class'    => $class,
			)
		);
		$ids[ "$country/$state/$class" ] = $id;
	}
	return $ids;
}

/**
 * The catalogue: key => [name, price (as entered: net in the US, gross in the EU), tax class].
 * Prices differ per profile so the EU's inclusive prices give awkward nets (19.99 / 1.19 = 16.798319…).
 */
function storelens_seed_catalogue( array $profile ): array {
	$eu = $profile['prices_include'];
	return array(
		'simple'   => array(
			'mug'      => array( 'Żubr Mug', $eu ? '12.99' : '11.50', '' ),
			'poster'   => array( 'Poster "Zoë"', $eu ? '19.99' : '18.00', '' ),
			'book'     => array( '山田の本 (book)', $eu ? '24.90' : '21.95', 'reduced-rate' ),
			'beans'    => array( 'Café Crème Beans', $eu ? '8.49' : '9.25', 'reduced-rate' ),
			'lamp'     => array( 'Desk Lamp', $eu ? '79.00' : '64.99', '' ),
			'retired'  => array( 'Retired Gadget', $eu ? '33.33' : '29.99', '' ),  // deleted after being sold
			'sticker'  => array( 'Sticker', $eu ? '1.99' : '1.75', '' ),
		),
		'variable' => array(
			'shirt' => array( 'T-Shirt Ğ', '', array( 'S' => $eu ? '21.90' : '19.00', 'M' => $eu ? '21.90' : '19.00', 'L' => $eu ? '23.90' : '21.00', 'XL' => $eu ? '23.90' : '21.00' ) ),
			'tea'   => array( 'Tea Łąka', 'reduced-rate', array( '100g' => $eu ? '6.95' : '5.50', '250g' => $eu ? '14.95' : '12.00', '1kg' => $eu ? '44.95' : '39.00' ) ),
		),
	);
}

/** Creates the catalogue; returns product objects by key ("shirt/M" for variations). */
function storelens_seed_products( array $profile ): array {
	$products = array();
	$catalogue = storelens_seed_catalogue( $profile );
	foreach ( $catalogue['simple'] as $key => list( $name, $price, $class ) ) {
		$p = new WC_Product_Simple();
		$p->set_name( $name );
		$p->set_sku( "SL-$key" );
		$p->set_regular_price( $price );
		$p->set_tax_class( $class );
		// Stock is managed for a few products only: each stock change costs ~50 queries (lookup tables, caches),
		// and a few are enough to exercise the stock hooks and restocking on refunds.
		$p->set_manage_stock( in_array( $key, array( 'mug', 'retired', 'beans' ), true ) );
		$p->set_stock_quantity( 1000 );
		$p->set_status( 'publish' );
		$p->save();
		$products[ $key ] = $p;
	}
	foreach ( $catalogue['variable'] as $key => list( $name, $class, $options ) ) {
		$attribute = new WC_Product_Attribute();
		$attribute->set_name( 'Size' );
		$attribute->set_options( array_keys( $options ) );
		$attribute->set_visible( true );
		$attribute->set_variation( true );
		$p = new WC_Product_Variable();
		$p->set_name( $name );
		$p->set_sku( "SL-$key" );
		$p->set_tax_class( $class );
		$p->set_attributes( array( $attribute ) );
		$p->set_status( 'publish' );
		$p->save();
		foreach ( $options as $option => $price ) {
			$v = new WC_Product_Variation();
			$v->set_parent_id( $p->get_id() );
			$v->set_attributes( array( 'size' => $option ) );
			$v->set_sku( "SL-$key-$option" );
			$v->set_regular_price( $price );
			$v->set_tax_class( 'parent' );
			$v->set_manage_stock( 'shirt' === $key );
			$v->set_stock_quantity( 1000 );
			$v->save();
			$products[ "$key/$option" ] = $v;
		}
		WC_Product_Variable::sync( $p->get_id() );
		$products[ $key ] = $p;
	}
	// Loaded back as a checkout would: a new WC_Product_Variation knows nothing of its parent, so its tax class
	// "parent" resolved to the standard rate (a 7 % tea taxed at 19 %) until it is read from the database.
	return array_map( fn( $p ) => wc_get_product( $p->get_id() ), $products );
}

/** One coupon of each kind (and a non-ASCII code); returns their codes by kind. */
function storelens_seed_coupons(): array {
	$coupons = array(
		'percent'       => array( 'save10', 'percent', '10' ),
		'fixed_cart'    => array( 'fixed5', 'fixed_cart', '5' ),
		'fixed_product' => array( 'prod2', 'fixed_product', '2' ),
		'percent_utf8'  => array( 'été15', 'percent', '15' ),
	);
	$codes = array();
	foreach ( $coupons as $kind => list( $code, $type, $amount ) ) {
		$c = new WC_Coupon();
		$c->set_code( $code );
		$c->set_discount_type( $type );
		$c->set_amount( $amount );
		$c->save();
		$codes[ $kind ] = $c->get_code();
	}
	return $codes;
}
