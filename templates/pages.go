package templates

import "embed"

// Pages holds the shopper-facing page templates (pages/*.html) and their
// stylesheet (pages/track.css). Package app/trackpage parses them once at
// boot; their words come from Locales.
//
//go:embed pages
var Pages embed.FS

// Locales holds the copy catalog, one file per language
// (locales/<lang>.json): page labels, stage names, date patterns, SMS and
// voice replies, and the merchant-facing sentences. Package app/locale reads
// it once at boot.
//
//go:embed locales
var Locales embed.FS

// CopyScript is the tracking page's only script: it shows the "Copy"
// buttons next to tracking numbers and copies the number when tapped. The
// page works without it (the number is selectable with one tap), so the
// buttons start hidden. The Content-Security-Policy allows exactly these
// bytes by their SHA-256 hash.
//
//go:embed pages/copy.js
var CopyScript string
