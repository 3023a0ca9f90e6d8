package messaging

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// The message log's triggers of the pre-shipment alerts to merchants.
const (
	TriggerNotShipped = "merchant_not_shipped"
	TriggerLabelIdle  = "merchant_label_idle"
)

// preShipmentBatch bounds the orders and parcels one check looks at per shop.
const preShipmentBatch = 200

// PreShipmentAlertsJob tells each shop that switched the alerts on about
// orders not shipped and labels not picked up within its working days,
// once each (the message log's key is the order or parcel).
func (m *Messenger) PreShipmentAlertsJob(ctx context.Context, _ *river.Job[jobs.PreShipmentAlertsArgs]) error {
	shops, err := m.db.ActiveShops(ctx)
	if err != nil {
		return err
	}
	now := m.now().UTC()
	for i := range shops {
		shop := &shops[i]
		st := shop.Settings.V
		if st.NotShippedAlertDays > 0 {
			// Older orders than a month past the alert were fulfilled some
			// other way or are not coming; the merchant heard of them then.
			since := tracking.OverdueSince(now, st.NotShippedAlertDays).AddDate(0, 0, -30)
			orders, err := m.db.Scope(shop.ID).UnshippedOrders(ctx, since, preShipmentBatch)
			if err != nil {
				return err
			}
			for _, o := range orders {
				if !tracking.Overdue(o.CreatedAt, now, st.NotShippedAlertDays) {
					continue
				}
				subject := fmt.Sprintf("Order %s has not shipped after %d working days", o.Name, st.NotShippedAlertDays)
				body := fmt.Sprintf("Order %s was placed on %s by %s and has not shipped yet.\n\nShip it, or tell the shopper when it will: they see it as still being processed on their tracking page.\n",
					o.Name, o.CreatedAt.Format("January 2"), orEmpty(o.CustomerName, o.Email))
				if err := m.alertMerchant(ctx, shop, nil, TriggerNotShipped+":"+strconv.FormatInt(o.ID, 10), subject, body); err != nil {
					return err
				}
			}
		}
		if st.LabelIdleAlertDays > 0 {
			idle, err := m.db.Scope(shop.ID).IdleLabels(ctx, tracking.OverdueSince(now, st.LabelIdleAlertDays), preShipmentBatch)
			if err != nil {
				return err
			}
			for _, s := range idle {
				if !tracking.Overdue(s.CreatedAt, now, st.LabelIdleAlertDays) {
					continue
				}
				subject := fmt.Sprintf("Order %s: %s has not picked up the parcel", s.OrderName, strings.ToUpper(s.Carrier))
				body := fmt.Sprintf("The label %s for order %s was created on %s and the carrier has not scanned the parcel since.\n\nHand it over or book a pickup; the shopper sees it waiting for the carrier.\n",
					s.TrackingNumber, s.OrderName, s.CreatedAt.Format("January 2"))
				id := s.ID
				if err := m.alertMerchant(ctx, shop, &id, TriggerLabelIdle+":"+strconv.FormatInt(s.ID, 10), subject, body); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// alertMerchant logs one alert to the shop owner under key, once, and
// sends it; a key already logged sends nothing again.
func (m *Messenger) alertMerchant(ctx context.Context, shop *storage.Shop, shipmentID *int64, key, subject, body string) error {
	trigger, _, _ := strings.Cut(key, ":")
	n := &storage.Notification{
		ShopID: shop.ID, ShipmentID: shipmentID, Trigger: trigger, Channel: string(notify.ChannelEmail),
		Recipient: shop.Email, DedupeKey: key, Status: storage.NotificationScheduled, Subject: subject, Body: body,
	}
	if shop.Email == "" {
		n.Status, n.Error = storage.NotificationSkipped, "the shop has no owner email"
	}
	inserted, err := m.db.CreateNotification(ctx, n)
	if err != nil {
		return err
	}
	if !inserted {
		// Logged by an earlier run: send it only if that run's send failed.
		if n, err = m.db.NotificationByKey(ctx, shop.ID, key); err != nil {
			return err
		}
	}
	if n.Status != storage.NotificationScheduled {
		return nil
	}
	return m.Deliver(ctx, n, notify.Message{Channel: notify.ChannelEmail, Subject: n.Subject, Text: n.Body})
}

func orEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
