// Package locale is ordertrack's one copy catalog: every word a shopper or a
// merchant reads that is not a merchant-editable template — page labels,
// stage and problem names, the headline and next step per stage × problem,
// date, clock and money formats, SMS and voice replies, and the sentences
// that tell a merchant what a shopper asked. The words live in
// templates/locales/<lang>.json; this package finds the right language and
// fills them in, so a message and a page can no longer name the same thing
// differently.
package locale

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/ordertrack/ordertrack/templates"
)

// Supported lists the catalog's languages, English (the fallback, whose file
// defines every key) first.
var Supported = []language.Tag{
	language.English, language.Spanish, language.French, language.German,
	language.Portuguese, language.Italian, language.Dutch, language.Japanese,
}

// Catalog is one language's copy. Keys it lacks fall back to English, so a
// half-translated namespace (the merchant sentences are English-only) still
// reads.
type Catalog struct {
	tag     language.Tag
	lang    string
	strings map[string]string
	en      *Catalog // nil for English itself
	days    dayMemo
}

// catalogs parses every language file once. The files are embedded, so an
// error here is a build defect that Check reports at boot and tests catch.
var catalogs = sync.OnceValues(func() (map[string]*Catalog, error) {
	out := make(map[string]*Catalog, len(Supported))
	for _, tag := range Supported {
		lang := tag.String()
		raw, err := fs.ReadFile(templates.Locales, path.Join("locales", lang+".json"))
		if err != nil {
			return nil, fmt.Errorf("read locale %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("parse locale %s: %w", lang, err)
		}
		out[lang] = &Catalog{tag: tag, lang: lang, strings: m}
	}
	en := out[language.English.String()]
	for _, c := range out {
		if c != en {
			c.en = en
		}
	}
	return out, nil
})

// Check reports whether the embedded catalog files parse; callers run it
// once at boot so a broken file stops the process instead of rendering keys.
func Check() error {
	_, err := catalogs()
	return err
}

// For returns the catalog of a supported language, English for any other.
// If the embedded files are broken (Check reports it) the catalog is empty
// and every string renders as its key.
func For(tag language.Tag) *Catalog {
	all, err := catalogs()
	if err != nil {
		return &Catalog{tag: language.English, lang: "en", strings: map[string]string{}}
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		i = 0
	}
	return all[Supported[i].String()]
}

// ForLocale returns the catalog for a stored locale such as "es_MX", "fr-CA"
// or "de": its base language when supported, English otherwise.
func ForLocale(locale string) *Catalog {
	if c, ok := byLocale.Load(locale); ok {
		return c.(*Catalog)
	}
	c := For(language.English)
	if tag, err := parseTag(locale); err == nil {
		c = For(tag)
	}
	if len(locale) <= 35 && byLocaleCount.Add(1) <= maxLocales { // stored locales are few; junk is not kept
		byLocale.Store(locale, c)
	}
	return c
}

// byLocale memoises ForLocale, which parses and matches a BCP 47 tag, for
// up to maxLocales distinct strings.
var (
	byLocale      sync.Map // locale string → *Catalog
	byLocaleCount atomic.Int64
)

const maxLocales = 1000

// Tag is the catalog's language.
func (c *Catalog) Tag() language.Tag { return c.tag }

// Lang is the catalog's language code ("en", "es"), for lang attributes and
// template paths.
func (c *Catalog) Lang() string { return c.lang }

// T returns the string for key with {name} placeholders replaced from args
// (name, value pairs). A key missing from this language falls back to
// English, and a key missing everywhere renders as the key, which tests
// catch.
func (c *Catalog) T(key string, args ...string) string {
	s, ok := c.lookup(key)
	if !ok {
		return key
	}
	return fill(s, args)
}

// N is T for a sentence about n things: it uses key+"_one" where the
// language's plural rules call n singular and the catalog has that form,
// and passes n as {n}.
func (c *Catalog) N(key string, n int, args ...string) string {
	args = append([]string{"n", strconv.Itoa(n)}, args...)
	if plural.Cardinal.MatchPlural(c.tag, n, 0, 0, 0, 0) == plural.One {
		if s, ok := c.lookup(key + "_one"); ok {
			return fill(s, args)
		}
	}
	return c.T(key, args...)
}

// Has reports whether the catalog, or English behind it, defines key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.lookup(key)
	return ok
}

// Keys lists the keys this language's own file defines, sorted.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.strings))
	for k := range c.strings {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *Catalog) lookup(key string) (string, bool) {
	if s, ok := c.strings[key]; ok {
		return s, true
	}
	if c.en != nil {
		s, ok := c.en.strings[key]
		return s, ok
	}
	return "", false
}

// fill replaces each {name} in s with its value from args (name, value
// pairs; the first pair of a name wins) in one pass, so a value that holds
// braces is not replaced again. It runs for every date and label of every
// page and message, so it builds nothing per call.
func fill(s string, args []string) string {
	if len(args) < 2 || strings.IndexByte(s, '{') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16*len(args)/2)
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			break
		}
		name := s[open+1 : open+end]
		v, ok := arg(args, name)
		if !ok {
			b.WriteString(s[:open+1])
			s = s[open+1:]
			continue
		}
		b.WriteString(s[:open])
		b.WriteString(v)
		s = s[open+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

func arg(args []string, name string) (string, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == name {
			return args[i+1], true
		}
	}
	return "", false
}

// Merchant is the catalog merchant-facing text reads (notices, order notes):
// English, the language the admin is written in.
func Merchant() *Catalog { return For(language.English) }
