package tracking

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ActionKind names something a shopper can ask for about a shipment, on the
// tracking page, by a text reply or on a call.
type ActionKind string

// The actions.
const (
	ActionConfirmAddress ActionKind = "confirm_address"
	ActionCorrectAddress ActionKind = "correct_address"
	ActionReschedule     ActionKind = "reschedule"
	ActionNotReceived    ActionKind = "not_received"
	ActionContactSupport ActionKind = "contact_support"
)

// ActionKinds lists every action kind.
var ActionKinds = []ActionKind{
	ActionConfirmAddress, ActionCorrectAddress, ActionReschedule, ActionNotReceived, ActionContactSupport,
}

// Valid reports whether k is one of the defined action kinds.
func (k ActionKind) Valid() bool { return slices.Contains(ActionKinds, k) }

// The details a shopper may send with an action, stored with it under these
// keys (the page's form fields carry the same names).
const (
	DetailAddress1   = "address1"    // correct_address
	DetailAddress2   = "address2"    // correct_address
	DetailCity       = "city"        // correct_address
	DetailPostalCode = "postal_code" // correct_address
	DetailRegion     = "region"      // correct_address: state or province
	DetailCountry    = "country"     // correct_address
	DetailDate       = "date"        // reschedule, "2006-01-02"
	DetailNote       = "note"        // correct_address, not_received: free text
	DetailMessage    = "message"     // contact_support: what the shopper wrote
	DetailReplyTo    = "reply_to"    // contact_support: where the shopper wants the answer
)

// DetailKeys lists every detail a shopper may send with an action.
var DetailKeys = []string{DetailAddress1, DetailAddress2, DetailCity, DetailPostalCode, DetailRegion, DetailCountry, DetailDate, DetailNote, DetailMessage, DetailReplyTo}

// DetailMax is the most bytes of a detail kept: a contact message may be
// long, anything else is a line.
func DetailMax(key string) int {
	if key == DetailMessage {
		return 2000
	}
	return 500
}

// Offer is something a shopper may ask for now. Dates are the delivery days
// offered with a reschedule.
type Offer struct {
	Kind  ActionKind
	Dates []time.Time
}

// rescheduleDays is how many delivery days a reschedule offers.
const rescheduleDays = 3

// ActionPayCarrier is a link, not a request: it sends the shopper to the
// carrier's own page to pay duty or fees. It is never posted, so it is not
// among ActionKinds.
const ActionPayCarrier ActionKind = "pay_carrier"

// ShopperActions offers what the shopper can do now about the shipment's
// issue (see IssueOf): confirm or correct the address the carrier queried,
// pay duty or fees at the carrier's page, choose a new day after a missed
// delivery (on the next working days of the carrier's calendar), report a
// parcel marked delivered that never arrived; reaching the store is always
// offered, and is the step for customs holds, damage, refusals and COD
// questions.
func ShopperActions(stage Stage, issue Issue, cal Calendar, now time.Time) []Offer {
	var out []Offer
	switch issue {
	case IssueAddress:
		out = append(out, Offer{Kind: ActionConfirmAddress}, Offer{Kind: ActionCorrectAddress})
	case IssuePaymentDue:
		out = append(out, Offer{Kind: ActionPayCarrier})
	case IssueFailedAttempt:
		r := Offer{Kind: ActionReschedule}
		day := now
		for len(r.Dates) < rescheduleDays {
			day = cal.AddBusinessDays(day, 1)
			r.Dates = append(r.Dates, day)
		}
		out = append(out, r, Offer{Kind: ActionCorrectAddress})
	}
	if stage == StageDelivered {
		out = append(out, Offer{Kind: ActionNotReceived})
	}
	return append(out, Offer{Kind: ActionContactSupport})
}

// rescheduleHorizon is how far ahead a shopper may ask for delivery: about
// as long as carriers hold a parcel.
const rescheduleHorizon = 30 * 24 * time.Hour

// CheckRescheduleDate accepts a "2006-01-02" day from today (anywhere on
// Earth) to rescheduleHorizon ahead; the merchant cannot pass a day in the
// past, or months away, to the carrier. The error is worded for the shopper.
func CheckRescheduleDate(v string, now time.Time) error {
	day, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return errors.New("choose a delivery day from the list")
	}
	earliest := now.UTC().Add(-12 * time.Hour).Truncate(24 * time.Hour) // the date at UTC-12
	if day.Before(earliest) || day.After(now.Add(rescheduleHorizon)) {
		return fmt.Errorf("choose a delivery day between today and %s", now.Add(rescheduleHorizon).Format("January 2"))
	}
	return nil
}
