// Package demo runs the demo store: orders whose simulated parcels sit at
// every stage, and new orders arriving every few minutes whose parcels
// move for an hour, so a newcomer sees the tracking page, the outbox and
// the admin with no credentials. It writes through the orders feature, as
// a store's webhooks and its identity job would, and keeps its data across
// restarts: every link it printed stays valid.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// Shop is the demo store's domain; its webhooks are signed with
// SHOPIFY_API_SECRET (default "demo-secret" in demo only).
const Shop = "demo.myshopify.com"

// Orders turns a store's order into shipments, as its webhooks would, and
// stores who the merchant is, as the identity job does.
type Orders interface {
	SyncOrder(ctx context.Context, shop *storage.Shop, o *storage.Order, parcels []orders.Parcel) error
	Apply(ctx context.Context, shop *storage.Shop, c orders.Change) error
	ApplyShopifyIdentity(ctx context.Context, shop *storage.Shop, info shopify.ShopInfo) error
}

// Carriers routes a carrier code to its client and applies what a carrier
// answered, as a poll does.
type Carriers interface {
	AddCarrier(e registry.Carrier, t tracking.Carrier)
	ApplyResult(ctx context.Context, s *storage.Shipment, r tracking.Result, failed bool, retryAfter time.Duration) error
}

// Deps are what the demo store writes to.
type Deps struct {
	DB       *storage.DB
	Now      func() time.Time
	Orders   Orders
	Carriers Carriers
}

// identity is what Shopify's shop query would answer for the demo store:
// the only owner details a real install gets.
var identity = shopify.ShopInfo{
	Name: "Demo Outfitters", Email: "owner@demo.example", ContactEmail: "help@demo.example",
	Timezone: "America/New_York", Currency: "USD", Locale: "en", Plan: "Development",
}

// Store is a running demo store.
type Store struct {
	d       Deps
	shop    *storage.Shop
	carrier *sim.Carrier
	// epoch is when the store was first seeded (the shop's creation): every
	// order's and parcel's time derives from it, so a restart rebuilds the
	// simulated carrier's timelines exactly as they were.
	epoch time.Time
	seed  []story
}

// Start opens the demo store: it seeds it the first time (or when reset
// asks for a fresh one), and otherwise keeps its orders and links, only
// teaching the simulated carrier the parcels it already knows. Call Run to
// keep orders arriving.
func Start(ctx context.Context, d Deps, reset bool) (*Store, error) {
	old, err := d.DB.ShopByDomain(ctx, storage.Shopify, Shop)
	switch {
	case err == nil && reset:
		if err := d.DB.DeleteShop(ctx, old.ID); err != nil {
			return nil, fmt.Errorf("reset demo store: %w", err)
		}
		old = nil
	case errors.Is(err, storage.ErrNotFound):
		old = nil
	case err != nil:
		return nil, err
	}
	s := &Store{d: d, carrier: sim.New(42, sim.WithClock(d.Now))}
	if old != nil {
		s.shop, s.epoch = old, old.CreatedAt.UTC()
	} else if err := s.install(ctx); err != nil {
		return nil, err
	}
	s.seed = s.stories()
	s.teachLive(s.epoch, d.Now())
	if old == nil {
		for _, st := range s.seed {
			if err := s.write(ctx, st); err != nil {
				return nil, fmt.Errorf("seed demo order %s: %w", st.order.Name, err)
			}
		}
	}
	demoCarrier, _ := registry.Lookup(sim.Code)
	d.Carriers.AddCarrier(demoCarrier, s.carrier)
	return s, nil
}

// ShopID is the demo store's shop.
func (s *Store) ShopID() int64 { return s.shop.ID }

// Carrier is the simulated carrier the demo's parcels travel with.
func (s *Store) Carrier() *sim.Carrier { return s.carrier }

