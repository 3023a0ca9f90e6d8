package trackpage

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

// DefaultLocale is the locale used when nothing else matches; its copy file
// defines the keys every other locale must have.
const DefaultLocale = "en"

// Locales lists the supported locales, default first.
var Locales = []string{"en", "es", "fr", "de"}

// catalog is one locale's strings: UI labels, stage × problem copy, and the
// names and patterns used to format dates.
type catalog struct {
	lang    string
	strings map[string]string
}

// catalogs parses every locale file once. The files are embedded, so an
// error here is a build defect that New reports and tests catch.
var catalogs = sync.OnceValues(func() (map[string]*catalog, error) {
	out := make(map[string]*catalog, len(Locales))
	for _, lang := range Locales {
		raw, err := fs.ReadFile(templates.Pages, path.Join("pages", "locales", lang+".json"))
		if err != nil {
			return nil, fmt.Errorf("read locale %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("parse locale %s: %w", lang, err)
		}
		out[lang] = &catalog{lang: lang, strings: m}
	}
	return out, nil
})

// lookupCatalog returns the catalog for locale, falling back to English. If
// the embedded files are broken (New reports it) the catalog is empty and
// every string renders as its key.
func lookupCatalog(locale string) *catalog {
	all, err := catalogs()
	if err != nil {
		return &catalog{lang: DefaultLocale, strings: map[string]string{}}
	}
	if c, ok := all[normalizeLocale(locale)]; ok {
		return c
	}
	return all[DefaultLocale]
}

// normalizeLocale reduces "es-MX" or "FR_ca" to its primary language subtag.
func normalizeLocale(locale string) string {
	l := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	return l
}

// T returns the string for key with {name} placeholders replaced from args
// (name, value pairs). A key missing from this locale falls back to English,
// and a key missing everywhere renders as the key, which tests catch.
func (c *catalog) T(key string, args ...string) string {
	s, ok := c.strings[key]
	if !ok && c.lang != DefaultLocale {
		s, ok = lookupCatalog(DefaultLocale).strings[key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// has reports whether the locale itself defines key.
func (c *catalog) has(key string) bool {
	_, ok := c.strings[key]
	return ok
}

// keys lists the locale's keys, sorted.
func (c *catalog) keys() []string {
	out := make([]string, 0, len(c.strings))
	for k := range c.strings {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Date formats t's calendar day in the locale's long form ("Tuesday, May 5").
func (c *catalog) Date(t time.Time) string {
	return c.T("date.long",
		"weekday", c.T("weekday."+strconv.Itoa(int(t.Weekday()))),
		"wd", c.T("wd."+strconv.Itoa(int(t.Weekday()))),
		"month", c.T("month."+strconv.Itoa(int(t.Month()))),
		"mon", c.T("mon."+strconv.Itoa(int(t.Month()))),
		"day", strconv.Itoa(t.Day()),
		"year", strconv.Itoa(t.Year()))
}

// ShortDate formats t's day compactly ("Tue, May 5") for the timeline.
func (c *catalog) ShortDate(t time.Time) string {
	return c.T("date.short",
		"wd", c.T("wd."+strconv.Itoa(int(t.Weekday()))),
		"mon", c.T("mon."+strconv.Itoa(int(t.Month()))),
		"day", strconv.Itoa(t.Day()),
		"year", strconv.Itoa(t.Year()))
}

// YearDate formats t's day with the year ("May 5, 2026"), for the order date.
func (c *catalog) YearDate(t time.Time) string {
	return c.T("date.year",
		"month", c.T("month."+strconv.Itoa(int(t.Month()))),
		"day", strconv.Itoa(t.Day()),
		"year", strconv.Itoa(t.Year()))
}

// Clock formats t's time of day with the locale's Go layout ("3:04 PM", "15:04").
func (c *catalog) Clock(t time.Time) string { return t.Format(c.T("time")) }

// Copy returns the plain-language headline and "what to do next" line for a
// shipment at stage with problem, in locale (English when unsupported).
// A problem overrides the stage's copy except once the shipment is delivered
// or returned, where a leftover delay or missed attempt no longer matters.
func Copy(locale string, stage tracking.Stage, problem tracking.Problem) (headline, nextStep string) {
	c := lookupCatalog(locale)
	key := copyKey(stage, problem)
	return c.T(key + ".headline"), c.T(key + ".next")
}

// copyKey picks the most specific copy the catalog has for stage × problem:
// a stage-specific problem line, then the problem's line, then the stage's.
func copyKey(stage tracking.Stage, problem tracking.Problem) string {
	if !stage.Valid() {
		stage = tracking.StageConfirmed
	}
	en := lookupCatalog(DefaultLocale)
	if problem != tracking.ProblemNone {
		specific := "copy." + string(stage) + "." + string(problem)
		if en.has(specific + ".headline") {
			return specific
		}
		if !stage.Terminal() && en.has("copy."+string(problem)+".headline") {
			return "copy." + string(problem)
		}
	}
	return "copy." + string(stage)
}

// Negotiate picks the best supported locale from an Accept-Language header
// ("fr-CH, fr;q=0.9, en;q=0.8"), matching on the primary language, and
// returns fallback (itself normalized, or English) when nothing matches.
func Negotiate(acceptLanguage, fallback string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(name, "q") {
				if f, err := strconv.ParseFloat(value, 64); err == nil {
					q = f
				}
			}
		}
		lang := normalizeLocale(tag)
		if q <= bestQ || !supported(lang) {
			continue
		}
		best, bestQ = lang, q
	}
	if best != "" {
		return best
	}
	if fb := normalizeLocale(fallback); supported(fb) {
		return fb
	}
	return DefaultLocale
}

func supported(lang string) bool {
	for _, l := range Locales {
		if l == lang {
			return true
		}
	}
	return false
}

// Qty labels a line item's quantity ("Qty 2").
func (c *catalog) Qty(n int) string { return c.T("items.qty", "n", strconv.Itoa(n)) }
