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
 * The REST API (and so the order webhooks) carries it in meta_data;
 * ordertrack records each ticked box as a consent of the billing phone and
 * sends one confirmation text (a question to answer YES where the law asks
 * for a double opt-in).
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * Checkout consent boxes for the classic checkout.
 */
final class Ordertrack_Checkout {

	const META_KEY = '_ordertrack_consent';
	const FIELD    = 'ordertrack_consent';

	/**
	 * Hooks the boxes under the billing fields and the order's creation.
	 */
	public static function init() {
		add_action( 'woocommerce_after_checkout_billing_form', array( __CLASS__, 'render' ) );
		add_action( 'woocommerce_checkout_create_order', array( __CLASS__, 'save' ), 10, 2 );
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
		$record = self::consent( $posted, self::wordings(), class_exists( 'WC_Geolocation' ) ? WC_Geolocation::get_ip_address() : '', time(), get_locale() );
		if ( null !== $record ) {
			$order->update_meta_data( self::META_KEY, $record );
		}
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
