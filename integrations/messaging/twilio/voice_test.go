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
			got := VoiceTwiML(tt.script, tt.options, tt.action, tt.lang)
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
