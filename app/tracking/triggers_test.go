package tracking

import (
	"slices"
	"testing"
	"time"
)

func keys(fired []Fired) []string {
	out := []string{}
	for _, f := range fired {
		out = append(out, f.Key)
	}
	return out
}

func TestFiredBetween(t *testing.T) {
	eta := Window{Earliest: ts("2026-11-24"), Latest: ts("2026-11-24")}
	later := Window{Earliest: ts("2026-11-30"), Latest: ts("2026-11-30")}
	span := Window{Earliest: ts("2026-11-27"), Latest: ts("2026-11-30")}
	inTransit := State{Stage: StageInTransit, StageAt: ts("2026-11-20 09:00"), LastEventAt: ts("2026-11-20 09:00")}
	ofdMon := State{Stage: StageOutForDelivery, StageAt: ts("2026-11-23 08:00")}
	failedMon := State{Stage: StageOutForDelivery, StageAt: ts("2026-11-23 08:00"), Problem: ProblemFailedAttempt, ProblemAt: ts("2026-11-23 15:00")}
	tests := []struct {
		name             string
		prev, next       State
		prevETA, nextETA Window
		want             []string
	}{
		{
			name: "first scan announces shipped",
			prev: State{Stage: StagePacked}, next: State{Stage: StageShipped, StageAt: ts("2026-11-19 10:00")},
			want: []string{"shipped"},
		},
		{
			name: "jump from shipped to delivered sends only delivered",
			prev: State{Stage: StageShipped}, next: State{Stage: StageDelivered, StageAt: ts("2026-11-24 14:00")},
			want: []string{"delivered"},
		},
		{
			name: "first seen delivered sends only delivered",
			prev: State{}, next: State{Stage: StageDelivered, StageAt: ts("2026-11-24 14:00")},
			want: []string{"delivered"},
		},
		{
			name: "out for delivery is keyed by its day",
			prev: inTransit, next: ofdMon,
			want: []string{"out_for_delivery:2026-11-23"},
		},
		{
			name: "a second attempt day is a new out for delivery",
			prev: failedMon, next: State{Stage: StageOutForDelivery, StageAt: ts("2026-11-24 08:00")},
			want: []string{"out_for_delivery:2026-11-24"},
		},
		{
			name: "the same out for delivery day again sends nothing",
			prev: ofdMon, next: State{Stage: StageOutForDelivery, StageAt: ts("2026-11-23 09:30")},
			want: []string{},
		},
		{
			name: "a failed attempt seen in the same poll supersedes out for delivery",
			prev: inTransit, next: failedMon,
			want: []string{"failed_attempt:2026-11-23"},
		},
		{
			name: "exception on the same stage fires once per day raised",
			prev: inTransit, next: State{Stage: StageInTransit, StageAt: ts("2026-11-20 09:00"), Problem: ProblemException, ProblemAt: ts("2026-11-21 10:00")},
			want: []string{"exception:2026-11-21"},
		},
		{
			name: "unchanged state sends nothing",
			prev: failedMon, next: failedMon,
			want: []string{},
		},
		{
			name: "delayed is keyed by the missed estimate",
			prev: inTransit, next: State{Stage: StageInTransit, StageAt: ts("2026-11-20 09:00"), Problem: ProblemDelayed, ProblemAt: ts("2026-11-25")},
			prevETA: eta, nextETA: eta,
			want: []string{"delayed:2026-11-24"},
		},
		{
			name:    "still delayed sends nothing more",
			prev:    State{Stage: StageInTransit, Problem: ProblemDelayed, ProblemAt: ts("2026-11-25")},
			next:    State{Stage: StageInTransit, Problem: ProblemDelayed, ProblemAt: ts("2026-11-26")},
			prevETA: eta, nextETA: eta,
			want: []string{},
		},
		{
			name: "a new estimate fires eta_changed with its date",
			prev: inTransit, next: inTransit, prevETA: eta, nextETA: later,
			want: []string{"eta_changed:2026-11-30"},
		},
		{
			name: "a new window renders both ends",
			prev: inTransit, next: inTransit, prevETA: eta, nextETA: span,
			want: []string{"eta_changed:2026-11-27..2026-11-30"},
		},
		{
			name: "the first estimate is not a change",
			prev: inTransit, next: inTransit, prevETA: Window{}, nextETA: eta,
			want: []string{},
		},
		{
			name: "estimate moves are not news once out for delivery",
			prev: ofdMon, next: ofdMon, prevETA: eta, nextETA: later,
			want: []string{},
		},
		{
			name: "a return announces returning",
			prev: ofdMon, next: State{Stage: StageReturning, StageAt: ts("2026-11-24 09:00")},
			want: []string{"returning"},
		},
		{
			name: "returned after returning sends nothing new",
			prev: State{Stage: StageReturning}, next: State{Stage: StageReturned, StageAt: ts("2026-11-28 09:00")},
			want: []string{},
		},
		{
			name: "returned straight away still tells the shopper it is going back",
			prev: inTransit, next: State{Stage: StageReturned, StageAt: ts("2026-11-28 09:00")},
			want: []string{"returning"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(FiredBetween(tt.prev, tt.next, tt.prevETA, tt.nextETA))
			if !slices.Equal(got, tt.want) {
				t.Errorf("keys = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFiredBetweenTimesTheNews(t *testing.T) {
	next := State{Stage: StageOutForDelivery, StageAt: ts("2026-11-23 08:00")}
	fired := FiredBetween(State{Stage: StageInTransit}, next, Window{}, Window{})
	if len(fired) != 1 || fired[0].Trigger != TriggerOutForDelivery || !fired[0].At.Equal(next.StageAt) {
		t.Errorf("fired = %+v, want one out_for_delivery at %s", fired, next.StageAt)
	}
}

func TestFollowUps(t *testing.T) {
	tests := []struct {
		trigger Trigger
		cod     bool
		want    []Trigger
	}{
		{TriggerOutForDelivery, true, []Trigger{TriggerCODReminder}},
		{TriggerOutForDelivery, false, nil},
		{TriggerFailedAttempt, true, nil},
		{TriggerDelivered, true, nil},
		{TriggerShipped, false, nil},
	}
	for _, tt := range tests {
		if got := FollowUps(tt.trigger, tt.cod); !slices.Equal(got, tt.want) {
			t.Errorf("FollowUps(%s, cod=%v) = %v; want %v", tt.trigger, tt.cod, got, tt.want)
		}
	}
}

func TestAsksShopper(t *testing.T) {
	asking := []Trigger{TriggerFailedAttempt, TriggerActionRequired, TriggerCODReminder}
	for _, tr := range Triggers {
		if got, want := tr.AsksShopper(), slices.Contains(asking, tr); got != want {
			t.Errorf("%s.AsksShopper() = %v; want %v", tr, got, want)
		}
	}
}

// A return's poll news becomes the return's own: in transit once, received
// by the store; nothing else reaches the shopper.
func TestForReturnKeepsTheReturnsNews(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   Trigger
		want []Trigger
	}{
		{TriggerShipped, []Trigger{TriggerReturnInTransit}},
		{TriggerInTransit, []Trigger{TriggerReturnInTransit}},
		{TriggerDelivered, []Trigger{TriggerReturnDelivered}},
		{TriggerOutForDelivery, nil},
		{TriggerDelayed, nil},
		{TriggerETAChanged, nil},
	}
	for _, tt := range tests {
		var got []Trigger
		for _, f := range ForReturn([]Fired{{Trigger: tt.in, Key: string(tt.in), At: at}}) {
			got = append(got, f.Trigger)
			if f.Key != string(f.Trigger) {
				t.Errorf("%s: key %q; want %q (once per return)", tt.in, f.Key, f.Trigger)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ForReturn(%s) = %v; want %v", tt.in, got, tt.want)
		}
	}
}
