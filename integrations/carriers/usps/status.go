package usps

import "github.com/ordertrack/ordertrack/app/tracking"

// mapping is what one USPS event code means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps the eventCodes of USPS Publication 199 Appendix G-4
// (domestic scan events, as listed in carriers.md and the USPS Web Tools code
// table) and the alphanumeric network codes the Tracking v3 API sends, to a
// stage and problem. Origins of the codes and their names are in
// testdata/SOURCES.md; USPS publishes no complete list of the alphanumeric
// codes we could read, so codes seen nowhere documented stay unknown. An unlisted code keeps the shipment where it is (see
// carrierhttp.SafeStage) and is reported through OnUnknownCode.
var statusTable = map[string]mapping{
	// Before USPS has the item.
	"GX": {tracking.StagePacked, tracking.ProblemNone}, // Shipping Label Created, USPS Awaiting Item
	"MA": {tracking.StagePacked, tracking.ProblemNone}, // Manifest Acknowledgement
	"89": {tracking.StagePacked, tracking.ProblemNone}, // Merchant Order Receipt Notification, USPS Awaiting Item
	"GC": {tracking.StagePacked, tracking.ProblemNone}, // Return Receipt Associated
	// Accepted.
	"03": {tracking.StageShipped, tracking.ProblemNone}, // Accept or Pickup
	"TM": {tracking.StageShipped, tracking.ProblemNone}, // Shipment Acceptance
	"PA": {tracking.StageShipped, tracking.ProblemNone}, // Shipment Acceptance
	"OA": {tracking.StageShipped, tracking.ProblemNone}, // Origin Acceptance (Accepted at USPS Origin Facility)
	"UA": {tracking.StageShipped, tracking.ProblemNone}, // Accepted at USPS Facility
	// Moving.
	"06": {tracking.StageInTransit, tracking.ProblemNone}, // Forwarded
	"07": {tracking.StageInTransit, tracking.ProblemNone}, // Arrival at Unit
	"10": {tracking.StageInTransit, tracking.ProblemNone}, // Processed
	"PC": {tracking.StageInTransit, tracking.ProblemNone}, // Sorting Complete
	"EF": {tracking.StageInTransit, tracking.ProblemNone}, // Departed facility
	"SF": {tracking.StageInTransit, tracking.ProblemNone}, // Departed post office
	"80": {tracking.StageInTransit, tracking.ProblemNone}, // Shipping partner event
	"81": {tracking.StageInTransit, tracking.ProblemNone}, // Shipping partner event
	"82": {tracking.StageInTransit, tracking.ProblemNone}, // Shipping partner event
	"42": {tracking.StageInTransit, tracking.ProblemNone}, // USPS Handoff to Shipping Partner
	"19": {tracking.StageInTransit, tracking.ProblemNone}, // DC eVS Arrive
	"41": {tracking.StageInTransit, tracking.ProblemNone}, // Received at Opening Unit
	// Network scans the v3 API sends with alphanumeric codes (seen in real
	// responses, named by their eventType).
	"A1": {tracking.StageInTransit, tracking.ProblemNone},    // Arrived at USPS (Regional) Facility
	"AD": {tracking.StageInTransit, tracking.ProblemNone},    // Accepted at USPS Regional Destination Facility
	"T1": {tracking.StageInTransit, tracking.ProblemNone},    // Departed USPS (Regional) Facility
	"TL": {tracking.StageInTransit, tracking.ProblemNone},    // In Transit to Next Facility
	"NT": {tracking.StageInTransit, tracking.ProblemNone},    // In Transit to Next Facility
	"U1": {tracking.StageInTransit, tracking.ProblemNone},    // Arrived at USPS Regional Facility
	"L1": {tracking.StageInTransit, tracking.ProblemNone},    // Departed USPS Regional Facility
	"83": {tracking.StageInTransit, tracking.ProblemNone},    // Tendered to Postal Service (by a shipping partner)
	"08": {tracking.StageInTransit, tracking.ProblemDelayed}, // Missent
	"15": {tracking.StageInTransit, tracking.ProblemDelayed}, // Mis-shipped
	"71": {tracking.StageInTransit, tracking.ProblemDelayed}, // Rescheduled to Next Delivery Day
	"DX": {tracking.StageInTransit, tracking.ProblemDelayed}, // Delivery Status Not Updated
	// Last mile.
	"OF": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"14": {tracking.StageAvailableForPickup, tracking.ProblemNone}, // Arrival at Pickup Point
	"16": {tracking.StageAvailableForPickup, tracking.ProblemNone}, // Available for Pickup
	"01": {tracking.StageDelivered, tracking.ProblemNone},
	"17": {tracking.StageDelivered, tracking.ProblemNone}, // Picked Up By Agent
	"43": {tracking.StageDelivered, tracking.ProblemNone}, // Picked Up (at the counter)
	// Attempts: the carrier tried and will try again or hold the item.
	"02": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Attempted / Notice Left
	"30": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // No Access
	"51": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Business Closed
	"52": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Notice Left (Receptacle Blocked)
	"53": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Notice Left (Receptacle Full)
	"54": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Notice Left (No Secure Location)
	"55": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Notice Left (No Authorized Recipient)
	"56": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Notice Left variant
	// Problems the shopper must hear about.
	"04": {tracking.StageInTransit, tracking.ProblemException},      // Refused
	"11": {tracking.StageInTransit, tracking.ProblemException},      // Dead Letter (neither deliverable nor returnable)
	"05": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Undeliverable as Addressed
	// Returns: 09 is the plain return, 21–29 and 31 say why.
	"09": {tracking.StageReturning, tracking.ProblemNone},
	"44": {tracking.StageReturning, tracking.ProblemNone},      // Customer Recall
	"21": {tracking.StageReturning, tracking.ProblemException}, // No Such Number
	"22": {tracking.StageReturning, tracking.ProblemException}, // Insufficient Address
	"23": {tracking.StageReturning, tracking.ProblemException}, // Moved, Left No Address
	"24": {tracking.StageReturning, tracking.ProblemException}, // Forward Expired
	"25": {tracking.StageReturning, tracking.ProblemException}, // Addressee Unknown
	"26": {tracking.StageReturning, tracking.ProblemException}, // Vacant
	"27": {tracking.StageReturning, tracking.ProblemException}, // Unclaimed
	"28": {tracking.StageReturning, tracking.ProblemException}, // Deceased
	"29": {tracking.StageReturning, tracking.ProblemException}, // Other
	"31": {tracking.StageReturning, tracking.ProblemException}, // Not Picked Up
}

// movements marks the event codes that put an item inside a facility or on
// its way out of one, for the polling policy.
var movements = map[string]tracking.Movement{
	"07": tracking.MovementArrived,  // Arrival at Unit
	"10": tracking.MovementArrived,  // Processed
	"PC": tracking.MovementArrived,  // Sorting Complete
	"EF": tracking.MovementDeparted, // Departed facility
	"SF": tracking.MovementDeparted, // Departed post office
	"A1": tracking.MovementArrived,  // Arrived at USPS (Regional) Facility
	"AD": tracking.MovementArrived,  // Accepted at USPS Regional Destination Facility
	"19": tracking.MovementArrived,  // DC eVS Arrive
	"41": tracking.MovementArrived,  // Received at Opening Unit
	"T1": tracking.MovementDeparted, // Departed USPS (Regional) Facility
	"TL": tracking.MovementDeparted, // In Transit to Next Facility
	"NT": tracking.MovementDeparted, // In Transit to Next Facility
	"U1": tracking.MovementArrived,  // Arrived at USPS Regional Facility
	"L1": tracking.MovementDeparted, // Departed USPS Regional Facility
}
