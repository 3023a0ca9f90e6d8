package tracking

import (
	"encoding/json"
	"testing"
	"time"
)

var groundLane = Lane{Carrier: "ups", Service: "Ground", Origin: "US-NJ", Destination: "US-CA"}

// modelWith returns a model that has seen n deliveries of days each on lane.
func modelWith(t *testing.T, lane Lane, n, days int) *TransitModel {
	t.Helper()
	m := NewTransitModel()
	for range n {
		m.Observe(lane, days)
	}
	return m
}

func TestTransitModelRange(t *testing.T) {
	otherDest := groundLane
	otherDest.Destination = "US-TX"
	tests := []struct {
		name      string
		model     *TransitModel
		lane      Lane
		low, high int
		source    string
	}{
		{"no history uses the domestic ground prior", NewTransitModel(), groundLane, 2, 4, SourcePrior},
		{"express service prior is fast", NewTransitModel(), Lane{Carrier: "ups", Service: "Next Day Air", Origin: "US-NJ", Destination: "US-CA"}, 1, 2, SourcePrior},
		{"international prior is slow", NewTransitModel(), Lane{Carrier: "dhl", Service: "Express Worldwide", Origin: "US-NJ", Destination: "DE"}, 5, 8, SourcePrior},
		{"thin history nudges the prior but stays prior", modelWith(t, groundLane, 2, 1), groundLane, 1, 4, SourcePrior},
		{"enough history replaces the prior", modelWith(t, groundLane, 20, 1), groundLane, 1, 1, SourceLearned},
		{"a new lane starts from its service's history", modelWith(t, groundLane, 20, 1), otherDest, 1, 1, SourceLearned},
		{"overlong transits land in the last bucket", modelWith(t, groundLane, 40, 99), groundLane, MaxTransitDays, MaxTransitDays, SourceLearned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			low, high, source := tt.model.Range(tt.lane)
			if low != tt.low || high != tt.high || source != tt.source {
				t.Errorf("Range = %d..%d (%s), want %d..%d (%s)", low, high, source, tt.low, tt.high, tt.source)
			}
		})
	}
}

func TestEstimateETA(t *testing.T) {
	ups := CalendarFor("ups", "")
	friday := ts("2026-11-20 15:00")
	tests := []struct {
		name     string
		promised Window
		model    *TransitModel
		want     ETA
	}{
		{
			name:     "carrier promise wins",
			promised: Window{Earliest: ts("2026-11-24"), Latest: ts("2026-11-25")},
			model:    modelWith(t, groundLane, 20, 1),
			want:     ETA{Window: Window{Earliest: ts("2026-11-24"), Latest: ts("2026-11-25")}, Source: SourceCarrier},
		},
		{
			name:     "a promise with only a latest date is one day",
			promised: Window{Latest: ts("2026-11-25")},
			want:     ETA{Window: Window{Earliest: ts("2026-11-25"), Latest: ts("2026-11-25")}, Source: SourceCarrier},
		},
		{
			name:  "prior counts business days and skips thanksgiving",
			model: NewTransitModel(),
			want:  ETA{Window: Window{Earliest: ts("2026-11-24"), Latest: ts("2026-11-27")}, Source: SourcePrior},
		},
		{
			name:  "learned one-day lane lands on monday after a friday shipment",
			model: modelWith(t, groundLane, 20, 1),
			want:  ETA{Window: Window{Earliest: ts("2026-11-23"), Latest: ts("2026-11-23")}, Source: SourceLearned},
		},
		{
			name: "no model at all still gives the prior",
			want: ETA{Window: Window{Earliest: ts("2026-11-24"), Latest: ts("2026-11-27")}, Source: SourcePrior},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EstimateETA(tt.promised, tt.model, groundLane, friday, ups)
			if !got.Earliest.Equal(tt.want.Earliest) || !got.Latest.Equal(tt.want.Latest) || got.Source != tt.want.Source {
				t.Errorf("ETA = %s..%s (%s), want %s..%s (%s)", got.Earliest, got.Latest, got.Source,
					tt.want.Earliest, tt.want.Latest, tt.want.Source)
			}
		})
	}
}

