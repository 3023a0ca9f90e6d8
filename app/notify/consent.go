package notify

import "strings"

// doubleOptIn are the countries whose courts or regulators ask for a
// confirmed opt-in (the shopper answers a first message) before messages
// by text: Germany and Austria (UWG § 7, TKG 2021 § 174 read with the
// Federal Court of Justice's double opt-in case law), and Switzerland.
var doubleOptIn = map[string]bool{"DE": true, "AT": true, "CH": true}

// DoubleOptIn reports whether consent from a number of country (ISO 3166)
// takes effect only once the shopper confirms it.
func DoubleOptIn(country string) bool { return doubleOptIn[strings.ToUpper(country)] }
