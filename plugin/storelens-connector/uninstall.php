<?php
/**
 * Uninstall (Plugins → Delete): remove every option, scheduled poll and per-user setting the plugin made.
 *
 * @package StorelensConnector
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;

// Every option is named storelens_connector_…: the connection's (address, store, token, secret, status) and any the
// plugin's other parts add. Transients (connect state, messages) are removed with their timeouts.
$storelens_connector_names = $wpdb->get_col( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	$wpdb->prepare(
		"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
		$wpdb->esc_like( 'storelens_connector_' ) . '%',
		$wpdb->esc_like( '_transient_storelens_connector_' ) . '%',
		$wpdb->esc_like( '_transient_timeout_storelens_connector_' ) . '%'
	)
);
foreach ( $storelens_connector_names as $storelens_connector_name ) {
	delete_option( $storelens_connector_name );
}

wp_clear_scheduled_hook( 'storelens_connector_poll' );
delete_metadata( 'user', 0, 'storelens_connector_dismissed', '', true );

if ( function_exists( 'as_unschedule_all_actions' ) ) {
	as_unschedule_all_actions( 'storelens_connector_send_notice', null, 'storelens' ); // queued change notices
}
