package ups

import "github.com/ordertrack/ordertrack/app/tracking"

// mapping is what one UPS code means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps every code the UPS Track API appendix documents to a stage
// and problem. Keys are namespaced by the field they come from, because the
// three vocabularies overlap ("D" is a type, "DP" a manifest code):
//
//   - "statusCode:NNN" — the 3-digit activity status code (most precise),
//   - "code:XX"        — the 2-letter activity code (manifest and update codes),
//   - "type:X"         — the coarse status type.
//
// An activity is looked up in that order; see lookup.
//
// The documented codes do not tell an arrival scan from a departure ("On the
// Way" covers both, and DP is a manifest code), so an event's
// tracking.Movement is read from its description ("Arrived at Facility",
// "Departed from Facility") by tracking.MovementOf.
var statusTable = map[string]mapping{
	// Label and manifest.
	"statusCode:003": {tracking.StagePacked, tracking.ProblemNone},      // Shipment Ready for UPS
	"statusCode:007": {tracking.StagePacked, tracking.ProblemException}, // Shipment Information Voided
	"statusCode:000": {tracking.StagePacked, tracking.ProblemNone},      // Status Not Available
	// Pickup and movement.
	"statusCode:038": {tracking.StageShipped, tracking.ProblemNone},   // Picked Up by UPS
	"statusCode:005": {tracking.StageInTransit, tracking.ProblemNone}, // On the Way
	"statusCode:010": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:025": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:039": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:047": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:087": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:012": {tracking.StageInTransit, tracking.ProblemNone}, // Clearance in Progress
	"statusCode:092": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:014": {tracking.StageInTransit, tracking.ProblemNone}, // Clearance Completed
	"statusCode:084": {tracking.StageInTransit, tracking.ProblemNone},
	"statusCode:134": {tracking.StageInTransit, tracking.ProblemNone}, // Cleared customs and on the way (code VK, sent with type X)
	// Out for delivery.
	"statusCode:006": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"statusCode:021": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"statusCode:037": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"statusCode:089": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"statusCode:091": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"statusCode:072": {tracking.StageOutForDelivery, tracking.ProblemNone}, // Loaded on Delivery Vehicle
	"statusCode:078": {tracking.StageOutForDelivery, tracking.ProblemNone}, // Driver Arriving Soon
	// Delivered.
	"statusCode:011": {tracking.StageDelivered, tracking.ProblemNone},
	"statusCode:026": {tracking.StageDelivered, tracking.ProblemNone}, // Delivered by Local Post Office
	// Pickup points.
	"statusCode:017": {tracking.StageAvailableForPickup, tracking.ProblemNone}, // Held for Customer Pickup
	"statusCode:040": {tracking.StageAvailableForPickup, tracking.ProblemNone}, // Ready for Customer Pickup
	// Exceptions and action required.
	"statusCode:013": {tracking.StageInTransit, tracking.ProblemException},
	"statusCode:029": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Exception: Action Required
	"statusCode:050": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Address Information Required
	"statusCode:058": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Clearance Information Required
	"statusCode:062": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Funds Required
	"statusCode:049": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Delay: Action Required
	"statusCode:064": {tracking.StageInTransit, tracking.ProblemException},      // Delivery Refused
	"statusCode:069": {tracking.StageInTransit, tracking.ProblemException},      // Unable to Deliver
	"statusCode:059": {tracking.StageInTransit, tracking.ProblemException},      // Damage Reported
	"statusCode:068": {tracking.StageInTransit, tracking.ProblemException},      // Sent to Lost and Found
	// Delivery attempts.
	"statusCode:022": {tracking.StageInTransit, tracking.ProblemFailedAttempt},
	"statusCode:023": {tracking.StageInTransit, tracking.ProblemFailedAttempt},
	"statusCode:024": {tracking.StageInTransit, tracking.ProblemFailedAttempt},
	"statusCode:060": {tracking.StageInTransit, tracking.ProblemFailedAttempt},
	"statusCode:061": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Adult Signature Required
	// Delays.
	"statusCode:032": {tracking.StageInTransit, tracking.ProblemDelayed}, // Adverse Weather May Cause Delay
	"statusCode:046": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:048": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:086": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:090": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:051": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:052": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:053": {tracking.StageInTransit, tracking.ProblemDelayed},
	"statusCode:055": {tracking.StageInTransit, tracking.ProblemDelayed}, // Rescheduled Delivery
	// Returns.
	"statusCode:033": {tracking.StageReturning, tracking.ProblemNone}, // Return to Sender Requested
	"statusCode:035": {tracking.StageReturning, tracking.ProblemNone},
	"statusCode:036": {tracking.StageReturning, tracking.ProblemNone},
	"statusCode:034": {tracking.StageReturned, tracking.ProblemNone}, // Returned to Sender
	"statusCode:067": {tracking.StageReturned, tracking.ProblemNone}, // Returned by Post Office

	// Manifest codes: a label exists, UPS has not scanned the package.
	"code:DP": {tracking.StagePacked, tracking.ProblemNone},
	"code:MP": {tracking.StagePacked, tracking.ProblemNone},
	"code:RD": {tracking.StagePacked, tracking.ProblemNone}, // Roadie manifest
	"code:VP": {tracking.StagePacked, tracking.ProblemException},
	// Update codes carry no movement (photo, new date or time); they keep the
	// shipment where it is in the network.
	"code:PX": {tracking.StageInTransit, tracking.ProblemNone},
	"code:UP": {tracking.StageInTransit, tracking.ProblemNone},
	"code:UT": {tracking.StageInTransit, tracking.ProblemNone},
	"code:RS": {tracking.StageReturning, tracking.ProblemNone}, // return to sender

	// Status types, for activities whose code is not listed above.
	"type:M":  {tracking.StagePacked, tracking.ProblemNone},         // Billing Information Received
	"type:MV": {tracking.StagePacked, tracking.ProblemException},    // Billing Information Voided
	"type:P":  {tracking.StageShipped, tracking.ProblemNone},        // Pickup (older clients)
	"type:I":  {tracking.StageInTransit, tracking.ProblemNone},      // In Transit
	"type:X":  {tracking.StageInTransit, tracking.ProblemException}, // Exception
	"type:D":  {tracking.StageDelivered, tracking.ProblemNone},      // Delivered
	"type:DO": {tracking.StageInTransit, tracking.ProblemNone},      // Delivered Origin CFS (freight hand-off)
	"type:DD": {tracking.StageInTransit, tracking.ProblemNone},      // Delivered Destination CFS (freight hand-off)
	"type:W":  {tracking.StageInTransit, tracking.ProblemNone},      // Warehousing
	"type:NA": {tracking.StagePacked, tracking.ProblemNone},         // Not Available
	"type:U":  {tracking.StageInTransit, tracking.ProblemNone},      // Updates
}

// releases marks the clearance-completed codes: the parcel is through customs
// and moving, which resolves a clearance request (statusCode 058) raised
// before it. UPS sends them with type X, so only the code tells.
var releases = map[string]tracking.Movement{
	"statusCode:014": tracking.MovementArrived, // Clearance Completed / released by the government agency
	"statusCode:084": tracking.MovementArrived,
	"statusCode:134": tracking.MovementArrived, // cleared customs and is on the way
}

// lookup finds the most precise mapping for an activity and reports the key it
// used; ok is false when none of its codes is documented.
func lookup(s activityStatus) (m mapping, key string, ok bool) {
	for _, key := range []string{"statusCode:" + s.StatusCode, "code:" + s.Code, "type:" + s.Type} {
		if m, ok := statusTable[key]; ok {
			return m, key, true
		}
	}
	return mapping{}, "statusCode:" + s.StatusCode + "/code:" + s.Code + "/type:" + s.Type, false
}
