package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// carrier is a carrier's client with the quota this process may spend on it.
type carrier struct {
	tracking.Carrier
	limit *rate.Limiter // per process; quotas are split across worker machines
	built time.Time     // for merchant accounts: when the client was built
}

// carriers routes a carrier code to its API; unknown codes use the fallback
// aggregator when one is configured. Merchant accounts (a shop's own
// credentials) are built on first use and rebuilt after accountTTL, so
// changed credentials take effect on every worker.
type carriers struct {
	mu       sync.Mutex
	byName   map[string]*carrier
	fallback *carrier
	accounts map[storage.CarrierAccountKey]*carrier
}

const accountTTL = 10 * time.Minute

// add routes e's code to t, the client of the platform's account (or the
// demo's), at e's rate.
func (c *carriers) add(e registry.Carrier, t tracking.Carrier) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byName == nil {
		c.byName = map[string]*carrier{}
	}
	c.byName[e.Code] = newCarrier(e, t)
	if e.Fallback {
		c.fallback = c.byName[e.Code]
	}
}

func newCarrier(e registry.Carrier, t tracking.Carrier) *carrier {
	return &carrier{Carrier: t, limit: rate.NewLimiter(rate.Limit(e.PerSecond), int(max(1, e.PerSecond)))}
}

func (c *carriers) get(name string) (*carrier, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.byName[name]; ok {
		return t, true
	}
	return c.fallback, c.fallback != nil
}

// carrierFor returns the merchant's own account for the carrier when the shop
// has one (shopID > 0), else the platform's.
func (a *App) carrierFor(ctx context.Context, shopID int64, name string) (*carrier, error) {
	if shopID == 0 {
		c, ok := a.carriers.get(name)
		if !ok {
			return nil, nil
		}
		return c, nil
	}
	key := storage.CarrierAccountKey{ShopID: shopID, Carrier: name}
	a.carriers.mu.Lock()
	c, ok := a.carriers.accounts[key]
	a.carriers.mu.Unlock()
	if ok && a.now().Sub(c.built) < accountTTL {
		return c, nil
	}
	creds, err := a.db.CarrierAccountCredentials(ctx, shopID, name)
	if err != nil {
		return nil, err
	}
	e, ok := registry.Lookup(name)
	if !ok || e.New == nil {
		return nil, nil
	}
	// A merchant's account is theirs to configure: its calls are held to
	// the outbound policy like their store's.
	c = newCarrier(e, e.New(registry.Account{Creds: creds, OnUnknown: a.countUnknownCode, HTTP: a.outbound}))
	c.built = a.now()
	a.carriers.mu.Lock()
	if a.carriers.accounts == nil {
		a.carriers.accounts = map[storage.CarrierAccountKey]*carrier{}
	}
	a.carriers.accounts[key] = c
	a.carriers.mu.Unlock()
	return c, nil
}

// carrierQuotas are the carriers' documented limits beyond calls per second.
var carrierQuotas = registry.Quotas()

// schedulerBatch bounds one tick's work; the next tick takes the rest.
const schedulerBatch = 1000

// pollLease is how long a claimed shipment waits for its poll job before a
// later tick may claim it again (a lost job never strands a shipment).
const pollLease = 15 * time.Minute

// schedulePolls claims due shipments and enqueues poll jobs, batched per
// carrier up to the carrier's batch size, in one transaction.
func (a *App) schedulePolls(ctx context.Context, _ *river.Job[jobs.SchedulePollsArgs]) error {
	// Read outside the transaction: SQLite has a single connection, which
	// the transaction holds.
	own, err := a.db.CarrierAccountKeys(ctx)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *storage.Tx) error {
		due, err := tx.ClaimDue(ctx, a.now().UTC(), pollLease, schedulerBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		_, err = a.jobs.InsertManyTx(ctx, tx.SQL(), a.pollBatches(due, own))
		return err
	})
}

