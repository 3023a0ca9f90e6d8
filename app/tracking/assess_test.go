package tracking

import (
	"reflect"
	"testing"
	"time"
)

// assessed is what a test reads from an Outcome: NextIn is the wait until
// the next poll, -1 when polling stops.
type assessed struct {
	Stage    Stage
	Problem  Problem
	Expired  bool
	NotFound bool
	ETA      string // "2026-11-20 carrier"
	NextIn   time.Duration
	Fired    []string
	Transit  *TransitSample
}

func summarize(in Input, out Outcome) assessed {
	a := assessed{Stage: out.State.Stage, Problem: out.State.Problem, Expired: out.State.Expired, NotFound: out.NotFound, NextIn: -1, Fired: keys(out.Fired), Transit: out.Transit}
	if !out.ETA.IsZero() {
		a.ETA = windowKey(out.ETA.Window) + " " + out.ETA.Source
	}
	if out.NextPollAt != nil {
		a.NextIn = out.NextPollAt.Sub(in.Now)
	}
	return a
}

// shippedYesterday is a UPS parcel from New Jersey to California, scanned
// once on Tuesday, asked about on Wednesday afternoon (UTC).
func shippedYesterday() Input {
	now := ts("2026-11-18 15:00")
	scan := Event{Time: ts("2026-11-17 18:00"), Stage: StageShipped, Code: "OR"}
	return Input{
		Carrier: "ups", Origin: "US-NJ", DestCountry: "US", DestRegion: "US-CA",
		CreatedAt: ts("2026-11-17 12:00"),
		State:     State{Stage: StageShipped, StageAt: scan.Time, LastEventAt: scan.Time},
		Events:    []Event{scan},
		Result:    Result{Number: "1Z1"},
		Now:       now, Model: NewTransitModel(), Policy: FixedPolicy(time.Hour), Rand: func() float64 { return 0 },
	}
}

