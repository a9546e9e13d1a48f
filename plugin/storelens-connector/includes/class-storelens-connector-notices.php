<?php
/**
 * Change notices: when an order, refund, product, coupon or customer changes, Storelens is told which one, so it
 * re-reads that object now instead of at its next poll.
 *
 * A notice is small and signed: the JSON body {resource, id, event, date_modified_gmt} with
 * X-Storelens-Signature = base64(HMAC-SHA256(body, storelens_connector_secret)), exactly as WooCommerce signs
 * X-WC-Webhook-Signature. It is a hint: Storelens re-reads the object through the REST API and never trusts the
 * body as data.
 *
 * Unlike WooCommerce's webhooks, delivery never gives up: each notice is an Action Scheduler action (group
 * "storelens"); a failed delivery (Storelens down, a timeout, a 5xx) schedules the same notice again with a backoff
 * of one minute doubling up to six hours, for as long as it takes. Only an answer that says retrying cannot help
 * (401: the secret no longer matches; 404/410: Storelens no longer has this store) drops the notice; the next change
 * still queues its own, and Storelens's reconciliation catches up whatever was dropped.
 *
 * Notices go only to the Storelens address the owner set (storelens_connector_url), through wp_safe_remote_post.
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

/**
 * Queues and delivers change notices.
 */
class Storelens_Connector_Notices {

	const HOOK        = 'storelens_connector_send_notice';
	const GROUP       = 'storelens';
	const FIRST_DELAY = 60;
	const MAX_DELAY   = 6 * HOUR_IN_SECONDS;
	const INTAKE_PATH = '/sync/hooks/connector/%s/';

	/**
	 * Notices of this request, by "resource:id": one per object however many hooks fire while it is saved; queued at
	 * shutdown.
	 *
	 * @var array<string, array<string, mixed>>
	 */
	private static $pending = array();

	/**
	 * Hooks the change events and the delivery action.
	 */
	public static function init(): void {
		add_action( self::HOOK, array( __CLASS__, 'deliver' ), 10, 2 );

		add_action( 'woocommerce_new_order', array( __CLASS__, 'order_created' ), 10, 2 );
		add_action( 'woocommerce_update_order', array( __CLASS__, 'order_updated' ), 10, 2 );
		add_action( 'woocommerce_trash_order', array( __CLASS__, 'order_trashed' ) );
		add_action( 'woocommerce_untrash_order', array( __CLASS__, 'order_restored' ) );
		add_action( 'woocommerce_delete_order', array( __CLASS__, 'order_deleted' ) );
		add_action( 'woocommerce_order_refunded', array( __CLASS__, 'order_refunded' ) );
		add_action( 'woocommerce_refund_deleted', array( __CLASS__, 'refund_deleted' ), 10, 2 );

		foreach ( array( 'product', 'product_variation', 'coupon' ) as $type ) {
			$resource = 'coupon' === $type ? 'coupon' : 'product';
			add_action( "woocommerce_new_{$type}", static fn( $id ) => self::note( $resource, (int) $id, 'created' ) );
			add_action( "woocommerce_update_{$type}", static fn( $id ) => self::note( $resource, (int) $id, 'updated' ) );
			add_action( "woocommerce_trash_{$type}", static fn( $id ) => self::note( $resource, (int) $id, 'trashed' ) );
			add_action( "woocommerce_delete_{$type}", static fn( $id ) => self::note( $resource, (int) $id, 'deleted' ) );
		}
		add_action( 'wp_trash_post', array( __CLASS__, 'post_trashed' ) );
		add_action( 'untrashed_post', array( __CLASS__, 'post_restored' ) );

		add_action( 'user_register', static fn( $id ) => self::customer( (int) $id, 'created' ) );
		add_action( 'profile_update', static fn( $id ) => self::customer( (int) $id, 'updated' ) );
		add_action( 'woocommerce_update_customer', static fn( $id ) => self::customer( (int) $id, 'updated' ) );
		add_action( 'delete_user', static fn( $id ) => self::note( 'customer', (int) $id, 'deleted' ) );

		add_action( 'shutdown', array( __CLASS__, 'queue_pending' ) );
	}

	/**
	 * A new order (not a refund: those come through order_refunded).
	 *
	 * @param int           $order_id Order id.
	 * @param WC_Order|null $order    The order, when WooCommerce passes it.
	 */
	public static function order_created( $order_id, $order = null ): void {
		self::order_event( (int) $order_id, $order, 'created' );
	}

