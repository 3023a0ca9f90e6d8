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
	// MailerID is the USPS mailer id of an IMpb number when it is one known
	// to belong to Carrier (a consolidator such as FedEx Ground Economy or
	// DHL eCommerce that hands the last mile to USPS).
	MailerID string `json:"mailer_id,omitempty"`
	// Score ranks candidates, higher first. It is a relative weight, not a
	// probability: a company-name match adds CompanyBoost.
	Score float64 `json:"score"`
}

// FormatCompany marks a candidate that rests only on the store's carrier name:
// the number is plausible but matches no known format of that carrier (Royal
// Mail domestic, La Poste Colissimo and many postal formats are not in the data).
const FormatCompany = "company"

// Scoring weights. A failed check digit keeps a fraction of the format's
// confidence (see DetectWith for when it is kept at all).
const (
	CompanyBoost = 0.5
	// MailerBoost lifts a consolidator above USPS on an IMpb number that
	// carries the consolidator's own mailer id.
	MailerBoost       = 0.5
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

// Hints is what the store says besides the number: its free-text carrier
// name and the destination country (ISO 3166-1 alpha-2). Both only reorder
// and complete the candidates; neither vetoes one.
type Hints struct {
	Company string
	Country string
}

// Detect is DetectWith without a destination country.
func Detect(number, company string) []Candidate {
	return DetectWith(number, Hints{Company: company})
}

// DetectWith returns every carrier the number may belong to, at most one
// candidate per carrier, ranked: candidates whose check digit verified (or
// whose format has none) first, then those whose check digit failed, each
// group by score. A failed check digit is offered, flagged
// CheckDigitValid false, when the format names its carrier by shape alone
// (1Z…, 94…, an S10 id) or when the store named that carrier; a plain digit
// run with a wrong check digit is dropped. The store's carrier name adds
// CompanyBoost to that carrier, unlocks its hint-only formats (FedEx Freight
// PRO, DHL Global Mail) and, if none of its formats matches a plausible
// number, offers it on the name alone (Format == FormatCompany). A
// destination country in a carrier's home network adds CountryBoost, which
// breaks ties between a domestic post and a courier. A USPS IMpb number
// issued for a consolidator (FedEx Ground Economy, UPS Mail Innovations, DHL
// eCommerce) returns both: the consolidator first when the number carries
// one of its known mailer ids (MailerBoost) or the store names it, else USPS. The result is empty
// when nothing is plausible.
func DetectWith(number string, h Hints) []Candidate {
	n := Normalize(number)
	if len(n) > maxLen || n == "" {
		return nil
	}
	hint, hinted := CarrierFromCompany(h.Company)
	country := strings.ToUpper(strings.TrimSpace(h.Country))
	best := map[string]Candidate{}
	failed := map[string]bool{}
	for _, f := range data.Formats {
		m, ok := f.apply(n)
		if !ok {
			continue
		}
		named := hinted && m.carrier == hint
		if f.HintOnly && !named {
			continue
		}
		score := f.Confidence
		if !m.valid {
			if !named && !f.Distinctive {
				continue
			}
			score *= failedCheckFactor
		}
		if named {
			score += CompanyBoost
		}
		if m.mailer != "" {
			score += MailerBoost
		}
		if country != "" && slices.Contains(homeCountries[m.carrier], country) {
			score += CountryBoost
		}
		c := Candidate{Carrier: m.carrier, Service: m.service, Format: f.ID, CheckDigitValid: m.checked && m.valid, MailerID: m.mailer, Score: math.Round(score*1000) / 1000}
		prev, seen := best[c.Carrier]
		switch {
		case !seen, failed[c.Carrier] && m.valid, failed[c.Carrier] == !m.valid && c.Score > prev.Score:
			best[c.Carrier], failed[c.Carrier] = c, !m.valid
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
		if fa, fb := failed[a.Carrier], failed[b.Carrier]; fa != fb {
			if fa {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Carrier, b.Carrier)
	})
	return out
}

// CountryBoost is what a destination inside a carrier's home network adds.
const CountryBoost = 0.15

// homeCountries are the networks of carriers that deliver mostly at home:
// national posts and regional couriers. Global integrators are absent, so a
// destination never counts against them.
var homeCountries = map[string][]string{
	"usps": {"US", "PR", "GU", "VI", "AS", "MP"}, "canada_post": {"CA"}, "royal_mail": {"GB"}, "deutsche_post": {"DE"},
	"la_poste": {"FR"}, "purolator": {"CA"}, "canpar": {"CA"}, "ontrac": {"US"}, "lasership": {"US"}, "speedee": {"US"},
	"gofo": {"US"}, "old_dominion": {"US"}, "yodel": {"GB"}, "dpd": {"DE", "GB", "FR", "NL", "BE", "PL", "AT", "IE", "CZ", "LU"},
}
