<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Plugin Name:          ordertrack for WooCommerce
 * Plugin URI:           https://github.com/ordertrack/ordertrack
 * Description:          Shows ordertrack shipment tracking in My Account and through the [ordertrack] shortcode, and tells ordertrack when an order's tracking numbers change.
 * Version:              0.1.0
 * Requires at least:    6.0
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 7.0
 * WC tested up to:      10.3
 * Author:               ordertrack
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          ordertrack
 *
 * @package Ordertrack
 */

defined( 'ABSPATH' ) || exit;

define( 'ORDERTRACK_VERSION', '0.1.0' );
define( 'ORDERTRACK_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-ordertrack-signer.php';
require_once __DIR__ . '/includes/class-ordertrack-settings.php';
require_once __DIR__ . '/includes/class-ordertrack-client.php';
require_once __DIR__ . '/includes/class-ordertrack-render.php';
require_once __DIR__ . '/includes/class-ordertrack-account.php';
require_once __DIR__ . '/includes/class-ordertrack-shortcode.php';
require_once __DIR__ . '/includes/class-ordertrack-signal.php';
require_once __DIR__ . '/includes/class-ordertrack-checkout.php';

// Order data may live in HPOS tables; everything here goes through WC_Order.
add_action(
	'before_woocommerce_init',
	function () {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', ORDERTRACK_FILE, true );
		}
	}
);

add_action(
	'plugins_loaded',
	function () {
		if ( ! class_exists( 'WooCommerce' ) ) {
			return;
		}
		Ordertrack_Settings::init();
		Ordertrack_Account::init();
		Ordertrack_Shortcode::init();
		Ordertrack_Signal::init();
		Ordertrack_Checkout::init();
	}
);
