package tracking

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// OrderNumber is a typed order number as the order lookup matches it: NFKC
// (so "＃１００１" is "#1001"), then every leading '#' and space and the
// trailing spaces removed. The lookup finds the order named that or "#"
// and that, and the lookup throttle keys on OrderNumberKey of the same
// value, so no spelling that finds an order earns a budget of its own.
func OrderNumber(typed string) string {
	s := norm.NFKC.String(typed)
	s = strings.TrimLeftFunc(s, func(r rune) bool { return r == '#' || unicode.IsSpace(r) })
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// OrderNumberKey names the order a typed number can find, for throttling:
// OrderNumber, case-folded. Folding merges names the (case-sensitive) match
// keeps apart, which only makes spellings share a budget.
func OrderNumberKey(typed string) string { return Fold(OrderNumber(typed)) }

// Fold maps every rune to the smallest member of its simple case-folding
// orbit, so Fold(a) == Fold(b) exactly when strings.EqualFold(a, b): "ſ"
// (U+017F) and "S" fold alike, as do "K" (U+212A) and "k".
func Fold(s string) string {
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}

// contact is a typed or stored email or phone in the form contacts are
// compared in: NFKC, trimmed, case-folded.
func contact(s string) string { return Fold(strings.TrimSpace(norm.NFKC.String(s))) }

// SameContact reports whether the email or phone a shopper typed is the
// one stored with an order: emails equal after NFKC and case folding,
// phones by samePhone. ContactKey keys on the same form.
func SameContact(storedEmail, storedPhone, typed string) bool {
	t := contact(typed)
	if t == "" {
		return false
	}
	if storedEmail != "" && contact(storedEmail) == t {
		return true
	}
	return samePhone(storedPhone, t)
}

// phoneKeyDigits is how many trailing digits name a phone in ContactKey:
// SameContact matches a phone over its last minPhoneDigits or more digits,
// so every spelling that matches one stored phone shares its last seven.
const phoneKeyDigits = minPhoneDigits

// ContactKey names the contacts a typed email or phone can match, for
// throttling: the compared form of an email, or the last seven digits of
// a phone, so re-spelling one contact does not earn new guesses.
func ContactKey(typed string) string {
	s := contact(typed)
	if strings.Contains(s, "@") {
		return s
	}
	d := digits(s)
	if len(d) < phoneKeyDigits {
		return s
	}
	return "tel:" + d[len(d)-phoneKeyDigits:]
}

// minPhoneDigits is the fewest digits a typed phone needs to match by
// digits: a local number without its area code.
const minPhoneDigits = 7

// samePhone reports whether a typed phone (not an email) is the stored one:
// equal as strings, or equal over the trailing digits both have when there
// are at least minPhoneDigits of them. Leading zeros (a trunk prefix as in
// "07911 123456", or "00" before a country code) are dropped first, so a
// national number matches its E.164 form and a differing country code
// does not.
func samePhone(stored, typed string) bool {
	if stored == "" || strings.Contains(typed, "@") {
		return false
	}
	if contact(stored) == typed {
		return true
	}
	s, t := strings.TrimLeft(digits(stored), "0"), strings.TrimLeft(digits(typed), "0")
	n := min(len(s), len(t))
	return n >= minPhoneDigits && s[len(s)-n:] == t[len(t)-n:]
}

// digits is the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
