<?php
/**
 * The two store profiles: what differs between the US and the EU store (currency, zone, tax rates, where customers
 * live). Site options (currency, zone, Analytics settings, environment) are set by the fixture; the seed only reads
 * them back to check it is seeding the store it thinks it is.
 */

declare(strict_types=1);

function storelens_seed_profile( string $name ): array {
	$profiles = array(
		'us' => array(
			'name'           => 'us',
			'currency'       => 'USD',
			'timezone'       => 'America/New_York',
			'prices_include' => false,
			// [country, state, rate %, name, priority, compound, shipping, class]
			'tax_rates'      => array(
				array( 'US', 'NY', '8.8750', 'NY State and City Tax', 1, 0, 1, '' ),
				array( 'US', 'CA', '7.2500', 'CA State Tax', 1, 0, 1, '' ),
				array( 'US', 'NY', '4.0000', 'NY Reduced', 1, 0, 0, 'reduced-rate' ),
			),
			// Where customers ship to: [country, state, city, postcode, weight]
			'places'         => array(
				array( 'US', 'NY', 'New York', '10001', 5 ),
				array( 'US', 'CA', 'Los Angeles', '90001', 3 ),
				array( 'US', 'TX', 'Austin', '73301', 2 ),
				array( 'US', 'OR', 'Portland', '97201', 1 ),
			),
			'shipping_costs' => array( '5.00', '7.50', '12.00' ),
		),
		'eu' => array(
			'name'           => 'eu',
			'currency'       => 'EUR',
			'timezone'       => 'Europe/Berlin',
			'prices_include' => true,
			'tax_rates'      => array(
				array( 'DE', '', '19.0000', 'MwSt. 19 %', 1, 0, 1, '' ),
				array( 'DE', '', '7.0000', 'MwSt. 7 %', 1, 0, 1, 'reduced-rate' ),
				array( 'AT', '', '20.0000', 'USt. 20 %', 1, 0, 1, '' ),
				array( 'AT', '', '10.0000', 'USt. 10 %', 1, 0, 1, 'reduced-rate' ),
			),
			'places'         => array(
				array( 'DE', '', 'Berlin', '10115', 6 ),
				array( 'DE', '', 'München', '80331', 2 ),
				array( 'AT', '', 'Wien', '1010', 3 ),
				array( 'CH', '', 'Zürich', '8001', 1 ),
			),
			'shipping_costs' => array( '4.90', '6.90', '9.90' ),
		),
	);
	if ( ! isset( $profiles[ $name ] ) ) {
		throw new InvalidArgumentException( "Unknown seed profile '$name': use us or eu." );
	}
	return $profiles[ $name ];
}
