package dhl

import "github.com/ordertrack/ordertrack/app/tracking"

// mapping is what one DHL status code means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps the five statusCode values of the Shipment Tracking –
// Unified API, on the way out and (prefixed "return:") on a shipment with
// returnFlag, to a stage and problem. DHL documents out-for-delivery,
// ready-for-pickup and return codes as "planned but not available", so
// those stages come only from the return flag here; DHL's own "unknown" means
// it has lost sight of a parcel already in its network. Only the free-text
// description tells an arrival from a departure, so an event's
// tracking.Movement is read from it by tracking.MovementOf.
var statusTable = map[string]mapping{
	"pre-transit": {tracking.StagePacked, tracking.ProblemNone},
	"transit":     {tracking.StageInTransit, tracking.ProblemNone},
	"delivered":   {tracking.StageDelivered, tracking.ProblemNone},
	"failure":     {tracking.StageInTransit, tracking.ProblemException},
	"unknown":     {tracking.StageInTransit, tracking.ProblemNone},

	"return:pre-transit": {tracking.StageReturning, tracking.ProblemNone},
	"return:transit":     {tracking.StageReturning, tracking.ProblemNone},
	"return:delivered":   {tracking.StageReturned, tracking.ProblemNone},
	"return:failure":     {tracking.StageReturning, tracking.ProblemException},
	"return:unknown":     {tracking.StageReturning, tracking.ProblemNone},
}
