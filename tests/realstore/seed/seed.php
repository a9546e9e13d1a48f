<?php
/**
 * Seeds a fresh WordPress + WooCommerce store with a realistic history through WooCommerce's own PHP API.
 *
 *   php seed.php <us|eu> [<wordpress dir>]
 *
 * Either include it with wp-load.php already loaded (profile in STORELENS_SEED_PROFILE or argv[1]), or run it alone
 * with the WordPress directory as the second argument (or STORELENS_WP_ROOT) and the site's host:port in
 * STORELENS_WP_HOST. Prints the summary as JSON and writes it to wp-content/uploads/storelens-seed.json.
 */

declare(strict_types=1);

$storelens_seed_started = microtime( true );
$storelens_seed_profile = defined( 'STORELENS_SEED_PROFILE' ) ? STORELENS_SEED_PROFILE : (string) ( $argv[1] ?? getenv( 'STORELENS_SEED_PROFILE' ) );
if ( ! defined( 'ABSPATH' ) ) {
	$storelens_seed_root = (string) ( $argv[2] ?? getenv( 'STORELENS_WP_ROOT' ) );
	if ( '' === $storelens_seed_root || ! is_file( "$storelens_seed_root/wp-load.php" ) ) {
		fwrite( STDERR, "usage: php seed.php <us|eu> <wordpress dir> (no wp-load.php under '$storelens_seed_root')\n" );
		exit( 2 );
	}
	$_SERVER['HTTP_HOST']   = $_SERVER['HTTP_HOST'] ?? ( getenv( 'STORELENS_WP_HOST' ) ?: '127.0.0.1' );
	$_SERVER['REQUEST_URI'] = $_SERVER['REQUEST_URI'] ?? '/';
	require $storelens_seed_root . '/wp-load.php';
}
foreach ( array( 'profiles', 'catalog', 'plan', 'plan_specials', 'plan_build', 'customers', 'orders', 'refunds', 'after', 'queue', 'db', 'summary', 'main' ) as $storelens_seed_file ) {
	require_once __DIR__ . "/$storelens_seed_file.php";
}
echo storelens_seed_write_summary( storelens_seed_main( $storelens_seed_profile, $storelens_seed_started ) ), "\n";
