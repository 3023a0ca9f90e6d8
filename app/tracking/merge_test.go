package tracking

import (
	"slices"
	"testing"
)

// ev builds a test event; the code doubles as the description.
func ev(at string, stage Stage, problem Problem, code string) Event {
	return Event{Time: ts(at), Stage: stage, Problem: problem, Code: code, Description: code, Location: Location{City: "Paramus", PostalCode: "07652"}}
}

func codes(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Code
	}
	return out
}

func TestMerge(t *testing.T) {
	pickup := ev("2026-11-19 10:00", StageShipped, ProblemNone, "PU")
	arrive := ev("2026-11-20 03:00", StageInTransit, ProblemNone, "AR")
	depart := ev("2026-11-20 09:00", StageInTransit, ProblemNone, "DP")
	ofd := ev("2026-11-23 08:00", StageOutForDelivery, ProblemNone, "OFD")
	// Stored before DHL Express wording got codes: no code, mapped "packed".
	oldPickup := ev("2026-11-19 10:00", StagePacked, ProblemNone, "")
	oldDelivered := ev("2026-11-24 14:00", StagePacked, ProblemNone, "")
	delivered := ev("2026-11-24 14:00", StageDelivered, ProblemNone, "DL")
	signed := ev("2026-11-24 14:00", StageDelivered, ProblemNone, "SIGNED")
	tests := []struct {
		name       string
		existing   []Event
		incoming   []Event
		wantMerged []string
		wantAdded  []string
	}{
		{
			name:       "refetched newest-first history adds only the new scan",
			existing:   []Event{pickup, arrive},
			incoming:   []Event{depart, arrive, pickup},
			wantMerged: []string{"PU", "AR", "DP"},
			wantAdded:  []string{"DP"},
		},
		{
			name:       "a late-arriving older scan is placed by its time",
			existing:   []Event{pickup, depart, ofd},
			incoming:   []Event{arrive},
			wantMerged: []string{"PU", "AR", "DP", "OFD"},
			wantAdded:  []string{"AR"},
		},
		{
			name:       "duplicates inside one fetch are collapsed",
			existing:   nil,
			incoming:   []Event{ofd, pickup, ofd},
			wantMerged: []string{"PU", "OFD"},
			wantAdded:  []string{"PU", "OFD"},
		},
		{
			name:       "nothing new adds nothing",
			existing:   []Event{pickup, arrive},
			incoming:   []Event{arrive, pickup},
			wantMerged: []string{"PU", "AR"},
			wantAdded:  []string{},
		},
		{
			name:       "coded refetches replace the uncoded scans stored before, adding nothing",
			existing:   []Event{oldPickup, oldDelivered},
			incoming:   []Event{delivered, pickup},
			wantMerged: []string{"PU", "DL"},
			wantAdded:  []string{},
		},
		{
			name:       "two scans once stored as one: the first replaces it, the second is added",
			existing:   []Event{oldPickup, oldDelivered},
			incoming:   []Event{pickup, delivered, signed},
			wantMerged: []string{"PU", "DL", "SIGNED"},
			wantAdded:  []string{"SIGNED"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			merged, added, recoded := Merge(tt.existing, tt.incoming)
			if got := codes(merged); !slices.Equal(got, tt.wantMerged) {
				t.Errorf("merged = %v, want %v", got, tt.wantMerged)
			}
			if got := codes(added); !slices.Equal(got, tt.wantAdded) {
				t.Errorf("added = %v, want %v", got, tt.wantAdded)
			}
			if len(recoded)+len(added) != len(tt.incoming) && tt.name == "coded refetches replace the uncoded scans stored before, adding nothing" {
				t.Errorf("recoded %d, added %d; want every fetched scan recoded", len(recoded), len(added))
			}
			for _, e := range merged {
				if e.Code == "" {
					t.Errorf("an uncoded scan survived the coded refetch: %+v", e)
				}
			}
		})
	}
}

func TestMergeKeepsSameTimeScansInArrivalOrder(t *testing.T) {
	a := ev("2026-11-20 09:00", StageInTransit, ProblemNone, "A")
	b := ev("2026-11-20 09:00", StageInTransit, ProblemNone, "B")
	merged, _, _ := Merge([]Event{a}, []Event{b})
	if got := codes(merged); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("merged = %v, want stored scan first: [A B]", got)
	}
}

