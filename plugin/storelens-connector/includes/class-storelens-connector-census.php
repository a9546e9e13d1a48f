<?php
/**
 * GET storelens/v1/census?resource=orders|refunds|products|customers|coupons&after_id=&per_page=
 *
 * Every id of one resource with its date_modified_gmt, read straight from the tables (one indexed query per page,
 * no objects loaded), so Storelens's reconciliation compares its copy with the store in a few requests instead of
 * walking 100-row REST pages. Keyset-paged by id: `after_id` is the last id of the previous page; the answer's
 * `next_after_id` is null on the last page.
 *
 * Each resource lists what WooCommerce's own REST listing lists, so the census equals the REST data:
 * - orders: order statuses wc/v3's `status=any` covers (WooCommerce's statuses less those hidden from search, e.g.
 *   checkout-draft) plus trash; `status` as wc/v3 shows it (no wc- prefix). HPOS (wc_orders) or posts storage,
 *   whichever is authoritative.
 * - refunds: type shop_order_refund, with `parent_id`.
 * - products: post type product (any status but auto-draft) with `type` "product", and product_variation with
 *   `type` "variation" and `parent_id`, as /products and /products/<id>/variations list them.
 * - customers: users with the customer role (wc/v3/customers' default; `role=all` for every user), modified at
 *   WooCommerce's `last_update` user meta.
 * - coupons: post type shop_coupon, any status but auto-draft.
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

/**
 * The census route.
 */
class Storelens_Connector_Census {

	const RESOURCES   = array( 'orders', 'refunds', 'products', 'customers', 'coupons' );
	const MAX_PER_PAGE = 10000;

