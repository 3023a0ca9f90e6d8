package notify

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
)

// VoiceAction is what a keypress during a voice update asks for. The call
// handler (the Twilio <Gather> callback) maps the digit back to the action.
type VoiceAction string

// The voice actions.
const (
	// VoiceConfirm: the shopper acknowledges. For failed_attempt, "I'll be
	// available next time"; for cod_reminder, "I'll be there and ready to
	// pay"; for action_required, "text me the link to fix it".
	VoiceConfirm VoiceAction = "confirm"
	// VoiceReschedule: text the shopper the link to pick a new day or a
	// pickup point.
	VoiceReschedule VoiceAction = "reschedule"
	// VoiceSupport: connect the call to the shop's support line.
	VoiceSupport VoiceAction = "support"
	// VoiceRepeat: play the message again.
	VoiceRepeat VoiceAction = "repeat"
)

// VoiceOption is one keypress offered at the end of a voice update.
type VoiceOption struct {
	Digit  string
	Action VoiceAction
}

// VoiceOptions lists the keypresses the default voice script for a trigger
// offers, in the order it says them. Triggers that need the shopper to act
// offer confirm and reschedule; every trigger offers support and repeat.
func VoiceOptions(t tracking.Trigger) []VoiceOption {
	if t.AsksShopper() {
		return []VoiceOption{{"1", VoiceConfirm}, {"2", VoiceReschedule}, {"3", VoiceSupport}, {"9", VoiceRepeat}}
	}
	return []VoiceOption{{"3", VoiceSupport}, {"9", VoiceRepeat}}
}

// VoiceLeaveAtDoor: the shopper asked for the parcel to be left at the
// door; only said, never keyed.
const VoiceLeaveAtDoor VoiceAction = "leave_at_door"

// Answer is what a shopper's reply to a call's menu means.
type Answer struct {
	// Action is what they chose; "" when the reply was not understood.
	Action VoiceAction
	// Day is the weekday they named for a reschedule, when HasDay.
	Day    time.Weekday
	HasDay bool
}

// UnderstandMenu reads a reply to the menu of a call about trig: a key
// offered by VoiceOptions, or speech in lang ("pt-BR") that names an offered
// choice (yes, a weekday, "leave it at the door", …). A key wins over speech.
func UnderstandMenu(lang string, trig tracking.Trigger, digits, speech string) Answer {
	opts := VoiceOptions(trig)
	offered := func(a VoiceAction) bool {
		return slices.ContainsFunc(opts, func(o VoiceOption) bool { return o.Action == a })
	}
	if digits != "" {
		for _, o := range opts {
			if o.Digit == digits {
				return Answer{Action: o.Action}
			}
		}
		return Answer{}
	}
	w := wordsFor(lang)
	heard := normalizeSpeech(speech)
	if heard == "" {
		return Answer{}
	}
	has := func(phrases []string) bool {
		return slices.ContainsFunc(phrases, func(p string) bool { return containsPhrase(heard, p) })
	}
	switch {
	case offered(VoiceReschedule) && has(w.door):
		return Answer{Action: VoiceLeaveAtDoor}
	case offered(VoiceReschedule):
		if d, ok := namedWeekday(lang, heard); ok {
			return Answer{Action: VoiceReschedule, Day: d, HasDay: true}
		}
	}
	for _, c := range []struct {
		action  VoiceAction
		phrases []string
	}{{VoiceReschedule, w.reschedule}, {VoiceSupport, w.support}, {VoiceRepeat, w.repeat}, {VoiceConfirm, w.yes}} {
		if offered(c.action) && has(c.phrases) {
			return Answer{Action: c.action}
		}
	}
	return Answer{}
}

