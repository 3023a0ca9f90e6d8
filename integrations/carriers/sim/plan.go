package sim

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Scenario is how a simulated shipment's journey goes.
type Scenario string

// The scenarios. Every one but exception ends in a terminal stage: delivered
// (possibly late, after a failed attempt, an address or duty query, or a
// pickup at an access point) or returned to the sender.
const (
	Normal         Scenario = "normal"
	Delayed        Scenario = "delayed"         // stuck at a hub, delivered after the promised window
	FailedAttempt  Scenario = "failed_attempt"  // first attempt fails, delivered next working day
	ActionRequired Scenario = "action_required" // address query (or customs duty abroad), then delivered
	Pickup         Scenario = "pickup"          // attempt fails, held at an access point, collected
	Exception      Scenario = "exception"       // damaged or lost at a hub; the stream stops there
	Returned       Scenario = "returned"        // two failed attempts, sent back to the origin
)

// Scenarios lists every scenario, Normal first.
func Scenarios() []Scenario {
	return []Scenario{Normal, Delayed, FailedAttempt, ActionRequired, Pickup, Exception, Returned}
}

// The carrier's event codes, in the terse style real carriers use; the
// adapters' mapping tables are what turn such codes into stages.
const (
	CodeLabelCreated    = "LC"
	CodePickedUp        = "PU"
	CodeArrived         = "AR"
	CodeDeparted        = "DP"
	CodeDelayed         = "DY"
	CodeOutForDelivery  = "OD"
	CodeDelivered       = "DL"
	CodeAttemptFailed   = "FA"
	CodeAddressQuery    = "AX"
	CodeDutyDue         = "CF"
	CodeResolved        = "RV"
	CodeHeldForPickup   = "PA"
	CodeDamaged         = "EX"
	CodeReturnStarted   = "RS"
	CodeReturnDelivered = "RD"
)

// Shipment is one simulated parcel and its whole journey, future included.
type Shipment struct {
	Number      string
	Service     string
	Origin      tracking.Location
	Destination tracking.Location
	Shipped     time.Time
	Scenario    Scenario
	// Events is the full stream, sorted by time; Track reveals the past part.
	Events   []tracking.Event
	Promised tracking.Window
}

// Plan lays out the journey of number, shipped (label created) at shipped,
// on a lane chosen from Lanes by the number. The same seed, number, time and
// scenario always give the same shipment.
func (c *Carrier) Plan(number string, shipped time.Time, sc Scenario) Shipment {
	lanes := Lanes()
	return c.PlanLane(lanes[hash(number)%uint64(len(lanes))], number, shipped, sc)
}