	/**
	 * An order saved with changes.
	 *
	 * @param int           $order_id Order id.
	 * @param WC_Order|null $order    The order, when WooCommerce passes it.
	 */
	public static function order_updated( $order_id, $order = null ): void {
		self::order_event( (int) $order_id, $order, 'updated' );
	}

	/**
	 * An order moved to the trash.
	 *
	 * @param int $order_id Order id.
	 */
	public static function order_trashed( $order_id ): void {
		self::note( 'order', (int) $order_id, 'trashed' );
	}

	/**
	 * An order taken out of the trash.
	 *
	 * @param int $order_id Order id.
	 */
	public static function order_restored( $order_id ): void {
		self::note( 'order', (int) $order_id, 'restored' );
	}

	/**
	 * An order deleted for good.
	 *
	 * @param int $order_id Order id.
	 */
	public static function order_deleted( $order_id ): void {
		self::note( 'order', (int) $order_id, 'deleted' );
	}

	/**
	 * A refund created: the notice names the order (Storelens re-reads it with its refunds).
	 *
	 * @param int $order_id Order id.
	 */
	public static function order_refunded( $order_id ): void {
		self::note( 'order', (int) $order_id, 'refunded' );
	}

	/**
	 * A refund deleted: the notice names its order.
	 *
	 * @param int $refund_id Refund id.
	 * @param int $order_id  Order id.
	 */
	public static function refund_deleted( $refund_id, $order_id ): void {
		self::note( 'order', (int) $order_id, 'refunded' );
	}

	/**
	 * A product, variation or coupon post moved to the trash by WordPress itself.
	 *
	 * @param int $post_id Post id.
	 */
	public static function post_trashed( $post_id ): void {
		$resource = self::post_resource( (int) $post_id );
		if ( $resource ) {
			self::note( $resource, (int) $post_id, 'trashed' );
		}
	}

	/**
	 * A product, variation or coupon post taken out of the trash.
	 *
	 * @param int $post_id Post id.
	 */
	public static function post_restored( $post_id ): void {
		$resource = self::post_resource( (int) $post_id );
		if ( $resource ) {
			self::note( $resource, (int) $post_id, 'restored' );
		}
	}

	/**
	 * Which resource a post is for the notices ("product", "coupon"), or null.
	 *
	 * @param int $post_id Post id.
	 * @return string|null
	 */
	private static function post_resource( int $post_id ): ?string {
		$type = get_post_type( $post_id );
		if ( in_array( $type, array( 'product', 'product_variation' ), true ) ) {
			return 'product';
		}
		return 'shop_coupon' === $type ? 'coupon' : null;
	}

	/**
	 * A user created or updated: a notice when the user is a customer (the users wc/v3/customers lists).
	 *
	 * @param int    $user_id User id.
	 * @param string $event   created or updated.
	 */
	private static function customer( int $user_id, string $event ): void {
		$user = get_userdata( $user_id );
		if ( $user && in_array( 'customer', (array) $user->roles, true ) ) {
			self::note( 'customer', $user_id, $event );
		}
	}

	/**
	 * An order event, skipping refunds (WooCommerce fires some order hooks for them too).
	 *
	 * @param int           $order_id Order id.
	 * @param WC_Order|null $order    The order, when given.
	 * @param string        $event    The event.
	 */
	private static function order_event( int $order_id, $order, string $event ): void {
		if ( $order instanceof WC_Abstract_Order && 'shop_order' !== $order->get_type() ) {
			return;
		}
		self::note( 'order', $order_id, $event );
	}

	/**
	 * Remember a notice for this request (the last event for an object wins, except that "created" stays created).
	 *
	 * @param string $resource order, product, coupon or customer.
	 * @param int    $id       The object's id.
	 * @param string $event    What happened.
	 */
	public static function note( string $resource, int $id, string $event ): void {
		if ( $id <= 0 || ! self::connected() ) {
			return;
		}
		$key = $resource . ':' . $id;
		if ( isset( self::$pending[ $key ] ) && 'created' === self::$pending[ $key ]['event'] && 'updated' === $event ) {
			return;
		}
		self::$pending[ $key ] = array(
			'resource' => $resource,
			'id'       => $id,
			'event'    => $event,
		);
	}

