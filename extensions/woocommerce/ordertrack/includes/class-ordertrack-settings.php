<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Settings page: where the app lives and the shop's key and secret.
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce → ordertrack settings.
 */
final class Ordertrack_Settings {

	const OPTION     = 'ordertrack_settings';
	const GROUP      = 'ordertrack';
	const CAPABILITY = 'manage_woocommerce';
	const OPEN_ADMIN = 'ordertrack_open_admin';

	/**
	 * Hooks the page into the admin.
	 */
	public static function init() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ) );
		add_action( 'admin_init', array( __CLASS__, 'register' ) );
		add_action( 'admin_post_' . self::OPEN_ADMIN, array( __CLASS__, 'open_admin' ) );
		// options.php checks manage_options unless told otherwise; shop managers run the store.
		add_filter(
			'option_page_capability_' . self::GROUP,
			function () {
				return self::CAPABILITY;
			}
		);
	}

	/**
	 * Current settings with defaults.
	 *
	 * @return array{app_url: string, shop_key: string, shop_secret: string, checkout_voice: bool}
	 */
	public static function get(): array {
		$saved = get_option( self::OPTION, array() );
		$saved = is_array( $saved ) ? $saved : array();
		return array(
			'app_url'        => isset( $saved['app_url'] ) ? (string) $saved['app_url'] : '',
			'shop_key'       => isset( $saved['shop_key'] ) ? (string) $saved['shop_key'] : '',
			'shop_secret'    => isset( $saved['shop_secret'] ) ? (string) $saved['shop_secret'] : '',
			'checkout_voice' => ! empty( $saved['checkout_voice'] ),
		);
	}

	/**
	 * Whether the plugin can talk to the app.
	 */
	public static function configured(): bool {
		$s = self::get();
		return '' !== $s['app_url'] && '' !== $s['shop_key'] && '' !== $s['shop_secret'];
	}

	/**
	 * Adds the page under the WooCommerce menu.
	 */
	public static function add_page() {
		add_submenu_page(
			'woocommerce',
			esc_html__( 'ordertrack', 'ordertrack' ),
			esc_html__( 'ordertrack', 'ordertrack' ),
			self::CAPABILITY,
			'ordertrack',
			array( __CLASS__, 'render' )
		);
	}

	/**
	 * Registers the option with its sanitizer.
	 */
	public static function register() {
		register_setting(
			self::GROUP,
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( __CLASS__, 'sanitize' ),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * Cleans submitted settings. A blank secret keeps the saved one, so the
	 * secret never has to be printed back into the form.
	 *
	 * @param mixed $input Submitted values.
	 * @return array
	 */
	public static function sanitize( $input ): array {
		$current = self::get();
		$input   = is_array( $input ) ? $input : array();

		$url = isset( $input['app_url'] ) ? esc_url_raw( trim( (string) $input['app_url'] ), array( 'https', 'http' ) ) : '';
		if ( '' !== $url && 0 !== strpos( $url, 'https://' ) && ! self::is_local( $url ) ) {
			add_settings_error( self::OPTION, 'ordertrack_https', esc_html__( 'The ordertrack URL must use https.', 'ordertrack' ) );
			$url = $current['app_url'];
		}

		$secret = isset( $input['shop_secret'] ) ? trim( sanitize_text_field( (string) $input['shop_secret'] ) ) : '';
		return array(
			'app_url'        => untrailingslashit( $url ),
			'shop_key'       => isset( $input['shop_key'] ) ? trim( sanitize_text_field( (string) $input['shop_key'] ) ) : '',
			'shop_secret'    => '' === $secret ? $current['shop_secret'] : $secret,
			'checkout_voice' => ! empty( $input['checkout_voice'] ),
		);
	}

	/**
	 * Allows plain http only for a development app on this machine.
	 *
	 * @param string $url App URL.
	 */
	private static function is_local( string $url ): bool {
		$host = wp_parse_url( $url, PHP_URL_HOST );
		return in_array( $host, array( 'localhost', '127.0.0.1', '[::1]' ), true );
	}

	/**
	 * Signs the user in to the ordertrack admin: a link signed with the shop
	 * secret, made when the button is pressed so it is fresh, for users who
	 * may manage WooCommerce and only from this page (WordPress nonce).
	 */
	public static function open_admin() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You do not have permission to open the ordertrack admin.', 'ordertrack' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::OPEN_ADMIN );
		if ( ! self::configured() ) {
			wp_die( esc_html__( 'Enter the ordertrack URL, shop key and shop secret first.', 'ordertrack' ), '', array( 'response' => 400 ) );
		}
		$s = self::get();
		// The app is another host: wp_safe_redirect would refuse it.
		// phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		wp_redirect( Ordertrack_Signer::admin_link( $s['app_url'], $s['shop_key'], $s['shop_secret'], time(), bin2hex( random_bytes( 16 ) ) ) );
		exit;
	}

	/**
	 * Renders the settings form.
	 */
	public static function render() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You do not have permission to change these settings.', 'ordertrack' ), '', array( 'response' => 403 ) );
		}
		$s = self::get();
		?>
		<div class="wrap">
			<h1><?php esc_html_e( 'ordertrack', 'ordertrack' ); ?></h1>
			<p><?php esc_html_e( 'Copy these values from Settings → Companion plugin in the ordertrack admin. After a reconnect or a secret rotation, enter the new secret.', 'ordertrack' ); ?></p>
			<?php settings_errors( self::OPTION ); ?>
			<?php if ( self::configured() ) : ?>
				<p><a class="button button-primary" href="<?php echo esc_url( wp_nonce_url( admin_url( 'admin-post.php?action=' . self::OPEN_ADMIN ), self::OPEN_ADMIN ) ); ?>"><?php esc_html_e( 'Open ordertrack admin', 'ordertrack' ); ?></a></p>
			<?php endif; ?>
			<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
				<?php settings_fields( self::GROUP ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="ordertrack_app_url"><?php esc_html_e( 'ordertrack URL', 'ordertrack' ); ?></label></th>
						<td><input type="url" class="regular-text" id="ordertrack_app_url" name="<?php echo esc_attr( self::OPTION ); ?>[app_url]" value="<?php echo esc_attr( $s['app_url'] ); ?>" placeholder="https://track.example.com" /></td>
					</tr>
					<tr>
						<th scope="row"><label for="ordertrack_shop_key"><?php esc_html_e( 'Shop key', 'ordertrack' ); ?></label></th>
						<td><input type="text" class="regular-text" id="ordertrack_shop_key" name="<?php echo esc_attr( self::OPTION ); ?>[shop_key]" value="<?php echo esc_attr( $s['shop_key'] ); ?>" autocomplete="off" /></td>
					</tr>
					<tr>
						<th scope="row"><label for="ordertrack_shop_secret"><?php esc_html_e( 'Shop secret', 'ordertrack' ); ?></label></th>
						<td>
							<input type="password" class="regular-text" id="ordertrack_shop_secret" name="<?php echo esc_attr( self::OPTION ); ?>[shop_secret]" value="" autocomplete="new-password" placeholder="<?php echo esc_attr( '' === $s['shop_secret'] ? '' : __( '(saved; leave blank to keep)', 'ordertrack' ) ); ?>" />
						</td>
					</tr>
					<tr>
						<th scope="row"><?php esc_html_e( 'Calls', 'ordertrack' ); ?></th>
						<td><label><input type="checkbox" name="<?php echo esc_attr( self::OPTION ); ?>[checkout_voice]" value="1" <?php checked( $s['checkout_voice'] ); ?> /> <?php esc_html_e( 'Offer "Call me when I must act" at checkout (next to the text and WhatsApp boxes)', 'ordertrack' ); ?></label></td>
					</tr>
				</table>
				<?php submit_button(); ?>
			</form>
		</div>
		<?php
	}
}
