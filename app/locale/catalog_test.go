package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/language"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// merchantOnly is the namespace written for merchants, in English only.
const merchantOnly = "merchant."

func TestEveryLanguageHasEveryEnglishKey(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatalf("load catalogs: %v", err)
	}
	en := For(language.English)
	for _, tag := range Supported[1:] {
		t.Run(tag.String(), func(t *testing.T) {
			c := For(tag)
			for _, k := range en.Keys() {
				if strings.HasPrefix(k, merchantOnly) {
					continue
				}
				if v, ok := c.strings[k]; !ok || v == "" {
					t.Errorf("%s lacks key %q", tag, k)
				}
			}
			for _, k := range c.Keys() {
				if _, ok := en.strings[k]; !ok {
					t.Errorf("%s has key %q that English lacks (typo?)", tag, k)
				}
			}
		})
	}
}

func TestEveryStageProblemAndTriggerHasItsWords(t *testing.T) {
	for _, tag := range Supported {
		c := For(tag)
		for _, s := range tracking.Stages {
			if got := c.StageLabel(s); strings.HasPrefix(got, "stage.") {
				t.Errorf("%s: StageLabel(%s) = %q, want a label", tag, s, got)
			}
		}
		for _, p := range tracking.Problems[1:] {
			if got := c.ProblemLabel(p); strings.HasPrefix(got, "problem.") {
				t.Errorf("%s: ProblemLabel(%s) = %q, want a label", tag, p, got)
			}
		}
	}
	en := For(language.English)
	for _, tr := range tracking.Triggers {
		if !en.Has("merchant.trigger." + string(tr)) {
			t.Errorf("trigger %s has no merchant.trigger key", tr)
		}
	}
}

func TestCopyCoversEveryStageAndProblemInEveryLanguage(t *testing.T) {
	en := For(language.English)
	for _, tag := range Supported {
		c := For(tag)
		for _, stage := range tracking.Stages {
			for _, problem := range tracking.Problems {
				for _, expired := range []bool{false, true} {
					headline, next := c.Copy(stage, problem, expired)
					for name, s := range map[string]string{"headline": headline, "next step": next} {
						if s == "" || strings.HasPrefix(s, "copy.") {
							t.Errorf("%s/%s/%s/expired=%t: %s is %q, want a sentence", tag, stage, problem, expired, name, s)
						}
					}
					if enHeadline, _ := en.Copy(stage, problem, expired); tag != language.English && headline == enHeadline {
						t.Errorf("%s/%s/%s: headline %q is the English one, want a translation", tag, stage, problem, headline)
					}
				}
			}
		}
	}
}

func TestCopyPrefersProblemUntilDeliveredOrReturned(t *testing.T) {
	tests := []struct {
		name    string
		stage   tracking.Stage
		problem tracking.Problem
		expired bool
		want    string
	}{
		{"no problem uses the stage", tracking.StageInTransit, tracking.ProblemNone, false, "Your package is in transit"},
		{"a delay in transit uses the problem", tracking.StageInTransit, tracking.ProblemDelayed, false, "Your package is running late"},
		{"a delay before shipping has its own line", tracking.StageConfirmed, tracking.ProblemDelayed, false, "Your order is taking longer than usual to ship"},
		{"a failed attempt out for delivery uses the problem", tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, false, "The carrier tried to deliver your package"},
		{"a leftover delay after delivery is ignored", tracking.StageDelivered, tracking.ProblemDelayed, false, "Your package was delivered"},
		{"a leftover problem after return is ignored", tracking.StageReturned, tracking.ProblemException, false, "Your package was returned to us"},
		{"an exception on the way back uses the problem", tracking.StageReturning, tracking.ProblemException, false, "There's a problem with your delivery"},
		{"an unknown stage reads as confirmed", tracking.Stage("bogus"), tracking.ProblemNone, false, "We've got your order"},
		{"expired says tracking stopped", tracking.StageInTransit, tracking.ProblemDelayed, true, "Tracking updates have stopped"},
		{"expired after delivery is still delivered", tracking.StageDelivered, tracking.ProblemNone, true, "Your package was delivered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := For(language.English).Copy(tt.stage, tt.problem, tt.expired); got != tt.want {
				t.Errorf("Copy(%s, %s, %t) headline = %q, want %q", tt.stage, tt.problem, tt.expired, got, tt.want)
			}
		})
	}
}

