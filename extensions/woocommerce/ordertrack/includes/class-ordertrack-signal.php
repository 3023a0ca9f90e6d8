<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Tells ordertrack when an order's tracking numbers change.
 *
 * Shipment Tracking saves with $order->save(), which already fires
 * order.updated; Advanced Shipment Tracking saves only the meta, which on
 * posts storage fires no order webhook. This fires
 * do_action( 'wc_ordertrack_tracking_updated', $order_id ) on every change to
 * _wc_shipment_tracking_items, so a webhook with topic
 * action.wc_ordertrack_tracking_updated delivers {"action":..., "arg": order id}.
 * WooCommerce only accepts custom action topics starting with wc_ or
 * woocommerce_, hence the name.
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * Tracking meta change detection for posts and HPOS order storage.
 */
final class Ordertrack_Signal {

	const ACTION   = 'wc_ordertrack_tracking_updated';
	const META_KEY = '_wc_shipment_tracking_items';
	/** Remembered fingerprint of each order's tracking, to fire only on change. */
	const FINGERPRINT_TTL = 90 * DAY_IN_SECONDS;

	/**
	 * Fingerprints already handled in this request, by order id.
	 *
	 * @var array<int, string>
	 */
	private static $seen = array();

	/**
	 * Hooks meta writes (posts storage) and order saves (HPOS, where meta is
	 * written through the order data store and the order is saved after it).
	 */
	public static function init() {
		add_action( 'added_post_meta', array( __CLASS__, 'post_meta_changed' ), 10, 4 );
		add_action( 'updated_post_meta', array( __CLASS__, 'post_meta_changed' ), 10, 4 );
		add_action( 'deleted_post_meta', array( __CLASS__, 'post_meta_deleted' ), 10, 3 );
		add_action( 'woocommerce_new_order', array( __CLASS__, 'order_saved' ), 20, 2 );
		add_action( 'woocommerce_update_order', array( __CLASS__, 'order_saved' ), 20, 2 );
	}

	/**
	 * Posts storage: tracking meta added or updated.
	 *
	 * @param int    $meta_id    Meta row id.
	 * @param int    $object_id  Post id.
	 * @param string $meta_key   Meta key.
	 * @param mixed  $meta_value New value.
	 */
	public static function post_meta_changed( $meta_id, $object_id, $meta_key, $meta_value ) {
		if ( self::META_KEY !== $meta_key || ! self::is_order_post( (int) $object_id ) ) {
			return;
		}
		self::changed( (int) $object_id, $meta_value );
	}

	/**
	 * Posts storage: tracking meta deleted.
	 *
	 * @param array  $meta_ids  Deleted meta row ids.
	 * @param int    $object_id Post id.
	 * @param string $meta_key  Meta key.
	 */
	public static function post_meta_deleted( $meta_ids, $object_id, $meta_key ) {
		if ( self::META_KEY !== $meta_key || ! self::is_order_post( (int) $object_id ) ) {
			return;
		}
		self::changed( (int) $object_id, array() );
	}

	/**
	 * Any storage: an order was created or saved; compare its tracking.
	 *
	 * @param int           $order_id Order id.
	 * @param WC_Order|null $order    Order, when WooCommerce passes it.
	 */
	public static function order_saved( $order_id, $order = null ) {
		if ( ! $order instanceof WC_Order ) {
			$order = wc_get_order( $order_id );
		}
		if ( ! $order instanceof WC_Order ) {
			return;
		}
		self::changed( $order->get_id(), $order->get_meta( self::META_KEY, true ) );
	}

	/**
	 * Whether a post id is an order (or HPOS's placeholder post for one).
	 *
	 * @param int $post_id Post id.
	 */
	private static function is_order_post( int $post_id ): bool {
		return in_array( get_post_type( $post_id ), array( 'shop_order', 'shop_order_placehold' ), true );
	}

	/**
	 * Fires the action when the tracking differs from what was last seen.
	 *
	 * @param int   $order_id Order id.
	 * @param mixed $items    Tracking items as stored.
	 */
	private static function changed( int $order_id, $items ) {
		$items       = empty( $items ) ? array() : $items;
		$fingerprint = md5( (string) wp_json_encode( $items ) );
		if ( isset( self::$seen[ $order_id ] ) && self::$seen[ $order_id ] === $fingerprint ) {
			return;
		}
		self::$seen[ $order_id ] = $fingerprint;

		$key      = 'ordertrack_trk_' . $order_id;
		$previous = get_transient( $key );
		if ( $previous === $fingerprint ) {
			return;
		}
		// An order that never had tracking has nothing to report; do not store
		// a fingerprint for every order saved.
		if ( false === $previous && array() === $items ) {
			return;
		}
		set_transient( $key, $fingerprint, self::FINGERPRINT_TTL );
		do_action( self::ACTION, $order_id );
	}
}
