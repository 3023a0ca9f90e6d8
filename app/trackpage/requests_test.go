package trackpage

import (
	"html"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
)

func TestRequestsShowOnTheShipmentInEveryLocale(t *testing.T) {
	r := newRenderer(t)
	at := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, lang := range languages() {
		c := locale.ForLocale(lang)
		tests := []struct {
			name string
			req  Request
			want string
		}{
			{"reschedule to a day", Request{Kind: ActionReschedule, At: at, Date: day}, c.T("request.reschedule.to", "day", c.Date(day))},
			{"reschedule by text", Request{Kind: ActionReschedule, At: at}, c.T("request.reschedule", "date", c.Date(at.In(newYork(t))))},
			{"confirmed", Request{Kind: ActionConfirmAddress, At: at}, c.T("request.confirm_address", "date", c.Date(at.In(newYork(t))))},
			{"new address", Request{Kind: ActionCorrectAddress, At: at}, c.T("request.correct_address", "date", c.Date(at.In(newYork(t))))},
		}
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				v := inTransit(t)
				v.Locale = lang
				v.Shipments[0].Requests = []Request{tt.req}
				mustContain(t, render(t, r, v), `<ul class="ot-requests"><li>`+html.EscapeString(tt.want)+`</li></ul>`)
			})
		}
	}
}

func TestRequestLineNamesTheDayAskedFor(t *testing.T) {
	got := requestLine(locale.ForLocale("en"), time.UTC, Request{Kind: ActionReschedule, Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if want := "You asked for delivery on Tuesday, December 1 — sent to the store."; got != want {
		t.Fatalf("requestLine = %q; want %q", got, want)
	}
}
