// Package tracking is the domain at the centre of ordertrack: the normalized
// status model (stage, problem, substatus, ETA), timeline merge, ETA and delay
// detection, and the polling policy. It does no I/O: carrier packages return
// its types, storage persists them, jobs drive them.
package tracking

import (
	"errors"
	"fmt"
	"time"
)

// Stage is a shipment's progress. Stages are ordered; see Rank.
type Stage string

// The stages, in order of progress.
const (
	StageConfirmed          Stage = "confirmed"
	StagePacked             Stage = "packed" // label created, no carrier scan yet
	StageShipped            Stage = "shipped"
	StageInTransit          Stage = "in_transit"
	StageOutForDelivery     Stage = "out_for_delivery"
	StageAvailableForPickup Stage = "available_for_pickup"
	StageDelivered          Stage = "delivered"
	StageReturning          Stage = "returning"
	StageReturned           Stage = "returned"
)

// Stages lists every stage in progress order.
var Stages = []Stage{
	StageConfirmed, StagePacked, StageShipped, StageInTransit, StageOutForDelivery,
	StageAvailableForPickup, StageDelivered, StageReturning, StageReturned,
}

// Rank orders stages by progress; an unknown stage ranks -1.
func (s Stage) Rank() int {
	for i, st := range Stages {
		if st == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is one of the defined stages.
func (s Stage) Valid() bool { return s.Rank() >= 0 }

// Terminal reports whether nothing more will happen to the shipment, so it is
// never polled again.
func (s Stage) Terminal() bool { return s == StageDelivered || s == StageReturned }

// Return reports whether the stage is part of a return to the sender, the one
// case where a shipment legitimately moves "backwards".
func (s Stage) Return() bool { return s == StageReturning || s == StageReturned }

// Problem is orthogonal to Stage: something the shopper or merchant should know
// about. The zero value means no problem.
type Problem string

// The problems.
const (
	ProblemNone           Problem = ""
	ProblemDelayed        Problem = "delayed"
	ProblemFailedAttempt  Problem = "failed_attempt"
	ProblemActionRequired Problem = "action_required"
	ProblemException      Problem = "exception"
)

// Problems lists every problem, ProblemNone first.
var Problems = []Problem{ProblemNone, ProblemDelayed, ProblemFailedAttempt, ProblemActionRequired, ProblemException}

// Location is where an event happened, as precise as the carrier says.
type Location struct {
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2
}

// String renders the location for people: "Paramus, NJ, US".
func (l Location) String() string {
	out := ""
	for _, p := range []string{l.City, l.Region, l.Country} {
		if p == "" {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += p
	}
	return out
}

// Movement is what a transit scan says about where the parcel is in the
// carrier's network, when the carrier's code says it: inside a facility or on
// its way between two. The zero value means the scan does not say.
type Movement string

// The movements.
const (
	MovementNone Movement = ""
	// MovementArrived is an arrival or processing scan at a hub, sort centre
	// or customs: the parcel is being handled, which is when carriers find
	// damage, missorts and lost parcels.
	MovementArrived Movement = "arrived"
	// MovementDeparted is a departure scan: the parcel is on a truck or plane
	// until it arrives somewhere.
	MovementDeparted Movement = "departed"
)

// Event is one carrier scan, normalized. Code and Description keep the
// carrier's own words for operators; Stage and Problem are what the shopper
// sees; Movement is for the polling policy.
type Event struct {
	Time        time.Time `json:"time"`
	Stage       Stage     `json:"stage"`
	Problem     Problem   `json:"problem,omitempty"`
	Movement    Movement  `json:"movement,omitempty"`
	Code        string    `json:"code"`
	Description string    `json:"description"`
	Location    Location  `json:"location"`
}

// Fingerprint identifies an event across re-fetches, so the same scan stored
// twice is recognised as one.
func (e Event) Fingerprint() string {
	return fmt.Sprintf("%d|%s|%s|%s", e.Time.UTC().Unix(), e.Code, e.Location.City, e.Location.PostalCode)
}

// Window is a delivery estimate: one day (Earliest == Latest) or a range.
type Window struct {
	Earliest time.Time `json:"earliest"`
	Latest   time.Time `json:"latest"`
}

// IsZero reports whether no estimate is known.
func (w Window) IsZero() bool { return w.Earliest.IsZero() && w.Latest.IsZero() }

// EstimateIn returns an estimate's time t as a shopper in loc reads it. A
// date-only estimate is stored as midnight UTC of its day (DetectDelay reads
// it so); it keeps that calendar day, as midnight in loc, where converting
// the instant would move it to the day before anywhere west of UTC. An
// estimate with a time of day is converted.
func EstimateIn(t time.Time, loc *time.Location) time.Time {
	u := t.UTC()
	if t.IsZero() || u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
		return t.In(loc)
	}
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, loc)
}

// Result is what a carrier reports for one tracking number.
type Result struct {
	Number  string  `json:"number"`
	Carrier string  `json:"carrier"`
	Service string  `json:"service,omitempty"`
	Events  []Event `json:"events"`
	// Promised is the carrier's own delivery estimate, when it gives one.
	Promised Window `json:"promised"`
	// NotFound means the carrier does not know the number yet: normal for a
	// fresh label, retried on a slow cadence, not an error.
	NotFound bool `json:"not_found,omitempty"`
}

// ErrCredentials means the carrier rejected our credentials: retrying will not
// help until an operator or merchant fixes them.
var ErrCredentials = errors.New("carrier rejected credentials")

// RetryableError is a transient carrier failure (timeout, 429, 5xx). RetryAfter
// is the carrier's requested wait, zero when it gave none.
type RetryableError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *RetryableError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%v (retry after %s)", e.Err, e.RetryAfter)
	}
	return e.Err.Error()
}

func (e *RetryableError) Unwrap() error { return e.Err }

// Trigger is a status change worth telling the shopper about. Each is emitted
// once per shipment (ETA changes once per new estimate).
type Trigger string

// The triggers.
const (
	TriggerShipped            Trigger = "shipped"
	TriggerInTransit          Trigger = "in_transit"
	TriggerOutForDelivery     Trigger = "out_for_delivery"
	TriggerDelayed            Trigger = "delayed"
	TriggerFailedAttempt      Trigger = "failed_attempt"
	TriggerActionRequired     Trigger = "action_required"
	TriggerAvailableForPickup Trigger = "available_for_pickup"
	TriggerDelivered          Trigger = "delivered"
	TriggerException          Trigger = "exception"
	TriggerETAChanged         Trigger = "eta_changed"
	TriggerCODReminder        Trigger = "cod_reminder"
	TriggerReturning          Trigger = "returning"
	// TriggerCancelled tells a shopper who heard their parcel shipped that
	// the order was cancelled or refunded and nothing more will come.
	TriggerCancelled Trigger = "cancelled"
	// The return triggers follow a parcel the shopper sends back: its label
	// exists, the carrier has it, the store received it (the refund follows).
	TriggerReturnLabel     Trigger = "return_label_created"
	TriggerReturnInTransit Trigger = "return_in_transit"
	TriggerReturnDelivered Trigger = "return_delivered"
)

// Triggers lists every trigger.
var Triggers = []Trigger{
	TriggerShipped, TriggerInTransit, TriggerOutForDelivery, TriggerDelayed, TriggerFailedAttempt,
	TriggerActionRequired, TriggerAvailableForPickup, TriggerDelivered, TriggerException,
	TriggerETAChanged, TriggerCODReminder, TriggerReturning, TriggerCancelled,
	TriggerReturnLabel, TriggerReturnInTransit, TriggerReturnDelivered,
}
