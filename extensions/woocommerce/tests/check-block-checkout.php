<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Checks the consent boxes of the block checkout: the Additional Checkout
 * Fields the plugin registers, and the _ordertrack_consent meta it writes
 * for an order placed through the Store API. WordPress and WooCommerce are
 * stubbed only where the plugin calls them; the Store API's part (sanitize
 * each registered field, store it under _wc_other/{id} with checkboxes as
 * "1"/"0", fire woocommerce_store_api_checkout_update_order_from_request)
 * follows WooCommerce's documentation of Additional Checkout Fields.
 *
 * Usage: php check-block-checkout.php          (WooCommerce 8.9+)
 *        php check-block-checkout.php legacy   (older: no field API)
 * Exits 1 with one line per failed check.
 *        php check-block-checkout.php meta     prints the meta_data of the
 * testdata order as the REST API (and so the order webhook) carries it.
 *
 * @package Ordertrack
 */

namespace Automattic\WooCommerce\Blocks\Domain\Services {

	/**
	 * WooCommerce's reader of stored field values, as documented: order and
	 * contact fields live under _wc_other/{id}; a registered checkbox reads
	 * back as a boolean.
	 */
	final class CheckoutFields {
		/**
		 * Field types by id.
		 *
		 * @var array<string, string>
		 */
		public $types = array();

		/**
		 * The stored value of a field.
		 *
		 * @param string $key       Field id.
		 * @param object $wc_object Order.
		 * @param string $group     Only 'other' is used here.
		 * @return mixed
		 */
		public function get_field_from_object( string $key, $wc_object, string $group = 'other' ) {
			$value = $wc_object->get_meta( '_wc_' . $group . '/' . $key, true );
			if ( isset( $this->types[ $key ] ) && 'checkbox' === $this->types[ $key ] ) {
				return '1' === $value;
			}
			return $value;
		}
	}
}

namespace Automattic\WooCommerce\Blocks {

	/**
	 * The container the documentation reads CheckoutFields from.
	 */
	final class Package {
		/**
		 * The one service asked for.
		 *
		 * @var Domain\Services\CheckoutFields
		 */
		public static $fields;

		/**
		 * A container that hands out the fields service.
		 */
		public static function container() {
			return new class() {
				/**
				 * The service.
				 *
				 * @param string $id Class name.
				 */
				public function get( $id ) {
					return Package::$fields;
				}
			};
		}
	}
}

namespace {
	define( 'ABSPATH', __DIR__ . '/' );

	$ordertrack_hooks      = array();
	$ordertrack_options    = array();
	$ordertrack_registered = array();
	$ordertrack_failures   = array();

