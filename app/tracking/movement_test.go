package tracking

import "testing"

func TestMovementOf(t *testing.T) {
	tests := []struct {
		stage       Stage
		problem     Problem
		description string
		want        Movement
	}{
		{StageInTransit, ProblemNone, "Arrived at Facility", MovementArrived},
		{StageInTransit, ProblemNone, "Departed from Facility", MovementDeparted},
		{StageInTransit, ProblemNone, "Processing at UPS Facility", MovementArrived},
		{StageInTransit, ProblemNone, "Destination Scan", MovementArrived},
		{StageShipped, ProblemNone, "Origin Scan", MovementArrived},
		{StageInTransit, ProblemNone, "Arrived at DHL Sort Facility BRUSSELS - BELGIUM", MovementArrived},
		{StageInTransit, ProblemNone, "Departed Facility in LEIPZIG - GERMANY", MovementDeparted},
		{StageInTransit, ProblemNone, "Processed at LEIPZIG - GERMANY", MovementArrived},
		{StageInTransit, ProblemNone, "The shipment has been processed in the parcel center", MovementArrived},
		{StageInTransit, ProblemNone, "The shipment has arrived at the delivery base", MovementArrived},
		{StageInTransit, ProblemNone, "On the Way", MovementNone},
		{StageShipped, ProblemNone, "Pickup Scan", MovementNone},
		{StageOutForDelivery, ProblemNone, "Arrived at delivery base, out for delivery", MovementNone},
		{StageInTransit, ProblemException, "Arrived at Facility damaged", MovementNone},
		{StageDelivered, ProblemNone, "Delivered", MovementNone},
	}
	for _, tt := range tests {
		t.Run(tt.description, func(t *testing.T) {
			if got := MovementOf(tt.stage, tt.problem, tt.description); got != tt.want {
				t.Fatalf("MovementOf(%s, %q, %q) = %q; want %q", tt.stage, tt.problem, tt.description, got, tt.want)
			}
		})
	}
}