// PlanLane is Plan on a given lane.
func (c *Carrier) PlanLane(lane Lane, number string, shipped time.Time, sc Scenario) Shipment {
	p := planner{r: rand.New(rand.NewPCG(uint64(c.seed), hash(number))), lane: lane}
	return p.plan(number, shipped.UTC(), sc)
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

type planner struct {
	r    *rand.Rand
	lane Lane
	// slots collects events per working day before they get times.
	slots []slot
}

// slot is an event waiting for a time: on a given day, within an hour band.
type slot struct {
	day        time.Time
	fromH, toH int
	ev         tracking.Event
	dayOrder   int
}

// Hour bands: sort scans at night and through the day, the van leaves in
// the morning, deliveries happen in daytime.
const (
	bandHub     = iota // 00:30-22:00
	bandEarly          // 00:30-06:30, before the van leaves
	bandVan            // 07:00-09:30
	bandDaytime        // 10:00-19:00
	bandEvening        // 16:00-19:30, pickups from the shipper
)

var bands = [][2]int{{30, 22 * 60}, {30, 6*60 + 30}, {7 * 60, 9*60 + 30}, {10 * 60, 19 * 60}, {16 * 60, 19*60 + 30}}

// movements says which codes are arrival and departure scans, as a real
// adapter's status table would.
var movements = map[string]tracking.Movement{
	CodeArrived:  tracking.MovementArrived,
	CodeDeparted: tracking.MovementDeparted,
	CodeResolved: tracking.MovementDeparted, // released: the parcel moves on
}

func (p *planner) at(d time.Time, band int, stage tracking.Stage, prob tracking.Problem, code, desc string, l tracking.Location) {
	p.slots = append(p.slots, slot{day: d, fromH: bands[band][0], toH: bands[band][1], dayOrder: len(p.slots),
		ev: tracking.Event{Stage: stage, Problem: prob, Movement: movements[code], Code: code, Description: desc, Location: l}})
}

func (p *planner) plan(number string, shipped time.Time, sc Scenario) Shipment {
	lane := p.lane
	s := Shipment{Number: number, Service: lane.Service, Origin: lane.Origin, Destination: lane.Destination, Shipped: shipped, Scenario: sc}
	label := tracking.Event{Time: shipped, Stage: tracking.StagePacked, Code: CodeLabelCreated,
		Description: "Shipping label created, carrier awaiting item", Location: lane.Origin}

	// The carrier collects in the late afternoon of the first working day
	// the label was ready by 15:00.
	pickupDay := day(shipped)
	if !WorkingDay(pickupDay) || shipped.Hour() >= 15 {
		pickupDay = addWorkingDays(pickupDay, 1)
	}
	p.at(pickupDay, bandEvening, tracking.StageShipped, "", CodePickedUp, "Picked up", lane.Origin)

	transit := max(lane.TransitDays, 1)
	due := addWorkingDays(pickupDay, transit)
	s.Promised = tracking.Window{Earliest: due, Latest: addWorkingDays(due, lane.Slack)}

	extra := 0 // working days lost to a delay
	if sc == Delayed {
		extra = lane.Slack + 1 + p.r.IntN(3)
	}
	stuck := len(lane.Hubs) / 2 // the hub where a delay or exception happens
	for i, hub := range lane.Hubs {
		// Hubs spread over the working days before delivery; the last ones
		// may share the delivery morning.
		offset := 1 + i*(transit-1)/len(lane.Hubs)
		band := bandHub
		if offset >= transit {
			offset, band = transit, bandEarly
		}
		arrive := addWorkingDays(pickupDay, offset)
		if sc == Delayed && i > stuck {
			arrive = addWorkingDays(arrive, extra)
		}
		p.at(arrive, band, tracking.StageInTransit, "", CodeArrived, "Arrived at facility", hub)
		if i == stuck {
			switch sc {
			case Exception:
				desc := "Damaged in transit; contents being assessed"
				if p.r.IntN(2) == 0 {
					desc = "Package cannot be located; search in progress"
				}
				p.at(arrive, band, tracking.StageInTransit, tracking.ProblemException, CodeDamaged, desc, hub)
				return p.finish(s, label)
			case Delayed:
				p.at(arrive, band, tracking.StageInTransit, tracking.ProblemDelayed, CodeDelayed,
					"Delayed: severe weather in the area", hub)
				arrive = addWorkingDays(arrive, extra)
			}
		}
		p.at(arrive, band, tracking.StageInTransit, "", CodeDeparted, "Departed facility", hub)
	}

	deliver := addWorkingDays(due, extra)
	if sc == Normal && lane.Slack > 0 && p.r.IntN(4) == 0 {
		deliver = addWorkingDays(due, p.r.IntN(lane.Slack)+1) // late in the window, still on time
	}
	dest := lane.Destination
	p.at(deliver, bandEarly, tracking.StageInTransit, "", CodeArrived, "Arrived at delivery facility", dest)

	switch sc {
	case ActionRequired:
		code, desc, fixed := CodeAddressQuery, "Address information needed; contact the carrier", "Address corrected"
		if lane.International {
			code, desc, fixed = CodeDutyDue, "Import duty due; pay to release the package", "Duty paid; released by customs"
		}
		p.at(deliver, bandEarly, tracking.StageInTransit, tracking.ProblemActionRequired, code, desc, dest)
		deliver = addWorkingDays(deliver, 1+p.r.IntN(3))
		p.at(deliver, bandEarly, tracking.StageInTransit, "", CodeResolved, fixed, dest)
	case FailedAttempt, Pickup, Returned:
		p.attempt(deliver, "Delivery attempted; no access to delivery location")
		deliver = addWorkingDays(deliver, 1)
	}

	switch sc {
	case Pickup:
		point := dest
		point.City = dest.City + " Access Point"
		p.at(deliver, bandEarly, tracking.StageAvailableForPickup, "", CodeHeldForPickup,
			"Held at access point; available for pickup", point)
		collect := addWorkingDays(deliver, p.r.IntN(4))
		p.at(collect, bandDaytime, tracking.StageDelivered, "", CodeDelivered, "Delivered; collected by recipient", point)
	case Returned:
		p.attempt(deliver, "Delivery attempted; recipient not available")
		p.at(deliver, bandDaytime, tracking.StageReturning, "", CodeReturnStarted,
			"Returning to sender: maximum delivery attempts reached", dest)
		back := addWorkingDays(deliver, 1+transit/2)
		if n := len(lane.Hubs); n > 0 {
			p.at(back, bandHub, tracking.StageReturning, "", CodeArrived, "Arrived at facility", lane.Hubs[0])
		}
		p.at(addWorkingDays(back, 1), bandDaytime, tracking.StageReturned, "", CodeReturnDelivered,
			"Returned to sender", lane.Origin)
	default:
		p.at(deliver, bandVan, tracking.StageOutForDelivery, "", CodeOutForDelivery, "Out for delivery", dest)
		p.at(deliver, bandDaytime, tracking.StageDelivered, "", CodeDelivered, "Delivered", dest)
	}
	return p.finish(s, label)
}

// attempt is a van run that ends without delivery.
func (p *planner) attempt(d time.Time, why string) {
	dest := p.lane.Destination
	p.at(d, bandVan, tracking.StageOutForDelivery, "", CodeOutForDelivery, "Out for delivery", dest)
	p.at(d, bandDaytime, tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, CodeAttemptFailed, why, dest)
}

// finish gives each slot a time: random within its band, in slot order
// within a day, always after the label and the previous event.
func (p *planner) finish(s Shipment, label tracking.Event) Shipment {
	slices.SortStableFunc(p.slots, func(a, b slot) int {
		if c := a.day.Compare(b.day); c != 0 {
			return c
		}
		return cmp.Compare(a.dayOrder, b.dayOrder)
	})
	events := []tracking.Event{label}
	prev := label.Time
	for i := 0; i < len(p.slots); {
		j := i
		for j < len(p.slots) && p.slots[j].day.Equal(p.slots[i].day) {
			j++
		}
		// Draw one minute per slot of the day, sort, so the order holds.
		mins := make([]int, 0, j-i)
		for k := i; k < j; k++ {
			sl := p.slots[k]
			mins = append(mins, sl.fromH+p.r.IntN(sl.toH-sl.fromH))
		}
		// Bands already increase with slot order, except slots sharing a
		// band; sorting within equal bands keeps both properties.
		for k := i; k < j; k++ {
			for l := k + 1; l < j; l++ {
				if p.slots[l].fromH == p.slots[k].fromH && mins[l-i] < mins[k-i] {
					mins[l-i], mins[k-i] = mins[k-i], mins[l-i]
				}
			}
		}
		for k := i; k < j; k++ {
			ev := p.slots[k].ev
			ev.Time = p.slots[k].day.Add(time.Duration(mins[k-i]) * time.Minute)
			if !ev.Time.After(prev) {
				ev.Time = prev.Add(time.Minute)
			}
			prev = ev.Time
			events = append(events, ev)
		}
		i = j
	}
	s.Events = events
	return s
}
