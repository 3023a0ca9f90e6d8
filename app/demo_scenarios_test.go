package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/demo"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// demoClock is a clock the test moves by hand.
type demoClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *demoClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *demoClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestDemoLinksShowTheirScenarioAtOnce: every seeded order's link is
// printed, each about a parcel already in its scenario's state, shipping
// where its scans end (a pickup point in that city, a return from it back
// to where the parcel came from), placed before its label; parcels still
// have scans to come.
func TestDemoLinksShowTheirScenarioAtOnce(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	ctx := context.Background()
	store, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	links, err := store.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const stories = 3 // two parcels, a cancelled fulfillment, a return
	if want := demo.Count + stories; len(links) != want {
		t.Fatalf("%d links printed; want one per demo order (%d)", len(links), want)
	}
	want := map[string]func(stage tracking.Stage, problem tracking.Problem) bool{
		"delayed":         func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemDelayed },
		"failed_attempt":  func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemFailedAttempt },
		"action_required": func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemActionRequired },
		"pickup":          func(s tracking.Stage, _ tracking.Problem) bool { return s == tracking.StageAvailableForPickup },
		"exception":       func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemException },
		"returned":        func(s tracking.Stage, _ tracking.Problem) bool { return s.Return() },
	}
	moving, unshipped := 0, 0
	for _, l := range links {
		code, page := apptest.Get(t, base+"/t/"+l.Token)
		if code != http.StatusOK {
			t.Errorf("%s: page answers %d", l.What, code)
		}
		o, err := a.db.OrderByToken(ctx, l.Token)
		if err == nil { // the order's own page: not shipped yet
			unshipped++
			if o.ShippingAddress.V.City == "" {
				t.Errorf("%s: no shipping address", l.What)
			}
			continue
		}
		s, err := a.db.ShipmentByToken(ctx, l.Token)
		if err != nil {
			t.Fatalf("%s: %v", l.What, err)
		}
		sc := l.What[strings.LastIndex(l.What, " ")+1:]
		if ok, known := want[sc]; known && !ok(tracking.Stage(s.Stage), tracking.Problem(s.Problem)) {
			t.Errorf("%s: stage %s, problem %q right after seeding; want the scenario's state", l.What, s.Stage, s.Problem)
		}
		if o, err = a.db.OrderByID(ctx, s.OrderID); err != nil {
			t.Fatal(err)
		}
		ships, err := a.db.OrderShipments(ctx, o.ShopID, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The parcel whose link it is leads the page (a return's link, its return).
		if i := strings.Index(page, "ot-hero"); len(ships) > 1 && i >= 0 {
			hero := page[i : i+strings.Index(page[i:], "</section>")]
			if isReturn := s.Kind == storage.KindReturn; strings.Contains(hero, "Your return") != isReturn {
				t.Errorf("%s: the page leads with another parcel (return link: %v):\n%s", l.What, isReturn, hero)
			}
		}
		to := o.ShippingAddress.V
		var from tracking.Location
		for _, s := range ships {
			events, err := a.db.Events(ctx, s.ID)
			if err != nil || len(events) == 0 {
				t.Fatalf("%s: no scans stored for %s (%v)", l.What, s.TrackingNumber, err)
			}
			if o.CreatedAt.After(events[0].Time) {
				t.Errorf("%s: order placed %s after its first scan %s", l.What, o.CreatedAt, events[0].Time)
			}
			for i := 1; i < len(events); i++ {
				if events[i].Time.Before(events[i-1].Time) {
					t.Errorf("%s: scan %q at %s before the one before it (%s)", l.What, events[i].Description, events[i].Time, events[i-1].Time)
				}
			}
			plan, ok := store.Carrier().Shipment(s.TrackingNumber)
			if !ok {
				t.Fatalf("%s: the carrier does not know %s", l.What, s.TrackingNumber)
			}
			if s.Kind == storage.KindReturn {
				if plan.Origin.City != to.City || plan.Destination != from {
					t.Errorf("%s: return from %s to %s; want from %s back to %s", l.What, plan.Origin, plan.Destination, to.City, from)
				}
				continue
			}
			from = plan.Origin
			if plan.Destination.City != to.City || plan.Destination.Country != to.Country {
				t.Errorf("%s: parcel %s goes to %s; the order ships to %s, %s", l.What, s.TrackingNumber, plan.Destination, to.City, to.Country)
			}
			if tracking.Stage(s.Stage) == tracking.StageAvailableForPickup || tracking.Stage(s.Stage) == tracking.StageDelivered {
				last := events[len(events)-1].Location
				if last.Country != to.Country || !strings.HasPrefix(last.City, to.City) {
					t.Errorf("%s: %s in %s but ships to %s, %s", l.What, s.Stage, last, to.City, to.Country)
				}
			}
			if !tracking.Stage(s.Stage).Terminal() {
				moving++
			}
		}
	}
	if unshipped != 2 {
		t.Errorf("%d links to orders not shipped yet; want 2", unshipped)
	}
	if moving < len(links)/2 {
		t.Errorf("only %d of %d parcels still on their way after seeding", moving, len(links))
	}
}

// TestDemoRestartKeepsItsLinks: opening the demo store again keeps every
// order and link, and the carrier still knows every parcel where it was;
// only a reset replaces them.
func TestDemoRestartKeepsItsLinks(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	ctx := context.Background()
	first, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	before, err := first.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	after, err := again.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d links after a restart; want the %d from before", len(after), len(before))
	}
	for i, l := range before {
		if after[i] != l {
			t.Errorf("link %d was %+v, now %+v", i, l, after[i])
		}
		if code, body := apptest.Get(t, base+"/t/"+l.Token); code != http.StatusOK {
			t.Errorf("%s: page answers %d after a restart: %.200s", l.What, code, body)
		}
	}
	ships, err := a.db.Scope(again.ShopID()).Shipments(ctx, storage.ShipmentFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range ships {
		s := row.Shipment
		was, _ := first.Carrier().Shipment(s.TrackingNumber)
		is, ok := again.Carrier().Shipment(s.TrackingNumber)
		if !ok || len(is.Events) != len(was.Events) || !is.Events[len(is.Events)-1].Time.Equal(was.Events[len(was.Events)-1].Time) {
			t.Errorf("%s: the restarted carrier's timeline differs from the first one's", s.TrackingNumber)
		}
	}

	fresh, err := a.StartDemo(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.ShipmentByToken(ctx, before[0].Token); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("an old link's shipment after a reset: %v; want it gone", err)
	}
	if links, _ := fresh.Links(ctx); len(links) != len(before) {
		t.Errorf("%d links after a reset; want a fresh %d", len(links), len(before))
	}
}

// TestDemoKeepsMovingForAnHour: with a clock stepped a minute at a time
// and every parcel polled each minute, new orders keep arriving and
// parcels keep moving, most minutes, from the first minute to past the
// hour.
func TestDemoKeepsMovingForAnHour(t *testing.T) {
	t.Parallel()
	clock := &demoClock{now: time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)}
	a, _ := startApp(t, storagetest.URL(t, storage.SQLite), Config{}, withClock(clock.Now))
	ctx := context.Background()
	store, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	shop := a.db.Scope(store.ShopID())
	type window struct{ placed, shipped, moved int }
	var windows [8]window // ten minutes each
	seen := map[int64]int{}
	busy := 0 // minutes in which some parcel moved
	for minute := 1; minute <= 80; minute++ {
		clock.Add(time.Minute)
		if err := store.Step(ctx); err != nil {
			t.Fatal(err)
		}
		ships, err := shop.Shipments(ctx, storage.ShipmentFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		w := &windows[(minute-1)/10]
		movedBefore := w.moved
		for i := range ships {
			s := &ships[i].Shipment
			if _, ok := seen[s.ID]; !ok {
				seen[s.ID] = -1
				if minute > 1 {
					w.shipped++
				}
			}
			res, err := store.Carrier().Track(ctx, []string{s.TrackingNumber})
			if err != nil || res[0].NotFound {
				t.Fatalf("%s: the carrier does not know it (%v)", s.TrackingNumber, err)
			}
			if n := len(res[0].Events); n != seen[s.ID] {
				if seen[s.ID] >= 0 {
					w.moved++
				}
				seen[s.ID] = n
				if err := a.polling.ApplyResult(ctx, s, res[0], false, 0); err != nil {
					t.Fatal(err)
				}
			}
		}
		if w.moved > movedBefore {
			busy++
		}
	}
	t.Logf("a parcel moved in %d of 80 minutes", busy)
	if busy < 60 {
		t.Errorf("a parcel moved in only %d of 80 minutes; want parcels moving most minutes", busy)
	}
	var orders []storage.Order
	if err := a.db.Gorm.Where("shop_id = ? AND created_at >= ?", store.ShopID(), clock.Now().Add(-80*time.Minute)).Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		windows[int(o.CreatedAt.Sub(clock.Now().Add(-80*time.Minute))/(10*time.Minute))%8].placed++
	}
	for i, w := range windows {
		t.Logf("minutes %2d-%2d: %d orders placed, %d parcels shipped, %d scans revealed", i*10, i*10+10, w.placed, w.shipped, w.moved)
		if w.moved < 5 || i >= 1 && (w.placed < 2 || w.shipped < 2) {
			t.Errorf("minutes %d-%d: %d orders placed, %d shipped, %d scans; want orders arriving and parcels moving", i*10, i*10+10, w.placed, w.shipped, w.moved)
		}
	}
}