func TestAssess(t *testing.T) {
	lane := Lane{Carrier: "ups", Origin: "US-NJ", Destination: "US-CA"}
	ups := CalendarFor("ups", "")
	learned := NewTransitModel().Estimate(lane, ts("2026-11-17 18:00"), ups)
	tests := []struct {
		name string
		edit func(*Input)
		want assessed
	}{
		{
			name: "a scan moves the parcel on and the carrier's promise is the estimate",
			edit: func(in *Input) {
				in.Result.Events = []Event{{Time: ts("2026-11-18 09:00"), Stage: StageInTransit, Code: "AR"}}
				in.Result.Promised = Window{Latest: ts("2026-11-20")}
			},
			want: assessed{Stage: StageInTransit, ETA: "2026-11-20 carrier", NextIn: time.Hour, Fired: []string{"in_transit"}},
		},
		{
			name: "shipped without a promise: the lane's estimate from the ship time",
			edit: func(in *Input) {},
			want: assessed{Stage: StageShipped, ETA: windowKey(learned.Window) + " " + learned.Source, NextIn: time.Hour, Fired: []string{}},
		},
		{
			name: "the store's ship time wins over the first scan",
			edit: func(in *Input) { in.ShippedAt = ts("2026-11-16 10:00") },
			want: func() assessed {
				e := NewTransitModel().Estimate(lane, ts("2026-11-16 10:00"), ups)
				return assessed{Stage: StageShipped, ETA: windowKey(e.Window) + " " + e.Source, NextIn: time.Hour, Fired: []string{}}
			}(),
		},
		{
			name: "unknown to the carrier and not shipped: the stored estimate stays",
			edit: func(in *Input) {
				in.State, in.Events = State{Stage: StageConfirmed}, nil
				in.ETA = ETA{Window: Window{Earliest: ts("2026-11-21"), Latest: ts("2026-11-21")}, Source: SourceLearned}
				in.Result.NotFound = true
			},
			want: assessed{Stage: StageConfirmed, NotFound: true, ETA: "2026-11-21 learned", NextIn: time.Hour, Fired: []string{}},
		},
		{
			name: "no events and no failure means not found",
			edit: func(in *Input) { in.State, in.Events = State{Stage: StageConfirmed}, nil },
			want: assessed{Stage: StageConfirmed, NotFound: true, NextIn: time.Hour, Fired: []string{}},
		},
		{
			name: "a failed call is not a not-found, and counts toward the backoff",
			edit: func(in *Input) {
				in.State, in.Events = State{Stage: StageConfirmed}, nil
				in.Failed, in.PollFailures = true, 2
				in.Policy = func(s PollState, now time.Time, _ Calendar, _ func() float64) (time.Time, bool) {
					return now.Add(time.Duration(s.Failures) * time.Hour), false
				}
			},
			want: assessed{Stage: StageConfirmed, NextIn: 3 * time.Hour, Fired: []string{}},
		},
		{
			name: "the per-shipment quota holds the next poll back",
			edit: func(in *Input) { in.PerShipmentPerDay = 10 },
			want: assessed{Stage: StageShipped, ETA: windowKey(learned.Window) + " " + learned.Source, NextIn: 144 * time.Minute, Fired: []string{}},
		},
		{
			name: "the quota never brings a poll forward",
			edit: func(in *Input) { in.PerShipmentPerDay, in.Policy = 10, FixedPolicy(5*time.Hour) },
			want: assessed{Stage: StageShipped, ETA: windowKey(learned.Window) + " " + learned.Source, NextIn: 5 * time.Hour, Fired: []string{}},
		},
		{
			name: "delivered: polling stops and the lane learns its transit time",
			edit: func(in *Input) {
				in.Result.Events = []Event{{Time: ts("2026-11-18 14:00"), Stage: StageDelivered, Code: "D"}}
			},
			want: assessed{
				Stage: StageDelivered, ETA: windowKey(learned.Window) + " " + learned.Source, NextIn: -1, Fired: []string{"delivered"},
				Transit: &TransitSample{Lane: lane, Days: TransitDays(ts("2026-11-17 18:00"), ts("2026-11-18 14:00"), ups)},
			},
		},
		{
			name: "tracked too long: expired, polling stops",
			edit: func(in *Input) { in.CreatedAt = in.Now.Add(-ExpireAfter) },
			want: assessed{Stage: StageShipped, Expired: true, ETA: windowKey(learned.Window) + " " + learned.Source, NextIn: -1, Fired: []string{}},
		},
		{
			name: "a promise for yesterday is missed once yesterday ends where the parcel goes",
			edit: func(in *Input) { in.Result.Promised = Window{Latest: ts("2026-11-17")} },
			want: assessed{Stage: StageShipped, Problem: ProblemDelayed, ETA: "2026-11-17 carrier", NextIn: time.Hour, Fired: []string{"delayed:2026-11-17"}},
		},
		{
			name: "in California it is still yesterday at 07:00 UTC: not late yet",
			edit: func(in *Input) {
				in.Now = ts("2026-11-18 07:00")
				in.Result.Promised = Window{Latest: ts("2026-11-17")}
			},
			want: assessed{Stage: StageShipped, ETA: "2026-11-17 carrier", NextIn: time.Hour, Fired: []string{}},
		},
		{
			name: "a moved promise is news",
			edit: func(in *Input) {
				in.ETA = ETA{Window: Window{Earliest: ts("2026-11-20"), Latest: ts("2026-11-20")}, Source: SourceCarrier}
				in.Result.Promised = Window{Latest: ts("2026-11-23")}
			},
			want: assessed{Stage: StageShipped, ETA: "2026-11-23 carrier", NextIn: time.Hour, Fired: []string{"eta_changed:2026-11-23"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := shippedYesterday()
			tt.edit(&in)
			if got := summarize(in, Assess(in)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Assess:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestAssessKeepsTheStoredTimelineAndAddsOnlyNews(t *testing.T) {
	in := shippedYesterday()
	in.Result.Events = []Event{in.Events[0], {Time: ts("2026-11-18 09:00"), Stage: StageInTransit, Code: "AR"}}
	out := Assess(in)
	if len(out.Added) != 1 || out.Added[0].Code != "AR" {
		t.Errorf("Added = %+v; want only the new AR scan", out.Added)
	}
}

func TestFirstShipped(t *testing.T) {
	events := []Event{
		{Time: ts("2026-11-16 09:00"), Stage: StagePacked},
		{Time: ts("2026-11-16 18:00"), Stage: StageInTransit},
		{Time: ts("2026-11-17 08:00"), Stage: StageShipped},
	}
	returning := []Event{{Time: ts("2026-11-16 09:00"), Stage: StageReturning}}
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		name     string
		recorded time.Time
		events   []Event
		want     time.Time
	}{
		{"the store's ship time, in UTC", time.Date(2026, 11, 15, 10, 0, 0, 0, paris), events, ts("2026-11-15 09:00")},
		{"else the first scan at or past shipped", time.Time{}, events, ts("2026-11-16 18:00")},
		{"a return is not a shipment", time.Time{}, returning, time.Time{}},
		{"nothing known", time.Time{}, nil, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FirstShipped(tt.recorded, tt.events)
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("FirstShipped = %v; want %v (UTC)", got, tt.want)
			}
		})
	}
}
