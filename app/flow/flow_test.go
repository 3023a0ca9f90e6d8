package flow

import (
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestHandleForEveryTrigger(t *testing.T) {
	for _, tc := range []struct {
		trigger tracking.Trigger
		stage   tracking.Stage
		want    string
	}{
		{tracking.TriggerShipped, tracking.StageShipped, HandleStageChanged},
		{tracking.TriggerInTransit, tracking.StageInTransit, HandleStageChanged},
		{tracking.TriggerOutForDelivery, tracking.StageOutForDelivery, HandleStageChanged},
		{tracking.TriggerAvailableForPickup, tracking.StageAvailableForPickup, HandleStageChanged},
		{tracking.TriggerDelivered, tracking.StageDelivered, HandleStageChanged},
		{tracking.TriggerReturning, tracking.StageReturning, HandleStageChanged},
		{tracking.TriggerReturning, tracking.StageReturned, HandleReturnDelivered},
		{tracking.TriggerDelayed, tracking.StageInTransit, HandleDelayed},
		{tracking.TriggerFailedAttempt, tracking.StageOutForDelivery, HandleProblemDetected},
		{tracking.TriggerActionRequired, tracking.StageInTransit, HandleProblemDetected},
		{tracking.TriggerException, tracking.StageInTransit, HandleProblemDetected},
		{tracking.TriggerETAChanged, tracking.StageInTransit, ""},
		{tracking.TriggerCODReminder, tracking.StageOutForDelivery, ""},
	} {
		if got := handleFor(tc.trigger, string(tc.stage)); got != tc.want {
			t.Errorf("handleFor(%s, %s) = %q, want %q", tc.trigger, tc.stage, got, tc.want)
		}
	}
}
