// Package klaviyo hands a shop's shipment news to its Klaviyo account: every
// trigger becomes an event on the shopper's profile (by email, and phone
// when it is E.164) under a stable metric, so the merchant can build
// Klaviyo flows and segments on it. Triggers the merchant hands to Klaviyo
// are sent there only (messaging skips them).
package klaviyo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/tracking"
	kv "github.com/ordertrack/ordertrack/integrations/klaviyo"
	"github.com/ordertrack/ordertrack/storage"
)

// Metrics name each trigger's event in Klaviyo. They never change: merchants'
// flows start from these names.
var Metrics = map[tracking.Trigger]string{
	tracking.TriggerShipped:            "ordertrack Shipment Shipped",
	tracking.TriggerInTransit:          "ordertrack Shipment In Transit",
	tracking.TriggerOutForDelivery:     "ordertrack Shipment Out For Delivery",
	tracking.TriggerDelayed:            "ordertrack Shipment Delayed",
	tracking.TriggerFailedAttempt:      "ordertrack Shipment Failed Attempt",
	tracking.TriggerActionRequired:     "ordertrack Shipment Action Required",
	tracking.TriggerAvailableForPickup: "ordertrack Shipment Available For Pickup",
	tracking.TriggerDelivered:          "ordertrack Shipment Delivered",
	tracking.TriggerException:          "ordertrack Shipment Exception",
	tracking.TriggerETAChanged:         "ordertrack Shipment Estimate Changed",
	tracking.TriggerCODReminder:        "ordertrack Cash On Delivery Reminder",
	tracking.TriggerReturning:          "ordertrack Shipment Returning",
}

// Deps are what the Forwarder works with.
type Deps struct {
	DB     *storage.DB
	Jobs   *jobs.Client
	Log    *slog.Logger
	Now    func() time.Time
	Links  *links.Links
	Client *kv.Client
}

// Forwarder queues and sends the events.
type Forwarder struct {
	db     *storage.DB
	jobs   *jobs.Client
	log    *slog.Logger
	now    func() time.Time
	links  *links.Links
	client *kv.Client
}

// New builds a Forwarder.
func New(d Deps) *Forwarder {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Client == nil {
		d.Client = kv.New(kv.Config{})
	}
	return &Forwarder{db: d.DB, jobs: d.Jobs, log: d.Log, now: d.Now, links: d.Links, client: d.Client}
}

// ForwardTrigger implements messaging.Forwarder: while the shop has a
// Klaviyo key, every trigger is queued, in tx, as an event.
func (f *Forwarder) ForwardTrigger(ctx context.Context, tx *storage.Tx, shop *storage.Shop, shipmentID int64, trigger tracking.Trigger, key string) error {
	if len(shop.KlaviyoKey) == 0 || Metrics[trigger] == "" {
		return nil
	}
	if _, err := f.jobs.InsertTx(ctx, tx.SQL(), jobs.KlaviyoEventArgs{ShipmentID: shipmentID, Trigger: string(trigger), Key: key}, nil); err != nil {
		return fmt.Errorf("enqueue klaviyo event %s: %w", trigger, err)
	}
	return nil
}

// ForwardRequest implements messaging.Forwarder; shoppers' requests reach
// the merchant by email and in the admin, not through Klaviyo.
func (f *Forwarder) ForwardRequest(context.Context, *storage.Tx, int64) error { return nil }

// EventJob sends one event. Klaviyo's 429 snoozes the job for its
// Retry-After; other transient failures retry with backoff; a refused event
// (bad key, no profile) is cancelled with the reason.
func (f *Forwarder) EventJob(ctx context.Context, job *river.Job[jobs.KlaviyoEventArgs]) error {
	ships, err := f.db.ShipmentsByID(ctx, []int64{job.Args.ShipmentID})
	if err != nil || len(ships) == 0 {
		return err // a redacted shipment has nothing to send
	}
	s := &ships[0]
	shop, err := f.db.ShopByID(ctx, s.ShopID)
	if err != nil {
		return err
	}
	key, err := f.db.KlaviyoKey(shop)
	if err != nil || key == "" || shop.Status != "active" {
		return err // Klaviyo turned off since
	}
	order, err := f.db.OrderByID(ctx, s.OrderID)
	if err != nil {
		return err
	}
	trigger := tracking.Trigger(job.Args.Trigger)
	ev := kv.Event{
		Metric: Metrics[trigger], Email: order.Email, Time: f.now(),
		UniqueID: fmt.Sprintf("ordertrack-%d-%s", s.ID, job.Args.Key),
		Properties: map[string]any{
			"order_name": order.Name, "tracking_number": s.TrackingNumber, "carrier": s.Carrier,
			"carrier_name": s.CarrierCompany, "stage": s.Stage, "problem": s.Problem, "substatus": s.Substatus,
			"tracking_url": f.links.Tracking(s.PublicToken), "trigger": string(trigger),
			"sent_by_ordertrack": !shop.HandsToKlaviyo(string(trigger)),
		},
	}
	if strings.HasPrefix(strings.TrimSpace(order.Phone), "+") {
		ev.Phone = "+" + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, order.Phone)
	}
	if s.ETALatest != nil {
		ev.Properties["estimated_delivery"] = s.ETALatest.UTC().Format(time.DateOnly)
	}
	err = f.client.CreateEvent(ctx, key, ev)
	var retry *tracking.RetryableError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kv.ErrRejected):
		return river.JobCancel(fmt.Errorf("shop %d: %w", shop.ID, err))
	case errors.As(err, &retry) && retry.RetryAfter > 0:
		return river.JobSnooze(retry.RetryAfter)
	}
	return fmt.Errorf("shop %d: %w", shop.ID, err)
}
