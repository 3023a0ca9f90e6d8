package app

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestDemoLinksShowTheirScenarioAtOnce: every printed link is about a
// parcel already in its scenario's state, shipping where its scans end, and
// placed before its label; parcels still have scans to come an hour on.
func TestDemoLinksShowTheirScenarioAtOnce(t *testing.T) {
	a, _ := startApp(t, storagetest.SQLiteURL(t), Config{})
	ctx := context.Background()
	links, err := a.seedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != demoOrders-2 {
		t.Fatalf("%d links printed; want one per fulfilled order (%d)", len(links), demoOrders-2)
	}
	want := map[string]func(stage tracking.Stage, problem tracking.Problem) bool{
		"delayed":         func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemDelayed },
		"failed_attempt":  func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemFailedAttempt },
		"action_required": func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemActionRequired },
		"pickup":          func(s tracking.Stage, _ tracking.Problem) bool { return s == tracking.StageAvailableForPickup },
		"exception":       func(_ tracking.Stage, p tracking.Problem) bool { return p == tracking.ProblemException },
		"returned":        func(s tracking.Stage, _ tracking.Problem) bool { return s.Return() },
	}
	for _, l := range links {
		s, err := a.db.ShipmentByToken(ctx, l.token)
		if err != nil {
			t.Fatal(err)
		}
		sc := l.what[strings.LastIndex(l.what, " ")+1:]
		if ok, known := want[sc]; known && !ok(tracking.Stage(s.Stage), tracking.Problem(s.Problem)) {
			t.Errorf("%s: stage %s, problem %q right after seeding; want the scenario's state", l.what, s.Stage, s.Problem)
		}
		o, err := a.db.OrderByID(ctx, s.OrderID)
		if err != nil {
			t.Fatal(err)
		}
		events, err := a.db.Events(ctx, s.ID)
		if err != nil || len(events) == 0 {
			t.Fatalf("%s: no scans stored (%v)", l.what, err)
		}
		if o.CreatedAt.After(events[0].Time) {
			t.Errorf("%s: order placed %s after its first scan %s", l.what, o.CreatedAt, events[0].Time)
		}
		if tracking.Stage(s.Stage) == tracking.StageDelivered {
			last := events[len(events)-1].Location
			if last.Country != o.ShippingAddress.V.Country || !strings.HasPrefix(last.City, o.ShippingAddress.V.City) {
				t.Errorf("%s: delivered in %s but ships to %s, %s", l.what, last, o.ShippingAddress.V.City, o.ShippingAddress.V.Country)
			}
		}
	}
	later := 0
	for _, l := range links {
		s, _ := a.db.ShipmentByToken(ctx, l.token)
		if !tracking.Stage(s.Stage).Terminal() {
			later++
		}
	}
	if later < len(links)/2 {
		t.Errorf("only %d of %d parcels still on their way after seeding", later, len(links))
	}
}

// TestDemoParcelsKeepMovingForAnHour: future scans spread over the next
// hour or more, a few minutes apart, instead of all landing in minutes.
func TestDemoParcelsKeepMovingForAnHour(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	var events []tracking.Event
	for i := range 8 {
		events = append(events, tracking.Event{Time: now.Add(time.Duration(i-2) * 24 * time.Hour)})
	}
	events = squeezeFuture(events, now, rand.New(rand.NewPCG(1, 2)))
	last := events[len(events)-1].Time
	if last.Before(now.Add(55*time.Minute)) || last.After(now.Add(100*time.Minute)) {
		t.Errorf("last scan at %s; want about an hour or more from now", last.Sub(now))
	}
	for i := 1; i < len(events); i++ {
		if !events[i].Time.After(events[i-1].Time) {
			t.Errorf("scans out of order at %d", i)
		}
	}
}
