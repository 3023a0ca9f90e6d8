package trackpage

import "github.com/ordertrack/ordertrack/app/locale"

// DefaultLocale is the locale used when nothing else matches.
const DefaultLocale = "en"

// Negotiate picks the page's language from an Accept-Language header or a
// stored locale, falling back as locale.Negotiate does; it returns the
// language code the View carries.
func Negotiate(acceptLanguage, fallback string) string {
	return locale.Negotiate(acceptLanguage, fallback).String()
}
