<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * My Account: a tracking column on Orders and a tracking section on View order.
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * My Account integration.
 */
final class Ordertrack_Account {

	const COLUMN = 'ordertrack-tracking';

	/**
	 * Hooks into the My Account templates.
	 */
	public static function init() {
		add_filter( 'woocommerce_account_orders_columns', array( __CLASS__, 'add_column' ) );
		add_action( 'woocommerce_my_account_my_orders_column_' . self::COLUMN, array( __CLASS__, 'column' ) );
		add_action( 'woocommerce_view_order', array( __CLASS__, 'view_order' ), 5 );
	}

	/**
	 * Whether an order is far enough along to have something to track.
	 *
	 * @param WC_Order $order Order.
	 */
	private static function trackable( WC_Order $order ): bool {
		return ! $order->has_status( array( 'pending', 'failed', 'cancelled', 'checkout-draft' ) );
	}

	/**
	 * Adds the Tracking column before the actions column.
	 *
	 * @param array $columns Column id => label.
	 * @return array
	 */
	public static function add_column( $columns ) {
		$out = array();
		foreach ( (array) $columns as $id => $label ) {
			if ( 'order-actions' === $id ) {
				$out[ self::COLUMN ] = __( 'Tracking', 'ordertrack' );
			}
			$out[ $id ] = $label;
		}
		if ( ! isset( $out[ self::COLUMN ] ) ) {
			$out[ self::COLUMN ] = __( 'Tracking', 'ordertrack' );
		}
		return $out;
	}

	/**
	 * Prints the Tracking cell: a link to the order's tracking section.
	 *
	 * @param WC_Order $order Order of the row.
	 */
	public static function column( $order ) {
		if ( ! $order instanceof WC_Order || ! self::trackable( $order ) ) {
			return;
		}
		echo '<a href="' . esc_url( $order->get_view_order_url() . '#ordertrack-tracking' ) . '">' . esc_html__( 'Track', 'ordertrack' ) . '</a>';
	}

	/**
	 * Prints the tracking section on My Account → View order.
	 *
	 * @param int $order_id Order being viewed.
	 */
	public static function view_order( $order_id ) {
		$order = wc_get_order( absint( $order_id ) );
		// WooCommerce already checked ownership before this hook; check again so
		// the signed request is never made for someone else's order.
		if ( ! $order instanceof WC_Order || ! current_user_can( 'view_order', $order->get_id() ) || ! self::trackable( $order ) ) {
			return;
		}
		Ordertrack_Render::section( Ordertrack_Client::fetch( $order ) );
	}
}