// UnderstandYesNo reads the reply to "press 1 or say yes to confirm, 2 or
// no to choose again": ok is false when it is neither.
func UnderstandYesNo(lang, digits, speech string) (yes, ok bool) {
	switch digits {
	case "1":
		return true, true
	case "2":
		return false, true
	case "":
	default:
		return false, false
	}
	w := wordsFor(lang)
	heard := normalizeSpeech(speech)
	has := func(phrases []string) bool {
		return slices.ContainsFunc(phrases, func(p string) bool { return containsPhrase(heard, p) })
	}
	switch {
	case has(w.no):
		return false, true
	case has(w.yes):
		return true, true
	}
	return false, false
}

// VoiceHints are the words a call about trig expects in lang, for the
// speech recogniser: yes and no, and when the shopper is asked to act, the
// weekdays, "leave it at the door", reschedule and the store.
func VoiceHints(lang string, trig tracking.Trigger) []string {
	w := wordsFor(lang)
	out := append(append([]string{}, w.yes[:1]...), w.no[:1]...)
	if trig.AsksShopper() {
		out = append(out, weekdayNames(lang)...)
		out = append(out, w.door[0], w.reschedule[0])
	}
	return append(out, w.support[0], w.repeat[0])
}

// YesNoHints are the words the confirmation turn expects in lang.
func YesNoHints(lang string) []string {
	w := wordsFor(lang)
	return append(append([]string{}, w.yes...), w.no...)
}

// WeekdayName is the day in the call's language ("martes").
func WeekdayName(lang string, d time.Weekday) string {
	return locale.ForLocale(lang).T("weekday." + strconv.Itoa(int(d)))
}

// speechWords are the words and phrases that carry each answer in one
// language, lower case, most typical first (the first goes in the hints).
type speechWords struct {
	yes, no, reschedule, door, support, repeat []string
}

// voiceWords by base language. Weekday names come from the copy catalog.
var voiceWords = map[string]speechWords{
	"en": {
		yes:        []string{"yes", "yeah", "yep", "confirm", "correct", "that's right", "sure", "okay", "ok"},
		no:         []string{"no", "nope", "wrong", "not right"},
		reschedule: []string{"reschedule", "another day", "different day", "change the day", "later"},
		door:       []string{"leave it at the door", "at the door", "leave at the door", "doorstep", "front door", "porch"},
		support:    []string{"talk to someone", "agent", "operator", "person", "human", "support", "store"},
		repeat:     []string{"repeat", "again", "say that again"},
	},
	"es": {
		yes:        []string{"sí", "si", "claro", "confirmo", "confirmar", "correcto", "vale", "de acuerdo"},
		no:         []string{"no", "incorrecto"},
		reschedule: []string{"reprogramar", "otro día", "otro dia", "cambiar el día", "más tarde"},
		door:       []string{"dejarlo en la puerta", "en la puerta", "déjelo en la puerta", "en la entrada"},
		support:    []string{"hablar con alguien", "agente", "operador", "persona", "tienda"},
		repeat:     []string{"repetir", "otra vez", "repite"},
	},
	"fr": {
		yes:        []string{"oui", "confirmer", "je confirme", "d'accord", "exact", "c'est ça"},
		no:         []string{"non", "pas ça"},
		reschedule: []string{"reprogrammer", "reporter", "un autre jour", "changer de jour", "plus tard"},
		door:       []string{"devant la porte", "à la porte", "sur le paillasson", "déposer devant"},
		support:    []string{"parler à quelqu'un", "conseiller", "opérateur", "agent", "boutique"},
		repeat:     []string{"répéter", "encore", "répétez"},
	},
	"de": {
		yes:        []string{"ja", "bestätigen", "richtig", "genau", "stimmt", "okay"},
		no:         []string{"nein", "falsch"},
		reschedule: []string{"verschieben", "anderer tag", "anderen tag", "neuer termin", "später"},
		door:       []string{"vor der tür", "vor die tür", "an der tür", "vor der haustür", "abstellen"},
		support:    []string{"mit jemandem sprechen", "mitarbeiter", "berater", "person", "shop"},
		repeat:     []string{"wiederholen", "nochmal", "noch einmal"},
	},
	"pt": {
		yes:        []string{"sim", "confirmo", "confirmar", "certo", "claro", "isso"},
		no:         []string{"não", "nao", "errado"},
		reschedule: []string{"reagendar", "outro dia", "remarcar", "mudar o dia", "mais tarde"},
		door:       []string{"deixar na porta", "na porta", "deixe na porta", "na entrada"},
		support:    []string{"falar com alguém", "atendente", "pessoa", "loja"},
		repeat:     []string{"repetir", "de novo", "repete"},
	},
	"it": {
		yes:        []string{"sì", "si", "confermo", "confermare", "certo", "esatto", "va bene"},
		no:         []string{"no", "sbagliato"},
		reschedule: []string{"riprogrammare", "un altro giorno", "altro giorno", "spostare", "più tardi"},
		door:       []string{"davanti alla porta", "alla porta", "lasciarlo alla porta", "sulla porta"},
		support:    []string{"parlare con qualcuno", "operatore", "persona", "negozio"},
		repeat:     []string{"ripetere", "di nuovo", "ripeti"},
	},
	"nl": {
		yes:        []string{"ja", "bevestigen", "klopt", "goed", "prima", "oké"},
		no:         []string{"nee", "fout"},
		reschedule: []string{"verzetten", "andere dag", "een andere dag", "wijzigen", "later"},
		door:       []string{"bij de deur", "voor de deur", "aan de deur", "bij de voordeur"},
		support:    []string{"iemand spreken", "medewerker", "persoon", "winkel"},
		repeat:     []string{"herhalen", "nog een keer", "opnieuw"},
	},
	"ja": {
		yes:        []string{"はい", "ええ", "確認", "お願いします", "そうです"},
		no:         []string{"いいえ", "違います", "ちがいます", "いや"},
		reschedule: []string{"変更", "別の日", "再配達", "日にちを変え"},
		door:       []string{"置き配", "玄関", "ドアの前", "玄関前"},
		support:    []string{"オペレーター", "担当者", "話したい", "ストア"},
		repeat:     []string{"もう一度", "繰り返し"},
	},
}