	/**
	 * At the end of the request: one queued action per object changed.
	 */
	public static function queue_pending(): void {
		$pending       = self::$pending;
		self::$pending = array();
		if ( ! $pending || ! function_exists( 'as_enqueue_async_action' ) ) {
			return;
		}
		foreach ( $pending as $notice ) {
			$notice['date_modified_gmt'] = self::date_modified( $notice['resource'], $notice['id'] );
			$args                        = array( $notice, 0 );
			if ( ! as_has_scheduled_action( self::HOOK, $args, self::GROUP ) ) {
				as_enqueue_async_action( self::HOOK, $args, self::GROUP );
			}
		}
	}

	/**
	 * The object's modified date as wc/v3 shows it (GMT, Y-m-d\TH:i:s), or null when it is gone.
	 *
	 * @param string $resource The resource.
	 * @param int    $id       The id.
	 * @return string|null
	 */
	private static function date_modified( string $resource, int $id ): ?string {
		switch ( $resource ) {
			case 'order':
				$object = wc_get_order( $id );
				break;
			case 'product':
				$object = wc_get_product( $id );
				break;
			case 'coupon':
				$object = new WC_Coupon( $id );
				$object = $object->get_id() ? $object : null;
				break;
			default:
				$stamp = (int) get_user_meta( $id, 'last_update', true );
				return $stamp > 0 ? gmdate( 'Y-m-d\TH:i:s', $stamp ) : null;
		}
		$date = $object ? $object->get_date_modified() : null;
		return $date ? gmdate( 'Y-m-d\TH:i:s', $date->getTimestamp() ) : null;
	}

	/**
	 * Whether the plugin has what a notice needs: the Storelens address, the store's id there and the secret.
	 *
	 * @return bool
	 */
	public static function connected(): bool {
		return '' !== (string) get_option( 'storelens_connector_url', '' )
			&& '' !== (string) get_option( 'storelens_connector_store', '' )
			&& '' !== (string) get_option( 'storelens_connector_secret', '' );
	}

	/**
	 * Where notices go: the intake for this store under the owner's Storelens address.
	 *
	 * @return string
	 */
	public static function intake_url(): string {
		$base = untrailingslashit( (string) get_option( 'storelens_connector_url', '' ) );
		return $base . sprintf( self::INTAKE_PATH, rawurlencode( (string) get_option( 'storelens_connector_store', '' ) ) );
	}

	/**
	 * Drop every queued notice (for uninstall.php and Disconnect: nobody is left to tell).
	 */
	public static function unschedule_all(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK ); // By hook: every queued notice, whatever its arguments.
		}
	}

	/**
	 * The Action Scheduler callback: send one notice; on a failure worth retrying, queue it again later.
	 *
	 * @param array $notice  {resource, id, event, date_modified_gmt}.
	 * @param int   $attempt How many deliveries of this notice failed before.
	 */
	public static function deliver( $notice, $attempt = 0 ): void {
		if ( ! is_array( $notice ) || ! self::connected() ) {
			return; // Disconnected since it was queued: nobody to tell.
		}
		$attempt  = (int) $attempt;
		$body     = wp_json_encode( $notice );
		$secret   = (string) get_option( 'storelens_connector_secret', '' );
		$response = wp_safe_remote_post(
			self::intake_url(),
			array(
				'timeout'     => 15,
				'redirection' => 0,
				'headers'     => array(
					'Content-Type'                 => 'application/json',
					'X-Storelens-Signature'        => base64_encode( hash_hmac( 'sha256', $body, $secret, true ) ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
					'X-Storelens-Store'            => (string) get_option( 'storelens_connector_store', '' ),
					'X-Storelens-Connector-Version' => STORELENS_CONNECTOR_VERSION,
					'X-Storelens-Attempt'          => (string) ( $attempt + 1 ),
				),
				'body'        => $body,
			)
		);
		$status = is_wp_error( $response ) ? 0 : (int) wp_remote_retrieve_response_code( $response );
		if ( $status >= 200 && $status < 300 ) {
			return;
		}
		if ( in_array( $status, array( 401, 404, 410 ), true ) ) {
			return; // Retrying cannot help; reconciliation in Storelens catches up.
		}
		$delay = (int) min( self::MAX_DELAY, self::FIRST_DELAY * ( 2 ** min( $attempt, 20 ) ) );
		as_schedule_single_action( time() + $delay, self::HOOK, array( $notice, $attempt + 1 ), self::GROUP );
	}
}
