<?php
// Runs Ordertrack_Signal against minimal WordPress/WooCommerce stand-ins and
// prints, as JSON, which orders fired wc_ordertrack_tracking_updated at each step.
// Usage: php signal_harness.php <path to class-ordertrack-signal.php>

define( 'ABSPATH', '/' );
define( 'DAY_IN_SECONDS', 86400 );

$GLOBALS['transients'] = array();
$GLOBALS['fired']      = array();
$GLOBALS['post_types'] = array( 10 => 'shop_order', 11 => 'shop_order_placehold', 20 => 'product' );
$GLOBALS['orders']     = array();

function add_action( $hook, $cb, $prio = 10, $args = 1 ) {}
function get_transient( $k ) { return isset( $GLOBALS['transients'][ $k ] ) ? $GLOBALS['transients'][ $k ] : false; }
function set_transient( $k, $v, $ttl ) { $GLOBALS['transients'][ $k ] = $v; return true; }
function do_action( $hook, $arg ) { $GLOBALS['fired'][] = $hook . ':' . $arg; }
function get_post_type( $id ) { return isset( $GLOBALS['post_types'][ $id ] ) ? $GLOBALS['post_types'][ $id ] : false; }
function wp_json_encode( $v ) { return json_encode( $v ); }
class WC_Order {
	private $id; private $items;
	public function __construct( $id, $items ) { $this->id = $id; $this->items = $items; }
	public function get_id() { return $this->id; }
	public function get_meta( $key, $single ) { return '_wc_shipment_tracking_items' === $key ? $this->items : ''; }
}
function wc_get_order( $id ) { return isset( $GLOBALS['orders'][ $id ] ) ? $GLOBALS['orders'][ $id ] : false; }

require $argv[1];

function new_request() {
	$p = new ReflectionProperty( 'Ordertrack_Signal', 'seen' );
	$p->setAccessible( true );
	$p->setValue( null, array() );
}

$a  = array( array( 'tracking_provider' => 'usps', 'tracking_number' => '9400111899223818472301', 'date_shipped' => '1732406400' ) );
$ab = array_merge( $a, array( array( 'tracking_provider' => 'ups', 'tracking_number' => '1Z999AA10123456784', 'date_shipped' => '1732406400' ) ) );

$steps = array(
	'order saved without tracking'               => function () { Ordertrack_Signal::order_saved( 10, new WC_Order( 10, '' ) ); },
	'tracking meta added on posts storage'        => function () use ( $a ) { Ordertrack_Signal::post_meta_changed( 1, 10, '_wc_shipment_tracking_items', $a ); },
	'same request saves the order'                => function () use ( $a ) { Ordertrack_Signal::order_saved( 10, new WC_Order( 10, $a ) ); },
	'later request saves unchanged order'         => function () use ( $a ) { new_request(); Ordertrack_Signal::order_saved( 10, new WC_Order( 10, $a ) ); },
	'HPOS save adds a second number'              => function () use ( $ab ) { new_request(); $GLOBALS['orders'][10] = new WC_Order( 10, $ab ); Ordertrack_Signal::order_saved( 10 ); },
	'HPOS placeholder post meta updated'          => function () use ( $a ) { new_request(); Ordertrack_Signal::post_meta_changed( 2, 11, '_wc_shipment_tracking_items', $a ); },
	'product meta with the same key'              => function () use ( $a ) { Ordertrack_Signal::post_meta_changed( 3, 20, '_wc_shipment_tracking_items', $a ); },
	'other order meta key'                        => function () use ( $a ) { new_request(); Ordertrack_Signal::post_meta_changed( 4, 10, '_billing_phone', '123' ); },
	'tracking meta deleted'                       => function () { new_request(); Ordertrack_Signal::post_meta_deleted( array( 1 ), 10, '_wc_shipment_tracking_items' ); },
);

$out = array();
foreach ( $steps as $name => $step ) {
	$GLOBALS['fired'] = array();
	$step();
	$out[ $name ] = $GLOBALS['fired'];
}
echo json_encode( $out );
