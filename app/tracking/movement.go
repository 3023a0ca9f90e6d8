package tracking

import "strings"

// movementWords are the phrases carriers that publish no movement codes (UPS,
// DHL) put in their English scan descriptions. Departures are checked first:
// "Departed from Facility" names a facility too.
var movementWords = []struct {
	phrase string
	m      Movement
}{
	{"departed", MovementDeparted},
	{"departure", MovementDeparted},
	{"left the", MovementDeparted},
	{"arrived", MovementArrived},
	{"arrival", MovementArrived},
	{"processed at", MovementArrived},
	{"processed in", MovementArrived},
	{"processing at", MovementArrived},
	{"origin scan", MovementArrived},
	{"destination scan", MovementArrived},
	{"import scan", MovementArrived},
	{"export scan", MovementArrived},
	{"sort facility", MovementArrived},
	{"customs", MovementArrived},
}

// MovementOf reads a movement from a transit scan's English description, for
// carriers whose codes do not say. It returns MovementNone for anything that
// is not a plain transit scan: the wording of an out-for-delivery, delivered
// or problem scan says nothing the stage does not.
func MovementOf(stage Stage, problem Problem, description string) Movement {
	if problem != ProblemNone || (stage != StageShipped && stage != StageInTransit) {
		return MovementNone
	}
	d := strings.ToLower(description)
	for _, w := range movementWords {
		if strings.Contains(d, w.phrase) {
			return w.m
		}
	}
	return MovementNone
}
