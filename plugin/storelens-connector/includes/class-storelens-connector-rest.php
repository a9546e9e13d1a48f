<?php
/**
 * What the plugin serves to Storelens: REST routes under storelens/v1, read with the WooCommerce REST key Storelens
 * already holds.
 *
 * WooCommerce authenticates its keys only on requests to wp-json/wc/… (or wc-…); the filter below extends that to
 * this namespace, so the key is checked, its read/write permission enforced and its user set exactly as for
 * wc/v3. Every route then asks the same capability as WooCommerce's own settings routes (manage_woocommerce):
 * without a key the answer is 401, with a key of a user who cannot manage WooCommerce it is 403.
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/class-storelens-connector-census.php';
require_once __DIR__ . '/class-storelens-connector-orders.php';

/**
 * Registers the storelens/v1 routes and answers /settings.
 */
class Storelens_Connector_REST {

	const NAMESPACE = 'storelens/v1';

	/**
	 * Active plugins (by folder or file slug) known to break the connection: page caches that answer REST requests
	 * from the cache, firewalls that refuse or strip the key, redirects that drop the Authorization header.
	 */
	const RISKY_PLUGINS = array(
		'wordfence'                   => 'security',
		'better-wp-security'          => 'security',
		'ithemes-security-pro'        => 'security',
		'solid-security'              => 'security',
		'all-in-one-wp-security-and-firewall' => 'security',
		'sucuri-scanner'              => 'security',
		'wp-cerber'                   => 'security',
		'ninjafirewall'               => 'security',
		'really-simple-ssl'           => 'security',
		'disable-json-api'            => 'security',
		'disable-wp-rest-api'         => 'security',
		'w3-total-cache'              => 'caching',
		'wp-rocket'                   => 'caching',
		'litespeed-cache'             => 'caching',
		'wp-super-cache'              => 'caching',
		'wp-fastest-cache'            => 'caching',
		'sg-cachepress'               => 'caching',
		'breeze'                      => 'caching',
		'cloudflare'                  => 'caching',
		'hummingbird-performance'     => 'caching',
		'autoptimize'                 => 'caching',
	);

	/**
	 * Hooks the route registration and WooCommerce's key authentication for this namespace.
	 */
	public static function init(): void {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
		add_filter( 'woocommerce_rest_is_request_to_rest_api', array( __CLASS__, 'authenticate_our_routes' ) );
	}

