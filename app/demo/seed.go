// Package demo seeds the demo store: orders whose simulated parcels sit at
// every stage, so a newcomer sees the tracking page, the outbox and the
// admin with no credentials. It seeds through the orders feature, as a
// store's webhooks would.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/storage"
)

// Shop is the demo store's domain; its webhooks are signed with
// SHOPIFY_API_SECRET (default "demo-secret" in demo only).
const Shop = "demo.myshopify.com"

// Orders turns a store's order into shipments, as its webhooks would.
type Orders interface {
	SyncOrder(ctx context.Context, shop *storage.Shop, o *storage.Order, parcels []orders.Parcel) error
	Apply(ctx context.Context, shop *storage.Shop, c orders.Change) error
}

// Carriers routes a carrier code to its client and applies what a carrier
// answered, as a poll does.
type Carriers interface {
	AddCarrier(e registry.Carrier, t tracking.Carrier)
	ApplyResult(ctx context.Context, s *storage.Shipment, r tracking.Result, failed bool, retryAfter time.Duration) error
}

// Deps are what the seed writes to.
type Deps struct {
	DB       *storage.DB
	Now      func() time.Time
	Orders   Orders
	Carriers Carriers
}

// Count is how many single-parcel orders the demo store gets (the last
// two not shipped yet); a few more tell the longer stories.
const Count = 20

// Link is a tracking page the demo prints, with what it shows.
type Link struct{ Token, What string }