	/**
	 * The route's arguments.
	 *
	 * @return array
	 */
	public static function args(): array {
		return array(
			'resource' => array(
				'type'     => 'string',
				'enum'     => self::RESOURCES,
				'required' => true,
			),
			'after_id' => array(
				'type'    => 'integer',
				'minimum' => 0,
				'default' => 0,
			),
			'per_page' => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => self::MAX_PER_PAGE,
				'default' => 5000,
			),
			'role'     => array(
				'type'    => 'string',
				'default' => 'customer',
			),
		);
	}

	/**
	 * One page of the census: {resource, items: [{id, date_modified_gmt, …}], next_after_id}.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response
	 */
	public static function respond( $request ) {
		$resource = (string) $request['resource'];
		$after    = (int) $request['after_id'];
		$limit    = (int) $request['per_page'];
		switch ( $resource ) {
			case 'orders':
				$rows = self::orders( 'shop_order', $after, $limit );
				break;
			case 'refunds':
				$rows = self::orders( 'shop_order_refund', $after, $limit );
				break;
			case 'products':
				$rows = self::posts( array( 'product', 'product_variation' ), $after, $limit );
				break;
			case 'coupons':
				$rows = self::posts( array( 'shop_coupon' ), $after, $limit );
				break;
			default:
				$rows = self::customers( (string) $request['role'], $after, $limit );
		}
		$items = array_map( array( __CLASS__, 'shape' ), $rows );
		return rest_ensure_response(
			array(
				'resource'      => $resource,
				'items'         => $items,
				'next_after_id' => count( $items ) === $limit ? (int) end( $items )['id'] : null,
			)
		);
	}

	/**
	 * The statuses wc/v3's orders listing covers with status=any, plus trash (listed on its own by Storelens).
	 *
	 * @return string[] Stored statuses (wc-processing, …, trash).
	 */
	public static function order_statuses(): array {
		$hidden = get_post_stati( array( 'exclude_from_search' => true ) );
		$listed = array_diff( array_keys( wc_get_order_statuses() ), $hidden );
		$listed[] = 'trash';
		return array_values( $listed );
	}

	/**
	 * Orders or refunds, from the HPOS table when it is authoritative, else from posts.
	 *
	 * @param string $type  shop_order or shop_order_refund.
	 * @param int    $after Last id of the previous page.
	 * @param int    $limit Page size.
	 * @return array<int, array<string, mixed>>
	 */
	private static function orders( string $type, int $after, int $limit ): array {
		global $wpdb;
		$hpos     = \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled();
		$refunds  = 'shop_order_refund' === $type;
		$statuses = $refunds ? array() : self::order_statuses();
		$in       = $statuses ? implode( ',', array_fill( 0, count( $statuses ), '%s' ) ) : '';
		if ( $hpos ) {
			$table = $wpdb->prefix . 'wc_orders';
			$sql   = "SELECT id, date_updated_gmt AS modified, status, parent_order_id AS parent_id FROM {$table} WHERE type = %s AND id > %d"
				. ( $in ? " AND status IN ($in)" : '' ) . ' ORDER BY id ASC LIMIT %d';
		} else {
			$sql = "SELECT ID AS id, post_modified_gmt AS modified, post_status AS status, post_parent AS parent_id FROM {$wpdb->posts} WHERE post_type = %s AND ID > %d"
				. ( $in ? " AND post_status IN ($in)" : '' ) . ' ORDER BY ID ASC LIMIT %d';
		}
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- placeholders built above.
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, array_merge( array( $type, $after ), $statuses, array( $limit ) ) ), ARRAY_A );
		foreach ( $rows as &$row ) {
			if ( $refunds ) {
				unset( $row['status'] );
			} else {
				unset( $row['parent_id'] );
				$row['status'] = 'wc-' === substr( $row['status'], 0, 3 ) ? substr( $row['status'], 3 ) : $row['status'];
			}
		}
		return $rows;
	}

	/**
	 * Posts of these types (products with variations, or coupons), any status but auto-draft.
	 *
	 * @param string[] $types Post types.
	 * @param int      $after Last id of the previous page.
	 * @param int      $limit Page size.
	 * @return array<int, array<string, mixed>>
	 */
	private static function posts( array $types, int $after, int $limit ): array {
		global $wpdb;
		$in   = implode( ',', array_fill( 0, count( $types ), '%s' ) );
		$sql  = "SELECT ID AS id, post_modified_gmt AS modified, post_status AS status, post_type AS post_type, post_parent AS parent_id
			FROM {$wpdb->posts} WHERE post_type IN ($in) AND post_status NOT IN ('auto-draft', 'inherit') AND ID > %d ORDER BY ID ASC LIMIT %d";
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- placeholders built above.
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, array_merge( $types, array( $after, $limit ) ) ), ARRAY_A );
		foreach ( $rows as &$row ) {
			$variation = 'product_variation' === $row['post_type'];
			if ( in_array( 'product', $types, true ) ) {
				$row['type'] = $variation ? 'variation' : 'product';
			}
			if ( ! $variation ) {
				unset( $row['parent_id'] );
			}
			unset( $row['post_type'] );
		}
		return $rows;
	}

	/**
	 * Users with this role (or every user for "all"), modified at WooCommerce's last_update meta.
	 *
	 * @param string $role  A role slug or "all".
	 * @param int    $after Last id of the previous page.
	 * @param int    $limit Page size.
	 * @return array<int, array<string, mixed>>
	 */
	private static function customers( string $role, int $after, int $limit ): array {
		global $wpdb;
		$caps = $wpdb->get_blog_prefix() . 'capabilities';
		$sql  = "SELECT u.ID AS id, lu.meta_value AS last_update FROM {$wpdb->users} u
			INNER JOIN {$wpdb->usermeta} c ON c.user_id = u.ID AND c.meta_key = %s
			LEFT JOIN {$wpdb->usermeta} lu ON lu.user_id = u.ID AND lu.meta_key = 'last_update'
			WHERE u.ID > %d" . ( 'all' === $role ? '' : ' AND c.meta_value LIKE %s' ) . ' ORDER BY u.ID ASC LIMIT %d';
		$args = array( $caps, $after );
		if ( 'all' !== $role ) {
			$args[] = '%' . $wpdb->esc_like( '"' . $role . '"' ) . '%';
		}
		$args[] = $limit;
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- placeholders built above.
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, $args ), ARRAY_A );
		foreach ( $rows as &$row ) {
			$stamp           = (int) $row['last_update'];
			$row['modified'] = $stamp > 0 ? gmdate( 'Y-m-d H:i:s', $stamp ) : null;
			unset( $row['last_update'] );
		}
		return $rows;
	}

	/**
	 * One row as the census shows it: integer ids, date_modified_gmt as wc/v3 formats it (or null).
	 *
	 * @param array<string, mixed> $row A row from one of the queries.
	 * @return array<string, mixed>
	 */
	private static function shape( array $row ): array {
		$modified = $row['modified'] ?? null;
		unset( $row['modified'] );
		$row['id']                = (int) $row['id'];
		$row['date_modified_gmt'] = ( $modified && '0000-00-00 00:00:00' !== $modified ) ? str_replace( ' ', 'T', $modified ) : null;
		if ( isset( $row['parent_id'] ) ) {
			$row['parent_id'] = (int) $row['parent_id'];
		}
		return $row;
	}
}
