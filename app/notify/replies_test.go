package notify

import (
	"reflect"
	"testing"
)

func TestEveryLanguageHasEveryReply(t *testing.T) {
	for _, lang := range Locales {
		v := reflect.ValueOf(Replies(lang))
		for i := range v.NumField() {
			if v.Field(i).String() == "" {
				t.Errorf("%s: reply %s is empty", lang, v.Type().Field(i).Name)
			}
		}
	}
	if Replies("sv-SE") != Replies("en") {
		t.Error("a language without copy should get English")
	}
	for _, locale := range []string{"pt-BR", "pt-PT"} {
		if pt := Replies(locale); pt.Confirmed != Replies("pt").Confirmed || pt.VoiceConfirmed == Replies("en").VoiceConfirmed {
			t.Errorf("%s: texts and calls should be (Brazilian) Portuguese", locale)
		}
	}
}

func TestVoiceLanguage(t *testing.T) {
	tests := map[string]string{
		"": "en-US", "en": "en-US", "en-GB": "en-GB", "es": "es-ES", "es_MX": "es-MX", "es-AR": "es-ES",
		"fr-CA": "fr-CA", "fr-BE": "fr-FR", "de-AT": "de-DE", "pt-BR": "pt-BR", "pt-PT": "pt-BR", "pt": "pt-BR", "it-CH": "it-IT", "nl-BE": "nl-NL", "ja": "ja-JP", "ja-JP": "ja-JP",
	}
	for locale, want := range tests {
		if got := VoiceLanguage(locale); got != want {
			t.Errorf("VoiceLanguage(%q) = %q; want %q", locale, got, want)
		}
	}
}
