<?php
/**
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Removes the plugin's settings. Transients expire on their own.
 *
 * @package Ordertrack
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'ordertrack_settings' );