func TestDeriveStage(t *testing.T) {
	shipped := ev("2026-11-19 10:00", StageShipped, ProblemNone, "PU")
	transit := ev("2026-11-20 09:00", StageInTransit, ProblemNone, "DP")
	ofd := ev("2026-11-23 08:00", StageOutForDelivery, ProblemNone, "OFD")
	delivered := ev("2026-11-23 14:00", StageDelivered, ProblemNone, "DL")
	staleTransit := ev("2026-11-21 02:00", StageInTransit, ProblemNone, "LATE")
	returning := ev("2026-11-24 09:00", StageReturning, ProblemNone, "RS")
	returnScan := ev("2026-11-25 09:00", StageInTransit, ProblemNone, "RT")
	backHome := ev("2026-11-27 11:00", StageDelivered, ProblemNone, "DL2")
	tests := []struct {
		name   string
		events []Event
		prev   State
		want   Stage
	}{
		{"latest scan decides", []Event{shipped, transit, ofd}, State{}, StageOutForDelivery},
		{"stale out-of-order scan does not move the stage back", []Event{shipped, transit, ofd, staleTransit}, State{}, StageOutForDelivery},
		{"timeline missing events does not undo a stored stage", []Event{shipped, transit}, State{Stage: StageOutForDelivery}, StageOutForDelivery},
		{"delivered stays delivered", []Event{transit}, State{Stage: StageDelivered}, StageDelivered},
		{"packed moves to shipped on first scan", []Event{shipped}, State{Stage: StagePacked}, StageShipped},
		{"return moves backwards from out for delivery", []Event{shipped, ofd, returning}, State{Stage: StageOutForDelivery}, StageReturning},
		{"scans during a return keep it returning", []Event{shipped, ofd, returning, returnScan}, State{}, StageReturning},
		{"delivered during a return is returned to sender", []Event{shipped, ofd, returning, returnScan, backHome}, State{}, StageReturned},
		{"returned stays returned", []Event{shipped, returning}, State{Stage: StageReturned}, StageReturned},
		{"no events keeps the previous state", nil, State{Stage: StagePacked}, StagePacked},
		{"order of the input does not matter", []Event{delivered, shipped, ofd}, State{}, StageDelivered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Derive(tt.events, tt.prev).Stage; got != tt.want {
				t.Errorf("stage = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDeriveProblem(t *testing.T) {
	transit := ev("2026-11-20 09:00", StageInTransit, ProblemNone, "DP")
	exception := ev("2026-11-20 12:00", StageInTransit, ProblemException, "DAMAGED")
	afterException := ev("2026-11-21 09:00", StageInTransit, ProblemNone, "AR")
	ofd := ev("2026-11-23 08:00", StageOutForDelivery, ProblemNone, "OFD")
	failed := ev("2026-11-23 15:00", StageOutForDelivery, ProblemFailedAttempt, "NA")
	depot := ev("2026-11-23 19:00", StageInTransit, ProblemNone, "DEPOT")
	ofdAgain := ev("2026-11-24 08:00", StageOutForDelivery, ProblemNone, "OFD")
	customs := ev("2026-11-20 10:00", StageInTransit, ProblemActionRequired, "DUTY")
	customsScan := ev("2026-11-21 10:00", StageInTransit, ProblemNone, "CUS")
	released := ev("2026-11-21 11:00", StageInTransit, ProblemNone, "RZ")
	released.Movement = MovementArrived
	departedDepot := depot
	departedDepot.Movement = MovementDeparted
	delivered := ev("2026-11-24 14:00", StageDelivered, ProblemNone, "DL")
	staleException := ev("2026-11-20 11:00", StageInTransit, ProblemException, "OLD")
	tests := []struct {
		name   string
		events []Event
		want   Problem
	}{
		{"an exception event raises the problem", []Event{transit, exception}, ProblemException},
		{"a later normal scan clears an exception", []Event{transit, exception, afterException}, ProblemNone},
		{"a stale exception older than the latest scan is not current", []Event{transit, afterException, staleException}, ProblemNone},
		{"failed attempt survives a back-at-depot scan", []Event{ofd, failed, depot}, ProblemFailedAttempt},
		{"a new delivery attempt clears the failed attempt", []Event{ofd, failed, depot, ofdAgain}, ProblemNone},
		{"action required survives a routine scan at the same stage", []Event{transit, customs, customsScan}, ProblemActionRequired},
		{"action required clears when the parcel moves again (released by customs)", []Event{transit, customs, customsScan, released}, ProblemNone},
		{"failed attempt survives a departure scan", []Event{ofd, failed, departedDepot}, ProblemFailedAttempt},
		{"action required clears once out for delivery", []Event{transit, customs, customsScan, ofdAgain}, ProblemNone},
		{"delivered clears every problem", []Event{ofd, failed, delivered}, ProblemNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Derive(tt.events, State{}).Problem; got != tt.want {
				t.Errorf("problem = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDeriveTracksTimesAndSubstatus(t *testing.T) {
	events := []Event{
		ev("2026-11-23 08:00", StageOutForDelivery, ProblemNone, "OFD"),
		ev("2026-11-23 15:00", StageOutForDelivery, ProblemFailedAttempt, "NA"),
		ev("2026-11-24 08:30", StageOutForDelivery, ProblemNone, "OFD2"),
		ev("2026-11-22 08:00", StageInTransit, ProblemNone, "OLD"),
	}
	got := Derive(events, State{Stage: StageShipped, Expired: true, LastEventAt: ts("2026-11-01")})
	want := State{
		Stage: StageOutForDelivery, Substatus: "OFD2",
		LastEventAt: ts("2026-11-24 08:30"), StageAt: ts("2026-11-24 08:30"),
	}
	if got != want {
		t.Errorf("Derive = %+v, want %+v", got, want)
	}
}

func TestDeriveKeepsExpiryWithoutNewEvents(t *testing.T) {
	events := []Event{ev("2026-11-01 08:00", StageInTransit, ProblemNone, "AR")}
	prev := State{Stage: StageInTransit, LastEventAt: ts("2026-11-01 08:00"), Expired: true}
	if got := Derive(events, prev); !got.Expired {
		t.Errorf("Derive dropped Expired although no newer event arrived: %+v", got)
	}
}

func TestWithDelay(t *testing.T) {
	since := ts("2026-11-25")
	late := Delay{Delayed: true, Reason: DelayETAPassed, Since: since}
	tests := []struct {
		name  string
		state State
		delay Delay
		want  Problem
	}{
		{"late shipment without problem becomes delayed", State{Stage: StageInTransit}, late, ProblemDelayed},
		{"carrier exception wins over delay", State{Stage: StageInTransit, Problem: ProblemException}, late, ProblemException},
		{"on-time shipment stays clean", State{Stage: StageInTransit}, Delay{}, ProblemNone},
		{"delivered is never delayed", State{Stage: StageDelivered}, late, ProblemNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.state.WithDelay(tt.delay).Problem; got != tt.want {
				t.Errorf("problem = %q, want %q", got, tt.want)
			}
		})
	}
}
