<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fetches an order's tracking view from the ordertrack app.
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * Signed GET {app}/api/track/woocommerce/orders/{order_id}.
 *
 * Callers must have checked that the visitor may see the order: the app
 * trusts any correctly signed request from this store.
 */
final class Ordertrack_Client {

	/** Seconds a fetched view is reused, so a busy account page does not hammer the app. */
	const CACHE_TTL = 60;

	/**
	 * The tracking view for an order, decoded from the app's JSON.
	 *
	 * @param WC_Order $order Order the visitor is allowed to see.
	 * @return array|WP_Error
	 */
	public static function fetch( WC_Order $order ) {
		if ( ! Ordertrack_Settings::configured() ) {
			return new WP_Error( 'ordertrack_not_configured', __( 'Tracking is not set up yet.', 'ordertrack' ) );
		}
		$order_id  = (string) $order->get_id();
		$cache_key = 'ordertrack_view_' . $order_id;
		$cached    = get_transient( $cache_key );
		if ( is_array( $cached ) ) {
			return $cached;
		}

		$s        = Ordertrack_Settings::get();
		$url      = $s['app_url'] . '/api/track/woocommerce/orders/' . rawurlencode( $order_id );
		$headers  = Ordertrack_Signer::headers( $s['shop_key'], $s['shop_secret'], $order_id, time() );
		$response = wp_remote_get(
			$url,
			array(
				'timeout'     => 5,
				'redirection' => 0,
				'headers'     => array_merge( $headers, array( 'Accept' => 'application/json' ) ),
			)
		);
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$code = (int) wp_remote_retrieve_response_code( $response );
		if ( 404 === $code ) {
			return new WP_Error( 'ordertrack_not_found', __( 'No tracking information yet.', 'ordertrack' ) );
		}
		if ( 200 !== $code ) {
			return new WP_Error( 'ordertrack_http', __( 'Tracking is temporarily unavailable.', 'ordertrack' ), array( 'status' => $code ) );
		}
		$view = json_decode( wp_remote_retrieve_body( $response ), true );
		if ( ! is_array( $view ) ) {
			return new WP_Error( 'ordertrack_json', __( 'Tracking is temporarily unavailable.', 'ordertrack' ) );
		}
		set_transient( $cache_key, $view, self::CACHE_TTL );
		return $view;
	}
}
