package carrierhttp

import (
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestWithSummary(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 24, h, 0, 0, 0, time.UTC) }
	ev := func(h int, s tracking.Stage, p tracking.Problem, code string) tracking.Event {
		return tracking.Event{Time: at(h), Stage: s, Problem: p, Code: code, Description: code}
	}
	packed := ev(8, tracking.StagePacked, "", "InfoReceived")
	transit := ev(9, tracking.StageInTransit, "", "transit")
	tests := []struct {
		name    string
		events  []tracking.Event
		summary tracking.Event
		want    []string // codes with stage
	}{
		{"a delivered summary ahead of a label event is added", []tracking.Event{packed}, ev(12, tracking.StageDelivered, "", "Delivered"),
			[]string{"InfoReceived/packed", "Delivered/delivered"}},
		{"a summary behind the events adds nothing", []tracking.Event{packed, transit}, ev(12, tracking.StagePacked, "", "pre-transit"),
			[]string{"InfoReceived/packed", "transit/in_transit"}},
		{"a summary equal to the last event adds nothing", []tracking.Event{packed, transit}, ev(9, tracking.StageInTransit, "", "transit"),
			[]string{"InfoReceived/packed", "transit/in_transit"}},
		{"a summary repeating an event upgrades it", []tracking.Event{packed, ev(9, tracking.StagePacked, "", "x")}, ev(9, tracking.StageDelivered, "", "x"),
			[]string{"InfoReceived/packed", "x/delivered"}},
		{"a later problem is added", []tracking.Event{packed, transit}, ev(10, tracking.StageInTransit, tracking.ProblemException, "failure"),
			[]string{"InfoReceived/packed", "transit/in_transit", "failure/in_transit"}},
		{"a return summary is ahead of a delivered-looking timeline", []tracking.Event{transit}, ev(10, tracking.StageReturning, "", "return"),
			[]string{"transit/in_transit", "return/returning"}},
		{"a zero-time summary takes the last event's time", []tracking.Event{packed}, tracking.Event{Stage: tracking.StageDelivered, Code: "Delivered"},
			[]string{"InfoReceived/packed", "Delivered/delivered"}},
		{"an invalid stage is ignored", []tracking.Event{packed}, tracking.Event{Code: "?"}, []string{"InfoReceived/packed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WithSummary(append([]tracking.Event(nil), tt.events...), tt.summary)
			var codes []string
			for _, e := range got {
				codes = append(codes, e.Code+"/"+string(e.Stage))
				if e.Time.IsZero() {
					t.Errorf("event %s has no time", e.Code)
				}
			}
			if len(codes) != len(tt.want) {
				t.Fatalf("got %q, want %q", codes, tt.want)
			}
			for i := range codes {
				if codes[i] != tt.want[i] {
					t.Fatalf("got %q, want %q", codes, tt.want)
				}
			}
		})
	}
}