	/**
	 * Lets WooCommerce's REST authentication (Basic, query keys, OAuth 1.0a) run on storelens/v1 requests, with
	 * pretty permalinks (/wp-json/storelens/v1/…) and plain ones (?rest_route=/storelens/v1/…).
	 *
	 * @param bool $is_rest_api_request Whether WooCommerce already treats the request as one of its own.
	 * @return bool
	 */
	public static function authenticate_our_routes( $is_rest_api_request ) {
		if ( $is_rest_api_request || empty( $_SERVER['REQUEST_URI'] ) ) {
			return $is_rest_api_request;
		}
		$uri = rawurldecode( wp_unslash( $_SERVER['REQUEST_URI'] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
		return false !== strpos( $uri, trailingslashit( rest_get_url_prefix() ) . self::NAMESPACE . '/' )
			|| false !== strpos( $uri, 'rest_route=/' . self::NAMESPACE . '/' );
	}

	/**
	 * The routes: settings, census, orders.
	 */
	public static function register_routes(): void {
		$permission = array( __CLASS__, 'can_read' );
		register_rest_route(
			self::NAMESPACE,
			'/settings',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( __CLASS__, 'settings' ),
				'permission_callback' => $permission,
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/census',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( 'Storelens_Connector_Census', 'respond' ),
				'permission_callback' => $permission,
				'args'                => Storelens_Connector_Census::args(),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/orders',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( 'Storelens_Connector_Orders', 'respond' ),
				'permission_callback' => $permission,
				'args'                => Storelens_Connector_Orders::args(),
			)
		);
	}

	/**
	 * Read permission: a user who can manage WooCommerce, as WooCommerce's settings routes ask.
	 *
	 * @return true|WP_Error
	 */
	public static function can_read() {
		if ( function_exists( 'wc_rest_check_manager_permissions' ) && wc_rest_check_manager_permissions( 'settings', 'read' ) ) {
			return true;
		}
		return new WP_Error(
			'storelens_rest_cannot_view',
			__( 'Sorry, you cannot read this store\'s data for Storelens: use a WooCommerce REST key of a shop manager or administrator.', 'storelens-connector' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * GET /settings: the store's reporting settings and facts Storelens and its doctor need.
	 *
	 * WooCommerce Analytics' own options are read here directly: wc-admin/options refuses options off its allow-list
	 * on a store whose environment type is not production.
	 *
	 * @return WP_REST_Response
	 */
	public static function settings() {
		global $wp_version;
		$actionable_default = array( 'processing', 'on-hold' );
		$excluded_default   = array( 'pending', 'failed', 'cancelled' );
		$permalinks         = (string) get_option( 'permalink_structure', '' );
		$hpos               = class_exists( \Automattic\WooCommerce\Utilities\OrderUtil::class )
			&& \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled();
		return rest_ensure_response(
			array(
				'date_type'           => (string) get_option( 'woocommerce_date_type', 'date_paid' ),
				'excluded_statuses'   => array_values( (array) get_option( 'woocommerce_excluded_report_order_statuses', $excluded_default ) ),
				'actionable_statuses' => array_values( (array) get_option( 'woocommerce_actionable_order_statuses', $actionable_default ) ),
				'timezone'            => wp_timezone_string(),
				'currency'            => function_exists( 'get_woocommerce_currency' ) ? get_woocommerce_currency() : '',
				'prices_include_tax'  => function_exists( 'wc_prices_include_tax' ) && wc_prices_include_tax(),
				'wc_version'          => defined( 'WC_VERSION' ) ? WC_VERSION : null,
				'wp_version'          => $wp_version,
				'php_version'         => PHP_VERSION,
				'plugin_version'      => STORELENS_CONNECTOR_VERSION,
				'hpos'                => $hpos,
				'permalinks'          => '' === $permalinks ? 'plain' : $permalinks,
				'environment_type'    => wp_get_environment_type(),
				'risky_plugins'       => self::risky_plugins(),
				// Options never saved: WooCommerce's default (given above) applies to them.
				'unset'               => array_keys(
					array_filter(
						array( 'date_type' => 'woocommerce_date_type', 'excluded_statuses' => 'woocommerce_excluded_report_order_statuses', 'actionable_statuses' => 'woocommerce_actionable_order_statuses' ),
						static fn( $option ) => false === get_option( $option ),
					)
				),
			)
		);
	}

	/**
	 * The active plugins of RISKY_PLUGINS: slug, name, version and kind ("caching" or "security").
	 *
	 * @return array<int, array<string, string>>
	 */
	public static function risky_plugins(): array {
		$active = (array) get_option( 'active_plugins', array() );
		if ( is_multisite() ) {
			$active = array_merge( $active, array_keys( (array) get_site_option( 'active_sitewide_plugins', array() ) ) );
		}
		$found = array();
		foreach ( $active as $file ) {
			$slug = strtok( (string) $file, '/' );
			$slug = preg_replace( '/\.php$/', '', (string) $slug );
			if ( ! isset( self::RISKY_PLUGINS[ $slug ] ) ) {
				continue;
			}
			$path    = WP_PLUGIN_DIR . '/' . $file;
			$headers = is_readable( $path ) ? get_file_data( $path, array( 'Name' => 'Plugin Name', 'Version' => 'Version' ) ) : array();
			$found[] = array(
				'slug'    => $slug,
				'name'    => ! empty( $headers['Name'] ) ? $headers['Name'] : $slug,
				'version' => $headers['Version'] ?? '',
				'kind'    => self::RISKY_PLUGINS[ $slug ],
			);
		}
		return $found;
	}
}