	function add_action( $hook, $callback, $priority = 10, $args = 1 ) {
		$GLOBALS['ordertrack_hooks'][ $hook ][] = $callback;
	}
	function do_action( $hook, ...$args ) {
		foreach ( $GLOBALS['ordertrack_hooks'][ $hook ] ?? array() as $callback ) {
			call_user_func_array( $callback, $args );
		}
	}
	function __( $text, $domain ) {
		return $text;
	}
	function get_bloginfo( $show ) {
		return 'Müller &amp; Söhne'; // WordPress returns the name escaped.
	}
	function wp_specialchars_decode( $text, $quotes ) {
		return htmlspecialchars_decode( $text, $quotes );
	}
	function get_locale() {
		return 'de_DE';
	}
	function get_option( $name, $fallback = false ) {
		return $GLOBALS['ordertrack_options'][ $name ] ?? $fallback;
	}
	function wp_unslash( $value ) {
		return $value;
	}
	function sanitize_key( $key ) {
		return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( $key ) );
	}
	if ( 'legacy' !== ( $argv[1] ?? '' ) ) {
		function woocommerce_register_additional_checkout_field( array $options ) {
			$GLOBALS['ordertrack_registered'][ $options['id'] ] = $options;
		}
	}

	final class WC_Geolocation {
		public static function get_ip_address() {
			return '203.0.113.7';
		}
	}

	/**
	 * An order's meta and where it was created.
	 */
	final class Ordertrack_Test_Order {
		public $meta = array();
		private $created_via;
		public function __construct( $created_via ) {
			$this->created_via = $created_via;
		}
		public function get_created_via() {
			return $this->created_via;
		}
		public function update_meta_data( $key, $value ) {
			$this->meta[ $key ] = $value;
		}
		public function delete_meta_data( $key ) {
			unset( $this->meta[ $key ] );
		}
		public function get_meta( $key, $single = true ) {
			return $this->meta[ $key ] ?? '';
		}
	}

	require __DIR__ . '/../ordertrack/includes/class-ordertrack-settings.php';
	require __DIR__ . '/../ordertrack/includes/class-ordertrack-checkout.php';

	function ordertrack_check( $ok, $what ) {
		if ( ! $ok ) {
			$GLOBALS['ordertrack_failures'][] = $what;
		}
	}

	/**
	 * Settings as saved on the plugin's page.
	 *
	 * @param bool $configured Whether URL, key and secret are filled in.
	 * @param bool $voice      Whether calls are offered at checkout.
	 */
	function ordertrack_settings( $configured, $voice ) {
		$GLOBALS['ordertrack_options'][ Ordertrack_Settings::OPTION ] = $configured ? array(
			'app_url'        => 'https://ordertrack.example',
			'shop_key'       => 'key',
			'shop_secret'    => 'secret',
			'checkout_voice' => $voice,
		) : array();
	}

	/**
	 * Starts WooCommerce: hooks the plugin, fires woocommerce_init, and returns
	 * the fields registered.
	 */
	function ordertrack_boot() {
		$GLOBALS['ordertrack_hooks']      = array();
		$GLOBALS['ordertrack_registered'] = array();
		Ordertrack_Checkout::init();
		do_action( 'woocommerce_init' );
		$fields = new Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields();
		foreach ( $GLOBALS['ordertrack_registered'] as $id => $options ) {
			$fields->types[ $id ] = $options['type'] ?? 'text';
		}
		Automattic\WooCommerce\Blocks\Package::$fields = $fields;
		return $GLOBALS['ordertrack_registered'];
	}

	/**
	 * Places an order through the Store API: each registered order/contact
	 * field that was posted is sanitized and stored, then the update hook
	 * runs. Unregistered fields are dropped, as the Store API schema does.
	 *
	 * @param Ordertrack_Test_Order $order   The order.
	 * @param array                 $request The decoded request body.
	 */
	function ordertrack_store_api_checkout( $order, array $request ) {
		foreach ( $GLOBALS['ordertrack_registered'] as $id => $options ) {
			if ( ! isset( $request['additional_fields'][ $id ] ) ) {
				continue;
			}
			$value = call_user_func( $options['sanitize_callback'], $request['additional_fields'][ $id ], $options );
			$order->update_meta_data( '_wc_other/' . $id, is_bool( $value ) ? ( $value ? '1' : '0' ) : $value );
		}
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', $order, $request );
	}

	$request = json_decode( file_get_contents( __DIR__ . '/testdata/store-api-checkout.json' ), true );
	ordertrack_check( is_array( $request ) && true === $request['additional_fields']['ordertrack/sms'], 'testdata/store-api-checkout.json: want ordertrack/sms posted as true' );

	$classic = array( 'woocommerce_after_checkout_billing_form', 'woocommerce_checkout_create_order' );

	if ( 'meta' === ( $argv[1] ?? '' ) ) {
		ordertrack_settings( true, true );
		ordertrack_boot();
		$order = new Ordertrack_Test_Order( 'store-api' );
		ordertrack_store_api_checkout( $order, $request );
		$meta_data = array();
		foreach ( $order->meta as $key => $value ) {
			$meta_data[] = array(
				'id'    => count( $meta_data ) + 1,
				'key'   => $key,
				'value' => $value,
			);
		}
		fwrite( STDOUT, ordertrack_json( $meta_data ) . "\n" );
		exit( 0 );
	}

	if ( 'legacy' === ( $argv[1] ?? '' ) ) {
		// Before WooCommerce 8.9: nothing to register, the classic checkout still asks.
		ordertrack_settings( true, true );
		ordertrack_check( array() === ordertrack_boot(), 'legacy: fields registered without the API' );
		foreach ( $classic as $hook ) {
			ordertrack_check( isset( $ordertrack_hooks[ $hook ] ), "legacy: $hook not hooked" );
		}
		$_POST[ Ordertrack_Checkout::FIELD ] = array( 'sms', 'voice' );
		$order                               = new Ordertrack_Test_Order( 'checkout' );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		$channels = array_column( $order->meta[ Ordertrack_Checkout::META_KEY ]['channels'] ?? array(), 'channel' );
		ordertrack_check( array( 'sms', 'voice' ) === $channels, 'legacy: classic checkout stored ' . ordertrack_json( $channels ) . ', want ["sms","voice"]' );
		unset( $_POST[ Ordertrack_Checkout::FIELD ] );
	} else {
		// Registration follows the settings: calls only when offered, nothing before setup.
		foreach (
			array(
				'calls off'      => array( true, false, array( 'ordertrack/sms', 'ordertrack/whatsapp' ) ),
				'calls on'       => array( true, true, array( 'ordertrack/sms', 'ordertrack/whatsapp', 'ordertrack/voice' ) ),
				'not configured' => array( false, true, array() ),
			) as $name => list( $configured, $voice, $want )
		) {
			ordertrack_settings( $configured, $voice );
			$got = array_keys( ordertrack_boot() );
			ordertrack_check( $want === $got, "$name: registered " . ordertrack_json( $got ) . ', want ' . ordertrack_json( $want ) );
		}

		ordertrack_settings( true, true );
		$wordings = Ordertrack_Checkout::wordings();
		foreach ( ordertrack_boot() as $id => $field ) {
			$channel = substr( $id, strlen( 'ordertrack/' ) );
			ordertrack_check( 'checkbox' === $field['type'], "$id: type " . ordertrack_json( $field['type'] ) . ', want checkbox' );
			ordertrack_check( 'order' === $field['location'], "$id: location " . ordertrack_json( $field['location'] ) . ', want order (contact fields come back ticked from the account)' );
			ordertrack_check( false === $field['required'], "$id: must not be required" );
			ordertrack_check( $wordings[ $channel ] === $field['label'] && $field['label'] === $field['optionalLabel'], "$id: label and optionalLabel must be the stored words" );
			ordertrack_check( ! isset( $field['default'] ), "$id: must not set a default" );
			ordertrack_check( is_callable( $field['sanitize_callback'] ), "$id: sanitize_callback not callable" );
		}
		ordertrack_check( 0 === strpos( $wordings['sms'], 'Text me shipping updates: Müller & Söhne may send' ), 'sms wording does not name the shop: ' . $wordings['sms'] );

		// Only an unambiguous yes ticks a box.
		foreach ( array( array( true, true ), array( 1, true ), array( '1', true ), array( 'true', true ), array( false, false ), array( 0, false ), array( '0', false ), array( '', false ), array( 'no', false ), array( 'false', false ), array( null, false ), array( array( true ), false ) ) as list( $posted, $want ) ) {
			ordertrack_check( Ordertrack_Checkout::ticked( $posted ) === $want, 'ticked(' . ordertrack_json( $posted ) . ') != ' . ordertrack_json( $want ) );
		}

		// The documented Store API request: SMS ticked, WhatsApp not, calls offered but not posted.
		$before = time();
		$order  = new Ordertrack_Test_Order( 'store-api' );
		ordertrack_store_api_checkout( $order, $request );
		$got  = $order->meta[ Ordertrack_Checkout::META_KEY ] ?? null;
		$want = array(
			'time'     => $got['time'] ?? '',
			'ip'       => '203.0.113.7',
			'locale'   => 'de_DE',
			'channels' => array(
				array(
					'channel' => 'sms',
					'wording' => $wordings['sms'],
				),
			),
		);
		ordertrack_check( $want === $got, 'store api order: meta ' . ordertrack_json( $got ) . ', want ' . ordertrack_json( $want ) );
		$at = DateTime::createFromFormat( 'Y-m-d\TH:i:s\Z', $got['time'] ?? '', new DateTimeZone( 'UTC' ) );
		ordertrack_check( false !== $at && $at->getTimestamp() >= $before && $at->getTimestamp() <= time(), 'store api order: time ' . ordertrack_json( $got['time'] ?? null ) . ' is not now in UTC' );
		ordertrack_check( '1' === $order->meta['_wc_other/ordertrack/sms'] && '0' === $order->meta['_wc_other/ordertrack/whatsapp'], 'store api order: field values not stored as WooCommerce stores them' );

		// A box for a channel that is not offered counts for nothing.
		ordertrack_settings( true, false );
		ordertrack_boot();
		$order = new Ordertrack_Test_Order( 'store-api' );
		ordertrack_store_api_checkout( $order, array( 'additional_fields' => array( 'ordertrack/voice' => true, 'ordertrack/sms' => false ) ) );
		ordertrack_check( ! isset( $order->meta[ Ordertrack_Checkout::META_KEY ] ), 'calls off: voice posted, meta ' . ordertrack_json( $order->meta ) );

		// A retried checkout with every box unticked removes the earlier record.
		ordertrack_settings( true, true );
		ordertrack_boot();
		$order = new Ordertrack_Test_Order( 'store-api' );
		ordertrack_store_api_checkout( $order, $request );
		ordertrack_store_api_checkout( $order, array( 'additional_fields' => array( 'ordertrack/sms' => false, 'ordertrack/whatsapp' => false, 'ordertrack/voice' => false ) ) );
		ordertrack_check( ! isset( $order->meta[ Ordertrack_Checkout::META_KEY ] ), 'retry unticked: meta kept ' . ordertrack_json( $order->meta ) );

		// Each checkout writes only its own orders: the Store API leaves a classic
		// order's record alone, and a later Store API request without the boxes
		// (paying for the order) does not rewrite it.
		foreach (
			array(
				'classic order' => array( 'checkout', $request ),
				'payment only'  => array( 'store-api', array( 'payment_method' => 'cheque' ) ),
			) as $name => list( $via, $body )
		) {
			$order = new Ordertrack_Test_Order( $via );
			$kept  = array( 'time' => '2026-01-02T03:04:05Z' );
			$order->update_meta_data( Ordertrack_Checkout::META_KEY, $kept );
			do_action( 'woocommerce_store_api_checkout_update_order_from_request', $order, $body );
			ordertrack_check( $kept === $order->meta[ Ordertrack_Checkout::META_KEY ], "$name: record rewritten: " . ordertrack_json( $order->meta ) );
		}

		// The classic path writes nothing for a Store API order (no posted boxes).
		$order = new Ordertrack_Test_Order( 'store-api' );
		do_action( 'woocommerce_checkout_create_order', $order, array() );
		ordertrack_check( array() === $order->meta, 'classic hook on a Store API order wrote ' . ordertrack_json( $order->meta ) );
	}

	function ordertrack_json( $value ) {
		return json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	}

	foreach ( $ordertrack_failures as $failure ) {
		fwrite( STDOUT, "FAIL: $failure\n" );
	}
	if ( array() !== $ordertrack_failures ) {
		exit( 1 );
	}
	fwrite( STDOUT, "ok\n" );
}
