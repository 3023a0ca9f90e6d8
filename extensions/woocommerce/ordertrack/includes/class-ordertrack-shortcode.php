<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * [ordertrack]: guest lookup by order number and billing email.
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * The lookup form. The store checks the email against the order itself, then
 * asks the app for that order with a signed request.
 */
final class Ordertrack_Shortcode {

	const NONCE_ACTION = 'ordertrack_lookup';
	const NONCE_FIELD  = 'ordertrack_nonce';
	/** Lookups allowed per visitor IP in LIMIT_WINDOW, to slow down guessing. */
	const LIMIT        = 10;
	const LIMIT_WINDOW = 600;

	/**
	 * Registers the shortcode.
	 */
	public static function init() {
		add_shortcode( 'ordertrack', array( __CLASS__, 'render' ) );
	}

	/**
	 * Shortcode output.
	 *
	 * @return string
	 */
	public static function render() {
		ob_start();
		$number = '';
		$email  = '';
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- verified below before any use.
		if ( isset( $_POST[ self::NONCE_FIELD ] ) ) {
			$number = isset( $_POST['ordertrack_order'] ) ? sanitize_text_field( wp_unslash( $_POST['ordertrack_order'] ) ) : '';
			$email  = isset( $_POST['ordertrack_email'] ) ? sanitize_email( wp_unslash( $_POST['ordertrack_email'] ) ) : '';
			self::lookup( sanitize_text_field( wp_unslash( $_POST[ self::NONCE_FIELD ] ) ), $number, $email );
		}
		self::form( $number, $email );
		return (string) ob_get_clean();
	}

	/**
	 * Prints the result of a lookup, or a notice that says nothing about
	 * whether the order exists.
	 *
	 * @param string $nonce  Submitted nonce.
	 * @param string $number Order number as the shopper typed it.
	 * @param string $email  Billing email.
	 */
	private static function lookup( string $nonce, string $number, string $email ) {
		if ( ! wp_verify_nonce( $nonce, self::NONCE_ACTION ) ) {
			echo '<p class="woocommerce-error">' . esc_html__( 'Please refresh the page and try again.', 'ordertrack' ) . '</p>';
			return;
		}
		if ( self::limited() ) {
			echo '<p class="woocommerce-error">' . esc_html__( 'Too many attempts. Please try again in a few minutes.', 'ordertrack' ) . '</p>';
			return;
		}
		$order = self::find( $number, $email );
		if ( ! $order ) {
			echo '<p class="woocommerce-error">' . esc_html__( 'Sorry, we could not find an order with that number and email.', 'ordertrack' ) . '</p>';
			return;
		}
		Ordertrack_Render::section( Ordertrack_Client::fetch( $order ) );
	}

	/**
	 * Finds the order when number and billing email both match.
	 *
	 * @param string $number Order number.
	 * @param string $email  Billing email.
	 * @return WC_Order|null
	 */
	private static function find( string $number, string $email ) {
		$number = ltrim( trim( $number ), '#' );
		if ( '' === $number || '' === $email ) {
			return null;
		}
		/**
		 * Maps a shopper-facing order number to an order id, for stores whose
		 * numbers are not ids (sequential-number plugins). Core's own tracking
		 * form uses the same filter.
		 */
		$order_id = apply_filters( 'woocommerce_shortcode_order_tracking_order_id', $number );
		$order    = wc_get_order( absint( $order_id ) );
		if ( ! $order instanceof WC_Order || (string) $order->get_order_number() !== $number ) {
			return null;
		}
		if ( ! hash_equals( strtolower( $order->get_billing_email() ), strtolower( $email ) ) ) {
			return null;
		}
		return $order;
	}

	/**
	 * Counts this lookup against the visitor's IP and reports whether the
	 * limit is exceeded.
	 */
	private static function limited(): bool {
		$ip  = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
		$key = 'ordertrack_rl_' . md5( $ip );
		$n   = (int) get_transient( $key );
		set_transient( $key, $n + 1, self::LIMIT_WINDOW );
		return $n >= self::LIMIT;
	}

	/**
	 * Prints the lookup form.
	 *
	 * @param string $number Previous order number.
	 * @param string $email  Previous email.
	 */
	private static function form( string $number, string $email ) {
		?>
		<form method="post" class="ordertrack-lookup woocommerce-form">
			<p class="form-row">
				<label for="ordertrack_order"><?php esc_html_e( 'Order number', 'ordertrack' ); ?></label>
				<input type="text" class="input-text" id="ordertrack_order" name="ordertrack_order" value="<?php echo esc_attr( $number ); ?>" required />
			</p>
			<p class="form-row">
				<label for="ordertrack_email"><?php esc_html_e( 'Billing email', 'ordertrack' ); ?></label>
				<input type="email" class="input-text" id="ordertrack_email" name="ordertrack_email" value="<?php echo esc_attr( $email ); ?>" required />
			</p>
			<?php wp_nonce_field( self::NONCE_ACTION, self::NONCE_FIELD ); ?>
			<p class="form-row"><button type="submit" class="button"><?php esc_html_e( 'Track', 'ordertrack' ); ?></button></p>
		</form>
		<?php
	}
}