func TestForLocaleReducesToTheBaseLanguage(t *testing.T) {
	tests := map[string]string{
		"": "en", "en": "en", "es": "es", "es_MX": "es", "ES-es": "es", "fr-CA": "fr", "FR_ca": "fr",
		"de": "de", "de-AT": "de", "ja": "ja", "pt-BR": "pt", "pt-PT": "pt", "pt_pt": "pt", "it-CH": "it", "nl-BE": "nl", "ja-JP": "ja", "sv": "en", "garbage!": "en",
	}
	for in, want := range tests {
		if got := ForLocale(in).Lang(); got != want {
			t.Errorf("ForLocale(%q).Lang() = %q, want %q", in, got, want)
		}
	}
}

func TestNegotiatePicksTheBestSupportedLanguage(t *testing.T) {
	tests := []struct {
		name, header, fallback, want string
	}{
		{"exact match", "fr", "en", "fr"},
		{"region is ignored", "de-AT,de;q=0.9", "en", "de"},
		{"quality order wins over position", "ko;q=0.9,es;q=0.8,fr;q=0.85,ja;q=0.83", "en", "fr"},
		{"unsupported first choice falls through", "ko-KR, es;q=0.5", "en", "es"},
		{"Japanese", "ja-JP,ja;q=0.9", "en", "ja"},
		{"Brazilian Portuguese", "pt-BR,pt;q=0.9,en;q=0.5", "en", "pt"},
		{"European Portuguese reads the Brazilian copy", "pt-PT,en;q=0.5", "en", "pt"},
		{"Italian from Switzerland", "it-CH", "de", "it"},
		{"an unsupported browser falls to the order's Dutch", "sv-SE,da;q=0.8", "nl_BE", "nl"},
		{"an unsupported browser falls to the order's Japanese", "ko", "ja-JP", "ja"},
		{"q=0 means not acceptable", "fr;q=0, de;q=0.1", "en", "de"},
		{"wildcard alone uses the fallback", "*", "es", "es"},
		{"empty header uses the fallback", "", "de", "de"},
		{"unsupported fallback becomes English", "ko", "sv-SE", "en"},
		{"fallback is normalized", "", "FR_ca", "fr"},
		{"case and spaces are tolerated", " ES-es ; q=0.7 , EN;q=0.3", "de", "es"},
		{"malformed quality counts as 1", "de;q=abc, fr;q=0.9", "en", "de"},
		{"malformed tag is skipped", "!!, fr;q=0.2", "en", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Negotiate(tt.header, tt.fallback).String(); got != tt.want {
				t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.header, tt.fallback, got, tt.want)
			}
		})
	}
}

func TestTFallsBackToEnglishThenToTheKey(t *testing.T) {
	es := For(language.Spanish)
	if got, want := es.T("merchant.source.sms"), "by SMS"; got != want {
		t.Errorf("es merchant key = %q, want the English %q", got, want)
	}
	if got := es.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q, want the key", got)
	}
}