func wordsFor(lang string) speechWords {
	if w, ok := voiceWords[Language(lang)]; ok {
		return w
	}
	return voiceWords["en"]
}

// weekdayNames lists the catalog's weekday names in lang, Monday first.
func weekdayNames(lang string) []string {
	out := make([]string, 0, 7)
	for d := time.Monday; d <= time.Saturday+1; d++ {
		out = append(out, WeekdayName(lang, d%7))
	}
	return out
}

// namedWeekday finds a weekday in what was heard: the catalog's full name,
// or its short spoken form ("terça" for "terça-feira", "火曜" for "火曜日").
// English names are understood in every language, as shoppers mix them in.
func namedWeekday(lang, heard string) (time.Weekday, bool) {
	for _, l := range []string{lang, "en"} {
		for d := time.Sunday; d <= time.Saturday; d++ {
			name := normalizeSpeech(WeekdayName(l, d))
			forms := []string{name}
			if short, _, ok := strings.Cut(name, "-"); ok {
				forms = append(forms, short)
			}
			if short, ok := strings.CutSuffix(name, "日"); ok {
				forms = append(forms, short)
			}
			for _, f := range forms {
				if containsPhrase(heard, f) {
					return d, true
				}
			}
		}
	}
	return 0, false
}

// normalizeSpeech lower-cases a transcript and turns punctuation into
// spaces, keeping letters, digits, apostrophes and hyphens.
func normalizeSpeech(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '’':
			if r == '’' {
				return '\''
			}
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// containsPhrase reports whether heard holds phrase as whole words; in
// scripts written without spaces (Japanese) any occurrence counts.
func containsPhrase(heard, phrase string) bool {
	phrase = normalizeSpeech(phrase)
	if phrase == "" {
		return false
	}
	if r := []rune(phrase)[0]; r > unicode.MaxLatin1 && !unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic) {
		return strings.Contains(heard, phrase)
	}
	return strings.Contains(" "+heard+" ", " "+phrase+" ")
}