// pollBatches groups claimed shipments into poll jobs per account (the
// platform's per carrier, a merchant's own per shop and carrier) up to the
// carrier's batch size, queued in the order they were claimed, so shops
// keep their turns. On a carrier with a daily quota a batch holds one
// shop's shipments: the platform's quota is shared per shop.
func (a *App) pollBatches(due []storage.Due, own map[storage.CarrierAccountKey]bool) []river.InsertManyParams {
	type batchKey struct {
		account storage.CarrierAccountKey
		shop    int64
	}
	var (
		params []river.InsertManyParams
		order  []batchKey
		open   = map[batchKey][]int64{}
	)
	add := func(k batchKey, ids []int64) {
		params = append(params, river.InsertManyParams{Args: jobs.PollArgs{Carrier: k.account.Carrier, ShopID: k.account.ShopID, ShipmentIDs: ids}})
	}
	for _, d := range due {
		k := batchKey{account: storage.CarrierAccountKey{ShopID: d.ShopID, Carrier: d.Carrier}}
		if !own[k.account] {
			k.account.ShopID = 0
			if carrierQuotas[d.Carrier].PerDay > 0 {
				k.shop = d.ShopID
			}
		}
		size := 1
		if c, ok := a.carriers.get(d.Carrier); ok {
			size = max(1, c.MaxBatch())
		}
		if _, ok := open[k]; !ok {
			order = append(order, k)
		}
		open[k] = append(open[k], d.ID)
		if len(open[k]) == size {
			add(k, open[k])
			open[k] = nil
		}
	}
	for _, k := range order {
		if ids := open[k]; len(ids) > 0 {
			add(k, ids)
		}
	}
	return params
}

