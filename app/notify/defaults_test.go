package notify

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

// shipped returns the source of a shipped template, and whether the
// language has that part itself (no English fallback).
func shipped(t *testing.T, lang string, trig tracking.Trigger, part Part) (string, bool) {
	t.Helper()
	b, err := fs.ReadFile(templates.Messages, "messages/"+lang+"/"+string(trig)+"."+string(part)+".liquid")
	if err != nil {
		return "", false
	}
	return string(b), true
}

var (
	liquidTag   = regexp.MustCompile(`\{\{.*?\}\}|\{%.*?%\}`)
	quoted      = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	identifier  = regexp.MustCompile(`[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*`)
	liquidWords = map[string]bool{"if": true, "elsif": true, "else": true, "endif": true, "unless": true,
		"endunless": true, "for": true, "in": true, "endfor": true, "and": true, "or": true}
)

// variables lists the variables and filters a template's tags name.
func variables(src string) []string {
	var out []string
	for _, tag := range liquidTag.FindAllString(src, -1) {
		for _, id := range identifier.FindAllString(quoted.ReplaceAllString(tag, ""), -1) {
			if !liquidWords[id] && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestDefaultTemplatesUseTheEnglishVariables: every translation of a
// template names the same variables and filters as the English one, so no
// language drops the tracking link, the estimate or the amount to pay.
func TestDefaultTemplatesUseTheEnglishVariables(t *testing.T) {
	for _, lang := range Locales[1:] {
		for _, trig := range tracking.Triggers {
			for _, part := range Parts {
				src, ok := shipped(t, lang, trig, part)
				if !ok {
					continue // coverage is TestEveryDefaultTemplateValidates's
				}
				en, _ := shipped(t, "en", trig, part)
				if got, want := variables(src), variables(en); !slices.Equal(got, want) {
					t.Errorf("%s/%s.%s names %v; English names %v", lang, trig, part, got, want)
				}
			}
		}
	}
}

var (
	htmlTag = regexp.MustCompile(`<[^>]*>`)
	link    = regexp.MustCompile(`https?://\S+`)
	word    = regexp.MustCompile(`\p{L}+`)
	// englishWords are common in the English copy and are no word of the
	// other languages' copy (Dutch "we", "is", "in", "contact" and "label",
	// French "arrive" and "questions" are left out).
	englishWords = strings.Fields(`the your you our order with has have been will please delivery delivered
		track tracking what next hello hi thank thanks press carrier parcel return ready today
		updates estimated attempt pickup shipped refund call number`)
)

// TestDefaultTemplatesHaveNoEnglishLeftovers reads the words of every
// translated template, outside its Liquid tags, markup and links, for
// English left behind by a translation.
func TestDefaultTemplatesHaveNoEnglishLeftovers(t *testing.T) {
	for _, lang := range Locales[1:] {
		for _, trig := range tracking.Triggers {
			for _, part := range Parts {
				src, ok := shipped(t, lang, trig, part)
				if !ok {
					continue
				}
				text := link.ReplaceAllString(htmlTag.ReplaceAllString(liquidTag.ReplaceAllString(src, " "), " "), " ")
				for _, w := range word.FindAllString(text, -1) {
					if slices.Contains(englishWords, strings.ToLower(w)) {
						t.Errorf("%s/%s.%s: English %q left in %q", lang, trig, part, w, strings.TrimSpace(text))
						break
					}
				}
			}
		}
	}
}

// japaneseBesideLatinPunctuation finds a Latin full stop, comma or colon
// touching Japanese text, left by a translation that kept the English
// sentence joints ("…です. 次回" rather than "…です。次回").
var japaneseBesideLatinPunctuation = regexp.MustCompile(`[\p{Han}\p{Hiragana}\p{Katakana}ー）」][.,:;!?]|[.,:;!?] ?[\p{Han}\p{Hiragana}\p{Katakana}（「]`)

// TestJapaneseTemplatesUseJapanesePunctuation: the Japanese templates end
// sentences with 。 and label with ：, as the page does.
func TestJapaneseTemplatesUseJapanesePunctuation(t *testing.T) {
	for _, trig := range tracking.Triggers {
		for _, part := range Parts {
			src, ok := shipped(t, "ja", trig, part)
			if !ok {
				continue
			}
			text := link.ReplaceAllString(htmlTag.ReplaceAllString(liquidTag.ReplaceAllString(src, ""), ""), "")
			if m := japaneseBesideLatinPunctuation.FindString(text); m != "" {
				t.Errorf("ja/%s.%s: Latin punctuation in Japanese text %q", trig, part, m)
			}
		}
	}
}
