package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/storage"
)

// DemoShop is the demo store's domain; its webhooks are signed with
// SHOPIFY_API_SECRET (default "demo-secret" in demo only).
const DemoShop = "demo.myshopify.com"

// demoOrders is how many orders the demo store gets.
const demoOrders = 20

// RunDemo migrates the database, resets and seeds the demo store, registers
// the simulated carrier, and runs web and worker in one process, printing the
// URLs a newcomer should open.
func RunDemo(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	a, err := New(ctx, cfg, ModeAll, Options{Log: log, Policy: demoPolicy})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.db.Migrate(ctx); err != nil {
		return err
	}
	tokens, err := a.seedDemo(ctx)
	if err != nil {
		return fmt.Errorf("seed demo store: %w", err)
	}
	shop, err := a.db.ShopByDomain(ctx, storage.Shopify, DemoShop)
	if err != nil {
		return err
	}
	return a.Run(ctx, ModeAll, func(addr string) {
		fmt.Fprintf(out, "ordertrack demo is running (database: %s)\n\n", dbLabel(cfg.DatabaseURL))
		fmt.Fprintf(out, "  admin:          %s\n", a.install.DemoLoginURL(shop.ID))
		fmt.Fprintf(out, "  outbox:         %s/admin/outbox (after opening the admin link)\n", cfg.AppURL)
		for _, t := range tokens {
			fmt.Fprintf(out, "  tracking page:  %s/t/%s   (%s)\n", cfg.AppURL, t.token, t.what)
		}
		fmt.Fprintf(out, "  order lookup:   %s/track?shop=%s   (order #1001, email shopper1@example.com)\n", cfg.AppURL, DemoShop)
		fmt.Fprintf(out, "  health:         %s/readyz\n\n", cfg.AppURL)
		fmt.Fprintln(out, "The simulated carrier moves parcels along every minute or two; pages and the outbox update as it does.")
		fmt.Fprintf(out, "Try a signed webhook: see README.md (secret %q). Press Ctrl-C to stop.\n", cfg.ShopifyAPISecret)
	})
}

func dbLabel(url string) string {
	if url == "" {
		return storage.DefaultSQLitePath
	}
	return url
}

type demoLink struct{ token, what string }

// seedDemo replaces the demo store with ~20 orders whose simulated parcels
// sit at every stage. Each parcel's past scans keep their real-world timing;
// its future scans are squeezed into the next minutes so a visitor sees
// parcels move while they watch.
func (a *App) seedDemo(ctx context.Context) ([]demoLink, error) {
	if old, err := a.db.ShopByDomain(ctx, storage.Shopify, DemoShop); err == nil {
		if err := a.db.DeleteShop(ctx, old.ID); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return nil, err
	}
	shop := &storage.Shop{
		Platform: storage.Shopify, Domain: DemoShop, Name: "Demo Outfitters", Email: "owner@demo.example", Timezone: "America/New_York",
	}
	if err := a.db.UpsertShop(ctx, shop); err != nil {
		return nil, err
	}
	settings := storage.Settings{
		Branding:     storage.Branding{PrimaryColor: "#1f5c4a", AccentColor: "#e8a33d"},
		SupportEmail: "help@demo.example", SupportURL: "https://demo.example/help", ReturnsURL: "https://demo.example/returns",
		// No quiet hours: a newcomer trying the demo at night should see
		// messages in the outbox as the parcels move, not scheduled for 08:00.
		QuietStart: "00:00", QuietEnd: "00:00",
		FAQ: []storage.FAQItem{
			{Question: "When will my order arrive?", Answer: "The date above comes from the carrier when it gives one, otherwise from how long this route usually takes."},
			{Question: "Can I change my delivery address?", Answer: "Use the buttons on this page while the parcel is in transit; we pass it to the carrier."},
		},
	}
	if err := a.db.SaveSettings(ctx, shop.ID, settings); err != nil {
		return nil, err
	}
	shop.Settings.V = settings

	now := a.now().UTC()
	carrier := sim.New(42)
	rnd := rand.New(rand.NewPCG(42, 7))
	scenarios := sim.Scenarios()
	ago := []int{0, 1, 2, 3, 4, 6, 9}
	var links []demoLink
	names := []string{"Ana García", "Ben Carter", "Chloé Martin", "Dieter Schmidt", "Emma Wilson"}
	locales := []string{"es", "en", "fr", "de", "en"}
	for i := range demoOrders {
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
		var parcels []parcel
		o.CreatedAt = now.Add(-time.Duration(30+i) * time.Minute)
		if i < demoOrders-2 { // the last orders are not fulfilled yet: "confirmed"
			number := carrier.Number(i)
			sc := scenarios[i%len(scenarios)]
			shipped := now.AddDate(0, 0, -ago[i%len(ago)]).Add(-time.Duration(rnd.IntN(8)) * time.Hour)
			plan := carrier.Plan(number, shipped, sc)
			plan.Events = squeezeFuture(showScenario(plan.Events, sc, now), now, rnd)
			carrier.Register(plan)
			parcels = append(parcels, parcel{FulfillmentID: fmt.Sprintf("f-%d", i), Company: "Demo Express", Number: number})
			// The order ships where its parcel goes, and was placed before
			// its label was printed.
			d := plan.Destination
			o.ShippingAddress.V = storage.Address{Name: name, Address1: "1 High Street", City: d.City, Region: d.Region, PostalCode: d.PostalCode, Country: d.Country}
			o.Country, o.Timezone = d.Country, tracking.DestinationZone(d.Country, d.Region)
			o.CreatedAt = plan.Events[0].Time.Add(-5 * time.Hour)
		}
		if err := a.syncOrder(ctx, shop, o, parcels); err != nil {
			return nil, err
		}
		for _, ch := range []string{"sms", "whatsapp"} {
			if err := a.db.SetContact(ctx, &storage.Contact{ShopID: shop.ID, Channel: ch, Address: o.Phone, Consent: true, Source: "demo checkout"}); err != nil {
				return nil, err
			}
		}
		if len(parcels) > 0 {
			s, err := a.db.OrderShipments(ctx, shop.ID, o.ID)
			if err != nil || len(s) == 0 {
				return nil, fmt.Errorf("demo order %s: shipment: %w", o.Name, err)
			}
			// Apply the scans so far now, so the link printed for this
			// scenario shows it before the first poll.
			res, err := carrier.Track(ctx, []string{s[0].TrackingNumber})
			if err != nil {
				return nil, err
			}
			if err := a.polling.ApplyResult(ctx, &s[0], res[0], false, 0); err != nil {
				return nil, fmt.Errorf("demo order %s: first scans: %w", o.Name, err)
			}
			links = append(links, demoLink{token: s[0].PublicToken, what: fmt.Sprintf("order %s, scenario %s", o.Name, scenarios[i%len(scenarios)])})
		}
	}
	demoCarrier, _ := registry.Lookup(sim.Code)
	a.polling.AddCarrier(demoCarrier, carrier)
	return links, nil
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

// demoPolicy polls every 20 s so squeezed scans show up quickly.
func demoPolicy(s tracking.PollState, now time.Time, _ tracking.Calendar, _ func() float64) (time.Time, bool) {
	if s.Stage.Terminal() {
		return time.Time{}, true
	}
	return now.Add(20 * time.Second), false
}