// install creates the shop as an install does (its domain for a name),
// stores the identity Shopify would give it, and the settings a merchant
// would choose in the admin.
func (s *Store) install(ctx context.Context) error {
	s.epoch = s.d.Now().UTC().Truncate(time.Second)
	shop := &storage.Shop{Platform: storage.Shopify, Domain: Shop, Name: "demo", CreatedAt: s.epoch}
	if err := s.d.DB.UpsertShop(ctx, shop); err != nil {
		return err
	}
	settings := storage.Settings{
		Branding:   storage.Branding{PrimaryColor: "#1f5c4a", AccentColor: "#e8a33d"},
		SupportURL: "https://demo.example/help", ReturnsURL: "https://demo.example/returns",
		// No quiet hours: a newcomer trying the demo at night should see
		// messages in the outbox as the parcels move, not scheduled for 08:00.
		QuietStart: "00:00", QuietEnd: "00:00",
		ProcessingDays: 2, // the unshipped orders' page says when they should ship
		FAQ: []storage.FAQItem{
			{Question: "When will my order arrive?", Answer: "The date above comes from the carrier when it gives one, otherwise from how long this route usually takes."},
			{Question: "Can I change my delivery address?", Answer: "Use the buttons on this page while the parcel is in transit; we pass it to the carrier."},
		},
	}
	if err := s.d.DB.SaveSettings(ctx, shop.ID, settings); err != nil {
		return err
	}
	if err := s.d.Orders.ApplyShopifyIdentity(ctx, shop, identity); err != nil {
		return fmt.Errorf("demo store identity: %w", err)
	}
	got, err := s.d.DB.ShopByID(ctx, shop.ID)
	if err != nil {
		return err
	}
	s.shop = got
	return nil
}

// Link is a tracking page the demo prints, with what it shows.
type Link struct{ Token, What string }

// Links are the demo orders' pages, oldest first: every seeded one, and
// the live ones of the last hour (the admin lists them all): the parcel's
// page once it shipped (the first parcel's, for an order of several; the
// return's, for an order with one), the
// order's own before.
func (s *Store) Links(ctx context.Context) ([]Link, error) {
	var links []Link
	add := func(st story) error {
		o, err := s.d.DB.OrderByPlatformID(ctx, s.shop.ID, st.order.PlatformID)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ships, err := s.d.DB.OrderShipments(ctx, s.shop.ID, o.ID)
		if err != nil {
			return err
		}
		l := Link{Token: o.PublicToken, What: fmt.Sprintf("order %s, %s", o.Name, st.what)}
		for i, sh := range ships {
			if i == 0 || sh.Kind == storage.KindReturn {
				l.Token = sh.PublicToken // a return's story shows the return
			}
		}
		links = append(links, l)
		return nil
	}
	for _, st := range s.seed {
		if err := add(st); err != nil {
			return nil, err
		}
	}
	now := s.d.Now()
	for k := max(0, int(now.Add(-time.Hour).Sub(s.epoch)/OrderEvery)); !s.placed(k).After(now); k++ {
		if err := add(s.live(k)); err != nil {
			return nil, err
		}
	}
	return links, nil
}

// story is one demo order: the order, its fulfillments as the store
// reports them, and what its page shows.
type story struct {
	what         string
	order        *storage.Order
	fulfillments []orders.Fulfillment
	cancel       string // a fulfillment the store cancels after shipping it
	optIn        bool   // its shopper signs up for texts on the page
}

// write stores a story's order through the orders feature, applies the
// scans its parcels have had so far, as a poll would, so its link shows
// its state at once, then any cancellation (which stops updates).
func (s *Store) write(ctx context.Context, st story) error {
	o := *st.order
	if err := s.d.Orders.Apply(ctx, s.shop, orders.Change{Order: &o, Fulfillments: st.fulfillments}); err != nil {
		return err
	}
	ships, err := s.d.DB.OrderShipments(ctx, s.shop.ID, o.ID)
	if err != nil {
		return err
	}
	for i := range ships {
		if err := s.applyScans(ctx, &ships[i]); err != nil {
			return err
		}
	}
	if st.cancel != "" {
		return s.d.Orders.Apply(ctx, s.shop, orders.Change{Order: &o, Fulfillments: []orders.Fulfillment{{ID: st.cancel, Cancelled: true}}})
	}
	return nil
}

// applyScans applies the scans the simulated carrier has for a shipment so
// far, as a poll would.
func (s *Store) applyScans(ctx context.Context, ship *storage.Shipment) error {
	res, err := s.carrier.Track(ctx, []string{ship.TrackingNumber})
	if err != nil {
		return err
	}
	if res[0].NotFound {
		return nil
	}
	if err := s.d.Carriers.ApplyResult(ctx, ship, res[0], false, 0); err != nil {
		return fmt.Errorf("scans of %s: %w", ship.TrackingNumber, err)
	}
	return nil
}

// Policy polls every 20 s so squeezed scans show up quickly.
func Policy(st tracking.PollState, now time.Time, _ tracking.Calendar, _ func() float64) (time.Time, bool) {
	if st.Stage.Terminal() {
		return time.Time{}, true
	}
	return now.Add(20 * time.Second), false
}
