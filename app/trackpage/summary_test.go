package trackpage

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestSummarizeMatchesThePage(t *testing.T) {
	v := inTransit(t)
	v.Locale = "fr"
	v.PageURL = "https://track.example/t/tok123"
	got := Summarize(v)

	headline, next := locale.ForLocale("fr").Copy(tracking.StageInTransit, tracking.ProblemNone, false)
	if got.Headline != headline || got.NextStep != next {
		t.Errorf("headline, next = %q, %q; want %q, %q", got.Headline, got.NextStep, headline, next)
	}
	if len(got.Shipments) != 1 {
		t.Fatalf("got %d shipments, want 1", len(got.Shipments))
	}
	s := got.Shipments[0]
	want := ShipmentSummary{
		Carrier: "ups", CarrierName: "UPS", Number: "1Z999AA10123456784",
		TrackingURL: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
		Stage:       tracking.StageInTransit, StageLabel: "En transit",
		Headline: headline, NextStep: next,
		ETA: "mardi 24 novembre", ETASource: "Estimation fournie par UPS", ETAChanged: "Mise à jour : c'était le lundi 23 novembre",
	}
	if s.LastEvent == nil {
		t.Fatalf("last event missing")
	}
	last := *s.LastEvent
	s.LastEvent = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("shipment summary =\n%+v\nwant\n%+v", s, want)
	}
	wantLast := EventSummary{
		Time: time.Date(2026, 11, 21, 20, 5, 0, 0, time.UTC), When: "sam. 21 nov., 15 h 05",
		Description: "Departed from facility", Location: "Hodgkins, IL, US",
	}
	if last != wantLast {
		t.Errorf("last event = %+v, want %+v", last, wantLast)
	}
}

func TestSummaryJSONUsesSnakeCaseAndAlwaysHasShipments(t *testing.T) {
	v := inTransit(t)
	v.Shipments = nil
	raw, err := json.Marshal(Summarize(v))
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	for _, k := range []string{"order", "locale", "headline", "next_step", "shipments"} {
		if _, ok := m[k]; !ok {
			t.Errorf("summary JSON lacks %q: %s", k, raw)
		}
	}
	if s, ok := m["shipments"].([]any); !ok || len(s) != 0 {
		t.Errorf("shipments = %v, want an empty array (not null)", m["shipments"])
	}
}
