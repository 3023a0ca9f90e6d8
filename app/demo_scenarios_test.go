package app

import (
	"context"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/demo"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestDemoLinksShowTheirScenarioAtOnce: every printed link is about a
// parcel already in its scenario's state, shipping where its scans end, and
// placed before its label; parcels still have scans to come an hour on.
func TestDemoLinksShowTheirScenarioAtOnce(t *testing.T) {
	a, _ := startApp(t, storagetest.SQLiteURL(t), Config{})
	ctx := context.Background()
	links, err := demo.Seed(ctx, demo.Deps{DB: a.db, Now: a.now, Orders: a.orders, Carriers: a.polling})
	if err != nil {
		t.Fatal(err)
	}
	const stories = 3 // two parcels, a cancelled fulfillment, a return
	if want := demo.Count - 2 + stories; len(links) != want {
		t.Fatalf("%d links printed; want one per fulfilled order (%d)", len(links), want)
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
		s, err := a.db.ShipmentByToken(ctx, l.Token)
		if err != nil {
			t.Fatal(err)
		}
		sc := l.What[strings.LastIndex(l.What, " ")+1:]
		if ok, known := want[sc]; known && !ok(tracking.Stage(s.Stage), tracking.Problem(s.Problem)) {
			t.Errorf("%s: stage %s, problem %q right after seeding; want the scenario's state", l.What, s.Stage, s.Problem)
		}
		o, err := a.db.OrderByID(ctx, s.OrderID)
		if err != nil {
			t.Fatal(err)
		}
		events, err := a.db.Events(ctx, s.ID)
		if err != nil || len(events) == 0 {
			t.Fatalf("%s: no scans stored (%v)", l.What, err)
		}
		if o.CreatedAt.After(events[0].Time) {
			t.Errorf("%s: order placed %s after its first scan %s", l.What, o.CreatedAt, events[0].Time)
		}
		if tracking.Stage(s.Stage) == tracking.StageDelivered {
			last := events[len(events)-1].Location
			if last.Country != o.ShippingAddress.V.Country || !strings.HasPrefix(last.City, o.ShippingAddress.V.City) {
				t.Errorf("%s: delivered in %s but ships to %s, %s", l.What, last, o.ShippingAddress.V.City, o.ShippingAddress.V.Country)
			}
		}
	}
	later := 0
	for _, l := range links {
		s, _ := a.db.ShipmentByToken(ctx, l.Token)
		if !tracking.Stage(s.Stage).Terminal() {
			later++
		}
	}
	if later < len(links)/2 {
		t.Errorf("only %d of %d parcels still on their way after seeding", later, len(links))
	}
}