// TestDemoStoreHoldsOnlyWhatAnInstallGets: the demo shop's owner details
// are those the identity job stores from Shopify's shop query (its contact
// address as the default support address), and no shopper has a consent
// or a contact preference nobody gave.
func TestDemoStoreHoldsOnlyWhatAnInstallGets(t *testing.T) {
	t.Parallel()
	a, _ := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	ctx := context.Background()
	store, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	shop, err := a.db.ShopByID(ctx, store.ShopID())
	if err != nil {
		t.Fatal(err)
	}
	if shop.Name != "Demo Outfitters" || shop.Email == "" || shop.Settings.V.SupportEmail == "" || shop.Plan == "" || shop.Locale == "" {
		t.Errorf("demo shop %q <%s>, support <%s>, plan %q, locale %q; want the identity a Shopify install stores", shop.Name, shop.Email, shop.Settings.V.SupportEmail, shop.Plan, shop.Locale)
	}
	for _, table := range []string{"consents", "contacts"} {
		var n int64
		if err := a.db.Gorm.Table(table).Where("shop_id = ?", shop.ID).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d %s seeded; shoppers give them on the page or by reply, never the seed", n, table)
		}
	}
}

// TestDemoAdminListsEveryOrderWithItsPage: every printed link is in the
// admin, the shipped orders' in the shipments list and the others' under
// "Not shipped yet" on the overview.
func TestDemoAdminListsEveryOrderWithItsPage(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	ctx := context.Background()
	store, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	links, err := store.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	session, _ := signInCookie(t, a, base, store.ShopID())
	_, overview := apptest.Get(t, base+"/admin", session)
	_, shipments := apptest.Get(t, base+"/admin/shipments", session)
	for _, l := range links {
		if !strings.Contains(overview+shipments, `href="/t/`+l.Token+`"`) {
			t.Errorf("%s: the admin does not link its page", l.What)
		}
	}
}

