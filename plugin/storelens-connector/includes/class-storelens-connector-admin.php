<?php
/**
 * WooCommerce → Storelens: the address, Connect Store / Reconnect Store / Disconnect, the status card, and the admin
 * notice on the dashboard and WooCommerce pages when the connection needs the owner.
 *
 * @package StorelensConnector
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's page, its form handlers (admin-post.php) and its admin notice.
 */
final class Storelens_Connector_Admin {

	public const SLUG       = 'storelens-connector';
	public const CAPABILITY = 'manage_woocommerce';
	private const DISMISSED = 'storelens_connector_dismissed';

	/**
	 * Hooks.
	 */
	public static function init(): void {
		add_action( 'admin_menu', array( self::class, 'menu' ), 60 );
		add_action( 'admin_notices', array( self::class, 'notice' ) );
		foreach ( array( 'connect', 'disconnect', 'dismiss' ) as $action ) {
			add_action( 'admin_post_storelens_connector_' . $action, array( self::class, 'handle_' . $action ) );
		}
	}

	/**
	 * This page's address in wp-admin.
	 */
	public static function page_url(): string {
		return admin_url( 'admin.php?page=' . self::SLUG );
	}

	/**
	 * The menu entry under WooCommerce; the return from Storelens and the poll run before the page is drawn.
	 */
	public static function menu(): void {
		$hook = add_submenu_page(
			'woocommerce',
			__( 'Storelens', 'storelens-connector' ),
			__( 'Storelens', 'storelens-connector' ),
			self::CAPABILITY,
			self::SLUG,
			array( self::class, 'render' )
		);
		if ( $hook ) {
			add_action( 'load-' . $hook, array( self::class, 'load' ) );
		}
	}

	/**
	 * Before the page: finish a connect (code or error from Storelens), else ask Storelens for the latest status.
	 */
	public static function load(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- the state value is the check (one-time, per user).
		if ( isset( $_GET['storelens_code'] ) || isset( $_GET['storelens_error'] ) ) {
			$state    = isset( $_GET['state'] ) ? sanitize_text_field( wp_unslash( $_GET['state'] ) ) : '';
			$expected = (string) get_transient( self::state_key() );
			delete_transient( self::state_key() );
			if ( '' === $expected || ! hash_equals( $expected, $state ) ) {
				self::flash( 'error', __( 'This link back from Storelens is not from your last Connect Store (or it was already used). Click Connect Store again.', 'storelens-connector' ) );
			} elseif ( isset( $_GET['storelens_error'] ) ) {
				self::flash( 'error', self::return_error( sanitize_key( wp_unslash( $_GET['storelens_error'] ) ) ) );
			} else {
				$done = Storelens_Connector_Link::exchange( sanitize_text_field( wp_unslash( $_GET['storelens_code'] ) ) );
				if ( is_wp_error( $done ) ) {
					/* translators: %s: why the connection failed */
					self::flash( 'error', sprintf( __( 'The store was not connected: %s', 'storelens-connector' ), $done->get_error_message() ) );
				} else {
					self::flash( 'success', __( 'Your store is connected to Storelens.', 'storelens-connector' ) );
				}
			}
			wp_safe_redirect( self::page_url() );
			exit;
		}
		// phpcs:enable
		Storelens_Connector_Link::poll();
	}

	/**
	 * Why the round trip came back without a code, in plain words.
	 *
	 * @param string $code Storelens's reason.
	 */
	private static function return_error( string $code ): string {
		if ( 'denied' === $code ) {
			return __( 'You chose Deny, so Storelens did not get access. Click Connect Store and then Approve to connect.', 'storelens-connector' );
		}
		return __( 'Your store did not manage to send Storelens its access key. Click Connect Store to try again; if it fails again, open Storelens and follow its advice for this store.', 'storelens-connector' );
	}

	/**
	 * The transient that holds the current user's connect state.
	 */
	private static function state_key(): string {
		return 'storelens_connector_state_' . get_current_user_id();
	}

	/**
	 * A message for the next page view of this user.
	 *
	 * @param string $type    success or error.
	 * @param string $message Plain text.
	 */
	private static function flash( string $type, string $message ): void {
		set_transient( 'storelens_connector_flash_' . get_current_user_id(), array( $type, $message ), 5 * MINUTE_IN_SECONDS );
	}

