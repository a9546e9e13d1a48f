<?php
/**
 * Plugin Name:          Storelens Connector
 * Plugin URI:           https://github.com/storelens/storelens
 * Description:          Connects this WooCommerce store to Storelens from wp-admin, warns when the connection needs attention, and serves Storelens a faster, exact copy of the store's data.
 * Version:              0.1.0
 * Author:               Storelens
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Requires PHP:         8.1
 * Requires at least:    6.5
 * Requires Plugins:     woocommerce
 * WC requires at least: 8.0
 * Text Domain:          storelens-connector
 * Domain Path:          /languages
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

define( 'STORELENS_CONNECTOR_VERSION', '0.1.0' );
define( 'STORELENS_CONNECTOR_FILE', __FILE__ );

// The plugin works with WooCommerce's order tables (HPOS) as well as with posts storage.
add_action(
	'before_woocommerce_init',
	static function (): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
		}
	}
);

require_once __DIR__ . '/includes/class-storelens-connector-rest.php';
require_once __DIR__ . '/includes/class-storelens-connector-notices.php';
require_once __DIR__ . '/includes/class-storelens-connector-link.php';
require_once __DIR__ . '/includes/class-storelens-connector-admin.php';

Storelens_Connector_REST::init();
Storelens_Connector_Notices::init();
Storelens_Connector_Link::init();
Storelens_Connector_Admin::init();

register_activation_hook( __FILE__, array( 'Storelens_Connector_Link', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'Storelens_Connector_Link', 'deactivate' ) );
