<?php
/**
 * The connection to Storelens: its address, the token and secret it handed over, and what it says about this store.
 *
 * Every request goes to the Storelens address the owner set (or that came in the zip), nowhere else:
 * the code exchange after Connect Store, the status poll (daily through WP-Cron and whenever the plugin's page
 * opens) and Disconnect.
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

/**
 * Options, the status poll and the server-to-server calls to Storelens.
 */
final class Storelens_Connector_Link {

	public const OPTION_URL    = 'storelens_connector_url';
	public const OPTION_STORE  = 'storelens_connector_store';
	public const OPTION_SECRET = 'storelens_connector_secret';
	public const OPTION_TOKEN  = 'storelens_connector_token';
	public const OPTION_STATUS = 'storelens_connector_status';
	public const POLL_HOOK     = 'storelens_connector_poll';
	public const CONFIG_FILE   = 'storelens-config.php';

	/** Every option the plugin writes (uninstall.php removes them). */
	public const OPTIONS = array(
		self::OPTION_URL,
		self::OPTION_STORE,
		self::OPTION_SECRET,
		self::OPTION_TOKEN,
		self::OPTION_STATUS,
	);

	/**
	 * Hooks: the daily poll.
	 */
	public static function init(): void {
		add_action( self::POLL_HOOK, array( self::class, 'poll' ) );
	}

	/**
	 * Activation: poll once a day (the first in an hour; the page polls whenever it opens).
	 */
	public static function activate(): void {
		if ( ! wp_next_scheduled( self::POLL_HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'daily', self::POLL_HOOK );
		}
	}

	/**
	 * Deactivation: no more polls. The connection itself stays, to be used again on reactivation.
	 */
	public static function deactivate(): void {
		wp_clear_scheduled_hook( self::POLL_HOOK );
	}

	/**
	 * The Storelens address: the one the owner saved, else the one in the zip's config file, else ''.
	 */
	public static function url(): string {
		$saved = (string) get_option( self::OPTION_URL, '' );
		return '' !== $saved ? $saved : self::configured_url();
	}

	/**
	 * The address of the Storelens the zip was downloaded from (storelens-config.php, written by Storelens).
	 */
	public static function configured_url(): string {
		$file = dirname( __DIR__ ) . '/' . self::CONFIG_FILE;
		if ( ! is_readable( $file ) ) {
			return '';
		}
		$config = include $file;
		return is_array( $config ) && isset( $config['url'] ) ? self::clean_url( (string) $config['url'] ) : '';
	}

	/**
	 * An address as typed: with https:// when no scheme was given, without a trailing slash; '' when not a web address.
	 *
	 * @param string $url What the owner typed.
	 */
	public static function clean_url( string $url ): string {
		$url = trim( $url );
		if ( '' === $url ) {
			return '';
		}
		if ( ! preg_match( '#^https?://#i', $url ) ) {
			$url = 'https://' . $url;
		}
		$url = esc_url_raw( $url, array( 'http', 'https' ) );
		$host = wp_parse_url( $url, PHP_URL_HOST );
		return ( '' === $url || empty( $host ) ) ? '' : untrailingslashit( $url );
	}

	/**
	 * Whether Storelens handed this store a token (Connect Store went through).
	 */
	public static function is_connected(): bool {
		return '' !== (string) get_option( self::OPTION_TOKEN, '' );
	}

	/**
	 * Where Connect Store sends the owner: Storelens's start page, with the way back to this page.
	 *
	 * @param string $state A one-time value the return must carry.
	 */
	public static function start_url( string $state ): string {
		return add_query_arg(
			array(
				'site'   => rawurlencode( home_url() ),
				'return' => rawurlencode( Storelens_Connector_Admin::page_url() ),
				'state'  => rawurlencode( $state ),
			),
			self::url() . '/connector/start/'
		);
	}

	/**
	 * The arguments of every request to Storelens.
	 *
	 * @param array<string, mixed> $extra More arguments for wp_remote_request().
	 * @return array<string, mixed>
	 */
	private static function request_args( array $extra = array() ): array {
		$headers = array(
			'Accept'                        => 'application/json',
			'X-Storelens-Connector-Version' => STORELENS_CONNECTOR_VERSION,
		);
		$token   = (string) get_option( self::OPTION_TOKEN, '' );
		if ( '' !== $token ) {
			$headers['Authorization'] = 'Bearer ' . $token;
		}
		return array_merge(
			array(
				'timeout'     => 15,
				'redirection' => 0,
				'headers'     => $headers,
			),
			$extra
		);
	}

