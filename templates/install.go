package templates

import "embed"

// Install holds the pages of installing, connecting and signing in
// (html/template): the WooCommerce connect's result, the admin sign-in form
// and its single-use link's confirmation, and the page App Bridge loads to
// fetch a Shopify session token. Package app/install parses them at boot.
//
//go:embed install
var Install embed.FS
