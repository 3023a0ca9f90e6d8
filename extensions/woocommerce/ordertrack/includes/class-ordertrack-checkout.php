<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Asks for consent to shipping updates at checkout, one box per channel
 * ("Text me shipping updates", "WhatsApp me shipping updates", and "Call me
 * when I must act" when calls are offered in the settings), and keeps what
 * the shopper ticked as proof in the order meta _ordertrack_consent:
 *
 *   array(
 *     'time'     => ISO 8601 UTC time the order was placed,
 *     'ip'       => the shopper's IP address,
 *     'locale'   => the site language the words were shown in,
 *     'channels' => array( array( 'channel' => 'sms', 'wording' => the words next to the box ), ... ),
 *   )
 *
 * The classic checkout shows the boxes under the billing fields. The block
 * checkout (the default for new stores since WooCommerce 8.3) runs none of
 * the classic hooks, so there, from WooCommerce 8.9, they are Additional
 * Checkout Fields in the "Order information" step, read back when the Store
 * API updates the order. Each path writes only the orders it places.
 *
 * The REST API (and so the order webhooks) carries it in meta_data;
 * ordertrack records each ticked box as a consent of the billing phone and
 * sends one confirmation text (a question to answer YES where the law asks
 * for a double opt-in).
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * Checkout consent boxes for the classic and the block checkout.
 */
final class Ordertrack_Checkout {

	const META_KEY = '_ordertrack_consent';
	const FIELD    = 'ordertrack_consent';

	/**
	 * Block checkout field ids are this namespace and the channel:
	 * ordertrack/sms, ordertrack/whatsapp, ordertrack/voice.
	 */
	const BLOCK_FIELD = 'ordertrack/';

	/**
	 * Hooks the boxes into both checkouts and the orders they create.
	 */
	public static function init() {
		add_action( 'woocommerce_after_checkout_billing_form', array( __CLASS__, 'render' ) );
		add_action( 'woocommerce_checkout_create_order', array( __CLASS__, 'save' ), 10, 2 );
		add_action( 'woocommerce_init', array( __CLASS__, 'register_block_fields' ) );
		add_action( 'woocommerce_store_api_checkout_update_order_from_request', array( __CLASS__, 'save_block' ), 10, 2 );
	}

	/**
	 * The boxes offered, by channel: the words shown next to each, naming
	 * the shop. These exact words are stored with the consent.
	 *
	 * @return array<string, string>
	 */
	public static function wordings(): array {
		$shop = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
		$out  = array(
			/* translators: %s: the shop's name. */
			'sms'      => sprintf( __( 'Text me shipping updates: %s may send shipping updates for this order by text message to my billing phone, at most a few per day. Message and data rates may apply. Reply STOP to stop, HELP for help.', 'ordertrack' ), $shop ),
			/* translators: %s: the shop's name. */
			'whatsapp' => sprintf( __( 'WhatsApp me shipping updates: %s may send shipping updates for this order by WhatsApp to my billing phone. Reply STOP to stop.', 'ordertrack' ), $shop ),
		);
		if ( Ordertrack_Settings::get()['checkout_voice'] ) {
			/* translators: %s: the shop's name. */
			$out['voice'] = sprintf( __( 'Call me when I must act (wrong address, new delivery day, cash on delivery): %s may call my billing phone about this order. I can withdraw this at any time by contacting the shop.', 'ordertrack' ), $shop );
		}
		return $out;
	}

	/**
	 * Prints the boxes, unticked: consent is never assumed.
	 */
	public static function render() {
		if ( ! Ordertrack_Settings::configured() ) {
			return;
		}
		echo '<fieldset class="ordertrack-consent"><legend>' . esc_html__( 'Shipping updates', 'ordertrack' ) . '</legend>';
		foreach ( self::wordings() as $channel => $wording ) {
			echo '<p class="form-row"><label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox">';
			echo '<input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" name="' . esc_attr( self::FIELD ) . '[]" value="' . esc_attr( $channel ) . '" /> ';
			echo '<span>' . esc_html( $wording ) . '</span></label></p>';
		}
		echo '</fieldset>';
	}

	/**
	 * Stores the ticked boxes on the order being created, with the words
	 * shown, the time and the IP.
	 *
	 * @param WC_Order $order The order being created.
	 * @param array    $data  Posted checkout data (unused: the boxes are not checkout fields).
	 */
	public static function save( $order, $data ) {
		unset( $data );
		// WooCommerce checked the checkout nonce before creating the order.
		// phpcs:ignore WordPress.Security.NonceVerification.Missing
		$posted = isset( $_POST[ self::FIELD ] ) ? array_map( 'sanitize_key', (array) wp_unslash( $_POST[ self::FIELD ] ) ) : array();
		$record = self::record( $posted );
		if ( null !== $record ) {
			$order->update_meta_data( self::META_KEY, $record );
		}
	}

	/**
	 * Registers one checkbox per offered channel on the block checkout,
	 * unticked, labelled with the words that are stored when it is ticked.
	 * The 'order' location keeps the value on the order alone: a 'contact'
	 * field is saved to the shopper's account and would come back ticked on
	 * their next order. Before WooCommerce 8.9 the function does not exist
	 * and only the classic checkout asks.
	 */
	public static function register_block_fields() {
		if ( ! function_exists( 'woocommerce_register_additional_checkout_field' ) || ! Ordertrack_Settings::configured() ) {
			return;
		}
		foreach ( self::wordings() as $channel => $wording ) {
			woocommerce_register_additional_checkout_field(
				array(
					'id'                => self::BLOCK_FIELD . $channel,
					'label'             => $wording,
					// Without it WooCommerce appends "(optional)" to the words agreed to.
					'optionalLabel'     => $wording,
					'location'          => 'order',
					'type'              => 'checkbox',
					'required'          => false,
					'sanitize_callback' => array( __CLASS__, 'ticked' ),
				)
			);
		}
	}

	/**
	 * Sanitizes a posted box: only an unambiguous yes is consent.
	 *
	 * @param mixed $value The posted value (a boolean from the checkout block).
	 */
	public static function ticked( $value ): bool {
		return true === $value || 1 === $value || '1' === $value || 'true' === $value;
	}

	/**
	 * Stores the ticked boxes of an order placed through the Store API (the
	 * block checkout). WooCommerce has just saved the fields on the order and
	 * saves the order right after this action. Orders the Store API did not
	 * create are the classic checkout's, and a request without the boxes (a
	 * later payment of the order) changes nothing; a retried checkout that
	 * unticks every box removes the earlier record.
	 *
	 * @param WC_Order        $order   The order being placed.
	 * @param WP_REST_Request $request The Store API checkout request.
	 */
	public static function save_block( $order, $request ) {
		$posted = $request['additional_fields'] ?? array();
		if ( 'store-api' !== $order->get_created_via() || ! is_array( $posted ) || ! class_exists( 'Automattic\WooCommerce\Blocks\Package' ) ) {
			return;
		}
		$fields = array(); // field id => channel, for the offered channels.
		foreach ( array_keys( self::wordings() ) as $channel ) {
			$fields[ self::BLOCK_FIELD . $channel ] = $channel;
		}
		if ( array() === array_intersect_key( $fields, $posted ) ) {
			return;
		}
		// Read back as WooCommerce stored them: sanitized and validated.
		$stored = Automattic\WooCommerce\Blocks\Package::container()->get( Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields::class );
		$ticked = array();
		foreach ( $fields as $id => $channel ) {
			if ( true === $stored->get_field_from_object( $id, $order, 'other' ) ) {
				$ticked[] = $channel;
			}
		}
		$record = self::record( $ticked );
		if ( null === $record ) {
			$order->delete_meta_data( self::META_KEY );
			return;
		}
		$order->update_meta_data( self::META_KEY, $record );
	}

	/**
	 * The meta value for the ticked channels of this request: its shopper's
	 * IP, now, the site language.
	 *
	 * @param array $ticked Ticked channels.
	 * @return array|null
	 */
	private static function record( array $ticked ) {
		return self::consent( $ticked, self::wordings(), class_exists( 'WC_Geolocation' ) ? WC_Geolocation::get_ip_address() : '', time(), get_locale() );
	}

	/**
	 * The meta value for the ticked channels; null when none was ticked.
	 * Only offered channels count, whatever was posted.
	 *
	 * @param array                 $posted   Ticked channels, as posted.
	 * @param array<string, string> $wordings Offered channels and their words.
	 * @param string                $ip       The shopper's IP.
	 * @param int                   $now      Unix time.
	 * @param string                $locale   Site language.
	 * @return array|null
	 */
	public static function consent( array $posted, array $wordings, string $ip, int $now, string $locale ) {
		$channels = array();
		foreach ( $wordings as $channel => $wording ) {
			if ( in_array( $channel, array_map( 'strval', $posted ), true ) ) {
				$channels[] = array(
					'channel' => $channel,
					'wording' => $wording,
				);
			}
		}
		if ( array() === $channels ) {
			return null;
		}
		return array(
			'time'     => gmdate( 'Y-m-d\TH:i:s\Z', $now ),
			'ip'       => $ip,
			'locale'   => $locale,
			'channels' => $channels,
		);
	}
}
