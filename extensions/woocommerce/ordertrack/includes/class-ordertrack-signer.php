<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Signs requests from the store to the ordertrack app.
 *
 * The app verifies the same constructions: order requests in
 * integrations/woocommerce/storefront.go (hex HMAC-SHA256 with the shop secret
 * over "<unix timestamp>.<order id>") and admin sign-in links in
 * integrations/woocommerce/adminlink.go (over
 * "admin-login.<shop key>.<unix timestamp>.<nonce>").
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * Request signing, free of WordPress calls so it can be tested on its own.
 */
final class Ordertrack_Signer {

	/**
	 * Signature of one order request.
	 *
	 * @param string $secret    Shop secret shown in the ordertrack admin.
	 * @param int    $timestamp Unix seconds.
	 * @param string $order_id  WooCommerce order id.
	 * @return string Lower-case hex HMAC-SHA256.
	 */
	public static function sign( string $secret, int $timestamp, string $order_id ): string {
		return hash_hmac( 'sha256', $timestamp . '.' . $order_id, $secret );
	}

	/**
	 * Headers that authenticate a request for one order.
	 *
	 * @param string $shop_key  Shop key shown in the ordertrack admin.
	 * @param string $secret    Shop secret.
	 * @param string $order_id  WooCommerce order id.
	 * @param int    $timestamp Unix seconds.
	 * @return array<string, string>
	 */
	public static function headers( string $shop_key, string $secret, string $order_id, int $timestamp ): array {
		return array(
			'X-Ordertrack-Shop'      => $shop_key,
			'X-Ordertrack-Timestamp' => (string) $timestamp,
			'X-Ordertrack-Signature' => self::sign( $secret, $timestamp, $order_id ),
		);
	}

	/**
	 * Single-use sign-in link to the ordertrack admin of this shop. The app
	 * accepts it within five minutes of $timestamp, once per nonce.
	 *
	 * @param string $app_url   ordertrack URL, without a trailing slash.
	 * @param string $shop_key  Shop key.
	 * @param string $secret    Shop secret.
	 * @param int    $timestamp Unix seconds.
	 * @param string $nonce     Random hex, at least 16 characters.
	 * @return string
	 */
	public static function admin_link( string $app_url, string $shop_key, string $secret, int $timestamp, string $nonce ): string {
		$signature = hash_hmac( 'sha256', 'admin-login.' . $shop_key . '.' . $timestamp . '.' . $nonce, $secret );
		return $app_url . '/admin/login/woocommerce?' . http_build_query(
			array(
				'shop'  => $shop_key,
				'ts'    => $timestamp,
				'nonce' => $nonce,
				'sig'   => $signature,
			),
			'',
			'&',
			PHP_QUERY_RFC3986
		);
	}
}
