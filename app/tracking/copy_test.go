package tracking

import (
	"slices"
	"testing"
)

func TestCopyKeysMostSpecificFirst(t *testing.T) {
	tests := []struct {
		name  string
		state State
		want  []string
	}{
		{"no problem", State{Stage: StageInTransit}, []string{"in_transit"}},
		{"a problem before the stage", State{Stage: StageInTransit, Problem: ProblemDelayed}, []string{"in_transit.delayed", "delayed", "in_transit"}},
		{"terminal stages skip the general problem line", State{Stage: StageDelivered, Problem: ProblemDelayed}, []string{"delivered.delayed", "delivered"}},
		{"expired before the end", State{Stage: StageInTransit, Problem: ProblemDelayed, Expired: true}, []string{"expired"}},
		{"expired after delivery is just delivered", State{Stage: StageDelivered, Expired: true}, []string{"delivered"}},
		{"unknown stage reads as confirmed", State{Stage: "bogus"}, []string{"confirmed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CopyKeys(tt.state); !slices.Equal(got, tt.want) {
				t.Errorf("CopyKeys = %q, want %q", got, tt.want)
			}
		})
	}
}
