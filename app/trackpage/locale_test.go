package trackpage

import (
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestEveryLocaleHasEveryKey(t *testing.T) {
	all, err := catalogs()
	if err != nil {
		t.Fatalf("load catalogs: %v", err)
	}
	en := all[DefaultLocale]
	for _, lang := range Locales {
		t.Run(lang, func(t *testing.T) {
			c := all[lang]
			for _, k := range en.keys() {
				if v, ok := c.strings[k]; !ok || strings.TrimSpace(v) == "" {
					t.Errorf("%s lacks key %q", lang, k)
				}
			}
			for _, k := range c.keys() {
				if !en.has(k) {
					t.Errorf("%s has key %q that English lacks (typo?)", lang, k)
				}
			}
		})
	}
}

func TestCopyCoversEveryStageAndProblemInEveryLocale(t *testing.T) {
	for _, lang := range Locales {
		for _, stage := range tracking.Stages {
			for _, problem := range tracking.Problems {
				t.Run(lang+"/"+string(stage)+"/"+string(problem), func(t *testing.T) {
					headline, next := Copy(lang, stage, problem)
					for name, s := range map[string]string{"headline": headline, "next step": next} {
						if s == "" || strings.HasPrefix(s, "copy.") {
							t.Errorf("%s is %q, want a sentence", name, s)
						}
					}
					enHeadline, _ := Copy("en", stage, problem)
					if lang != DefaultLocale && headline == enHeadline {
						t.Errorf("headline %q is the English one, want a translation", headline)
					}
				})
			}
		}
	}
}

func TestCopyPrefersProblemUntilDeliveredOrReturned(t *testing.T) {
	tests := []struct {
		name    string
		stage   tracking.Stage
		problem tracking.Problem
		want    string
	}{
		{"no problem uses the stage", tracking.StageInTransit, tracking.ProblemNone, "Your package is in transit"},
		{"a delay in transit uses the problem", tracking.StageInTransit, tracking.ProblemDelayed, "Your package is running late"},
		{"a delay before shipping has its own line", tracking.StageConfirmed, tracking.ProblemDelayed, "Your order is taking longer than usual to ship"},
		{"a failed attempt out for delivery uses the problem", tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, "The carrier tried to deliver your package"},
		{"a leftover delay after delivery is ignored", tracking.StageDelivered, tracking.ProblemDelayed, "Your package was delivered"},
		{"a leftover problem after return is ignored", tracking.StageReturned, tracking.ProblemException, "Your package was returned to us"},
		{"an exception on the way back uses the problem", tracking.StageReturning, tracking.ProblemException, "There's a problem with your delivery"},
		{"an unknown stage reads as confirmed", tracking.Stage("bogus"), tracking.ProblemNone, "We've got your order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := Copy("en", tt.stage, tt.problem); got != tt.want {
				t.Errorf("Copy(en, %s, %s) headline = %q, want %q", tt.stage, tt.problem, got, tt.want)
			}
		})
	}
}

func TestCopyFallsBackToEnglish(t *testing.T) {
	got, _ := Copy("ja", tracking.StageShipped, tracking.ProblemNone)
	want, _ := Copy("en", tracking.StageShipped, tracking.ProblemNone)
	if got != want {
		t.Errorf("Copy(ja) = %q, want the English %q", got, want)
	}
	got, _ = Copy("es-MX", tracking.StageShipped, tracking.ProblemNone)
	if want := "Tu pedido está en camino"; got != want {
		t.Errorf("Copy(es-MX) = %q, want the Spanish %q", got, want)
	}
}

func TestNegotiatePicksTheBestSupportedLanguage(t *testing.T) {
	tests := []struct {
		name, header, fallback, want string
	}{
		{"exact match", "fr", "en", "fr"},
		{"region is ignored", "de-AT,de;q=0.9", "en", "de"},
		{"quality order wins over position", "ja;q=0.9,es;q=0.8,fr;q=0.85", "en", "fr"},
		{"unsupported first choice falls through", "ja-JP, es;q=0.5", "en", "es"},
		{"q=0 means not acceptable", "fr;q=0, de;q=0.1", "en", "de"},
		{"wildcard alone uses the fallback", "*", "es", "es"},
		{"empty header uses the fallback", "", "de", "de"},
		{"unsupported fallback becomes English", "ja", "pt-BR", "en"},
		{"fallback is normalized", "", "FR_ca", "fr"},
		{"case and spaces are tolerated", " ES-es ; q=0.7 , EN;q=0.3", "de", "es"},
		{"malformed quality counts as 1", "de;q=abc, fr;q=0.9", "en", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Negotiate(tt.header, tt.fallback); got != tt.want {
				t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.header, tt.fallback, got, tt.want)
			}
		})
	}
}

func TestDatesUseLocaleMonthAndDayNames(t *testing.T) {
	day := time.Date(2026, 11, 24, 15, 4, 0, 0, time.UTC) // a Tuesday
	tests := []struct {
		lang, long, short, year, clock string
	}{
		{"en", "Tuesday, November 24", "Tue, Nov 24", "November 24, 2026", "3:04 PM"},
		{"es", "martes, 24 de noviembre", "mar, 24 nov", "24 de noviembre de 2026", "15:04"},
		{"fr", "mardi 24 novembre", "mar. 24 nov.", "24 novembre 2026", "15:04"},
		{"de", "Dienstag, 24. November", "Di., 24. Nov.", "24. November 2026", "15:04"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := lookupCatalog(tt.lang)
			for _, got := range []struct{ name, got, want string }{
				{"Date", c.Date(day), tt.long},
				{"ShortDate", c.ShortDate(day), tt.short},
				{"YearDate", c.YearDate(day), tt.year},
				{"Clock", c.Clock(day), tt.clock},
			} {
				if got.got != got.want {
					t.Errorf("%s = %q, want %q", got.name, got.got, got.want)
				}
			}
		})
	}
}
