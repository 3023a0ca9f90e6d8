package locale

import (
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/language"
)

var matcher = language.NewMatcher(Supported)

// Negotiate picks the best supported language from an Accept-Language header
// ("fr-CH, fr;q=0.9, en;q=0.8") and returns fallback (a stored locale such as
// "es_MX", itself matched) when nothing in the header is supported, English
// when the fallback is not either. Unlike language.ParseAcceptLanguage it
// forgives a malformed entry: a bad quality counts as 1 and an unparsable
// tag is skipped, because a browser's odd header must not cost the shopper
// their language.
func Negotiate(acceptLanguage, fallback string) language.Tag {
	type wanted struct {
		tag language.Tag
		q   float64
	}
	var ws []wanted
	for _, part := range strings.Split(acceptLanguage, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag, err := parseTag(name)
		if err != nil {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			ws = append(ws, wanted{tag, q})
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].q > ws[j].q })
	for _, w := range ws {
		if _, i, conf := matcher.Match(w.tag); conf != language.No {
			return Supported[i]
		}
	}
	if tag, err := parseTag(fallback); err == nil {
		if _, i, conf := matcher.Match(tag); conf != language.No {
			return Supported[i]
		}
	}
	return language.English
}

// parseTag reads a BCP 47 tag, tolerating the case, spaces and underscores
// stores and browsers send ("FR_ca", " es-ES ").
func parseTag(s string) (language.Tag, error) {
	return language.Parse(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"))
}
