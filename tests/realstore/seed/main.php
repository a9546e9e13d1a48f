<?php
/**
 * The seed's steps in order. The fixture has set the site options; this checks them, then creates the catalogue,
 * customers and orders, runs the queue so Analytics has imported everything, then trashes/deletes orders, deletes
 * sold products, runs the queue again and finally makes the silent SQL edits (after the queue, so nothing re-reads
 * them) and writes the summary.
 */

declare(strict_types=1);

function storelens_seed_check_store( array $profile ): void {
	global $wpdb;
	$checks = array(
		'woocommerce_currency'           => $profile['currency'],
		'timezone_string'                => $profile['timezone'],
		'woocommerce_prices_include_tax' => $profile['prices_include'] ? 'yes' : 'no',
		'woocommerce_calc_taxes'         => 'yes',
	);
	foreach ( $checks as $option => $want ) {
		if ( get_option( $option ) !== $want ) {
			throw new RuntimeException( "The store is not set up for the {$profile['name']} profile: option $option is '" . get_option( $option ) . "', expected '$want' (the fixture sets site options before seeding)." );
		}
	}
	if ( ! Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ) {
		throw new RuntimeException( 'HPOS is off: set woocommerce_custom_orders_table_enabled=yes before seeding.' );
	}
	if ( (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_orders" ) > 0 ) {
		throw new RuntimeException( 'The store already has orders: the seed runs once, on a fresh database.' );
	}
}

function storelens_seed_main( string $profile_name, float $started ): array {
	$profile = storelens_seed_profile( $profile_name );
	storelens_seed_check_store( $profile );
	add_filter( 'pre_wp_mail', '__return_true' ); // no mail leaves a test store
	// WooCommerce's order e-mails (enabled by default) are rendered from templates for every status change before
	// wp_mail is asked; turned off for the seed, as a shop that does not mail would have them.
	foreach ( WC()->mailer()->get_emails() as $email ) {
		add_filter( "woocommerce_email_enabled_{$email->id}", '__return_false' );
	}
	wp_set_current_user( 1 );
	storelens_seed_begin_batching();
	$now  = time();
	$plan = storelens_seed_plan( $profile, $now );
	$ctx  = array(
		'profile'   => $profile,
		'plan'      => $plan,
		'tax_rates' => storelens_seed_tax_rates( $profile ),
		'products'  => storelens_seed_products( $profile ),
		'coupons'   => storelens_seed_coupons(),
	);
	$ctx['customer_ids'] = storelens_seed_customers( $profile, $plan['customers'] );
	$timings             = array( 'setup' => round( microtime( true ) - $started, 2 ) );

	$ids   = array();
	$pairs = array();
	$first = array();
	$later = array();
	$done  = 0;
	foreach ( $plan['orders'] as $spec ) {
		$order = storelens_seed_order( $ctx, $spec );
		foreach ( $spec['tags'] as $tag ) {
			$ids[ $tag ][] = $order->get_id();
		}
		if ( in_array( 'customer_first_order', $spec['tags'], true ) ) {
			$first[ $spec['customer'] ] = $order->get_id();
		}
		if ( isset( $spec['pair'] ) ) {
			$pairs[] = array(
				'customer_id'    => $ctx['customer_ids'][ $spec['pair'] ],
				'customer_email' => $plan['customers'][ $spec['pair'] ]['email'],
				'first_order_id' => $first[ $spec['pair'] ],
				'guest_order_id' => $order->get_id(),
				'guest_email'    => $spec['guest']['email'],
			);
		}
		if ( $spec['after'] || $spec['silent_edit'] ) {
			$later[] = array( $order->get_id(), $spec['after'], $spec['silent_edit'] );
		}
		if ( 0 === ++$done % 10 ) {
			storelens_seed_commit();
			if ( getenv( 'STORELENS_SEED_PROGRESS' ) ) {
				fwrite( STDERR, sprintf( "%d orders, %.1f s\n", $done, microtime( true ) - $started ) );
			}
		}
	}
	storelens_seed_commit();
	$timings['orders'] = round( microtime( true ) - $started, 2 );
	$queue             = storelens_seed_run_queue();
	$timings['queue']  = round( microtime( true ) - $started, 2 );

	$trashed = array();
	$deleted = array();
	foreach ( $later as list( $id, $after ) ) {
		if ( $after ) {
			storelens_seed_after( $id, $after );
			if ( in_array( 'delete', $after, true ) ) {
				$deleted[] = $id;
			} else {
				$trashed[] = $id;
			}
		}
	}
	$deleted_products = storelens_seed_delete_products( $ctx['products'] );
	$queue           += storelens_seed_run_queue();
	$edits            = array();
	foreach ( $later as list( $id, , $edit ) ) {
		if ( $edit ) {
			$edits[] = storelens_seed_silent_edit( $id, $edit );
		}
	}
	storelens_seed_end_batching();
	$timings['total'] = round( microtime( true ) - $started, 2 );
	global $storelens_seed_phases;
	$timings['order_phases'] = array_map( fn( $s ) => round( $s, 2 ), $storelens_seed_phases ?? array() );
	$timings['cost'] = storelens_seed_cost();

	ksort( $ids );
	return array(
		'profile'          => $profile['name'],
		'currency'         => $profile['currency'],
		'timezone'         => $profile['timezone'],
		'seeded_at_utc'    => gmdate( 'Y-m-d\TH:i:s\Z', $now ),
		'first_day'        => wp_date( 'Y-m-d', $plan['start'] ),
		'seconds'          => $timings,
		'planned_orders'   => count( $plan['orders'] ),
		'counts'           => storelens_seed_counts(),
		'scenarios'        => array_map( 'count', $ids ),
		'ids'              => $ids,
		'customer_ids'     => $ctx['customer_ids'],
		'guest_next_to_first_order' => $pairs,
		'refunds_by_kind'  => storelens_seed_refunds_by_kind(),
		'trashed_orders'   => $trashed,
		'deleted_orders'   => $deleted,
		'deleted_products' => $deleted_products,
		'silent_edits'     => $edits,
		'coupons'          => $ctx['coupons'],
		'tax_rates'        => $ctx['tax_rates'],
		'queue_actions_run' => $queue,
	);
}