// Seed replaces the demo store with ~20 orders whose simulated parcels
// sit at every stage. Each parcel's past scans keep their real-world timing;
// its future scans are squeezed into the next minutes so a visitor sees
// parcels move while they watch.
func Seed(ctx context.Context, d Deps) ([]Link, error) {
	if old, err := d.DB.ShopByDomain(ctx, storage.Shopify, Shop); err == nil {
		if err := d.DB.DeleteShop(ctx, old.ID); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	shop := &storage.Shop{
		Platform: storage.Shopify, Domain: Shop, Name: "Demo Outfitters", Email: "owner@demo.example", Timezone: "America/New_York",
	}
	if err := d.DB.UpsertShop(ctx, shop); err != nil {
		return nil, err
	}
	settings := storage.Settings{
		Branding:     storage.Branding{PrimaryColor: "#1f5c4a", AccentColor: "#e8a33d"},
		SupportEmail: "help@demo.example", SupportURL: "https://demo.example/help", ReturnsURL: "https://demo.example/returns",
		// No quiet hours: a newcomer trying the demo at night should see
		// messages in the outbox as the parcels move, not scheduled for 08:00.
		QuietStart: "00:00", QuietEnd: "00:00",
		ProcessingDays: 2, // the unshipped orders' page says when they should ship
		FAQ: []storage.FAQItem{
			{Question: "When will my order arrive?", Answer: "The date above comes from the carrier when it gives one, otherwise from how long this route usually takes."},
			{Question: "Can I change my delivery address?", Answer: "Use the buttons on this page while the parcel is in transit; we pass it to the carrier."},
		},
	}
	if err := d.DB.SaveSettings(ctx, shop.ID, settings); err != nil {
		return nil, err
	}
	shop.Settings.V = settings

	now := d.Now().UTC()
	carrier := sim.New(42)
	rnd := rand.New(rand.NewPCG(42, 7))
	scenarios := sim.Scenarios()
	ago := []int{0, 1, 2, 3, 4, 6, 9}
	var links []Link
	names := []string{"Ana García", "Ben Carter", "Chloé Martin", "Dieter Schmidt", "Emma Wilson"}
	locales := []string{"es", "en", "fr", "de", "en"}
	for i := range Count {
		name := names[i%len(names)]
		o := &storage.Order{
			PlatformID: fmt.Sprintf("demo-%d", 1001+i), Name: fmt.Sprintf("#%d", 1001+i),
			Email: fmt.Sprintf("shopper%d@example.com", i+1), Phone: fmt.Sprintf("+1415555%04d", 100+i),
			CustomerName: name, Locale: locales[i%len(locales)], Timezone: "America/Los_Angeles", Country: "US", // ships to San Francisco
			Currency: "USD", Total: fmt.Sprintf("%d.00", 30+7*i), COD: i%7 == 3,
			ShippingAddress: storage.JSON[storage.Address]{V: storage.Address{Name: name, Address1: "1 Market St", City: "San Francisco", Region: "CA", PostalCode: "94105", Country: "US"}},
			LineItems: storage.JSON[[]storage.LineItem]{V: []storage.LineItem{
				{Title: "Linen shirt", Variant: "M / Sage", Quantity: 1}, {Title: "Canvas tote", Quantity: 1 + i%2},
			}},
		}
		var parcels []orders.Parcel
		o.CreatedAt = now.Add(-time.Duration(30+i) * time.Minute)
		if i < Count-2 { // the last orders are not fulfilled yet: "confirmed"
			number := carrier.Number(i)
			sc := scenarios[i%len(scenarios)]
			shipped := now.AddDate(0, 0, -ago[i%len(ago)]).Add(-time.Duration(rnd.IntN(8)) * time.Hour)
			plan := carrier.Plan(number, shipped, sc)
			plan.Events = squeezeFuture(showScenario(plan.Events, sc, now), now, rnd)
			carrier.Register(plan)
			parcels = append(parcels, orders.Parcel{FulfillmentID: fmt.Sprintf("f-%d", i), Company: "Demo Express", Number: number})
			// The order ships where its parcel goes, and was placed before
			// its label was printed.
			dest := plan.Destination
			o.ShippingAddress.V = storage.Address{Name: name, Address1: "1 High Street", City: dest.City, Region: dest.Region, PostalCode: dest.PostalCode, Country: dest.Country}
			o.Country, o.Timezone = dest.Country, tracking.DestinationZone(dest.Country, dest.Region)
			o.CreatedAt = plan.Events[0].Time.Add(-5 * time.Hour)
		}
		if err := d.Orders.SyncOrder(ctx, shop, o, parcels); err != nil {
			return nil, err
		}
		// The demo shoppers opted in on the tracking page, as a real
		// shopper does: the consent is stored with the words they saw.
		for _, ch := range []string{"sms", "whatsapp"} {
			con := &storage.Consent{ShopID: shop.ID, OrderID: &o.ID, Channel: ch, Address: o.Phone, Source: storage.ConsentSourceTrackingPage,
				Wording: trackpage.OptInWording("en", shop.Name), IP: "127.0.0.1", Locale: "en", Status: storage.ConsentConfirmed}
			if err := d.DB.RecordConsent(ctx, con); err != nil {
				return nil, err
			}
		}
		if len(parcels) > 0 {
			ships, err := d.DB.OrderShipments(ctx, shop.ID, o.ID)
			if err != nil || len(ships) == 0 {
				return nil, fmt.Errorf("demo order %s: shipment: %w", o.Name, err)
			}
			// Apply the scans so far now, so the link printed for this
			// scenario shows it before the first poll.
			if err := applyFirstScans(ctx, d, carrier, &ships[0]); err != nil {
				return nil, fmt.Errorf("demo order %s: %w", o.Name, err)
			}
			links = append(links, Link{Token: ships[0].PublicToken, What: fmt.Sprintf("order %s, scenario %s", o.Name, scenarios[i%len(scenarios)])})
		}
	}
	more, err := seedLifecycle(ctx, d, shop, carrier, now, rnd)
	if err != nil {
		return nil, err
	}
	links = append(links, more...)
	demoCarrier, _ := registry.Lookup(sim.Code)
	d.Carriers.AddCarrier(demoCarrier, carrier)
	return links, nil
}

// seedLifecycle adds the orders whose story is more than one parcel:
// two parcels of one order, a fulfillment the store cancelled, and a
// delivered order the shopper is sending back.
func seedLifecycle(ctx context.Context, d Deps, shop *storage.Shop, carrier *sim.Carrier, now time.Time, rnd *rand.Rand) ([]Link, error) {
	shirt := storage.LineItem{ID: "li-shirt", Title: "Linen shirt", Variant: "M / Sage", Quantity: 1}
	tote := storage.LineItem{ID: "li-tote", Title: "Canvas tote", Quantity: 1}
	// Of the story being built: its order was placed before its first
	// scan and ships where its first parcel goes.
	var firstScan time.Time
	var dest tracking.Location
	parcel := func(i int, sc sim.Scenario, daysAgo int, fulfillment, kind string, items ...storage.LineItem) orders.Parcel {
		number := carrier.Number(i)
		plan := carrier.Plan(number, now.AddDate(0, 0, -daysAgo), sc)
		if firstScan.IsZero() {
			dest = plan.Destination
		}
		if len(plan.Events) > 0 && (firstScan.IsZero() || plan.Events[0].Time.Before(firstScan)) {
			firstScan = plan.Events[0].Time
		}
		plan.Events = squeezeFuture(plan.Events, now, rnd)
		carrier.Register(plan)
		return orders.Parcel{FulfillmentID: fulfillment, Company: "Demo Express", Number: number, Kind: kind, Items: items}
	}
	stories := []struct {
		what         string
		fulfillments func() []orders.Fulfillment
		cancel       string // a fulfillment the store cancels after shipping it
	}{
		{"two parcels", func() []orders.Fulfillment {
			return []orders.Fulfillment{
				{ID: "f-1021-1", Parcels: []orders.Parcel{parcel(Count, sim.Normal, 2, "f-1021-1", "", shirt)}},
				{ID: "f-1021-2", Parcels: []orders.Parcel{parcel(Count+1, sim.Normal, 0, "f-1021-2", "", tote)}},
			}
		}, ""},
		{"a cancelled fulfillment", func() []orders.Fulfillment {
			return []orders.Fulfillment{
				{ID: "f-1022-1", Parcels: []orders.Parcel{parcel(Count+2, sim.Normal, 0, "f-1022-1", "", shirt, tote)}},
			}
		}, "f-1022-1"},
		{"a return on its way back", func() []orders.Fulfillment {
			return []orders.Fulfillment{
				{ID: "f-1023-1", Parcels: []orders.Parcel{parcel(Count+3, sim.Normal, 9, "f-1023-1", "", shirt, tote)}},
				{ID: "r-1023-1", Return: true, Parcels: []orders.Parcel{parcel(Count+4, sim.Normal, 1, "r-1023-1", storage.KindReturn, shirt)}},
			}
		}, ""},
	}
	var links []Link
	for i, st := range stories {
		firstScan = time.Time{}
		fulfillments := st.fulfillments()
		n := 1001 + Count + i
		o := &storage.Order{
			PlatformID: fmt.Sprintf("demo-%d", n), Name: fmt.Sprintf("#%d", n), Email: fmt.Sprintf("shopper%d@example.com", n-1000),
			CustomerName: "Emma Wilson", Locale: "en", Timezone: tracking.DestinationZone(dest.Country, dest.Region), Country: dest.Country,
			Currency: "USD", Total: "58.00", ShippingMethod: "Standard (3-5 business days)",
			ShippingAddress: storage.JSON[storage.Address]{V: storage.Address{Name: "Emma Wilson", Address1: "1 High Street", City: dest.City, Region: dest.Region, PostalCode: dest.PostalCode, Country: dest.Country}},
			LineItems:       storage.JSON[[]storage.LineItem]{V: []storage.LineItem{shirt, tote}},
			CreatedAt:       firstScan.Add(-5 * time.Hour),
		}
		if err := d.Orders.Apply(ctx, shop, orders.Change{Order: o, Fulfillments: fulfillments}); err != nil {
			return nil, err
		}
		ships, err := d.DB.OrderShipments(ctx, shop.ID, o.ID)
		if err != nil || len(ships) == 0 {
			return nil, fmt.Errorf("demo order %s: shipments: %w", o.Name, err)
		}
		// The scans so far, applied now as for the other orders (and before
		// a cancellation, which stops a shipment's updates).
		for i := range ships {
			if err := applyFirstScans(ctx, d, carrier, &ships[i]); err != nil {
				return nil, fmt.Errorf("demo order %s: %w", o.Name, err)
			}
		}
		if st.cancel != "" {
			if err := d.Orders.Apply(ctx, shop, orders.Change{Order: o, Fulfillments: []orders.Fulfillment{{ID: st.cancel, Cancelled: true}}}); err != nil {
				return nil, err
			}
		}
		links = append(links, Link{Token: ships[0].PublicToken, What: fmt.Sprintf("order %s, %s", o.Name, st.what)})
	}
	return links, nil
}

// applyFirstScans applies the scans the simulated carrier has for s so far,
// as a poll would.
func applyFirstScans(ctx context.Context, d Deps, carrier *sim.Carrier, s *storage.Shipment) error {
	res, err := carrier.Track(ctx, []string{s.TrackingNumber})
	if err != nil {
		return err
	}
	if err := d.Carriers.ApplyResult(ctx, s, res[0], false, 0); err != nil {
		return fmt.Errorf("first scans: %w", err)
	}
	return nil
}

// showScenario moves a parcel's story so the scan that makes its scenario
// (a delay, a missed delivery, a question for the shopper, a pickup, a
// return, an exception) has already happened: the printed link shows what
// its label says from the first look. Earlier scans move back with it.
func showScenario(events []tracking.Event, sc sim.Scenario, now time.Time) []tracking.Event {
	key := slices.IndexFunc(events, func(e tracking.Event) bool {
		switch sc {
		case sim.Pickup:
			return e.Stage == tracking.StageAvailableForPickup
		case sim.Returned:
			return e.Stage.Return()
		}
		return e.Problem != tracking.ProblemNone
	})
	if key < 0 || !events[key].Time.After(now) {
		return events
	}
	shift := now.Add(-10 * time.Minute).Sub(events[key].Time)
	for i := 0; i <= key; i++ {
		events[i].Time = events[i].Time.Add(shift)
	}
	return events
}

// squeezeFuture keeps past events and re-times future ones over the next
// 60 to 90 minutes, so parcels keep moving for the first hour of a visit.
func squeezeFuture(events []tracking.Event, now time.Time, rnd *rand.Rand) []tracking.Event {
	future := 0
	for _, e := range events {
		if e.Time.After(now) {
			future++
		}
	}
	if future == 0 {
		return events
	}
	span := 60*time.Minute + time.Duration(rnd.IntN(30))*time.Minute
	step := span / time.Duration(future)
	next := now.Add(time.Minute)
	for i := range events {
		if events[i].Time.After(now) {
			events[i].Time = next
			next = next.Add(step)
		}
	}
	return events
}

// Policy polls every 20 s so squeezed scans show up quickly.
func Policy(s tracking.PollState, now time.Time, _ tracking.Calendar, _ func() float64) (time.Time, bool) {
	if s.Stage.Terminal() {
		return time.Time{}, true
	}
	return now.Add(20 * time.Second), false
}
