package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/messaging"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Forwarders to a.messaging for code still in package app; the lead deletes
// them once their callers have moved. The job workers forward too: they are
// registered before the jobs client, which the Messenger needs, exists.

func (a *App) notifyJob(ctx context.Context, job *river.Job[jobs.NotifyArgs]) error {
	return a.messaging.NotifyJob(ctx, job)
}

func (a *App) sendJob(ctx context.Context, job *river.Job[jobs.SendArgs]) error {
	return a.messaging.SendJob(ctx, job)
}

func (a *App) notifyMerchantJob(ctx context.Context, job *river.Job[jobs.NotifyMerchantArgs]) error {
	return a.messaging.NotifyMerchantJob(ctx, job)
}

func (a *App) enqueueNotify(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	return a.messaging.Enqueue(ctx, tx, shipmentID, fired)
}

func (a *App) enqueueNotifyOn(ctx context.Context, tx *storage.Tx, queue string, shipmentID int64, fired []tracking.Fired) error {
	return a.messaging.EnqueueOn(ctx, tx, queue, shipmentID, fired)
}

func (a *App) deliver(ctx context.Context, n *storage.Notification, msg notify.Message) error {
	return a.messaging.Deliver(ctx, n, msg)
}

func jobOutcome(err error) error { return messaging.JobOutcome(err) }

func clock(s string) (time.Duration, bool) { return messaging.ParseClock(s) }

func (a *App) previousETA(ctx context.Context, s *storage.Shipment) tracking.Window {
	return a.messaging.PreviousETA(ctx, s)
}

// messageContext is what the shopper pages read of a shipment.
type messageContext struct {
	shop  *storage.Shop
	order *storage.Order
	ship  *storage.Shipment
}

func (m messageContext) zone() *time.Location {
	return messaging.About{Shop: m.shop, Order: m.order}.Zone()
}

func (a *App) loadMessageContext(ctx context.Context, shipmentID int64) (messageContext, error) {
	m, err := a.messaging.Load(ctx, shipmentID)
	return messageContext{shop: m.Shop, order: m.Order, ship: m.Ship}, err
}

// shopper is the unsubscribe page's recipient.
type shopper struct{ notify.Recipient }

func (s shopper) address(ch notify.Channel) string { return messaging.Address(s.Recipient, ch) }

// RecordAction records a shopper's reply or key press for a.messaging (messaging.Actions).
func (a *App) RecordAction(ctx context.Context, s *storage.Shipment, kind, source string, details map[string]string) error {
	return a.recordAction(ctx, s, kind, source, details)
}

// EnqueueWriteBack tells the shop's order about fired triggers for
// a.messaging (messaging.WriteBack): WooCommerce notes, then the Shopify
// fulfillment event.
func (a *App) EnqueueWriteBack(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	if err := a.enqueueWooNotes(ctx, tx, shipmentID, fired); err != nil {
		return err
	}
	return a.enqueueFulfillmentEvent(ctx, tx, shipmentID)
}
