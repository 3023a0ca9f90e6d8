package tracking

import (
	"slices"
	"testing"
)

func TestCopyKey(t *testing.T) {
	tests := []struct {
		name     string
		stage    Stage
		problem  Problem
		want     string
		wantNext string
	}{
		{"plain stage", StageInTransit, ProblemNone, "in_transit", "next_step.in_transit"},
		{"stage with problem", StageInTransit, ProblemDelayed, "in_transit.delayed", "next_step.in_transit.delayed"},
		{"shopper must act", StageOutForDelivery, ProblemActionRequired, "out_for_delivery.action_required", "next_step.out_for_delivery.action_required"},
		{"delivered ignores problems", StageDelivered, ProblemException, "delivered", "next_step.delivered"},
		{"unknown stage falls back to in transit", Stage("teleported"), ProblemNone, "in_transit", "next_step.in_transit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CopyKey(tt.stage, tt.problem); got != tt.want {
				t.Errorf("CopyKey = %q, want %q", got, tt.want)
			}
			if got := NextStepKey(tt.stage, tt.problem); got != tt.wantNext {
				t.Errorf("NextStepKey = %q, want %q", got, tt.wantNext)
			}
		})
	}
}

func TestStateCopyKey(t *testing.T) {
	tests := []struct {
		name  string
		state State
		want  string
	}{
		{"problem shows", State{Stage: StageOutForDelivery, Problem: ProblemFailedAttempt}, "out_for_delivery.failed_attempt"},
		{"expired replaces the problem", State{Stage: StageInTransit, Problem: ProblemDelayed, Expired: true}, "in_transit.expired"},
		{"delivered is never expired copy", State{Stage: StageDelivered, Expired: true}, "delivered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.state.CopyKey(); got != tt.want {
				t.Errorf("CopyKey = %q, want %q", got, tt.want)
			}
			if got := tt.state.NextStepKey(); got != "next_step."+tt.want {
				t.Errorf("NextStepKey = %q, want %q", got, "next_step."+tt.want)
			}
		})
	}
}

func TestCopyKeysCoverEveryState(t *testing.T) {
	all := CopyKeys()
	for _, st := range Stages {
		for _, p := range Problems {
			for _, expired := range []bool{false, true} {
				key := State{Stage: st, Problem: p, Expired: expired}.CopyKey()
				if !slices.Contains(all, key) {
					t.Errorf("CopyKeys lacks %q (stage %s, problem %q, expired %v)", key, st, p, expired)
				}
			}
		}
	}
	if slices.Contains(all, "delivered.delayed") {
		t.Error("CopyKeys lists delivered.delayed, which CopyKey never returns")
	}
}
