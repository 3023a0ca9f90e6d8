package aftership

import "github.com/ordertrack/ordertrack/app/tracking"

// mapping is what one AfterShip tag or subtag means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps AfterShip's 9 delivery statuses (tags) and every documented
// sub-status (subtag) to a stage and problem. A checkpoint is looked up by
// subtag first, then by tag. Pending_002…_006 and Expired exist in AfterShip's
// list with descriptions we could not confirm; they all mean "no information
// from the carrier yet".
var statusTable = map[string]mapping{
	"Pending":     {tracking.StagePacked, tracking.ProblemNone},
	"Pending_001": {tracking.StagePacked, tracking.ProblemNone},
	"Pending_002": {tracking.StagePacked, tracking.ProblemNone},
	"Pending_003": {tracking.StagePacked, tracking.ProblemNone},
	"Pending_004": {tracking.StagePacked, tracking.ProblemNone},
	"Pending_005": {tracking.StagePacked, tracking.ProblemNone},
	"Pending_006": {tracking.StagePacked, tracking.ProblemNone},

	"InfoReceived":     {tracking.StagePacked, tracking.ProblemNone},
	"InfoReceived_001": {tracking.StagePacked, tracking.ProblemNone},

	"InTransit":     {tracking.StageInTransit, tracking.ProblemNone},
	"InTransit_001": {tracking.StageInTransit, tracking.ProblemNone}, // on the way
	"InTransit_002": {tracking.StageShipped, tracking.ProblemNone},   // accepted by carrier
	"InTransit_003": {tracking.StageInTransit, tracking.ProblemNone}, // arrived at hub or sorting centre
	"InTransit_004": {tracking.StageInTransit, tracking.ProblemNone}, // arrived at destination country
	"InTransit_005": {tracking.StageInTransit, tracking.ProblemNone}, // customs clearance completed
	"InTransit_006": {tracking.StageInTransit, tracking.ProblemNone}, // handed over to customs
	"InTransit_007": {tracking.StageInTransit, tracking.ProblemNone}, // departure scan
	"InTransit_008": {tracking.StageInTransit, tracking.ProblemNone}, // problem resolved
	"InTransit_009": {tracking.StageInTransit, tracking.ProblemNone}, // forwarded to a different address

	"OutForDelivery":     {tracking.StageOutForDelivery, tracking.ProblemNone},
	"OutForDelivery_001": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"OutForDelivery_003": {tracking.StageOutForDelivery, tracking.ProblemNone}, // customer contacted
	"OutForDelivery_004": {tracking.StageOutForDelivery, tracking.ProblemNone}, // delivery appointment scheduled

	"AttemptFail":     {tracking.StageInTransit, tracking.ProblemFailedAttempt},
	"AttemptFail_001": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // notice left
	"AttemptFail_002": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // recipient not available
	"AttemptFail_003": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // business closed

	"Delivered":     {tracking.StageDelivered, tracking.ProblemNone},
	"Delivered_001": {tracking.StageDelivered, tracking.ProblemNone},
	"Delivered_002": {tracking.StageDelivered, tracking.ProblemNone}, // picked up by the customer
	"Delivered_003": {tracking.StageDelivered, tracking.ProblemNone}, // signed by the customer
	"Delivered_004": {tracking.StageDelivered, tracking.ProblemNone}, // delivered, cash collected
	"Delivered_005": {tracking.StageDelivered, tracking.ProblemNone}, // delivered to a neighbour

	"AvailableForPickup":     {tracking.StageAvailableForPickup, tracking.ProblemNone},
	"AvailableForPickup_001": {tracking.StageAvailableForPickup, tracking.ProblemNone},

	"Exception":     {tracking.StageInTransit, tracking.ProblemException},
	"Exception_001": {tracking.StageInTransit, tracking.ProblemException},      // generic
	"Exception_002": {tracking.StageInTransit, tracking.ProblemActionRequired}, // customer moved
	"Exception_003": {tracking.StageInTransit, tracking.ProblemException},      // refused by the addressee
	"Exception_004": {tracking.StageInTransit, tracking.ProblemDelayed},        // delayed (customs clearance)
	"Exception_005": {tracking.StageInTransit, tracking.ProblemDelayed},        // delayed (external factors)
	"Exception_006": {tracking.StageInTransit, tracking.ProblemActionRequired}, // held for payment
	"Exception_007": {tracking.StageInTransit, tracking.ProblemActionRequired}, // incorrect address
	"Exception_008": {tracking.StageInTransit, tracking.ProblemException},      // pickup missed
	"Exception_009": {tracking.StageInTransit, tracking.ProblemException},      // rejected by the carrier
	"Exception_010": {tracking.StageReturning, tracking.ProblemNone},           // returning to sender
	"Exception_011": {tracking.StageReturned, tracking.ProblemNone},            // returned to sender
	"Exception_012": {tracking.StageInTransit, tracking.ProblemException},      // damaged
	"Exception_013": {tracking.StageInTransit, tracking.ProblemException},      // lost
	"Exception_016": {tracking.StageInTransit, tracking.ProblemDelayed},        // delayed (processing issue)
	"Exception_017": {tracking.StageInTransit, tracking.ProblemDelayed},        // delayed (extreme weather)
	"Exception_018": {tracking.StageInTransit, tracking.ProblemActionRequired}, // incorrect or missing documents

	// Expired: no information 30 days after the tracking was added.
	"Expired":     {tracking.StagePacked, tracking.ProblemException},
	"Expired_001": {tracking.StagePacked, tracking.ProblemException},
}

// movements marks the subtags that put a parcel inside a facility (a hub,
// the destination country's gateway, customs) or on its way out of one, for
// the polling policy.
var movements = map[string]tracking.Movement{
	"InTransit_003": tracking.MovementArrived,  // arrived at hub or sorting centre
	"InTransit_004": tracking.MovementArrived,  // arrived at destination country
	"InTransit_006": tracking.MovementArrived,  // handed over to customs
	"InTransit_007": tracking.MovementDeparted, // departure scan
}
