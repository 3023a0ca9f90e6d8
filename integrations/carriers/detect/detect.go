// Package detect guesses which carrier issued a tracking number from its
// shape and check digit, helped by the free-text carrier name a store sends
// ("Fedex Ground", "Royal Mail"). Merchants often leave the company blank or
// wrong, and an unchecked regex match is right only by chance, so every
// format whose number carries a check digit is verified before it is
// trusted. The formats are data (formats.json), not code.
package detect

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Candidate is one carrier a tracking number may belong to.
type Candidate struct {
	Carrier string `json:"carrier"`
	// Service is the carrier's service when the number encodes it, else the
	// name of the number format.
	Service string `json:"service,omitempty"`
	// Format is the id of the matching format in formats.json, or
	// FormatCompany when only the store's carrier name points here.
	Format string `json:"format"`
	// CheckDigitValid is true only when the format has a check digit and it
	// verified; formats without one (Amazon TBA, LaserShip) report false.
	CheckDigitValid bool `json:"check_digit_valid"`
	// Score ranks candidates, higher first. It is a relative weight, not a
	// probability: a company-name match adds CompanyBoost.
	Score float64 `json:"score"`
}

// FormatCompany marks a candidate that rests only on the store's carrier name:
// the number is plausible but matches no known format of that carrier (Royal
// Mail domestic, La Poste Colissimo and many postal formats are not in the data).
const FormatCompany = "company"

// Scoring weights. A failed check digit is kept only when the store named the
// carrier (a typo is likelier than a wrong carrier), and then at a fraction
// of the format's confidence.
const (
	CompanyBoost      = 0.5
	companyOnlyScore  = 0.35
	failedCheckFactor = 0.3
	// No known format is longer than 40 characters; longer input is not a
	// tracking number and is not worth matching.
	maxLen = 48
	minLen = 6
)

// Normalize upper-cases the number and drops everything but ASCII letters
// and digits, so "1z 999-aa1" and "1Z999AA1" compare equal.
func Normalize(number string) string {
	var b strings.Builder
	b.Grow(len(number))
	for i := range len(number) {
		c := number[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteByte(c)
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		}
	}
	return b.String()
}

// Detect returns the carriers the number may belong to, best first, at most
// one candidate per carrier. company is the store's free-text carrier name
// and may be empty; when it names a carrier, that carrier's candidates gain
// CompanyBoost, a format match with a wrong check digit is still offered, and
// if no format of that carrier matches a plausible number the carrier is
// offered on the name alone (Format == FormatCompany). The result is empty
// when nothing is plausible.
func Detect(number, company string) []Candidate {
	n := Normalize(number)
	if len(n) > maxLen || n == "" {
		return nil
	}
	hint, hinted := CarrierFromCompany(company)
	best := map[string]Candidate{}
	for _, f := range data.Formats {
		m, ok := f.apply(n)
		if !ok {
			continue
		}
		named := hinted && m.carrier == hint
		score := f.Confidence
		if !m.valid {
			if !named {
				continue
			}
			score *= failedCheckFactor
		}
		if named {
			score += CompanyBoost
		}
		c := Candidate{Carrier: m.carrier, Service: m.service, Format: f.ID, CheckDigitValid: m.checked && m.valid, Score: math.Round(score*1000) / 1000}
		if prev, ok := best[c.Carrier]; !ok || c.Score > prev.Score {
			best[c.Carrier] = c
		}
	}
	if _, ok := best[hint]; hinted && !ok && len(n) >= minLen {
		best[hint] = Candidate{Carrier: hint, Format: FormatCompany, Score: companyOnlyScore + CompanyBoost}
	}
	out := make([]Candidate, 0, len(best))
	for _, c := range best {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Carrier, b.Carrier)
	})
	return out
}
