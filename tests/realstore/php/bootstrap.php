<?php
/**
 * Loads the store's WordPress for a command-line script, the way a request to the store would, then runs the script.
 *
 * Usage: php bootstrap.php SCRIPT [ARGS...] with REALSTORE_WP_ROOT and REALSTORE_URL in the environment;
 * REALSTORE_INSTALLING=1 defines WP_INSTALLING (for wp_install before the tables exist).
 * SCRIPT sees its own arguments in $argv (SCRIPT is $argv[0]).
 */

$realstore_url = parse_url(getenv('REALSTORE_URL'));
$_SERVER['HTTP_HOST'] = $realstore_url['host'] . ':' . $realstore_url['port'];
$_SERVER['SERVER_NAME'] = $realstore_url['host'];
$_SERVER['SERVER_PORT'] = (string) $realstore_url['port'];
$_SERVER['HTTPS'] = 'on';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$argv = array_slice($argv, 1);
$argc = count($argv);
if (getenv('REALSTORE_INSTALLING')) {
    define('WP_INSTALLING', true);
}
// A fatal error must end the process with a failure status, not WordPress's "critical error" page and status 0.
define('WP_DISABLE_FATAL_ERROR_HANDLER', true);
require getenv('REALSTORE_WP_ROOT') . '/wp-load.php';
// Errors of the script itself also go to stderr, where the harness shows them.
ini_set('display_errors', 'stderr');
require $argv[0];
