package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/storage"
)

// Count is how many single-parcel orders the demo store is seeded with (the
// last two not shipped yet); a few more tell the longer stories.
const Count = 20

var (
	shirt = storage.LineItem{ID: "li-shirt", Title: "Linen shirt", Variant: "M / Sage", Quantity: 1, Price: "38.00"}
	tote  = storage.LineItem{ID: "li-tote", Title: "Canvas tote", Quantity: 1, Price: "20.00"}
)

// customers are the demo's shoppers, each in the language they ordered in.
var customers = []struct{ name, locale string }{
	{"Ana García", "es"}, {"Ben Carter", "en"}, {"Chloé Martin", "fr"}, {"Dieter Schmidt", "de"}, {"Emma Wilson", "en"},
}

// stories lays out the seeded orders from the store's epoch, teaching the
// simulated carrier their parcels. The same epoch always gives the same
// stories, so a restart finds its parcels where it left them.
func (s *Store) stories() []story {
	now := s.epoch
	rnd := rand.New(rand.NewPCG(42, 7))
	scenarios := sim.Scenarios()
	ago := []int{0, 1, 2, 3, 4, 6, 9}
	var out []story
	for i := range Count {
		st := story{order: s.newOrder(i, 1001+i)}
		o := st.order
		if i >= Count-2 { // the last orders are not fulfilled yet: "confirmed"
			st.what = "not shipped yet"
			lane := sim.Lanes()[i%len(sim.Lanes())]
			shipTo(o, lane.Destination)
			o.CreatedAt = now.Add(-time.Duration(40-i) * time.Minute)
			out = append(out, st)
			continue
		}
		sc := scenarios[i%len(scenarios)]
		st.what = "scenario " + string(sc)
		st.optIn = i == 1 || i == 2 // #1002 (delayed) and #1003 (a missed delivery)
		number := s.carrier.Number(i)
		shipped := now.AddDate(0, 0, -ago[i%len(ago)]).Add(-time.Duration(rnd.IntN(8)) * time.Hour)
		plan := s.carrier.Plan(number, shipped, sc)
		plan.Events = showScenario(plan.Events, sc, now)
		retime(&plan, now, rnd)
		s.carrier.Register(plan)
		// The order ships where its parcel goes, and was placed before its
		// label was printed.
		shipTo(o, plan.Destination)
		o.CreatedAt = plan.Events[0].Time.Add(-5 * time.Hour)
		f := fmt.Sprintf("f-%d", 1001+i)
		st.fulfillments = []orders.Fulfillment{{ID: f, Parcels: []orders.Parcel{{FulfillmentID: f, Company: "Demo Express", Number: number}}}}
		out = append(out, st)
	}
	return append(out, s.lifecycle(now, rnd)...)
}

// lifecycle lays out the orders whose story is more than one parcel: two
// parcels of one order, a fulfillment the store cancelled, and a delivered
// order the shopper is sending back. Every parcel of an order travels its
// lane, a return the same lane backwards.
func (s *Store) lifecycle(now time.Time, rnd *rand.Rand) []story {
	type parcel struct {
		sc      sim.Scenario
		daysAgo int
		back    bool // a return: from the shopper to the store
		items   []storage.LineItem
	}
	stories := []struct {
		what    string
		parcels []parcel
		cancel  bool
	}{
		{"two parcels", []parcel{{sim.Normal, 2, false, []storage.LineItem{shirt}}, {sim.Normal, 0, false, []storage.LineItem{tote}}}, false},
		{"a cancelled fulfillment", []parcel{{sim.Normal, 0, false, []storage.LineItem{shirt, tote}}}, true},
		{"a return on its way back", []parcel{{sim.Normal, 9, false, []storage.LineItem{shirt, tote}}, {sim.Normal, 1, true, []storage.LineItem{shirt}}}, false},
	}
	lanes := sim.Lanes()
	var out []story
	next := Count
	for i, def := range stories {
		n := 1001 + Count + i
		st := story{what: def.what, order: s.newOrder(4, n)}
		lane := lanes[(i+1)%len(lanes)]
		var first time.Time
		for j, p := range def.parcels {
			number := s.carrier.Number(next)
			next++
			l := lane
			if p.back {
				l = reverse(lane)
			}
			plan := s.carrier.PlanLane(l, number, now.AddDate(0, 0, -p.daysAgo), p.sc)
			retime(&plan, now, rnd)
			s.carrier.Register(plan)
			if first.IsZero() || plan.Events[0].Time.Before(first) {
				first = plan.Events[0].Time
			}
			id := fmt.Sprintf("f-%d-%d", n, j+1)
			kind := ""
			if p.back {
				id, kind = fmt.Sprintf("r-%d-%d", n, j+1), storage.KindReturn
			}
			st.fulfillments = append(st.fulfillments, orders.Fulfillment{ID: id, Return: p.back,
				Parcels: []orders.Parcel{{FulfillmentID: id, Company: "Demo Express", Number: number, Kind: kind, Items: p.items}}})
		}
		if def.cancel {
			st.cancel = st.fulfillments[0].ID
		}
		shipTo(st.order, lane.Destination)
		st.order.CreatedAt = first.Add(-5 * time.Hour)
		st.order.ShippingMethod = "Standard (3-5 business days)"
		out = append(out, st)
	}
	return out
}

// newOrder is demo order number n of customer i's, with a shirt and a tote.
func (s *Store) newOrder(i, n int) *storage.Order {
	c := customers[i%len(customers)]
	tote := tote
	tote.Quantity = 1 + i%2
	return &storage.Order{
		PlatformID: fmt.Sprintf("demo-%d", n), Name: fmt.Sprintf("#%d", n),
		Email: fmt.Sprintf("shopper%d@example.com", n-1000), CustomerName: c.name, Locale: c.locale,
		Currency: "USD", Total: fmt.Sprintf("%d.00", 38+20*tote.Quantity), COD: i%7 == 3,
		LineItems: storage.JSON[[]storage.LineItem]{V: []storage.LineItem{shirt, tote}},
	}
}

// shipTo addresses the order to dest, with a phone number of its country
// and its zone (the fictional ranges: 555-01xx, Ofcom's London drama numbers).
func shipTo(o *storage.Order, dest tracking.Location) {
	n, _ := strconv.Atoi(strings.TrimPrefix(o.Name, "#"))
	o.ShippingAddress = storage.JSON[storage.Address]{V: storage.Address{Name: o.CustomerName, Address1: "1 High Street",
		City: dest.City, Region: dest.Region, PostalCode: dest.PostalCode, Country: dest.Country}}
	o.Country, o.Timezone = dest.Country, tracking.DestinationZone(dest.Country, dest.Region)
	switch dest.Country {
	case "GB":
		o.Phone = fmt.Sprintf("+4420794600%02d", n%100)
	case "CA":
		o.Phone = fmt.Sprintf("+1604555%04d", 100+n%100)
	default:
		o.Phone = fmt.Sprintf("+1415555%04d", 100+n%100)
	}
}

// reverse is a lane travelled backwards: a return's.
func reverse(l sim.Lane) sim.Lane {
	r := l
	r.Origin, r.Destination = l.Destination, l.Origin
	r.Hubs = make([]tracking.Location, len(l.Hubs))
	for i, h := range l.Hubs {
		r.Hubs[len(l.Hubs)-1-i] = h
	}
	return r
}
