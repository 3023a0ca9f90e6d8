package carrierhttp

import "github.com/ordertrack/ordertrack/app/tracking"

// SafeStage is where an event with a code missing from an adapter's status
// table leaves the shipment: before pickup it stays where it was; after
// pickup it is at least in transit, never moved backwards, and a return stays
// a return. Carriers add codes without notice, and a guess must not tell a
// shopper their parcel went back or jumped ahead.
func SafeStage(last tracking.Stage) tracking.Stage {
	switch {
	case last == "":
		return tracking.StagePacked
	case last.Return(), last.Rank() < tracking.StageShipped.Rank():
		return last
	case last.Rank() < tracking.StageInTransit.Rank():
		return tracking.StageInTransit
	default:
		return last
	}
}
