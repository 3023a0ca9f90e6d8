package templates

import "embed"

// Pages holds the shopper-facing page templates (pages/*.html), their
// stylesheet (pages/track.css) and the UI copy per locale
// (pages/locales/*.json). Package app/trackpage parses them once at boot.
//
//go:embed pages
var Pages embed.FS
