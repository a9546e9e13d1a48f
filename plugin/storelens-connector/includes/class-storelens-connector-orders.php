<?php
/**
 * GET storelens/v1/orders: orders in wc/v3's own JSON, many per request, each with its refunds embedded.
 *
 * The JSON is built by WooCommerce's own controllers (WC_REST_Orders_Controller::get_items and, for the refunds,
 * WC_REST_Refunds_Controller::prepare_object_for_response), so an order here is byte for byte what wc/v3/orders
 * serves; only the page size is larger (up to 500) and `_links` are left out. Each order gains
 * `storelens_refunds`: its refunds as wc/v3/refunds shows them (with `parent_id`), so the sync needs no request per
 * order for them.
 *
 * Three ways to ask:
 * - `ids=1,2,3` (up to 500): those orders whatever their status, trash included; ids that are not orders are
 *   simply absent from the answer (the caller treats them as deleted).
 * - `modified_after=<ISO 8601 GMT>`: orders modified after it, any status and trash, oldest id first, paged.
 * - any other wc/v3/orders listing parameters (status, after, before, dates_are_gmt, orderby, order, page,
 *   per_page, dp, …): passed to WooCommerce's own listing, with X-WP-Total / X-WP-TotalPages as it sets them.
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

/**
 * The orders route.
 */
class Storelens_Connector_Orders {

	const MAX_PER_REQUEST = 500;

	/**
	 * The route's own arguments; the others go to WooCommerce's listing and are validated by its schema.
	 *
	 * @return array
	 */
	public static function args(): array {
		return array(
			'ids'            => array(
				'type'              => 'string',
				'validate_callback' => static function ( $value ) {
					return (bool) preg_match( '/^\d+(,\d+)*$/', (string) $value )
						&& count( explode( ',', (string) $value ) ) <= self::MAX_PER_REQUEST;
				},
			),
			'modified_after' => array(
				'type'   => 'string',
				'format' => 'date-time',
			),
		);
	}

	/**
	 * Answers the request in one of the three ways above.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function respond( $request ) {
		$params = $request->get_query_params();
		unset( $params['ids'], $params['rest_route'], $params['_wcauth'], $params['consumer_key'], $params['consumer_secret'] );
		foreach ( array_keys( $params ) as $key ) {
			if ( 0 === strpos( (string) $key, 'oauth_' ) ) {
				unset( $params[ $key ] );
			}
		}
		if ( ! empty( $request['ids'] ) ) {
			$ids    = array_map( 'intval', explode( ',', (string) $request['ids'] ) );
			$params = array(
				'include'  => $ids,
				'status'   => self::every_status(),
				'orderby'  => 'id',
				'order'    => 'asc',
				'per_page' => count( $ids ),
				'page'     => 1,
				'dp'       => $params['dp'] ?? null,
			);
		} elseif ( ! empty( $request['modified_after'] ) ) {
			$params = array_merge(
				$params,
				array(
					'status'         => self::every_status(),
					'orderby'        => 'id',
					'order'          => 'asc',
					'modified_after' => $request['modified_after'],
					'dates_are_gmt'  => true,
				)
			);
		}
		$params   = array_filter( $params, static fn( $value ) => null !== $value );
		$response = self::listing( $params );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$orders = (array) $response->get_data();
		$response->set_data( self::with_refunds( $orders, $params ) );
		$headers = $response->get_headers();
		unset( $headers['Link'] ); // Its next/prev addresses point at wc/v3, not here.
		$response->set_headers( $headers );
		return $response;
	}

	/**
	 * Every status an order can be read in by id: wc/v3's `any` plus trash, without the wc- prefix.
	 *
	 * @return string[]
	 */
	private static function every_status(): array {
		return array_map(
			static fn( $status ) => 'wc-' === substr( $status, 0, 3 ) ? substr( $status, 3 ) : $status,
			Storelens_Connector_Census::order_statuses()
		);
	}

	/**
	 * WooCommerce's own orders listing with these parameters (validated and defaulted by its schema, but with a
	 * page size up to MAX_PER_REQUEST).
	 *
	 * @param array $params Listing parameters as wc/v3/orders takes them.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function listing( array $params ) {
		$controller = new WC_REST_Orders_Controller();
		$args       = $controller->get_collection_params();
		$args['per_page']['maximum'] = self::MAX_PER_REQUEST;
		$inner = new WP_REST_Request( 'GET', '/wc/v3/orders' );
		$inner->set_query_params( $params );
		$inner->set_attributes( array( 'args' => $args ) );
		$defaults = array();
		foreach ( $args as $name => $arg ) {
			if ( array_key_exists( 'default', $arg ) ) {
				$defaults[ $name ] = $arg['default'];
			}
		}
		$inner->set_default_params( $defaults );
		$valid = $inner->has_valid_params();
		if ( is_wp_error( $valid ) ) {
			return $valid;
		}
		$sanitized = $inner->sanitize_params();
		if ( is_wp_error( $sanitized ) ) {
			return $sanitized;
		}
		return rest_ensure_response( $controller->get_items( $inner ) );
	}

	/**
	 * The orders without `_links`, each with `storelens_refunds` (its refunds as wc/v3/refunds shows them).
	 *
	 * @param array $orders Orders as wc/v3 shows them.
	 * @param array $params The listing parameters (for `dp`).
	 * @return array
	 */
	private static function with_refunds( array $orders, array $params ): array {
		$parents = array();
		foreach ( $orders as $order ) {
			if ( ! empty( $order['refunds'] ) ) {
				$parents[] = (int) $order['id'];
			}
		}
		$by_parent = array();
		if ( $parents ) {
			$controller = new WC_REST_Refunds_Controller();
			$inner      = new WP_REST_Request( 'GET', '/wc/v3/refunds' );
			if ( isset( $params['dp'] ) ) {
				$inner->set_param( 'dp', $params['dp'] );
			}
			$refunds = wc_get_orders(
				array(
					'type'    => 'shop_order_refund',
					'post_parent__in' => $parents,
					'limit'   => -1,
					'orderby' => 'ID',
					'order'   => 'DESC',
				)
			);
			foreach ( $refunds as $refund ) {
				$data                                  = $controller->prepare_object_for_response( $refund, $inner );
				$data                                  = $controller->prepare_response_for_collection( $data );
				unset( $data['_links'] );
				$by_parent[ $refund->get_parent_id() ][] = $data;
			}
		}
		foreach ( $orders as &$order ) {
			unset( $order['_links'] );
			$order['storelens_refunds'] = $by_parent[ (int) $order['id'] ] ?? array();
		}
		return $orders;
	}
}
