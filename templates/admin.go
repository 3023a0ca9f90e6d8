package templates

import "embed"

// Admin holds the merchant admin's page templates (html/template).
//
//go:embed admin
var Admin embed.FS
