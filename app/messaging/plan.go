package messaging

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// Enqueue plans the messages of triggers that fired for a shipment, in the
// caller's transaction, on the default queue.
func (m *Messenger) Enqueue(ctx context.Context, tx *storage.Tx, shipmentID int64, fired []tracking.Fired) error {
	return m.EnqueueOn(ctx, tx, river.QueueDefault, shipmentID, fired)
}

// EnqueueOn is Enqueue with the notify jobs on queue.
func (m *Messenger) EnqueueOn(ctx context.Context, tx *storage.Tx, queue string, shipmentID int64, fired []tracking.Fired) error {
	if len(fired) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(fired))
	for i, f := range fired {
		params[i] = river.InsertManyParams{Args: jobs.NotifyArgs{ShipmentID: shipmentID, Trigger: string(f.Trigger), Key: f.Key}, InsertOpts: &river.InsertOpts{Queue: queue}}
	}
	if _, err := m.jobs.InsertManyTx(ctx, tx.SQL(), params); err != nil {
		return fmt.Errorf("enqueue %d notifications: %w", len(fired), err)
	}
	return nil
}

// EnqueueMerchantNotice queues, in the transaction that stores a shopper's
// request, the email that tells the merchant about it.
func (m *Messenger) EnqueueMerchantNotice(ctx context.Context, tx *storage.Tx, actionID int64) error {
	if _, err := m.jobs.InsertTx(ctx, tx.SQL(), jobs.NotifyMerchantArgs{ActionID: actionID}, nil); err != nil {
		return fmt.Errorf("enqueue merchant notice: %w", err)
	}
	for _, f := range m.forward {
		if err := f.ForwardRequest(ctx, tx, actionID); err != nil {
			return err
		}
	}
	return nil
}

// NotifyJob plans the messages for one fired trigger: the shop's rules
// decide channels, quiet-hours deferral, caps and opt-outs; each decision is
// logged (skips too, with the reason) and every send is enqueued at its time.
// In the same transaction the trigger goes to the Forwarders; a trigger the
// shop hands to Klaviyo gets no message of ordertrack's.
func (m *Messenger) NotifyJob(ctx context.Context, job *river.Job[jobs.NotifyArgs]) error {
	about, err := m.Load(ctx, job.Args.ShipmentID)
	if err != nil {
		return err
	}
	if about.Shop.Status != "active" {
		return nil // uninstalled: no messages
	}
	if about.Ship.Ended != "" && tracking.Trigger(job.Args.Trigger) != tracking.TriggerCancelled {
		return nil // no longer tracked: only the news that it stopped goes out
	}
	rec, err := m.recipient(ctx, about)
	if err != nil {
		return err
	}
	now := m.now().UTC()
	if err := m.spendCaps(ctx, about.Shop, &rec, now); err != nil {
		return err
	}
	// A week of history: the call cap counts 7 days, the daily cap 24 h.
	recent, err := m.db.RecentNotifications(ctx, about.Shop.ID, now.Add(-7*24*time.Hour), rec.Email, rec.Phone)
	if err != nil {
		return err
	}
	sent := make([]notify.SentRecord, 0, len(recent))
	for _, n := range recent {
		if n.Status == storage.NotificationSkipped || n.Status == storage.NotificationFailed || n.Trigger == TriggerConsent {
			continue // the opt-in's own confirmation is no news: it does not count toward the cap
		}
		at := n.CreatedAt
		if n.SendAt != nil {
			at = *n.SendAt
		}
		sid := int64(0)
		if n.ShipmentID != nil {
			sid = *n.ShipmentID
		}
		sent = append(sent, notify.SentRecord{Trigger: tracking.Trigger(n.Trigger), ShipmentID: sid, Channel: notify.Channel(n.Channel), DedupeKey: n.DedupeKey, At: at})
	}
	_, variant, _ := strings.Cut(job.Args.Key, ":")
	trigger := tracking.Trigger(job.Args.Trigger)
	rules := m.rules(about.Shop)
	var decisions []notify.Decision
	for _, t := range append([]tracking.Trigger{trigger}, tracking.FollowUps(trigger, about.Order.COD)...) {
		if about.Shop.HandsToKlaviyo(string(t)) {
			continue
		}
		r := rec
		why, err := m.whatsAppUnavailable(ctx, about.Shop, rec, t)
		if err != nil {
			return err
		}
		if why != "" && r.Unavailable[notify.ChannelWhatsApp] == "" {
			r.Unavailable = maps.Clone(rec.Unavailable)
			if r.Unavailable == nil {
				r.Unavailable = map[notify.Channel]string{}
			}
			r.Unavailable[notify.ChannelWhatsApp] = why
		}
		decisions = append(decisions, rules.Plan(notify.Candidate{
			Trigger: t, ShipmentID: about.Ship.ID, Variant: variant, Recipient: r, Sent: sent,
		}, now)...)
	}
	return m.db.InTx(ctx, func(tx *storage.Tx) error {
		for _, f := range m.forward {
			if err := f.ForwardTrigger(ctx, tx, about.Shop, about.Ship.ID, trigger, job.Args.Key); err != nil {
				return err
			}
		}
		for _, d := range decisions {
			n := &storage.Notification{
				ShopID: about.Shop.ID, ShipmentID: &about.Ship.ID, Trigger: string(d.Trigger), Channel: string(d.Channel),
				Recipient: Address(rec, d.Channel), DedupeKey: d.DedupeKey, Status: storage.NotificationScheduled,
			}
			if d.Skip {
				// A skipped message is never sent: no send time (the outbox
				// would show the zero time as "send Jan 1 00:00").
				n.Status, n.Error = storage.NotificationSkipped, d.Reason
			} else {
				n.SendAt = &d.SendAt
				if d.Reason == notify.ReasonHeld {
					n.Error = d.Reason // the outbox says why it waits
				}
			}
			inserted, err := tx.CreateNotification(ctx, n)
			if err != nil {
				return err
			}
			if !inserted || d.Skip {
				continue
			}
			// A message due now goes to the workers at once: River holds a
			// job inserted with a send time, even a past one, until its
			// scheduler's next pass (every 5 s).
			opts := &river.InsertOpts{}
			if d.SendAt.After(now) {
				opts.ScheduledAt = d.SendAt
			}
			if _, err := m.jobs.InsertTx(ctx, tx.SQL(), jobs.SendArgs{NotificationID: n.ID}, opts); err != nil {
				return fmt.Errorf("enqueue send: %w", err)
			}
		}
		return nil
	})
}

// spendCaps marks the phone channels whose monthly cap the shop has used
// up this calendar month (UTC), so the rules fall back to email.
func (m *Messenger) spendCaps(ctx context.Context, shop *storage.Shop, rec *notify.Recipient, now time.Time) error {
	st := shop.Settings.V
	if st.SMSSegmentsMonthly == 0 && st.CallMinutesMonthly == 0 {
		return nil
	}
	used, err := m.db.UsageSince(ctx, shop.ID, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	rec.OverSpend = map[notify.Channel]bool{
		notify.ChannelSMS:   st.SMSSegmentsMonthly > 0 && used.SMSSegments >= st.SMSSegmentsMonthly,
		notify.ChannelVoice: st.CallMinutesMonthly > 0 && used.CallMinutes >= st.CallMinutesMonthly,
	}
	return nil
}
