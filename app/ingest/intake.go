// Package ingest takes in webhook deliveries from every platform: Shopify,
// WooCommerce and carriers that push (UPS, USPS, FedEx, DHL, AfterShip). A handler verifies the
// signature, stores the raw delivery and enqueues its processing job in one
// transaction, shared with the deliveries that arrive meanwhile (group
// commit), and answers 200; processing happens later in a job, which takes
// one of its shop's processing slots here so one shop cannot hold every
// worker.
package ingest

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// Deps are what an Intake needs.
type Deps struct {
	DB      *storage.DB
	Jobs    *jobs.Client
	Now     func() time.Time // the clock shops' paces are counted on
	Metrics *metrics.Set     // Webhooks counts deliveries by platform and outcome
	// ShopifySecret signs Shopify's webhooks (the app's API secret).
	ShopifySecret string
	// AfterShipSecret signs AfterShip's tracking pushes.
	AfterShipSecret string
	// Carriers are the platform's carrier accounts by code; their
	// WebhookSecret verifies the carrier's pushes.
	Carriers map[string]registry.Creds
}

// Intake is the webhook intake of one process: its handlers, the group
// commit they share, each shop's pace, and the per-shop slots webhook
// processing takes.
type Intake struct {
	db              *storage.DB
	jobs            *jobs.Client
	now             func() time.Time
	metrics         *metrics.Set
	shopifySecret   string
	afterShipSecret string
	carriers        map[string]registry.Creds

	commits    groupCommit
	committers int
	paces      pacer
	slots      shopSlots
}

// New builds an Intake on d.
func New(d Deps) *Intake {
	committers := 2 // one commits while the next batch gathers
	if d.DB.Dialect == storage.SQLite {
		committers = 1 // one writer at a time anyway
	}
	return &Intake{
		db: d.DB, jobs: d.Jobs, now: d.Now, metrics: d.Metrics,
		shopifySecret: d.ShopifySecret, afterShipSecret: d.AfterShipSecret, carriers: d.Carriers,
		committers: committers,
	}
}

// accept ingests a verified delivery, counts it, and answers 200: the
// platform may stop retrying once the delivery is stored.
func (in *Intake) accept(c echo.Context, source string, d *storage.WebhookDelivery) error {
	dup, err := in.ingest(c.Request().Context(), d)
	if err != nil {
		return err
	}
	outcome := "accepted"
	if dup {
		outcome = "duplicate"
	}
	in.metrics.Webhooks.WithLabelValues(source, outcome).Inc()
	return c.NoContent(http.StatusOK)
}

// unauthorized counts a delivery from source whose signature did not
// verify and refuses it.
func (in *Intake) unauthorized(source string) error {
	in.metrics.Webhooks.WithLabelValues(source, "bad_signature").Inc()
	return echo.NewHTTPError(http.StatusUnauthorized, "invalid webhook signature")
}