	/**
	 * Stop unless the user may manage WooCommerce and the form carries this action's nonce.
	 *
	 * @param string $action The form's action name.
	 */
	private static function guard( string $action ): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage this store’s connection to Storelens.', 'storelens-connector' ), 403 );
		}
		check_admin_referer( 'storelens_connector_' . $action );
	}

	/**
	 * Connect Store and Reconnect Store: save the address, then send the owner to Storelens's start page.
	 */
	public static function handle_connect(): void {
		self::guard( 'connect' );
		if ( isset( $_REQUEST['storelens_url'] ) ) {
			$url = Storelens_Connector_Link::clean_url( sanitize_text_field( wp_unslash( $_REQUEST['storelens_url'] ) ) );
			if ( '' === $url ) {
				self::flash( 'error', __( 'Type your Storelens address, such as https://storelens.example.com.', 'storelens-connector' ) );
				wp_safe_redirect( self::page_url() );
				exit;
			}
			update_option( Storelens_Connector_Link::OPTION_URL, $url );
		}
		if ( '' === Storelens_Connector_Link::url() ) {
			self::flash( 'error', __( 'Type your Storelens address first.', 'storelens-connector' ) );
			wp_safe_redirect( self::page_url() );
			exit;
		}
		$state = wp_generate_password( 32, false );
		set_transient( self::state_key(), $state, HOUR_IN_SECONDS );
		// The Storelens address is another site the owner chose, so wp_safe_redirect() would refuse it.
		wp_redirect( Storelens_Connector_Link::start_url( $state ) ); // phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		exit;
	}

	/**
	 * Disconnect: the token stops working in Storelens and is forgotten here.
	 */
	public static function handle_disconnect(): void {
		self::guard( 'disconnect' );
		$done = Storelens_Connector_Link::disconnect();
		if ( is_wp_error( $done ) ) {
			/* translators: %s: why Storelens could not be told */
			self::flash( 'error', sprintf( __( 'Disconnected here, but Storelens could not be told: %s', 'storelens-connector' ), $done->get_error_message() ) );
		} else {
			self::flash( 'success', __( 'Disconnected. Storelens no longer hears from this plugin. The access key Storelens uses to read your store stays until you revoke it in WooCommerce → Settings → Advanced → REST API, or remove the store in Storelens.', 'storelens-connector' ) );
		}
		wp_safe_redirect( self::page_url() );
		exit;
	}

	/**
	 * "Remind me tomorrow" on the admin notice: hide this reason for this user for a day.
	 */
	public static function handle_dismiss(): void {
		self::guard( 'dismiss' );
		$code      = isset( $_GET['code'] ) ? sanitize_key( wp_unslash( $_GET['code'] ) ) : '';
		$dismissed = get_user_meta( get_current_user_id(), self::DISMISSED, true );
		$dismissed = is_array( $dismissed ) ? $dismissed : array();
		$dismissed[ $code ] = time() + DAY_IN_SECONDS;
		update_user_meta( get_current_user_id(), self::DISMISSED, $dismissed );
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}

	/**
	 * The address of the nonce-protected Connect Store action (used by the notice's button).
	 */
	private static function connect_link(): string {
		return wp_nonce_url( admin_url( 'admin-post.php?action=storelens_connector_connect' ), 'storelens_connector_connect' );
	}

	/**
	 * Whether the status asks the owner to reconnect (the notice shows then).
	 *
	 * @param array<string, mixed> $status The kept status.
	 */
	private static function needs_reconnect( array $status ): bool {
		$state = $status['state'] ?? '';
		return 'removed' === $state || ( 'attention' === $state && 'reconnect' === ( $status['action'] ?? '' ) );
	}

	/**
	 * The admin notice, on the dashboard and WooCommerce's pages, when Storelens says a reconnect fixes the problem.
	 */
	public static function notice(): void {
		if ( ! current_user_can( self::CAPABILITY ) || ! Storelens_Connector_Link::is_connected() ) {
			return;
		}
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		$wc     = function_exists( 'wc_get_screen_ids' ) ? wc_get_screen_ids() : array();
		if ( ! $screen || ( 'dashboard' !== $screen->id && ! in_array( $screen->id, $wc, true ) ) || str_ends_with( $screen->id, self::SLUG ) ) {
			return;
		}
		$status = Storelens_Connector_Link::status();
		if ( ! self::needs_reconnect( $status ) ) {
			return;
		}
		$code      = sanitize_key( (string) ( $status['code'] ?? '' ) );
		$dismissed = get_user_meta( get_current_user_id(), self::DISMISSED, true );
		if ( is_array( $dismissed ) && isset( $dismissed[ $code ] ) && $dismissed[ $code ] > time() ) {
			return;
		}
		$dismiss = wp_nonce_url( admin_url( 'admin-post.php?action=storelens_connector_dismiss&code=' . $code ), 'storelens_connector_dismiss' );
		?>
		<div class="notice notice-error storelens-connector-notice" data-code="<?php echo esc_attr( $code ); ?>">
			<p><strong><?php esc_html_e( 'Storelens needs you to reconnect your store.', 'storelens-connector' ); ?></strong>
				<?php echo esc_html( (string) ( $status['message'] ?? '' ) ); ?></p>
			<p>
				<a class="button button-primary" href="<?php echo esc_url( self::connect_link() ); ?>"><?php esc_html_e( 'Reconnect Store', 'storelens-connector' ); ?></a>
				<a class="button-link" href="<?php echo esc_url( $dismiss ); ?>" style="margin-left:1em"><?php esc_html_e( 'Remind me tomorrow', 'storelens-connector' ); ?></a>
			</p>
		</div>
		<?php
	}

	/**
	 * The page.
	 */
	public static function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$flash = get_transient( 'storelens_connector_flash_' . get_current_user_id() );
		delete_transient( 'storelens_connector_flash_' . get_current_user_id() );
		?>
		<div class="wrap storelens-connector">
			<h1><?php esc_html_e( 'Storelens', 'storelens-connector' ); ?></h1>
			<p><?php esc_html_e( 'Storelens keeps an exact copy of your orders, refunds and customers and turns them into reports. Connect this store once; this page then shows how the connection is doing.', 'storelens-connector' ); ?></p>
			<?php if ( is_array( $flash ) && 2 === count( $flash ) ) : ?>
				<div class="notice notice-<?php echo 'success' === $flash[0] ? 'success' : 'error'; ?> inline storelens-connector-message"><p><?php echo esc_html( (string) $flash[1] ); ?></p></div>
			<?php endif; ?>
			<?php
			if ( Storelens_Connector_Link::is_connected() ) {
				self::render_status();
			} else {
				self::render_connect();
			}
			?>
		</div>
		<?php
	}

	/**
	 * Not connected: the address and Connect Store.
	 */
	private static function render_connect(): void {
		$url = Storelens_Connector_Link::url();
		?>
		<div class="card storelens-connector-card" id="storelens-connect">
			<h2><?php esc_html_e( 'Connect your store', 'storelens-connector' ); ?></h2>
			<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
				<input type="hidden" name="action" value="storelens_connector_connect">
				<?php wp_nonce_field( 'storelens_connector_connect' ); ?>
				<p>
					<label for="storelens-url"><strong><?php esc_html_e( 'Storelens address', 'storelens-connector' ); ?></strong></label><br>
					<input type="url" class="regular-text" id="storelens-url" name="storelens_url" value="<?php echo esc_attr( $url ); ?>" placeholder="https://storelens.example.com" required>
				</p>
				<p class="description"><?php esc_html_e( 'The address you open Storelens at. After you click Connect Store, sign in to Storelens if asked, then approve Storelens on your store’s screen; you come back here when it is done.', 'storelens-connector' ); ?></p>
				<p><button type="submit" class="button button-primary"><?php esc_html_e( 'Connect Store', 'storelens-connector' ); ?></button></p>
			</form>
		</div>
		<?php
	}

	/**
	 * Connected: what Storelens says, Reconnect Store and Disconnect.
	 */
	private static function render_status(): void {
		$status = Storelens_Connector_Link::status();
		$state  = (string) ( $status['state'] ?? '' );
		$titles = array(
			'connected'  => __( 'Connected', 'storelens-connector' ),
			'connecting' => __( 'Connecting…', 'storelens-connector' ),
			'attention'  => __( 'Needs attention', 'storelens-connector' ),
			'removed'    => __( 'Needs attention', 'storelens-connector' ),
		);
		$title  = $titles[ $state ] ?? __( 'Status unknown', 'storelens-connector' );
		$good   = in_array( $state, array( 'connected', 'connecting' ), true );
		?>
		<div class="card storelens-connector-card" id="storelens-status" data-state="<?php echo esc_attr( $state ); ?>">
			<h2 style="color:<?php echo $good ? '#00a32a' : '#d63638'; ?>"><?php echo esc_html( $title ); ?></h2>
			<?php if ( 'connecting' === $state ) : ?>
				<p><?php esc_html_e( 'Storelens received the access key and is checking it with your store. Reload this page in a minute.', 'storelens-connector' ); ?></p>
			<?php endif; ?>
			<?php if ( 'connected' === $state && 'importing' === ( $status['status'] ?? '' ) ) : ?>
				<p><?php esc_html_e( 'Storelens is copying your store’s history; the orders copied go up as it works.', 'storelens-connector' ); ?></p>
			<?php endif; ?>
			<?php if ( ! empty( $status['message'] ) ) : ?>
				<p class="storelens-reason"><?php echo esc_html( (string) $status['message'] ); ?></p>
			<?php endif; ?>
			<?php if ( ! empty( $status['fix'] ) && ! $good ) : ?>
				<p><strong><?php esc_html_e( 'What to do:', 'storelens-connector' ); ?></strong> <?php echo esc_html( (string) $status['fix'] ); ?></p>
			<?php endif; ?>
			<?php if ( ! empty( $status['error'] ) ) : ?>
				<p class="storelens-unreachable">
					<?php
					/* translators: 1: the Storelens address, 2: the error */
					echo esc_html( sprintf( __( 'Storelens at %1$s did not answer just now (%2$s). What is shown is from the last time it did.', 'storelens-connector' ), Storelens_Connector_Link::url(), (string) $status['error'] ) );
					?>
				</p>
			<?php endif; ?>
			<table class="widefat striped" style="max-width:40em">
				<tbody>
				<tr><th scope="row"><?php esc_html_e( 'Storelens address', 'storelens-connector' ); ?></th><td><?php echo esc_html( Storelens_Connector_Link::url() ); ?></td></tr>
				<?php if ( 'removed' !== $state ) : ?>
					<tr><th scope="row"><?php esc_html_e( 'Last sync', 'storelens-connector' ); ?></th><td><?php echo esc_html( self::when( (string) ( $status['last_sync'] ?? '' ) ) ); ?></td></tr>
					<tr><th scope="row"><?php esc_html_e( 'Orders copied', 'storelens-connector' ); ?></th><td><?php echo esc_html( isset( $status['orders'] ) ? number_format_i18n( (int) $status['orders'] ) : '—' ); ?></td></tr>
				<?php endif; ?>
				</tbody>
			</table>
			<p>
				<?php if ( ! empty( $status['store_url'] ) && 'removed' !== $state ) : ?>
					<a class="button" href="<?php echo esc_url( (string) $status['store_url'] ); ?>" target="_blank" rel="noopener"><?php esc_html_e( 'Open this store in Storelens', 'storelens-connector' ); ?></a>
				<?php endif; ?>
			</p>
			<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" style="display:inline-block;margin-right:1em">
				<input type="hidden" name="action" value="storelens_connector_connect">
				<?php wp_nonce_field( 'storelens_connector_connect' ); ?>
				<button type="submit" class="button <?php echo $good ? '' : 'button-primary'; ?>"><?php esc_html_e( 'Reconnect Store', 'storelens-connector' ); ?></button>
			</form>
			<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" style="display:inline-block">
				<input type="hidden" name="action" value="storelens_connector_disconnect">
				<?php wp_nonce_field( 'storelens_connector_disconnect' ); ?>
				<button type="submit" class="button button-link-delete"><?php esc_html_e( 'Disconnect', 'storelens-connector' ); ?></button>
			</form>
			<p class="description"><?php esc_html_e( 'Reconnect Store asks you to approve Storelens again and gives it a new access key; your reports stay. Disconnect stops this plugin talking to Storelens.', 'storelens-connector' ); ?></p>
		</div>
		<?php
	}

	/**
	 * "5 minutes ago" for an ISO 8601 time, "never" without one.
	 *
	 * @param string $iso The time Storelens sent.
	 */
	private static function when( string $iso ): string {
		$time = '' !== $iso ? strtotime( $iso ) : false;
		if ( false === $time ) {
			return __( 'never', 'storelens-connector' );
		}
		/* translators: %s: a duration such as "5 mins" */
		return sprintf( __( '%s ago', 'storelens-connector' ), human_time_diff( $time ) );
	}
}
