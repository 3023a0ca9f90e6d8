package templates

import "embed"

// Errors holds the page a browser gets when a request fails
// (html/template); API clients get JSON instead.
//
//go:embed errors
var Errors embed.FS
