package fedex

import "github.com/ordertrack/ordertrack/app/tracking"

// mapping is what one FedEx code means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps every code on FedEx's "Tracking Status Codes" page to a
// stage and problem. FedEx uses one vocabulary for scan eventType,
// derivedStatusCode and latestStatusDetail.code, so one table serves all.
// EA is listed twice by FedEx (Enroute to Airport; Export Approved); both mean
// the parcel is moving.
var statusTable = map[string]mapping{
	// Before FedEx has the parcel.
	"OC": {tracking.StagePacked, tracking.ProblemNone},      // Order Created (label)
	"OX": {tracking.StagePacked, tracking.ProblemNone},      // Shipment information sent to USPS
	"EP": {tracking.StagePacked, tracking.ProblemNone},      // Enroute to Pickup
	"DS": {tracking.StagePacked, tracking.ProblemNone},      // Vehicle Dispatched (for pickup)
	"DR": {tracking.StagePacked, tracking.ProblemNone},      // Vehicle furnished but not used
	"AP": {tracking.StagePacked, tracking.ProblemNone},      // At Pickup
	"PD": {tracking.StagePacked, tracking.ProblemDelayed},   // Pickup Delay
	"CA": {tracking.StagePacked, tracking.ProblemException}, // Cancelled
	// Return-label events belong to a return shipment still at the shopper.
	"RP": {tracking.StagePacked, tracking.ProblemNone}, // Return label link emailed
	"LP": {tracking.StagePacked, tracking.ProblemNone}, // Return label link cancelled
	"RG": {tracking.StagePacked, tracking.ProblemNone}, // Return label link expiring
	"RD": {tracking.StagePacked, tracking.ProblemNone}, // Return label link expired
	// Picked up.
	"PU": {tracking.StageShipped, tracking.ProblemNone},
	"PX": {tracking.StageShipped, tracking.ProblemNone}, // Picked up (see details)
	// Moving.
	"AA": {tracking.StageInTransit, tracking.ProblemNone}, // At Airport
	"AC": {tracking.StageInTransit, tracking.ProblemNone}, // At Canada Post facility
	"AF": {tracking.StageInTransit, tracking.ProblemNone}, // At local FedEx facility
	"AR": {tracking.StageInTransit, tracking.ProblemNone}, // Arrived at
	"AX": {tracking.StageInTransit, tracking.ProblemNone}, // At USPS facility
	"CH": {tracking.StageInTransit, tracking.ProblemNone}, // Location Changed
	"DP": {tracking.StageInTransit, tracking.ProblemNone}, // Departed
	"EA": {tracking.StageInTransit, tracking.ProblemNone}, // Enroute to Airport / Export Approved
	"EO": {tracking.StageInTransit, tracking.ProblemNone}, // Enroute to Origin Airport
	"FD": {tracking.StageInTransit, tracking.ProblemNone}, // At FedEx Destination
	"IT": {tracking.StageInTransit, tracking.ProblemNone},
	"IX": {tracking.StageInTransit, tracking.ProblemNone}, // In transit (see details)
	"LO": {tracking.StageInTransit, tracking.ProblemNone}, // Left Origin
	"OF": {tracking.StageInTransit, tracking.ProblemNone}, // At FedEx origin facility
	"OW": {tracking.StageInTransit, tracking.ProblemNone}, // On the way
	"AO": {tracking.StageInTransit, tracking.ProblemNone}, // Shipment arriving On-Time (seen in real responses)
	"PF": {tracking.StageInTransit, tracking.ProblemNone}, // Plane in Flight
	"PL": {tracking.StageInTransit, tracking.ProblemNone}, // Plane Landed
	"PM": {tracking.StageInTransit, tracking.ProblemNone}, // In Progress
	"SF": {tracking.StageInTransit, tracking.ProblemNone}, // At Sort Facility
	"SP": {tracking.StageInTransit, tracking.ProblemNone}, // Split Status (multi-piece)
	"TR": {tracking.StageInTransit, tracking.ProblemNone}, // Transfer
	"CC": {tracking.StageInTransit, tracking.ProblemNone}, // Cleared Customs
	"CP": {tracking.StageInTransit, tracking.ProblemNone}, // Clearance in Progress
	// Delivery options the recipient chose do not change where the parcel is.
	"RR": {tracking.StageInTransit, tracking.ProblemNone}, // CDO requested
	"RM": {tracking.StageInTransit, tracking.ProblemNone}, // CDO modified
	"RC": {tracking.StageInTransit, tracking.ProblemNone}, // CDO cancelled
	// Delays and problems.
	"DY": {tracking.StageInTransit, tracking.ProblemDelayed},       // Delay
	"DD": {tracking.StageInTransit, tracking.ProblemDelayed},       // Delivery Delay
	"CD": {tracking.StageInTransit, tracking.ProblemDelayed},       // Clearance Delay
	"DE": {tracking.StageInTransit, tracking.ProblemFailedAttempt}, // Delivery Exception
	"SE": {tracking.StageInTransit, tracking.ProblemException},     // Shipment Exception
	// Last mile.
	"OD": {tracking.StageOutForDelivery, tracking.ProblemNone},
	"ED": {tracking.StageOutForDelivery, tracking.ProblemNone},     // Enroute to Delivery
	"AD": {tracking.StageOutForDelivery, tracking.ProblemNone},     // At Delivery
	"HL": {tracking.StageAvailableForPickup, tracking.ProblemNone}, // Hold at Location
	"HP": {tracking.StageAvailableForPickup, tracking.ProblemNone}, // Ready for Recipient Pickup
	"DL": {tracking.StageDelivered, tracking.ProblemNone},
	"RS": {tracking.StageReturning, tracking.ProblemNone}, // Return to Shipper
}

// movements marks the codes on the same page that put a parcel inside a
// facility or on its way out of one, for the polling policy. EA (Enroute to
// Airport / Export Approved), PL and TR say neither for sure.
var movements = map[string]tracking.Movement{
	"AR": tracking.MovementArrived,  // Arrived at
	"AF": tracking.MovementArrived,  // At local FedEx facility
	"OF": tracking.MovementArrived,  // At FedEx origin facility
	"FD": tracking.MovementArrived,  // At FedEx Destination
	"SF": tracking.MovementArrived,  // At Sort Facility
	"AA": tracking.MovementArrived,  // At Airport
	"AC": tracking.MovementArrived,  // At Canada Post facility
	"AX": tracking.MovementArrived,  // At USPS facility
	"CP": tracking.MovementArrived,  // Clearance in Progress
	"DP": tracking.MovementDeparted, // Departed
	"LO": tracking.MovementDeparted, // Left Origin
	"EO": tracking.MovementDeparted, // Enroute to Origin Airport
	"PF": tracking.MovementDeparted, // Plane in Flight
	"IT": tracking.MovementDeparted, // In Transit
	"OW": tracking.MovementDeparted, // On the way
}