// TestDemoShoppersSignUpOnTheirPages: the demo's texts rest on consents
// given through the tracking page's form (its wording, IP and the welcome
// text that follows), for the shoppers who sign up only, once each.
func TestDemoShoppersSignUpOnTheirPages(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	ctx := context.Background()
	store, err := a.StartDemo(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := store.OptIn(ctx, base, http.DefaultClient); err != nil {
			t.Fatal(err)
		}
	}
	var cons []storage.Consent
	if err := a.db.Gorm.Where("shop_id = ?", store.ShopID()).Find(&cons).Error; err != nil {
		t.Fatal(err)
	}
	if len(cons) != 2 {
		t.Fatalf("%d consents; want the 2 shoppers who signed up, once each", len(cons))
	}
	for _, c := range cons {
		o, err := a.db.OrderByID(ctx, *c.OrderID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Source != storage.ConsentSourceTrackingPage || c.Wording == "" || c.IP == "" || c.Address != o.Phone || c.Status != storage.ConsentConfirmed {
			t.Errorf("order %s: consent %+v; want the page's, with its wording and IP, for the order's number", o.Name, c)
		}
		apptest.WaitUntil(t, "the welcome text to "+o.Phone, func() bool {
			sent, err := a.db.NotificationsTo(ctx, o.Phone, time.Time{})
			return err == nil && len(sent) > 0
		})
	}
}
