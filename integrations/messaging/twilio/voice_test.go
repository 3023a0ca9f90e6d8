package twilio

import (
	"encoding/xml"
	"testing"
)

func TestVoiceTwiML(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		options []Option
		action  string
		lang    string
		want    string
	}{
		{
			name:   "announcement only",
			script: "Your parcel was delivered.",
			want:   `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Response><Say>Your parcel was delivered.</Say></Response>`,
		},
		{
			name:   "menu gathers keys and speech twice, escaping text and URL",
			script: "Your parcel from Ben & Jo's arrives today.",
			options: []Option{
				{Digit: "1", Label: "Press 1 to confirm."},
				{Digit: "2", Label: "Press 2 to reschedule."},
			},
			action: "https://track.example/hooks/twilio/gather?message_id=msg_9&shop=7",
			lang:   "en-GB",
			want: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Response>` +
				`<Gather input="dtmf speech" numDigits="1" action="https://track.example/hooks/twilio/gather?message_id=msg_9&amp;shop=7" method="POST" language="en-GB">` +
				`<Say language="en-GB">Your parcel from Ben &amp; Jo&#39;s arrives today.</Say>` +
				`<Say language="en-GB">Press 1 to confirm. Press 2 to reschedule.</Say></Gather>` +
				`<Gather input="dtmf speech" numDigits="1" action="https://track.example/hooks/twilio/gather?message_id=msg_9&amp;shop=7" method="POST" language="en-GB">` +
				`<Say language="en-GB">Press 1 to confirm. Press 2 to reschedule.</Say></Gather>` +
				`</Response>`,
		},
		{
			name:    "a script that announces its own keys is said again, not an empty menu",
			script:  "Press 1 to confirm.",
			options: []Option{{Digit: "1"}, {Digit: "9"}},
			action:  "https://track.example/g",
			lang:    "es-MX",
			want: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Response>` +
				`<Gather input="dtmf speech" numDigits="1" action="https://track.example/g" method="POST" language="es-MX">` +
				`<Say language="es-MX">Press 1 to confirm.</Say></Gather>` +
				`<Gather input="dtmf speech" numDigits="1" action="https://track.example/g" method="POST" language="es-MX">` +
				`<Say language="es-MX">Press 1 to confirm.</Say></Gather>` +
				`</Response>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := VoiceTwiML(tt.script, tt.options, tt.action, tt.lang, nil)
			if got != tt.want {
				t.Errorf("VoiceTwiML =\n%s\nwant\n%s", got, tt.want)
			}
			var doc struct {
				XMLName xml.Name `xml:"Response"`
			}
			if err := xml.Unmarshal([]byte(got), &doc); err != nil {
				t.Errorf("TwiML is not well-formed XML: %v", err)
			}
		})
	}
}

func TestFollowUpTurns(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	tests := []struct {
		name, got, want string
	}{
		{
			"ask listens with hints",
			AskTwiML([]string{"You said Tuesday.", "Press 1 or say yes to confirm."}, "https://t.example/g?message_id=4&step=confirm", "en-US", []string{"yes", "no"}),
			head + `<Response><Gather input="dtmf speech" numDigits="1" action="https://t.example/g?message_id=4&amp;step=confirm" method="POST" language="en-US" hints="yes, no" speechTimeout="auto">` +
				`<Say language="en-US">You said Tuesday.</Say><Say language="en-US">Press 1 or say yes to confirm.</Say></Gather></Response>`,
		},
		{
			"dial hands over",
			DialTwiML("Connecting you to the store.", "+4930123456", "de-DE"),
			head + `<Response><Say language="de-DE">Connecting you to the store.</Say><Dial>+4930123456</Dial></Response>`,
		},
		{
			"hang up",
			HangupTwiML("Goodbye.", "en-GB"),
			head + `<Response><Say language="en-GB">Goodbye.</Say><Hangup></Hangup></Response>`,
		},
		{
			"first menu carries the hints on both gathers",
			VoiceTwiML("Hello.", []Option{{Digit: "1", Label: "Press 1."}}, "https://t.example/g", "ja-JP", []string{"はい", "火曜日"}),
			head + `<Response><Gather input="dtmf speech" numDigits="1" action="https://t.example/g" method="POST" language="ja-JP" hints="はい, 火曜日" speechTimeout="auto">` +
				`<Say language="ja-JP">Hello.</Say><Say language="ja-JP">Press 1.</Say></Gather>` +
				`<Gather input="dtmf speech" numDigits="1" action="https://t.example/g" method="POST" language="ja-JP" hints="はい, 火曜日" speechTimeout="auto">` +
				`<Say language="ja-JP">Press 1.</Say></Gather></Response>`,
		},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.name, tt.got, tt.want)
		}
	}
}
