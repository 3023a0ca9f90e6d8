package twilio

import (
	"encoding/xml"
	"strings"
)

// Option is one choice offered on a call: the key to press and the sentence
// that announces it ("Press 1 to confirm your delivery."), already in the
// call's language. ParseGather understands key 1 as confirm and 2 as
// reschedule (see ParseReply).
type Option struct {
	Digit string
	Label string
}

// VoiceTwiML returns the TwiML for a notification call: it reads script in
// lang (a BCP 47 tag such as "en-US"; empty for Twilio's default) and, when
// options are given, lists them inside a <Gather> that accepts one key press
// or speech, recognised in lang with hints (the words the shopper is
// expected to say), and posts the answer to actionURL (see ParseGather).
// With no answer the call reads the options once more, then hangs up.
//
// It is built with encoding/xml rather than twilio-go's twiml package, whose
// attribute order varies from run to run, so the output can be compared
// byte for byte.
func VoiceTwiML(script string, options []Option, actionURL, lang string, hints []string) string {
	resp := twimlResponse{}
	say := func(text string) *twimlSay { return &twimlSay{Language: lang, Text: text} }
	if len(options) == 0 {
		resp.Verbs = append(resp.Verbs, say(script))
		return render(resp)
	}
	labels := make([]string, 0, len(options))
	for _, o := range options {
		labels = append(labels, o.Label)
	}
	menu := strings.TrimSpace(strings.Join(labels, " "))
	first := []*twimlSay{say(script), say(menu)}
	if menu == "" {
		// The script announces its own keys (merchant-editable templates
		// do): say it once, and all of it again when nothing was pressed.
		first, menu = []*twimlSay{say(script)}, script
	}
	resp.Verbs = append(resp.Verbs, gather(actionURL, lang, hints, first...), gather(actionURL, lang, hints, say(menu)))
	return render(resp)
}

// AskTwiML is one more turn of a call: it says each sentence and listens,
// as VoiceTwiML's menu does, for a key or speech posted to actionURL. With
// no answer the call says nothing more and hangs up.
func AskTwiML(sentences []string, actionURL, lang string, hints []string) string {
	says := make([]*twimlSay, 0, len(sentences))
	for _, s := range sentences {
		says = append(says, &twimlSay{Language: lang, Text: s})
	}
	return render(twimlResponse{Verbs: []any{gather(actionURL, lang, hints, says...)}})
}

// DialTwiML says sentence and connects the call to number (E.164), for a
// shopper the call could not understand.
func DialTwiML(sentence, number, lang string) string {
	return render(twimlResponse{Verbs: []any{&twimlSay{Language: lang, Text: sentence}, &twimlDial{Number: number}}})
}

// HangupTwiML says sentence and ends the call.
func HangupTwiML(sentence, lang string) string {
	return render(twimlResponse{Verbs: []any{&twimlSay{Language: lang, Text: sentence}, &twimlHangup{}}})
}

// gather listens for one key or speech, ending speech on the caller's
// pause (speechTimeout auto).
func gather(actionURL, lang string, hints []string, says ...*twimlSay) *twimlGather {
	g := &twimlGather{
		Input: "dtmf speech", NumDigits: 1, Action: actionURL, Method: "POST",
		Language: lang, Says: says,
	}
	if len(hints) > 0 {
		g.Hints, g.SpeechTimeout = strings.Join(hints, ", "), "auto"
	}
	return g
}

type twimlResponse struct {
	XMLName xml.Name `xml:"Response"`
	Verbs   []any
}

type twimlSay struct {
	XMLName  xml.Name `xml:"Say"`
	Language string   `xml:"language,attr,omitempty"`
	Text     string   `xml:",chardata"`
}

type twimlGather struct {
	XMLName   xml.Name `xml:"Gather"`
	Input     string   `xml:"input,attr"`
	NumDigits int      `xml:"numDigits,attr"`
	Action    string   `xml:"action,attr,omitempty"`
	Method    string   `xml:"method,attr"`
	Language  string   `xml:"language,attr,omitempty"`
	// Hints are the words and phrases the caller is likely to say,
	// comma-separated (Twilio's hints attribute).
	Hints         string `xml:"hints,attr,omitempty"`
	SpeechTimeout string `xml:"speechTimeout,attr,omitempty"`
	Says          []*twimlSay
}

type twimlDial struct {
	XMLName xml.Name `xml:"Dial"`
	Number  string   `xml:",chardata"`
}

type twimlHangup struct {
	XMLName xml.Name `xml:"Hangup"`
}

func render(r twimlResponse) string {
	out, err := xml.Marshal(r)
	if err != nil {
		// Only strings and ints go in, which always marshal; should that
		// ever change, an empty response hangs up rather than misspeaking.
		return xml.Header + "<Response></Response>"
	}
	return xml.Header + string(out)
}