// poll asks the carrier about a batch and applies what it says.
func (a *App) poll(ctx context.Context, job *river.Job[jobs.PollArgs]) error {
	ships, err := a.db.ShipmentsByID(ctx, job.Args.ShipmentIDs)
	if err != nil {
		return err
	}
	ships = slices.DeleteFunc(ships, func(s storage.Shipment) bool {
		return s.NextPollAt == nil || tracking.Stage(s.Stage).Terminal()
	})
	if len(ships) == 0 {
		return nil
	}
	c, err := a.carrierFor(ctx, job.Args.ShopID, job.Args.Carrier)
	if err != nil {
		return err
	}
	if c == nil {
		// No API for this carrier: the page shows the store's own tracking
		// link; stop polling rather than spin.
		return a.stopPolling(ctx, ships)
	}
	if err := c.limit.Wait(ctx); err != nil {
		return fmt.Errorf("wait for %s quota: %w", job.Args.Carrier, err)
	}
	numbers := make([]string, len(ships))
	for i, s := range ships {
		numbers[i] = s.TrackingNumber
	}
	if q := carrierQuotas[job.Args.Carrier]; q.PerDay > 0 {
		calls := (len(numbers) + c.MaxBatch() - 1) / max(1, c.MaxBatch())
		var ok bool
		if job.Args.ShopID != 0 {
			// A merchant's own account: its quota is its own.
			ok, err = a.db.ReserveCarrierCalls(ctx, fmt.Sprintf("%s:%d", job.Args.Carrier, job.Args.ShopID), a.now(), calls, q.PerDay)
		} else {
			// The platform's account is shared: each shop gets its fair
			// share (batches of a quota carrier hold one shop's shipments).
			ok, err = a.db.ReserveSharedCarrierCalls(ctx, job.Args.Carrier, ships[0].ShopID, a.now(), calls, q.PerDay,
				func(spent int, use map[int64]tracking.QuotaUse) bool {
					return tracking.ShareQuota(q.PerDay, spent, use, ships[0].ShopID, calls)
				})
		}
		if err != nil {
			return err
		}
		if !ok {
			// The day's quota (or this shop's share of it) is spent on
			// every machine: try again after the carrier's day rolls
			// over, without counting a failure.
			a.metrics.CarrierCalls.WithLabelValues(job.Args.Carrier, "quota").Inc()
			tomorrow := a.now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + time.Duration(rand.IntN(3600))*time.Second)
			for _, s := range ships {
				if err := a.db.PostponePoll(ctx, s.ID, tomorrow); err != nil {
					return err
				}
			}
			return nil
		}
	}
	results, trackErr := c.Track(ctx, numbers)
	outcome := "ok"
	var retry *tracking.RetryableError
	switch {
	case errors.As(trackErr, &retry):
		outcome = "retryable"
	case errors.Is(trackErr, tracking.ErrCredentials):
		outcome = "credentials"
	case trackErr != nil:
		outcome = "error"
	}
	a.metrics.CarrierCalls.WithLabelValues(job.Args.Carrier, outcome).Inc()
	var wait time.Duration
	if retry != nil {
		wait = retry.RetryAfter
	}
	if trackErr != nil {
		// Back off through the polling policy (it honours Retry-After), not
		// River retries: each shipment keeps its own schedule. Batch APIs may
		// answer for some numbers and reject others, so results still count.
		a.log.Warn("carrier poll failed", "carrier", job.Args.Carrier, "shipments", len(ships), "results", len(results), "err", trackErr)
	}
	byNumber := make(map[string]tracking.Result, len(results))
	for _, r := range results {
		byNumber[r.Number] = r
	}
	for i := range ships {
		r, ok := byNumber[ships[i].TrackingNumber]
		switch {
		case ok:
			err = a.applyResult(ctx, &ships[i], r, false, 0)
		case trackErr != nil:
			err = a.applyResult(ctx, &ships[i], tracking.Result{}, true, wait)
		default:
			err = a.applyResult(ctx, &ships[i], tracking.Result{Number: ships[i].TrackingNumber, NotFound: true}, false, 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *App) stopPolling(ctx context.Context, ships []storage.Shipment) error {
	ids := make([]int64, len(ships))
	for i, s := range ships {
		ids[i] = s.ID
	}
	return a.db.StopPolling(ctx, ids)
}

// applyResult merges a carrier result into the shipment (tracking.Assess
// decides what it means), stores the outcome and enqueues a notify job for
// every trigger not fired before — all in one transaction.
func (a *App) applyResult(ctx context.Context, s *storage.Shipment, r tracking.Result, failed bool, retryAfter time.Duration) error {
	stored, err := a.db.Events(ctx, s.ID)
	if err != nil {
		return err
	}
	in := tracking.Input{
		Carrier: s.Carrier, Service: s.Service, Origin: s.OriginRegion, DestCountry: s.DestCountry, DestRegion: s.DestRegion,
		CreatedAt: s.CreatedAt, State: s.State(), ETA: s.ETA(), Events: stored, PollFailures: s.PollFailures,
		Result: r, Failed: failed, RetryAfter: retryAfter,
		Now: a.now(), Model: a.transit.Model(), Policy: a.policy, Rand: rand.Float64,
		PerShipmentPerDay: carrierQuotas[s.Carrier].PerShipmentPerDay,
	}
	if s.ShippedAt != nil {
		in.ShippedAt = *s.ShippedAt
	}
	out := tracking.Assess(in)
	err = a.db.InTx(ctx, func(tx *storage.Tx) error {
		fresh, err := tx.ApplyUpdate(ctx, s, storage.Update{
			Added: out.Added, State: out.State, ETA: out.ETA, Service: r.Service, NextPollAt: out.NextPollAt,
			Polled: true, Failed: failed, NotFound: out.NotFound, Fired: out.Fired,
		})
		if err != nil {
			return err
		}
		return a.enqueueNotify(ctx, tx, s.ID, fresh)
	})
	if err == nil {
		a.views.forget(s.PublicToken) // this process shows the news at once; others within viewTTL+viewStale
	}
	if err == nil && out.Transit != nil {
		a.transit.Observe(out.Transit.Lane, out.Transit.Days)
	}
	return err
}

// transitModel is the learned transit-time distribution, shared by the
// poll jobs of this process and rebuilt from delivered history at start.
type transitModel struct {
	mu sync.Mutex
	m  *tracking.TransitModel
}

// Model returns a snapshot safe to read while others observe.
func (t *transitModel) Model() *tracking.TransitModel {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = tracking.NewTransitModel()
	}
	cp := tracking.NewTransitModel()
	for k, v := range t.m.Lanes {
		cp.Lanes[k] = slices.Clone(v)
	}
	cp.PriorWeight = t.m.PriorWeight
	return cp
}

// learn rebuilds the model from delivered history.
func (t *transitModel) learn(history []storage.Delivered) {
	m := tracking.NewTransitModel()
	for _, h := range history {
		cal := tracking.CalendarFor(h.Carrier, h.Service)
		m.Observe(tracking.Lane{Carrier: h.Carrier, Service: h.Service, Origin: h.OriginRegion, Destination: h.DestRegion},
			tracking.TransitDays(h.ShippedAt, h.DeliveredAt, cal))
	}
	t.mu.Lock()
	t.m = m
	t.mu.Unlock()
}

// Observe adds one delivered shipment.
func (t *transitModel) Observe(l tracking.Lane, days int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = tracking.NewTransitModel()
	}
	t.m.Observe(l, days)
}