func TestNUsesTheLanguagesPluralForms(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "Show 1 earlier update"},
		{"en", 3, "Show 3 earlier updates"},
		{"fr", 1, "Voir 1 mise à jour précédente"},
		{"fr", 2, "Voir 2 mises à jour précédentes"},
		{"de", 5, "5 frühere Updates anzeigen"},
		{"pt-BR", 1, "Mostrar 1 atualização anterior"},
		{"pt-PT", 2, "Mostrar 2 atualizações anteriores"},
		{"it", 1, "Mostra 1 aggiornamento precedente"},
		{"it", 4, "Mostra 4 aggiornamenti precedenti"},
		{"nl", 1, "Toon 1 eerdere update"},
		{"nl", 6, "Toon 6 eerdere updates"},
		{"ja", 1, "以前の更新を1件表示"}, // Japanese has one form for every count
		{"ja", 7, "以前の更新を7件表示"},
	}
	for _, tt := range tests {
		if got := ForLocale(tt.lang).N("timeline.more", tt.n); got != tt.want {
			t.Errorf("%s N(timeline.more, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestDatesAndClockInEveryLanguage(t *testing.T) {
	day := time.Date(2026, 11, 24, 15, 4, 0, 0, time.UTC) // a Tuesday
	morning := time.Date(2026, 12, 1, 9, 5, 0, 0, time.UTC)
	tests := []struct {
		lang, long, short, year, clock, first, morning string
	}{
		{"en", "Tuesday, November 24", "Tue, Nov 24", "November 24, 2026", "3:04 PM", "Tuesday, December 1", "9:05 AM"},
		{"es", "martes, 24 de noviembre", "mar, 24 nov", "24 de noviembre de 2026", "15:04", "martes, 1 de diciembre", "9:05"},
		{"fr", "mardi 24 novembre", "mar. 24 nov.", "24 novembre 2026", "15 h 04", "mardi 1er décembre", "9 h 05"},
		{"de", "Dienstag, 24. November", "Di., 24. Nov.", "24. November 2026", "15:04 Uhr", "Dienstag, 1. Dezember", "9:05 Uhr"},
		{"pt-BR", "terça-feira, 24 de novembro", "ter, 24 nov", "24 de novembro de 2026", "15:04", "terça-feira, 1º de dezembro", "9:05"},
		{"it", "martedì 24 novembre", "mar 24 nov", "24 novembre 2026", "15:04", "martedì 1º dicembre", "9:05"},
		{"nl", "dinsdag 24 november", "di 24 nov", "24 november 2026", "15:04", "dinsdag 1 december", "9:05"},
		{"ja", "11月24日（火）", "11月24日（火）", "2026年11月24日", "15:04", "12月1日（火）", "9:05"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := ForLocale(tt.lang)
			for _, got := range []struct{ name, got, want string }{
				{"Date", c.Date(day), tt.long},
				{"ShortDate", c.ShortDate(day), tt.short},
				{"YearDate", c.YearDate(day), tt.year},
				{"Clock", c.Clock(day), tt.clock},
				{"Date on the 1st", c.Date(morning), tt.first},
				{"Clock in the morning", c.Clock(morning), tt.morning},
			} {
				if got.got != got.want {
					t.Errorf("%s = %q, want %q", got.name, got.got, got.want)
				}
			}
		})
	}
}

func TestWindowStyles(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name           string
		lang           string
		earliest, late time.Time
		style          WindowStyle
		want           string
	}{
		{"one day", "en", at(3, 0), at(3, 0), WindowLong, "Tuesday, March 3"},
		{"whole day to 23:59", "en", at(3, 0), time.Date(2026, 3, 3, 23, 59, 0, 0, time.UTC), WindowLong, "Tuesday, March 3"},
		{"hours on the day", "en", at(5, 9), at(5, 13), WindowLong, "Thursday, March 5, 9:00 AM – 1:00 PM"},
		{"hours on the day, phrase", "es", at(6, 9), at(6, 13), WindowPhrase, "el viernes, 6 de marzo, entre las 9:00 y las 13:00"},
		{"hours on the day, days only", "en", at(5, 9), at(5, 13), WindowDays, "Thursday, March 5"},
		{"range", "en", at(3, 0), at(5, 0), WindowLong, "Tuesday, March 3 – Thursday, March 5"},
		{"range, short", "en", at(3, 0), at(5, 0), WindowShort, "Tue, Mar 3 – Thu, Mar 5"},
		{"range, phrase", "fr", at(3, 0), at(5, 0), WindowPhrase, "entre le mardi 3 mars et le jeudi 5 mars"},
		{"range, short phrase", "de", at(3, 0), at(5, 0), WindowShortPhrase, "zwischen Di., 3. März und Do., 5. März"},
		{"one day, phrase", "de", at(3, 0), at(3, 0), WindowPhrase, "am Dienstag, 3. März"},
		{"only the latest", "en", time.Time{}, at(5, 0), WindowDays, "Thursday, March 5"},
		{"nothing", "en", time.Time{}, time.Time{}, WindowLong, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ForLocale(tt.lang).Window(tt.earliest, tt.late, time.UTC, tt.style); got != tt.want {
				t.Errorf("Window = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMoneyFollowsCLDRForEachCurrencyAndLocale(t *testing.T) {
	tests := []struct{ locale, amount, currency, want string }{
		{"en", "1234.5", "usd", "$1,234.50"},
		{"en", "-12", "CHF", "-CHF\u00a012.00"},
		{"en", "1000", "JPY", "¥1,000"},
		{"de", "1234.5", "EUR", "1.234,50\u00a0€"},
		{"fr", "1234.5", "EUR", "1\u202f234,50\u00a0€"},
		{"es", "1234.5", "EUR", "1234,50\u00a0€"},           // CLDR: Spanish groups from five digits
		{"en", "12.345", "KWD", "KWD\u00a012.345"},          // three decimals, not "12.35"
		{"fr", "1500", "XOF", "1\u202f500\u00a0F\u202fCFA"}, // no decimals
		{"es-MX", "1234.5", "MXN", "$1,234.50"},             // not "1.234,50 MX$"
		{"es_MX", "1234.5", "MXN", "$1,234.50"},
		{"fr-CA", "5", "CAD", "5,00\u00a0$"},
		{"fr", "12", "XYZ", "12,00\u00a0XYZ"},
		{"en", "n/a", "USD", "n/a"},
		{"it", "89.50", "", "89,50"}, // no currency known: the number alone, no trailing space
		{"pt-BR", "1234.5", "BRL", "R$\u00a01.234,50"},
		{"pt-PT", "1234.5", "EUR", "1234,50\u00a0€"}, // the Portuguese copy, Portugal's money
		{"it", "12345.5", "EUR", "12.345,50\u00a0€"},
		{"nl-BE", "1234.5", "EUR", "€\u00a01.234,50"},
		{"ja", "1234.5", "JPY", "￥1,235"}, // yen have no decimals
	}
	for _, tt := range tests {
		if got := Money(tt.locale, tt.amount, tt.currency); got != tt.want {
			t.Errorf("Money(%s, %s, %s) = %q, want %q", tt.locale, tt.amount, tt.currency, got, tt.want)
		}
	}
}

func TestMerchantActionIsOneSentencePerKind(t *testing.T) {
	en := For(language.English)
	tests := []struct{ kind, source, want string }{
		{"confirm_address", "whatsapp", "confirmed their delivery details on WhatsApp"},
		{"correct_address", "page", "sent a corrected delivery address on the tracking page"},
		{"reschedule", "sms", "asked to reschedule the delivery by SMS"},
		{"not_received", "voice", "reported the package as not received on an update call"},
		{"contact_support", "page", "asked you to contact them on the tracking page"},
		{"reschedule", "", "asked to reschedule the delivery"},
		{"gift_message", "fax", "sent a request (gift_message) via fax"},
	}
	for _, tt := range tests {
		if got := en.MerchantAction(tt.kind, tt.source); got != tt.want {
			t.Errorf("MerchantAction(%s, %s) = %q, want %q", tt.kind, tt.source, got, tt.want)
		}
	}
	if got := For(language.German).MerchantAction("reschedule", "sms"); got != "asked to reschedule the delivery by SMS" {
		t.Errorf("German catalog MerchantAction = %q, want the English sentence", got)
	}
}

// TestFillReplacesEachPlaceholderOnce: one pass over the string, values
// never read as placeholders, unknown names and stray braces kept, the
// first value of a name wins.
func TestFillReplacesEachPlaceholderOnce(t *testing.T) {
	for _, tc := range []struct {
		s    string
		args []string
		want string
	}{
		{"{from} – {to}", []string{"from", "Mon", "to", "Tue"}, "Mon – Tue"},
		{"{from} – {to}", []string{"from", "{to}", "to", "Tue"}, "{to} – Tue"},
		{"{a}{a}", []string{"a", "x", "a", "y"}, "xx"},
		{"{unknown} and {a}", []string{"a", "x"}, "{unknown} and x"},
		{"{ {a} }", []string{"a", "x"}, "{ x }"},
		{"open {a", []string{"a", "x"}, "open {a"},
		{"no placeholders", []string{"a", "x"}, "no placeholders"},
		{"{a}", nil, "{a}"},
	} {
		if got := fill(tc.s, tc.args); got != tc.want {
			t.Errorf("fill(%q, %q) = %q; want %q", tc.s, tc.args, got, tc.want)
		}
	}
}

// TestDatesAllocateOnlyTheirResult: every page and message formats dates
// and windows, so T builds nothing per call (a strings.Replacer per call
// cost more than the rest of an email).
func TestDatesAllocateOnlyTheirResult(t *testing.T) {
	c := ForLocale("es_MX")
	e := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	allocs := testing.AllocsPerRun(200, func() {
		c.Window(e, e.AddDate(0, 0, 2), time.UTC, WindowLong)
	})
	if allocs > 12 {
		t.Errorf("Window allocates %.0f times per call; want at most 12", allocs)
	}
	if m := testing.AllocsPerRun(200, func() { Money("fr-CA", "49.90", "CAD") }); m > 2 {
		t.Errorf("Money allocates %.0f times per call; want at most 2", m)
	}
}

// TestTranslationsKeepTheirPlaceholders: every translation fills in the
// same {names} as English, so no language drops the carrier, the date or
// the amount; the date and clock patterns, which each language builds from
// its own parts, are the exception, and so is "zone.shown", whose {city} is
// the English name from the zone id, so only English names it.
func TestTranslationsKeepTheirPlaceholders(t *testing.T) {
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	names := func(s string) []string {
		out := placeholder.FindAllString(s, -1)
		slices.Sort(out)
		return slices.Compact(out)
	}
	en := For(language.English)
	for _, tag := range Supported[1:] {
		c := For(tag)
		for _, k := range c.Keys() {
			if k == "time" || k == "zone.shown" || strings.HasPrefix(k, "date.") {
				continue
			}
			if got, want := names(c.strings[k]), names(en.strings[k]); !slices.Equal(got, want) {
				t.Errorf("%s %s fills %v; English fills %v", tag, k, got, want)
			}
		}
	}
}

// TestRememberedDatesFollowTheZone: Date and ShortDate remember the days
// they wrote, by the calendar day in t's own zone, so one instant on two
// sides of midnight reads as two days, and every day keeps its own words.
func TestRememberedDatesFollowTheZone(t *testing.T) {
	c := ForLocale("en")
	instant := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC) // Wednesday in UTC, Tuesday evening in New York
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	for range 2 { // written, then remembered
		if got := c.Date(instant); got != "Wednesday, March 4" {
			t.Errorf("Date(UTC) = %q; want Wednesday, March 4", got)
		}
		if got := c.Date(instant.In(ny)); got != "Tuesday, March 3" {
			t.Errorf("Date(New York) = %q; want Tuesday, March 3", got)
		}
		if got := c.ShortDate(instant); got != "Wed, Mar 4" {
			t.Errorf("ShortDate(UTC) = %q; want Wed, Mar 4", got)
		}
	}
}

// TestEachLanguageAddressesTheShopperOneWay keeps one register per
// language: a page that says "Sie" must not switch to "du" in its sign-up
// form, nor a French page from "vous" to "tu".
func TestEachLanguageAddressesTheShopperOneWay(t *testing.T) {
	tests := []struct {
		lang   string
		uses   string
		avoids []string
	}{
		{"de", "Sie", []string{"du", "dir", "dich", "dein", "deine", "deinen", "deinem", "deiner", "deines", "antworte"}},
		{"fr", "vous", []string{"tu", "toi", "ton", "ta", "tes", "réponds"}},
		{"nl", "je", []string{"u", "uw"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := For(language.MustParse(tt.lang))
			for _, k := range c.Keys() {
				words := strings.FieldsFunc(strings.ToLower(c.strings[k]), func(r rune) bool { return !unicode.IsLetter(r) })
				for _, w := range words {
					if slices.Contains(tt.avoids, w) {
						t.Errorf("%s %q says %q; the %s copy addresses the shopper with %q: %s", tt.lang, k, w, tt.lang, tt.uses, c.strings[k])
					}
				}
			}
		})
	}
}
