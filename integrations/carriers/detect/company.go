package detect

import (
	"slices"
	"strings"
)

// CarrierFromCompany maps a store's free-text carrier name ("Fedex Ground",
// "DHL eCommerce", "United States Postal Service") to a carrier id. It
// matches whole words, case- and punctuation-insensitively, and prefers the
// longest alias, so "Deutsche Post DHL" is deutsche_post and "USPS" never
// reads as "UPS". ok is false when no alias matches.
func CarrierFromCompany(company string) (carrier string, ok bool) {
	words := strings.Fields(foldName(company))
	if len(words) == 0 {
		return "", false
	}
	compact := strings.Join(words, "")
	bestLen := 0
	for _, id := range sortedCompanyIDs {
		for _, alias := range data.Companies[id] {
			aw := strings.Fields(foldName(alias))
			if len(aw) == 0 || len(alias) <= bestLen {
				continue
			}
			if containsRun(words, aw) || compact == strings.Join(aw, "") {
				carrier, bestLen = id, len(alias)
			}
		}
	}
	return carrier, carrier != ""
}

// sortedCompanyIDs fixes the iteration order so ties resolve the same way
// on every run.
var sortedCompanyIDs = func() []string {
	ids := make([]string, 0, len(data.Companies))
	for id := range data.Companies {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}()

// foldName lower-cases and turns everything but ASCII letters and digits
// into spaces ("FedEx®-Ground" -> "fedex ground").
func foldName(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			b[i] = ' '
		}
	}
	return string(b)
}

// containsRun reports whether needle occurs as consecutive words in hay.
func containsRun(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		if slices.Equal(hay[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}
