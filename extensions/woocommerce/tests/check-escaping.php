<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Fails on output of a value that is not escaped where it is printed: every
 * variable, property, constant or call result in an `echo`, `print` or `<?=`
 * must sit inside one of WordPress's escaping (or integer-casting) functions.
 * Escaping earlier and echoing the variable later is refused too, so a
 * reader never has to trace where a value was escaped.
 *
 * Usage: php check-escaping.php FILE...   (exit 1 and one line per finding)
 *
 * @package Ordertrack
 */

const ESCAPERS = array(
	'esc_html', 'esc_attr', 'esc_url', 'esc_textarea', 'esc_js', 'esc_xml',
	'esc_html__', 'esc_attr__', 'esc_html_x', 'esc_attr_x',
	'wp_kses', 'wp_kses_post', 'wp_kses_data', 'absint', 'intval', 'wc_price',
);

/**
 * Findings for one file: "file:line: message".
 *
 * @param string $file Path of a PHP file.
 * @return string[]
 */
function ordertrack_escaping_findings( $file ) {
	$tokens   = token_get_all( file_get_contents( $file ) );
	$findings = array();
	$n        = count( $tokens );
	for ( $i = 0; $i < $n; $i++ ) {
		$t = $tokens[ $i ];
		if ( ! is_array( $t ) || ! in_array( $t[0], array( T_ECHO, T_PRINT, T_OPEN_TAG_WITH_ECHO ), true ) ) {
			continue;
		}
		// Walk the statement, keeping a stack of the calls we are inside.
		$stack = array(); // per open parenthesis: true when it belongs to an escaper
		$last  = null;    // the previous significant token
		for ( $j = $i + 1; $j < $n; $j++ ) {
			$u = $tokens[ $j ];
			if ( is_array( $u ) && in_array( $u[0], array( T_WHITESPACE, T_COMMENT, T_DOC_COMMENT ), true ) ) {
				continue;
			}
			if ( ';' === $u || ( is_array( $u ) && T_CLOSE_TAG === $u[0] ) ) {
				break;
			}
			if ( '(' === $u ) {
				$stack[] = is_array( $last ) && T_STRING === $last[0] && in_array( strtolower( $last[1] ), ESCAPERS, true );
			} elseif ( ')' === $u ) {
				array_pop( $stack );
			} elseif ( is_array( $u ) && ! in_array( true, $stack, true ) ) {
				$next = $j + 1;
				while ( $next < $n && is_array( $tokens[ $next ] ) && T_WHITESPACE === $tokens[ $next ][0] ) {
					$next++;
				}
				$is_call  = T_STRING === $u[0] && $next < $n && '(' === $tokens[ $next ];
				$escaper  = $is_call && in_array( strtolower( $u[1] ), ESCAPERS, true );
				$variable = T_VARIABLE === $u[0];
				if ( $variable || ( $is_call && ! $escaper ) ) {
					$findings[] = sprintf( '%s:%d: %s printed without escaping (wrap it in esc_html, esc_attr, esc_url, …)', $file, $u[2], $u[1] );
				}
			}
			$last = $u;
		}
	}
	return $findings;
}

$all = array();
foreach ( array_slice( $argv, 1 ) as $file ) {
	$all = array_merge( $all, ordertrack_escaping_findings( $file ) );
}
foreach ( $all as $f ) {
	fwrite( STDERR, $f . PHP_EOL );
}
exit( $all ? 1 : 0 );
