<?php
/**
 * Activates WooCommerce (its activation hook runs WC_Install::install: tables, pages, roles, HPOS on new installs).
 */
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$result = activate_plugin('woocommerce/woocommerce.php');
if (is_wp_error($result)) {
    fwrite(STDERR, $result->get_error_message() . "\n");
    exit(1);
}
echo 'ok';
