<?php
// Runs Ordertrack_Checkout::consent against minimal WordPress stand-ins and
// prints, as a REST order's JSON, the order meta the checkout would store.
// Usage: php checkout_harness.php <path to class-ordertrack-checkout.php> <posted channels, comma-separated> <calls offered: 0|1>

define( 'ABSPATH', '/' );

function __( $s, $domain ) { return $s; }
function get_bloginfo( $what ) { return 'Kaffee &amp; Kuchen'; }
function wp_specialchars_decode( $s, $q ) { return html_entity_decode( $s, ENT_QUOTES ); }
final class Ordertrack_Settings {
	public static function get() { return array( 'checkout_voice' => '1' === $GLOBALS['argv'][3] ); }
}

require $argv[1];

$posted = '' === $argv[2] ? array() : explode( ',', $argv[2] );
$meta   = Ordertrack_Checkout::consent( $posted, Ordertrack_Checkout::wordings(), '203.0.113.7', 1796280000, 'de_DE' );
$order  = array( 'id' => 4711, 'number' => '4711', 'billing' => array( 'phone' => '0151 12345678', 'country' => 'DE' ), 'meta_data' => array() );
if ( null !== $meta ) {
	$order['meta_data'][] = array( 'id' => 1, 'key' => Ordertrack_Checkout::META_KEY, 'value' => $meta );
}
echo json_encode( $order );
