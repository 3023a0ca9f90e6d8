package messaging

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// TriggerMerchantAction marks the message log entries that tell the shop
// owner about a shopper's request.
const TriggerMerchantAction = "merchant_action"

// NotifyMerchantJob emails the shop owner one shopper request through the
// email provider (the outbox when none is configured). The message is
// logged first under a key of the action, so a retry resends the same
// message instead of writing a second one.
func (m *Messenger) NotifyMerchantJob(ctx context.Context, job *river.Job[jobs.NotifyMerchantArgs]) error {
	act, err := m.db.CustomerAction(ctx, job.Args.ActionID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	key := TriggerMerchantAction + ":" + strconv.FormatInt(act.ID, 10)
	n, err := m.db.NotificationByKey(ctx, act.ShopID, key)
	if errors.Is(err, storage.ErrNotFound) {
		n, err = m.logMerchantNotice(ctx, act, key)
	}
	if err != nil {
		return err
	}
	if n.Status != storage.NotificationScheduled {
		return nil
	}
	return JobOutcome(m.Deliver(ctx, n, notify.Message{Channel: notify.ChannelEmail, Subject: n.Subject, Text: n.Body}))
}

func (m *Messenger) logMerchantNotice(ctx context.Context, act *storage.CustomerAction, key string) (*storage.Notification, error) {
	shop, err := m.db.ShopByID(ctx, act.ShopID)
	if err != nil {
		return nil, err
	}
	n := &storage.Notification{
		ShopID: shop.ID, ShipmentID: act.ShipmentID, Trigger: TriggerMerchantAction, Channel: string(notify.ChannelEmail),
		Recipient: shop.NotifyAddress(), DedupeKey: key, Status: storage.NotificationScheduled,
	}
	if n.Recipient == "" {
		n.Status, n.Error = storage.NotificationSkipped, "the shop has no notification address (Settings)"
	}
	n.Subject, n.Body, err = m.merchantNotice(ctx, act)
	if err != nil {
		return nil, err
	}
	if _, err := m.db.CreateNotification(ctx, n); err != nil {
		return nil, err
	}
	return m.db.NotificationByKey(ctx, act.ShopID, key)
}

// merchantNotice is the plain-text email that tells the merchant what the
// shopper asked and what to do about it.
func (m *Messenger) merchantNotice(ctx context.Context, act *storage.CustomerAction) (subject, body string, err error) {
	who, order, ship := "A shopper", "", (*storage.Shipment)(nil)
	if act.ShipmentID != nil {
		about, err := m.Load(ctx, *act.ShipmentID)
		if err != nil {
			return "", "", err
		}
		order, ship = about.Order.Name, about.Ship
		if about.Order.CustomerName != "" {
			who = about.Order.CustomerName
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
		fmt.Fprintf(&b, "\nTracking page: %s\n", m.links.Tracking(ship.PublicToken))
	}
	b.WriteString("\nThe shopper was told their request was sent to you. Please update the order and the carrier as needed.\n")
	return subject, b.String(), nil
}
