package ups

import "github.com/ordertrack/ordertrack/app/tracking"

// mapping is what one UPS code means to the shopper.
type mapping struct {
	Stage   tracking.Stage
	Problem tracking.Problem
}

// statusTable maps every code the UPS Track API appendix documents to a stage
// and problem. The 3-digit activity status codes and their descriptions are
// UPS's "Tracking API codes" table
// (https://developer.ups.com/api/reference/tracking/api-codes, quoted in
// https://github.com/UPS-API/api-documentation/issues/7; our copy's origin is in
// testdata/SOURCES.md). Every real activity carries a statusCode, so the
// 2-letter activity codes (hundreds, each pointing at one statusCode in that
// table) need no rows of their own beyond the manifest and update codes. Keys are namespaced by the field they come from, because the
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
	// Activity status codes, 000–169 (UPS leaves 001, 002, 004, 008, 009, 015,
	// 031 and 150–152 unassigned).
	"statusCode:000": {tracking.StagePacked, tracking.ProblemNone},              // Status Not Available
	"statusCode:003": {tracking.StagePacked, tracking.ProblemNone},              // Shipment Ready for UPS
	"statusCode:005": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:006": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:007": {tracking.StagePacked, tracking.ProblemException},         // Shipment Information Voided
	"statusCode:010": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:011": {tracking.StageDelivered, tracking.ProblemNone},           // Delivered
	"statusCode:012": {tracking.StageInTransit, tracking.ProblemNone},           // Clearance in Progress
	"statusCode:013": {tracking.StageInTransit, tracking.ProblemException},      // Exception
	"statusCode:014": {tracking.StageInTransit, tracking.ProblemNone},           // Clearance Completed
	"statusCode:016": {tracking.StageInTransit, tracking.ProblemNone},           // In Warehouse
	"statusCode:017": {tracking.StageAvailableForPickup, tracking.ProblemNone},  // Held for Customer Pickup
	"statusCode:018": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Change Requested: Hold for Pickup
	"statusCode:019": {tracking.StageInTransit, tracking.ProblemDelayed},        // Held for Future Delivery
	"statusCode:020": {tracking.StageInTransit, tracking.ProblemNone},           // Held for Future Delivery Requested
	"statusCode:021": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:022": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // First Attempt Made
	"statusCode:023": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Second Delivery Attempted
	"statusCode:024": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Final Attempt Made
	"statusCode:025": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:026": {tracking.StageDelivered, tracking.ProblemNone},           // Delivered by Local Post Office
	"statusCode:027": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Address Change Requested
	"statusCode:028": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Address Changed
	"statusCode:029": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Exception: Action Required
	"statusCode:030": {tracking.StageInTransit, tracking.ProblemException},      // Local Post Office Exception
	"statusCode:032": {tracking.StageInTransit, tracking.ProblemDelayed},        // Adverse Weather May Cause Delay
	"statusCode:033": {tracking.StageReturning, tracking.ProblemNone},           // Return to Sender Requested
	"statusCode:034": {tracking.StageReturned, tracking.ProblemNone},            // Returned to Sender
	"statusCode:035": {tracking.StageReturning, tracking.ProblemNone},           // Returning to Sender
	"statusCode:036": {tracking.StageReturning, tracking.ProblemNone},           // Returning to Sender: In Transit
	"statusCode:037": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:038": {tracking.StageShipped, tracking.ProblemNone},             // Picked Up by UPS
	"statusCode:039": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:040": {tracking.StageAvailableForPickup, tracking.ProblemNone},  // Ready for Customer Pickup
	"statusCode:041": {tracking.StageInTransit, tracking.ProblemNone},           // Service Upgrade Requested
	"statusCode:042": {tracking.StageInTransit, tracking.ProblemNone},           // Service Upgraded
	"statusCode:043": {tracking.StagePacked, tracking.ProblemException},         // Voided Pickup
	"statusCode:044": {tracking.StageShipped, tracking.ProblemNone},             // On the Way to UPS
	"statusCode:045": {tracking.StageShipped, tracking.ProblemNone},             // On the Way to UPS
	"statusCode:046": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay
	"statusCode:047": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:048": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay
	"statusCode:049": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Delay: Action Required
	"statusCode:050": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Address Information Required
	"statusCode:051": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay: Emergency Situation or Severe Weather
	"statusCode:052": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay: Severe Weather
	"statusCode:053": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay: Severe Weather
	"statusCode:054": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Change Requested
	"statusCode:055": {tracking.StageInTransit, tracking.ProblemDelayed},        // Rescheduled Delivery
	"statusCode:056": {tracking.StageInTransit, tracking.ProblemNone},           // Service Upgrade Requested
	"statusCode:057": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way to a Local UPS Access Point
	"statusCode:058": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Clearance Information Required
	"statusCode:059": {tracking.StageInTransit, tracking.ProblemException},      // Damage Reported
	"statusCode:060": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Delivery Attempted
	"statusCode:061": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Delivery Attempted: Adult Signature Required
	"statusCode:062": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Delivery Attempted: Funds Required
	"statusCode:063": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Change Completed
	"statusCode:064": {tracking.StageInTransit, tracking.ProblemException},      // Delivery Refused
	"statusCode:065": {tracking.StagePacked, tracking.ProblemDelayed},           // Pickup Attempted
	"statusCode:066": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Post Office Delivery Attempted
	"statusCode:067": {tracking.StageReturned, tracking.ProblemNone},            // Returned to Sender by Post Office
	"statusCode:068": {tracking.StageInTransit, tracking.ProblemException},      // Sent to Lost and Found
	"statusCode:069": {tracking.StageInTransit, tracking.ProblemException},      // Unable to Deliver
	"statusCode:070": {tracking.StageInTransit, tracking.ProblemNone},           // Package not at UPS Access Point yet
	"statusCode:071": {tracking.StageInTransit, tracking.ProblemNone},           // Preparing for Delivery
	"statusCode:072": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Loaded on Delivery Vehicle
	"statusCode:073": {tracking.StageInTransit, tracking.ProblemNone},           // In Transit to UPS Delivery Partner
	"statusCode:074": {tracking.StageInTransit, tracking.ProblemNone},           // UPS Delivery Partner has Shipment
	"statusCode:075": {tracking.StageInTransit, tracking.ProblemNone},           // Scheduled for Delivery
	"statusCode:076": {tracking.StageInTransit, tracking.ProblemException},      // UPS Delivery Partner Exception
	"statusCode:077": {tracking.StagePacked, tracking.ProblemNone},              // Scheduled for Pickup Today
	"statusCode:078": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Your Driver is Arriving Soon
	"statusCode:079": {tracking.StageShipped, tracking.ProblemNone},             // Order Processed: In Transit to UPS
	"statusCode:080": {tracking.StagePacked, tracking.ProblemNone},              // Order Processed: Ready for UPS
	"statusCode:081": {tracking.StageReturning, tracking.ProblemException},      // Returned - Damage Reported
	"statusCode:082": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Instructions Received
	"statusCode:083": {tracking.StageInTransit, tracking.ProblemDelayed},        // Held
	"statusCode:084": {tracking.StageInTransit, tracking.ProblemNone},           // Cleared
	"statusCode:085": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Held for COD Payment
	"statusCode:086": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay
	"statusCode:087": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:088": {tracking.StagePacked, tracking.ProblemNone},              // Test
	"statusCode:089": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:090": {tracking.StageInTransit, tracking.ProblemDelayed},        // Delay
	"statusCode:091": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:092": {tracking.StageInTransit, tracking.ProblemNone},           // Customs Clearance in Progress
	"statusCode:093": {tracking.StageInTransit, tracking.ProblemException},      // Premier Recovery In Progress
	"statusCode:094": {tracking.StageInTransit, tracking.ProblemNone},           // Premier Recovery Completed
	"statusCode:095": {tracking.StageInTransit, tracking.ProblemNone},           // Additional Attempt Requested
	"statusCode:096": {tracking.StageInTransit, tracking.ProblemNone},           // Address Change Confirmed
	"statusCode:097": {tracking.StageInTransit, tracking.ProblemNone},           // Address Change Requested
	"statusCode:098": {tracking.StageInTransit, tracking.ProblemNone},           // Deliver to Original Address Requested
	"statusCode:099": {tracking.StageInTransit, tracking.ProblemNone},           // Deliver to Original Address Confirmed
	"statusCode:100": {tracking.StageInTransit, tracking.ProblemNone},           // Hold at UPS Access Point Confirmed
	"statusCode:101": {tracking.StageInTransit, tracking.ProblemNone},           // Hold at UPS Access Point Requested
	"statusCode:102": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Courier Requested
	"statusCode:103": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Courier Confirmed
	"statusCode:104": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Instructions Confirmed
	"statusCode:105": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Instructions Requested
	"statusCode:106": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Pickup Confirmed
	"statusCode:107": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Pickup Requested
	"statusCode:108": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Pickup Today Confirmed
	"statusCode:109": {tracking.StageInTransit, tracking.ProblemNone},           // Hold for Pickup Today Requested
	"statusCode:110": {tracking.StageInTransit, tracking.ProblemNone},           // Refrigeration Confirmed
	"statusCode:111": {tracking.StageInTransit, tracking.ProblemNone},           // Refrigeration Requested
	"statusCode:112": {tracking.StageInTransit, tracking.ProblemNone},           // Re-Ice Confirmed
	"statusCode:113": {tracking.StageInTransit, tracking.ProblemNone},           // Re-Ice Requested
	"statusCode:114": {tracking.StageInTransit, tracking.ProblemNone},           // Request Canceled
	"statusCode:115": {tracking.StageInTransit, tracking.ProblemNone},           // Reschedule Delivery Confirmed
	"statusCode:116": {tracking.StageInTransit, tracking.ProblemNone},           // Reschedule Delivery Requested
	"statusCode:117": {tracking.StageInTransit, tracking.ProblemNone},           // Return by Saturday Confirmed
	"statusCode:118": {tracking.StageReturning, tracking.ProblemNone},           // Return to Sender Confirmed
	"statusCode:119": {tracking.StageReturning, tracking.ProblemNone},           // Return to Sender Requested
	"statusCode:120": {tracking.StageInTransit, tracking.ProblemNone},           // Saturday Delivery Confirmed
	"statusCode:121": {tracking.StageInTransit, tracking.ProblemNone},           // Saturday Delivery Requested
	"statusCode:122": {tracking.StageInTransit, tracking.ProblemNone},           // Upgrade Confirmed
	"statusCode:123": {tracking.StageInTransit, tracking.ProblemDelayed},        // Pending Release From Non-UPS Broker
	"statusCode:124": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Clearance Information Needed
	"statusCode:125": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Clearance Information Needed
	"statusCode:126": {tracking.StageInTransit, tracking.ProblemDelayed},        // Pending Government Agency Release
	"statusCode:127": {tracking.StageInTransit, tracking.ProblemNone},           // Investigation Closed
	"statusCode:128": {tracking.StageInTransit, tracking.ProblemNone},           // Investigation Canceled
	"statusCode:129": {tracking.StageInTransit, tracking.ProblemException},      // Investigation Opened
	"statusCode:130": {tracking.StageInTransit, tracking.ProblemException},      // Claim in Progress
	"statusCode:131": {tracking.StagePacked, tracking.ProblemDelayed},           // Final Pickup Attempted
	"statusCode:132": {tracking.StageInTransit, tracking.ProblemDelayed},        // Airport Security Delay
	"statusCode:133": {tracking.StagePacked, tracking.ProblemNone},              // Return Label Left With Customer
	"statusCode:134": {tracking.StageInTransit, tracking.ProblemNone},           // Cleared Import Customs
	"statusCode:135": {tracking.StagePacked, tracking.ProblemDelayed},           // Second Pickup Attempted
	"statusCode:136": {tracking.StageInTransit, tracking.ProblemNone},           // Delivery Rescheduled for Saturday
	"statusCode:137": {tracking.StageInTransit, tracking.ProblemNone},           // Transferred to UPS Delivery Partner
	"statusCode:138": {tracking.StageInTransit, tracking.ProblemNone},           // Awaiting Scheduled Departure
	"statusCode:139": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Security Access Required
	"statusCode:140": {tracking.StageInTransit, tracking.ProblemException},      // Claim Paid
	"statusCode:141": {tracking.StageInTransit, tracking.ProblemActionRequired}, // Incomplete Documentation Received
	"statusCode:142": {tracking.StageInTransit, tracking.ProblemException},      // Claim Voided
	"statusCode:143": {tracking.StageInTransit, tracking.ProblemNone},           // Delivered to Agent
	"statusCode:144": {tracking.StageAvailableForPickup, tracking.ProblemNone},  // Delivered to Post Office for Pickup
	"statusCode:145": {tracking.StageInTransit, tracking.ProblemFailedAttempt},  // Delivery Attempted
	"statusCode:146": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:147": {tracking.StageInTransit, tracking.ProblemException},      // Seized by Law Enforcement, No Longer in UPS Possession
	"statusCode:148": {tracking.StageInTransit, tracking.ProblemException},      // Package Information Unavailable
	"statusCode:149": {tracking.StageInTransit, tracking.ProblemException},      // Prohibited Contents, Package Destroyed
	"statusCode:153": {tracking.StageInTransit, tracking.ProblemNone},           // Updated Delivery Time
	"statusCode:154": {tracking.StageInTransit, tracking.ProblemNone},           // Updated Delivery Date
	"statusCode:155": {tracking.StageDelivered, tracking.ProblemNone},           // Delivery Photo
	"statusCode:156": {tracking.StageDelivered, tracking.ProblemNone},           // Commercial Inside Release
	"statusCode:157": {tracking.StagePacked, tracking.ProblemNone},              // Shipment Ready for UPS
	"statusCode:158": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:159": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:160": {tracking.StageShipped, tracking.ProblemNone},             // We Have Your Package
	"statusCode:161": {tracking.StageAvailableForPickup, tracking.ProblemNone},  // Delivered to UPS Access Point
	"statusCode:162": {tracking.StageOutForDelivery, tracking.ProblemNone},      // Out for Delivery
	"statusCode:163": {tracking.StageInTransit, tracking.ProblemException},      // Package Information Unavailable
	"statusCode:164": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:165": {tracking.StageInTransit, tracking.ProblemNone},           // On the Way
	"statusCode:166": {tracking.StagePacked, tracking.ProblemNone},              // Shipment Ready for Roadie
	"statusCode:167": {tracking.StageShipped, tracking.ProblemNone},             // Dropped off at UPS Store by Customer
	"statusCode:168": {tracking.StageShipped, tracking.ProblemNone},             // Dropped off at Retail Location by Customer
	"statusCode:169": {tracking.StageShipped, tracking.ProblemNone},             // Dropped off at a UPS Access Point by Customer

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
