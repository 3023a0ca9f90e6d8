package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/storage"
)

// Live orders: one is placed every OrderEvery after the store's epoch and
// ships labelFor later; its parcel's scans then spread over the next hour
// or so. A live order missed for longer than catchUp (the demo was stopped)
// is skipped rather than placed late.
const (
	OrderEvery = 4 * time.Minute
	labelFor   = 3 * time.Minute
	catchUp    = 10 * time.Minute
	// liveNumbers is where live parcels' numbers start, after the seed's.
	liveNumbers = 1000
	// taught is how many of the latest live orders a restart teaches the
	// simulated carrier again (weeks of them at one every few minutes).
	taught = 10000
)

// liveScenarios is the live orders' rotation: mostly on time, with every
// kind of trouble among them.
var liveScenarios = []sim.Scenario{
	sim.Normal, sim.Delayed, sim.Normal, sim.FailedAttempt, sim.Normal, sim.Pickup,
	sim.Normal, sim.ActionRequired, sim.Normal, sim.Exception, sim.Normal, sim.Returned,
}

// placed is when live order k is placed.
func (s *Store) placed(k int) time.Time { return s.epoch.Add(time.Duration(k+1) * OrderEvery) }

// live lays out live order k and teaches the simulated carrier its parcel.
func (s *Store) live(k int) story {
	n := 1001 + Count + 3 + k
	sc := liveScenarios[k%len(liveScenarios)]
	// Its label says what it is now, not what its parcel will go through.
	st := story{what: "arrived live", order: s.newOrder(k, n), optIn: k%6 == 1}
	st.order.PlatformID = fmt.Sprintf("demo-live-%d", k)
	st.order.CreatedAt = s.placed(k)
	labelled := s.placed(k).Add(labelFor)
	number := s.carrier.Number(liveNumbers + k)
	plan := s.carrier.Plan(number, labelled, sc)
	retime(&plan, labelled, rand.New(rand.NewPCG(42, uint64(k))))
	s.carrier.Register(plan)
	shipTo(st.order, plan.Destination)
	f := fmt.Sprintf("f-live-%d", k)
	st.fulfillments = []orders.Fulfillment{{ID: f, UpdatedAt: labelled, Parcels: []orders.Parcel{{FulfillmentID: f, Company: "Demo Express", Number: number}}}}
	return st
}

// teachLive teaches the simulated carrier the parcels of the live orders
// placed up to now, so a restart finds them moving where they were.
func (s *Store) teachLive(epoch, now time.Time) {
	last := int(now.Sub(epoch)/OrderEvery) - 1
	for k := max(0, last-taught); k <= last; k++ {
		s.live(k)
	}
}

// Step places the live orders due by now and ships those whose label is
// due: what the store's webhooks would bring.
func (s *Store) Step(ctx context.Context) error {
	now := s.d.Now()
	k := max(0, int(now.Add(-catchUp).Sub(s.epoch)/OrderEvery)-1)
	for ; !s.placed(k).After(now); k++ {
		if s.placed(k).Before(now.Add(-catchUp)) {
			continue
		}
		st := s.live(k)
		o, err := s.d.DB.OrderByPlatformID(ctx, s.shop.ID, st.order.PlatformID)
		if errors.Is(err, storage.ErrNotFound) {
			o = st.order
			if err := s.d.Orders.Apply(ctx, s.shop, orders.Change{Order: o}); err != nil {
				return fmt.Errorf("place demo order %s: %w", o.Name, err)
			}
		} else if err != nil {
			return err
		}
		if now.Before(st.fulfillments[0].UpdatedAt) {
			continue
		}
		ships, err := s.d.DB.OrderShipments(ctx, s.shop.ID, o.ID)
		if err != nil {
			return err
		}
		if len(ships) > 0 {
			continue
		}
		if err := s.d.Orders.Apply(ctx, s.shop, orders.Change{Order: st.order, Fulfillments: st.fulfillments}); err != nil {
			return fmt.Errorf("ship demo order %s: %w", o.Name, err)
		}
	}
	return nil
}

// Run steps the live orders every few seconds until ctx is done, and has
// the shoppers who sign up for texts do so on their pages at base.
func (s *Store) Run(ctx context.Context, log *slog.Logger, base string) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		if err := s.Step(ctx); err != nil && ctx.Err() == nil {
			log.Warn("demo store: live orders", "err", err)
		}
		if err := s.OptIn(ctx, base, client); err != nil && ctx.Err() == nil {
			log.Warn("demo store: text sign-ups", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
