<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Renders a tracking view. Every value comes from the app and is escaped here.
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

/**
 * HTML for the My Account order view and the shortcode.
 */
final class Ordertrack_Render {

	/**
	 * Reads a string field from decoded JSON.
	 *
	 * @param array  $a   Decoded object.
	 * @param string $key Field.
	 */
	private static function str( array $a, string $key ): string {
		return isset( $a[ $key ] ) && is_scalar( $a[ $key ] ) ? (string) $a[ $key ] : '';
	}

	/**
	 * Prints the tracking section for a view, or a short notice for an error.
	 *
	 * @param array|WP_Error $view Result of Ordertrack_Client::fetch.
	 */
	public static function section( $view ) {
		echo '<section class="ordertrack" id="ordertrack-tracking">';
		echo '<h2>' . esc_html__( 'Shipment tracking', 'ordertrack' ) . '</h2>';
		if ( is_wp_error( $view ) ) {
			echo '<p class="ordertrack-notice">' . esc_html( $view->get_error_message() ) . '</p></section>';
			return;
		}

		$status = self::str( $view, 'status_label' );
		if ( '' !== $status ) {
			echo '<p class="ordertrack-status"><strong>' . esc_html( $status ) . '</strong></p>';
		}
		$eta = self::str( $view, 'eta' );
		if ( '' !== $eta ) {
			/* translators: %s: estimated delivery, already formatted by ordertrack */
			echo '<p class="ordertrack-eta">' . esc_html( sprintf( __( 'Estimated delivery: %s', 'ordertrack' ), $eta ) ) . '</p>';
		}

		$shipments = isset( $view['shipments'] ) && is_array( $view['shipments'] ) ? $view['shipments'] : array();
		foreach ( $shipments as $shipment ) {
			if ( is_array( $shipment ) ) {
				self::shipment( $shipment );
			}
		}

		$page = self::str( $view, 'tracking_url' );
		if ( '' !== esc_url( $page ) ) {
			echo '<p><a class="button ordertrack-page" href="' . esc_url( $page ) . '">' . esc_html__( 'See full tracking', 'ordertrack' ) . '</a></p>';
		}
		echo '</section>';
	}

	/**
	 * Prints one parcel and its timeline.
	 *
	 * @param array $s Decoded shipment.
	 */
	private static function shipment( array $s ) {
		echo '<div class="ordertrack-shipment">';
		$label  = trim( self::str( $s, 'carrier' ) . ' ' . self::str( $s, 'number' ) );
		$href   = self::str( $s, 'url' );
		$status = self::str( $s, 'status_label' );
		echo '<p>';
		if ( '' !== esc_url( $href ) ) { // esc_url gives '' for anything but http(s).
			echo '<a href="' . esc_url( $href ) . '" rel="noopener noreferrer" target="_blank">' . esc_html( $label ) . '</a>';
		} else {
			echo esc_html( $label );
		}
		if ( '' !== $status ) {
			echo ' — ' . esc_html( $status );
		}
		echo '</p>';

		$events = isset( $s['events'] ) && is_array( $s['events'] ) ? $s['events'] : array();
		if ( $events ) {
			echo '<ol class="ordertrack-events">';
			foreach ( $events as $event ) {
				if ( ! is_array( $event ) ) {
					continue;
				}
				$where = self::str( $event, 'location' );
				echo '<li><time>' . esc_html( self::str( $event, 'time' ) ) . '</time> ' . esc_html( self::str( $event, 'description' ) );
				if ( '' !== $where ) {
					echo ' <span class="ordertrack-location">' . esc_html( $where ) . '</span>';
				}
				echo '</li>';
			}
			echo '</ol>';
		}
		echo '</div>';
	}
}
