<?php
// Renders a tracking view JSON (stdin) with Ordertrack_Render, using
// stand-ins for WordPress's escaping functions that escape as strictly.
// Usage: php render_harness.php <path to class-ordertrack-render.php> < view.json

define( 'ABSPATH', '/' );

class WP_Error {
	private $message;
	public function __construct( $code, $message ) { $this->message = $message; }
	public function get_error_message() { return $this->message; }
}
function is_wp_error( $v ) { return $v instanceof WP_Error; }
function __( $s, $domain ) { return $s; }
function esc_html( $s ) { return htmlspecialchars( (string) $s, ENT_QUOTES, 'UTF-8' ); }
function esc_html__( $s, $domain ) { return esc_html( $s ); }
function esc_url( $url ) {
	$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
	return in_array( $scheme, array( 'http', 'https' ), true ) ? htmlspecialchars( $url, ENT_QUOTES, 'UTF-8' ) : '';
}

require $argv[1];

$view = json_decode( stream_get_contents( STDIN ), true );
Ordertrack_Render::section( $view );
