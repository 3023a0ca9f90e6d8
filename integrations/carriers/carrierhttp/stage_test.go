package carrierhttp

import (
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestSafeStageNeverRegressesAfterPickup(t *testing.T) {
	tests := []struct{ last, want tracking.Stage }{
		{"", tracking.StagePacked},
		{tracking.StagePacked, tracking.StagePacked},
		{tracking.StageShipped, tracking.StageInTransit},
		{tracking.StageInTransit, tracking.StageInTransit},
		{tracking.StageOutForDelivery, tracking.StageOutForDelivery},
		{tracking.StageReturning, tracking.StageReturning},
	}
	for _, tt := range tests {
		if got := SafeStage(tt.last); got != tt.want {
			t.Errorf("SafeStage(%q) = %q, want %q", tt.last, got, tt.want)
		}
	}
}
