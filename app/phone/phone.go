// Package phone writes shoppers' phone numbers the one way SMS, WhatsApp
// and voice providers take them: E.164 ("+14155550199"), with the
// shipping country as the region of a number typed without its country
// code. It wraps github.com/nyaruka/phonenumbers, Go's port of Google's
// libphonenumber.
package phone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid means a number cannot be dialled: too short or long for its
// country, an unknown country code, or not a number at all.
var ErrInvalid = errors.New("invalid phone number")

// E164 parses raw as a number of region (an ISO 3166 country code, used
// when raw has no "+" or international prefix) and returns it in E.164.
// A WhatsApp address ("whatsapp:+34…") is read as its number.
func E164(raw, region string) (string, error) {
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(raw), "whatsapp:"))
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region == "" {
		region = "ZZ" // unknown: only international numbers parse
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalid, raw, err)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("%w: %q", ErrInvalid, raw)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// Region is the country (ISO 3166) an E.164 number belongs to, or "".
func Region(e164 string) string {
	n, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return ""
	}
	return phonenumbers.GetRegionCodeForNumber(n)
}
