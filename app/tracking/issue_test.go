package tracking

import (
	"testing"
	"time"
)

func TestIssueOf(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	ev := func(stage Stage, problem Problem, code, desc string) []Event {
		return []Event{
			{Time: at.Add(-48 * time.Hour), Stage: StageInTransit, Code: "AR", Description: "Arrived at facility"},
			{Time: at, Stage: stage, Problem: problem, Code: code, Description: desc},
		}
	}
	tests := []struct {
		name    string
		stage   Stage
		problem Problem
		events  []Event
		want    Issue
	}{
		{"no problem", StageInTransit, ProblemNone, ev(StageInTransit, ProblemNone, "AR", "Arrived"), IssueNone},
		{"sim duty due", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "CF", "Import duty due; pay to release the package"), IssuePaymentDue},
		{"sim address query", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "AX", "Address information needed; contact the carrier"), IssueAddress},
		{"UPS clearance information", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "statusCode:058", "Clearance Information Required"), IssueCustoms},
		{"UPS held for COD", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "statusCode:085", "Held for COD Payment"), IssueCOD},
		{"AfterShip held for payment", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "Exception_006", "Held for payment"), IssuePaymentDue},
		{"DHL words: awaiting payment", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "PU", "Shipment on hold, awaiting payment of duties"), IssuePaymentDue},
		{"words: refused", StageInTransit, ProblemException,
			ev(StageInTransit, ProblemException, "RF", "Shipment refused by recipient"), IssueRefused},
		{"sim damaged", StageInTransit, ProblemException,
			ev(StageInTransit, ProblemException, "EX", "Damaged in transit; contents being assessed"), IssueDamaged},
		{"failed attempt", StageOutForDelivery, ProblemFailedAttempt,
			ev(StageOutForDelivery, ProblemFailedAttempt, "FA", "Delivery attempted; no access to delivery location"), IssueFailedAttempt},
		{"failed attempt for a bad address", StageOutForDelivery, ProblemFailedAttempt,
			ev(StageOutForDelivery, ProblemFailedAttempt, "X1", "Delivery attempted; incorrect address"), IssueAddress},
		{"unexplained action required", StageInTransit, ProblemActionRequired,
			ev(StageInTransit, ProblemActionRequired, "ZZ", "Action required"), IssueOther},
		{"ready for pickup", StageAvailableForPickup, ProblemNone,
			ev(StageAvailableForPickup, ProblemNone, "PA", "Held at access point; available for pickup"), IssuePickup},
		{"delayed at customs", StageInTransit, ProblemDelayed,
			ev(StageInTransit, ProblemDelayed, "Exception_004", "Customs clearance delay"), IssueCustoms},
		{"delayed by weather", StageInTransit, ProblemDelayed,
			ev(StageInTransit, ProblemDelayed, "DY", "Delayed: severe weather in the area"), IssueNone},
		{"delivered ends every issue", StageDelivered, ProblemNone,
			ev(StageDelivered, ProblemNone, "DL", "Delivered"), IssueNone},
		{"returned offers nothing", StageReturning, ProblemNone,
			ev(StageReturning, ProblemNone, "RS", "Returning to sender"), IssueNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IssueOf(tt.stage, tt.problem, tt.events); got != tt.want {
				t.Errorf("IssueOf = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestIssueResolvedByLaterScan(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	events := []Event{
		{Time: at, Stage: StageInTransit, Problem: ProblemActionRequired, Code: "CF", Description: "Import duty due; pay to release the package"},
		{Time: at.Add(24 * time.Hour), Stage: StageInTransit, Movement: MovementDeparted, Code: "RV", Description: "Duty paid; released by customs"},
	}
	st := Derive(events, State{})
	if got := IssueOf(st.Stage, st.Problem, events); got != IssueNone {
		t.Fatalf("after the release scan: issue %q (problem %q); want none", got, st.Problem)
	}
}

func TestIssueAnswers(t *testing.T) {
	tests := []struct {
		issue Issue
		kind  ActionKind
		want  bool
	}{
		{IssueAddress, ActionConfirmAddress, true},
		{IssueAddress, ActionCorrectAddress, true},
		{IssueAddress, ActionReschedule, false},
		{IssueFailedAttempt, ActionReschedule, true},
		{IssuePaymentDue, ActionContactSupport, true},
		{IssuePaymentDue, ActionConfirmAddress, false},
		{IssueNone, ActionContactSupport, false},
	}
	for _, tt := range tests {
		if got := tt.issue.Answers(tt.kind); got != tt.want {
			t.Errorf("%q.Answers(%q) = %v; want %v", tt.issue, tt.kind, got, tt.want)
		}
	}
}

func TestPickupDeadline(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	if got := PickupDeadline("usps", at); !got.Equal(at.AddDate(0, 0, 15)) {
		t.Errorf("usps: %v", got)
	}
	if got := PickupDeadline("sim", at); !got.Equal(at.AddDate(0, 0, 7)) {
		t.Errorf("sim: %v", got)
	}
}