	/**
	 * A request to Storelens: [HTTP status, decoded JSON body] or a WP_Error saying why it did not answer.
	 *
	 * @param string               $method GET or POST.
	 * @param string               $path   Path under the Storelens address, such as /connector/status/.
	 * @param array<string, mixed> $body   JSON body of a POST.
	 * @return array{0: int, 1: array<string, mixed>}|WP_Error
	 */
	private static function call( string $method, string $path, array $body = array() ) {
		$url = self::url();
		if ( '' === $url ) {
			return new WP_Error( 'storelens_no_url', __( 'Type your Storelens address first.', 'storelens-connector' ) );
		}
		$extra = array( 'method' => $method );
		if ( 'POST' === $method ) {
			$extra['body']                       = wp_json_encode( $body );
			$args                                = self::request_args( $extra );
			$args['headers']['Content-Type']     = 'application/json';
		} else {
			$args = self::request_args( $extra );
		}
		$response = wp_remote_request( $url . $path, $args );
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$decoded = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		return array( (int) wp_remote_retrieve_response_code( $response ), is_array( $decoded ) ? $decoded : array() );
	}

	/**
	 * After Approve: trade the one-time code for the token and secret, then learn the store's status.
	 *
	 * @param string $code The code Storelens put in the return address.
	 * @return true|WP_Error
	 */
	public static function exchange( string $code ) {
		$answer = self::call(
			'POST',
			'/connector/exchange/',
			array(
				'code'    => $code,
				'site'    => home_url(),
				'version' => STORELENS_CONNECTOR_VERSION,
			)
		);
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		[ $status, $body ] = $answer;
		if ( 200 !== $status || empty( $body['token'] ) || empty( $body['store'] ) ) {
			$message = isset( $body['message'] ) ? (string) $body['message'] : sprintf(
				/* translators: %d: HTTP status code */
				__( 'Storelens answered with an error (HTTP %d).', 'storelens-connector' ),
				$status
			);
			return new WP_Error( 'storelens_exchange', $message );
		}
		update_option( self::OPTION_URL, self::url() ); // the zip's address becomes the saved one.
		update_option( self::OPTION_STORE, sanitize_text_field( (string) $body['store'] ), false );
		update_option( self::OPTION_TOKEN, (string) $body['token'], false );
		update_option( self::OPTION_SECRET, (string) ( $body['secret'] ?? '' ), false );
		self::poll();
		return true;
	}

	/**
	 * Ask Storelens how the store is doing and keep the answer for the page and the admin notice.
	 *
	 * @return array<string, mixed> The status as kept.
	 */
	public static function poll(): array {
		if ( ! self::is_connected() ) {
			return array();
		}
		$answer = self::call( 'GET', '/connector/status/' );
		$kept   = self::status();
		if ( is_wp_error( $answer ) ) {
			$kept['error'] = $answer->get_error_message();
		} elseif ( 200 === $answer[0] || 410 === $answer[0] ) {
			$kept          = self::sanitize_status( $answer[1] );
			$kept['error'] = '';
		} else {
			$kept['error'] = sprintf(
				/* translators: %d: HTTP status code */
				__( 'Storelens answered with an error (HTTP %d).', 'storelens-connector' ),
				$answer[0]
			);
		}
		$kept['checked_at'] = time();
		update_option( self::OPTION_STATUS, $kept, false );
		return $kept;
	}

	/**
	 * Only the expected fields, as plain text (the store link as a URL).
	 *
	 * @param array<string, mixed> $body Storelens's answer.
	 * @return array<string, mixed>
	 */
	private static function sanitize_status( array $body ): array {
		$kept = array();
		foreach ( array( 'state', 'code', 'message', 'fix', 'action', 'status', 'status_label', 'store_name', 'last_sync' ) as $key ) {
			$kept[ $key ] = isset( $body[ $key ] ) && is_scalar( $body[ $key ] ) ? sanitize_text_field( (string) $body[ $key ] ) : '';
		}
		$kept['store_url'] = isset( $body['store_url'] ) ? esc_url_raw( (string) $body['store_url'] ) : '';
		$kept['orders']    = isset( $body['orders'] ) && is_numeric( $body['orders'] ) ? (int) $body['orders'] : null;
		return $kept;
	}

	/**
	 * The last status Storelens gave (empty before the first poll).
	 *
	 * @return array<string, mixed>
	 */
	public static function status(): array {
		$status = get_option( self::OPTION_STATUS, array() );
		return is_array( $status ) ? $status : array();
	}

	/**
	 * Disconnect: Storelens forgets the token, and so does the plugin (even when Storelens cannot be reached).
	 *
	 * @return true|WP_Error True, or why Storelens could not be told (the plugin is disconnected anyway).
	 */
	public static function disconnect() {
		$answer = self::is_connected() ? self::call( 'POST', '/connector/disconnect/' ) : array( 200, array() );
		foreach ( array( self::OPTION_STORE, self::OPTION_TOKEN, self::OPTION_SECRET, self::OPTION_STATUS ) as $option ) {
			delete_option( $option );
		}
		Storelens_Connector_Notices::unschedule_all(); // queued change notices: nobody is left to receive them.
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		return 200 === $answer[0] ? true : new WP_Error(
			'storelens_disconnect',
			/* translators: %d: HTTP status code */
			sprintf( __( 'Storelens answered with an error (HTTP %d).', 'storelens-connector' ), $answer[0] )
		);
	}
}
