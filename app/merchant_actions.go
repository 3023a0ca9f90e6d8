package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// triggerMerchantAction marks the message log entries that tell the shop
// owner about a shopper's request.
const triggerMerchantAction = "merchant_action"

// addAction stores a shopper request and, in the same transaction, the job
// that emails the merchant about it (and the one that writes it back to the
// Shopify order, or notes it on the WooCommerce order): no request goes
// unannounced and no email or note announces a request that was rolled back.
func (a *App) addAction(ctx context.Context, act *storage.CustomerAction) error {
	writeBack, err := a.shopifyWritesBack(ctx, act)
	if err != nil {
		return err
	}
	return a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateCustomerAction(ctx, act); err != nil {
			return err
		}
		if _, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.NotifyMerchantArgs{ActionID: act.ID}, nil); err != nil {
			return fmt.Errorf("enqueue merchant notice: %w", err)
		}
		if writeBack {
			return a.enqueueOrderWriteback(ctx, tx.SQL(), act.ID)
		}
		return a.enqueueWooActionNote(ctx, tx, act)
	})
}

// notifyMerchantJob emails the shop owner one shopper request through the
// email provider (the outbox when none is configured). The message is
// logged first under a key of the action, so a retry resends the same
// message instead of writing a second one.
func (a *App) notifyMerchantJob(ctx context.Context, job *river.Job[jobs.NotifyMerchantArgs]) error {
	act, err := a.db.CustomerAction(ctx, job.Args.ActionID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	key := triggerMerchantAction + ":" + strconv.FormatInt(act.ID, 10)
	n, err := a.db.NotificationByKey(ctx, act.ShopID, key)
	if errors.Is(err, storage.ErrNotFound) {
		n, err = a.logMerchantNotice(ctx, act, key)
	}
	if err != nil {
		return err
	}
	if n.Status != storage.NotificationScheduled {
		return nil
	}
	return jobOutcome(a.deliver(ctx, n, notify.Message{Channel: notify.ChannelEmail, Subject: n.Subject, Text: n.Body}))
}

func (a *App) logMerchantNotice(ctx context.Context, act *storage.CustomerAction, key string) (*storage.Notification, error) {
	shop, err := a.db.ShopByID(ctx, act.ShopID)
	if err != nil {
		return nil, err
	}
	n := &storage.Notification{
		ShopID: shop.ID, ShipmentID: act.ShipmentID, Trigger: triggerMerchantAction, Channel: string(notify.ChannelEmail),
		Recipient: shop.Email, DedupeKey: key, Status: storage.NotificationScheduled,
	}
	if shop.Email == "" {
		n.Status, n.Error = storage.NotificationSkipped, "the shop has no owner email"
	}
	n.Subject, n.Body, err = a.merchantNotice(ctx, act)
	if err != nil {
		return nil, err
	}
	if _, err := a.db.CreateNotification(ctx, n); err != nil {
		return nil, err
	}
	return a.db.NotificationByKey(ctx, act.ShopID, key)
}

// merchantNotice is the plain-text email that tells the merchant what the
// shopper asked and what to do about it.
func (a *App) merchantNotice(ctx context.Context, act *storage.CustomerAction) (subject, body string, err error) {
	who, order, ship := "A shopper", "", (*storage.Shipment)(nil)
	if act.ShipmentID != nil {
		m, err := a.loadMessageContext(ctx, *act.ShipmentID)
		if err != nil {
			return "", "", err
		}
		order, ship = m.order.Name, m.ship
		if m.order.CustomerName != "" {
			who = m.order.CustomerName
		}
	}
	c := locale.Merchant()
	subject = who + " " + c.MerchantAction(act.Kind, "")
	if order != "" {
		subject = "Order " + order + ": " + subject
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s.\n\n", who, c.MerchantAction(act.Kind, act.Source))
	if order != "" {
		fmt.Fprintf(&b, "Order: %s\n", order)
	}
	if ship != nil {
		fmt.Fprintf(&b, "Shipment: %s %s\n", registry.Name(ship.Carrier, ship.CarrierCompany), ship.TrackingNumber)
	}
	keys := make([]string, 0, len(act.Details.V))
	for k := range act.Details.V {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, act.Details.V[k])
	}
	if ship != nil {
		fmt.Fprintf(&b, "\nTracking page: %s\n", a.trackingURL(ship))
	}
	b.WriteString("\nThe shopper was told their request was sent to you. Please update the order and the carrier as needed.\n")
	return subject, b.String(), nil
}

// pageRequests lists what the shopper already asked about a shipment, so
// the tracking page can show it reached the store.
func (a *App) pageRequests(ctx context.Context, s *storage.Shipment) ([]trackpage.Request, error) {
	acts, err := a.db.Scope(s.ShopID).ShipmentActions(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	out := make([]trackpage.Request, 0, len(acts))
	for _, act := range acts {
		r := trackpage.Request{Kind: trackpage.ActionKind(act.Kind), At: act.CreatedAt}
		if d, err := time.Parse(time.DateOnly, act.Details.V[trackpage.FieldDate]); err == nil {
			r.Date = d
		}
		out = append(out, r)
	}
	return out, nil
}
