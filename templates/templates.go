// Package templates embeds the files ordertrack ships as defaults: the
// Liquid message templates merchants start from (and fall back to). Each
// asset set has its own embed variable so other sets (pages, emails) can be
// added beside it without touching this one.
package templates

import "embed"

// Messages holds the default notification templates, laid out as
// messages/<locale>/<trigger>.<part>.liquid, where part is one of
// email.subject, email.html, email.text, sms, whatsapp, voice.
//
//go:embed messages
var Messages embed.FS
