// Package polling asks carriers about shipments: the scheduler that claims
// due shipments and batches them into poll jobs per carrier account, the
// poll job, carrier pushes, and the routing of a carrier code to the
// platform's client or a merchant's own account. What a carrier's answer
// means (state, ETA, next poll) is decided by package tracking; polling
// stores it and tells the rest of the app through the interfaces in Deps.
package polling

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// Notifier enqueues, inside the transaction that fired them, the shopper's
// messages for newly fired triggers.
type Notifier interface {
	Enqueue(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error
}

// WriteBack enqueues, inside the same transaction, telling the shipment's
// store what changed (order notes, fulfillment events).
type WriteBack interface {
	ShipmentChanged(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error
}

// PageCache drops a shipment's cached tracking page once its change is
// committed, so this process shows the news at once.
type PageCache interface {
	Forget(publicToken string)
}

// Deps are what a Poller needs.
type Deps struct {
	DB      *storage.DB
	Log     *slog.Logger
	Now     func() time.Time
	Metrics *metrics.Set
	// Policy picks each shipment's next poll (tracking.NextPoll in
	// production).
	Policy tracking.Policy
	// Carriers are the platform's own carrier accounts by carrier code;
	// Rates replace their call rates (tests).
	Carriers map[string]registry.Creds
	Rates    map[string]rate.Limit
	// AppURL is the public base URL carriers push to
	// (AppURL/webhooks/carriers/<code>).
	AppURL string
	// Outbound calls hosts merchants chose: their own carrier accounts.
	Outbound  *http.Client
	Notifier  Notifier
	WriteBack WriteBack
	Pages     PageCache
}

// Poller polls carriers and applies what they say to shipments.
type Poller struct {
	db        *storage.DB
	log       *slog.Logger
	now       func() time.Time
	metrics   *metrics.Set
	policy    tracking.Policy
	outbound  *http.Client
	notifier  Notifier
	writeBack WriteBack
	pages     PageCache
	appURL    string
	creds     map[string]registry.Creds // the platform's accounts, push secrets included

	carriers carriers
	transit  transitModel
}

// New builds the Poller and registers every carrier whose platform account
// is configured; the fallback among them tracks every other carrier.
func New(d Deps) *Poller {
	// A shipment whose carrier pushes to a live subscription is polled
	// only as a safety net.
	p := &Poller{
		db: d.DB, log: d.Log, now: d.Now, metrics: d.Metrics, policy: tracking.WithPush(d.Policy), outbound: d.Outbound,
		notifier: d.Notifier, writeBack: d.WriteBack, pages: d.Pages, appURL: d.AppURL, creds: d.Carriers,
	}
	for _, e := range registry.Accounts() {
		if creds := d.Carriers[e.Code]; e.Complete(creds) {
			c := newCarrier(e, e.New(registry.Account{Creds: creds, OnUnknown: p.countUnknownCode, Now: p.now}))
			if r, ok := d.Rates[e.Code]; ok {
				c.limit = rate.NewLimiter(r, 1)
			}
			p.carriers.add(e, c)
		}
	}
	return p
}

// AddCarrier routes e's code to t at e's rate (the demo's simulated
// carrier, registered with the instance it seeds).
func (p *Poller) AddCarrier(e registry.Carrier, t tracking.Carrier) {
	p.carriers.add(e, newCarrier(e, t))
}

// LearnTransit rebuilds the transit-time model from the last six months of
// deliveries; without history the priors serve.
func (p *Poller) LearnTransit(ctx context.Context) {
	history, err := p.db.DeliveredSince(ctx, p.now().AddDate(0, -6, 0), 50000)
	if err != nil {
		p.log.Warn("transit history unavailable; using priors", "err", err)
		return
	}
	p.transit.learn(history)
}

// countUnknownCode counts a carrier status code no status table maps.
func (p *Poller) countUnknownCode(carrier, code string) {
	p.metrics.UnknownCodes.WithLabelValues(carrier, code).Inc()
}