func TestTransitModelSurvivesJSON(t *testing.T) {
	m := modelWith(t, groundLane, 7, 3)
	m.Observe(groundLane, 5)
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var back TransitModel
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	wl, wh, ws := m.Range(groundLane)
	gl, gh, gs := back.Range(groundLane)
	if gl != wl || gh != wh || gs != ws || back.Count(groundLane) != 8 {
		t.Errorf("after JSON: %d..%d %s (%d obs), want %d..%d %s (8 obs)", gl, gh, gs, back.Count(groundLane), wl, wh, ws)
	}
}

func TestTransitDaysCountsWorkingDays(t *testing.T) {
	ups := CalendarFor("ups", "")
	if got := TransitDays(ts("2026-11-20 15:00"), ts("2026-11-24 12:00"), ups); got != 2 {
		t.Errorf("TransitDays(Fri → Tue) = %d, want 2", got)
	}
}

func TestSilenceLimitGrowsWithLane(t *testing.T) {
	m := NewTransitModel()
	intl := Lane{Carrier: "dhl", Service: "Express Worldwide", Origin: "US-NJ", Destination: "DE"}
	if got := m.SilenceLimit(groundLane); got != DefaultSilenceLimit {
		t.Errorf("domestic SilenceLimit = %d, want %d", got, DefaultSilenceLimit)
	}
	if got := m.SilenceLimit(intl); got != 4 {
		t.Errorf("international SilenceLimit = %d, want 4", got)
	}
}

func TestEstimateIn(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		t    time.Time
		want time.Time
	}{
		{"a date keeps its day west of UTC", time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 0, 0, 0, la)},
		{"a time of day is converted", time.Date(2026, 12, 8, 18, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 10, 0, 0, 0, la)},
		{"an instant at midnight elsewhere is converted", time.Date(2026, 12, 8, 0, 0, 0, 0, la), time.Date(2026, 12, 8, 0, 0, 0, 0, la)},
		{"zero stays zero", time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EstimateIn(tt.t, la); !got.Equal(tt.want) || (!tt.want.IsZero() && got.Location() != la) {
				t.Fatalf("EstimateIn(%v) = %v; want %v in %v", tt.t, got, tt.want, la)
			}
		})
	}
}

func TestETAShown(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	hour := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, la) }
	// 20:00 on Tuesday December 8 in Los Angeles: already the 9th in UTC.
	now := time.Date(2026, 12, 9, 4, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		eta     ETA
		stage   Stage
		want    bool
		problem Problem
	}{
		{"a window ahead", ETA{Window: Window{Earliest: day(10), Latest: day(12)}}, StageInTransit, true, ProblemNone},
		{"its last day is today where the shopper is", ETA{Window: Window{Earliest: day(7), Latest: day(8)}}, StageInTransit, true, ProblemNone},
		{"its last day has ended", ETA{Window: Window{Earliest: day(6), Latest: day(7)}}, StageInTransit, false, ProblemNone},
		{"delivered", ETA{Window: Window{Earliest: day(10), Latest: day(12)}}, StageDelivered, false, ProblemNone},
		{"none", ETA{}, StageInTransit, false, ProblemNone},
		{"out for delivery with a window for today", ETA{Window: Window{Earliest: hour(8, 14), Latest: hour(8, 21)}}, StageOutForDelivery, true, ProblemNone},
		{"out for delivery with today's date", ETA{Window: Window{Earliest: day(8), Latest: day(8)}}, StageOutForDelivery, true, ProblemNone},
		{"out for delivery with a window of days", ETA{Window: Window{Earliest: day(8), Latest: day(10)}}, StageOutForDelivery, false, ProblemNone},
		{"out for delivery with a later day", ETA{Window: Window{Earliest: day(10), Latest: day(10)}}, StageOutForDelivery, false, ProblemNone},
		{"an exception (damaged, lost)", ETA{Window: Window{Earliest: day(10), Latest: day(12)}}, StageInTransit, false, ProblemException},
		{"a delay keeps a date ahead", ETA{Window: Window{Earliest: day(10), Latest: day(12)}}, StageInTransit, true, ProblemDelayed},
		{"a failed attempt keeps a date ahead", ETA{Window: Window{Earliest: day(10), Latest: day(12)}}, StageInTransit, true, ProblemFailedAttempt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.eta.Shown(tt.stage, tt.problem, now, la); got != tt.want {
				t.Fatalf("Shown = %v; want %v", got, tt.want)
			}
		})
	}
}
