package messaging

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// SendJob renders and delivers one logged message.
func (m *Messenger) SendJob(ctx context.Context, job *river.Job[jobs.SendArgs]) error {
	n, err := m.db.Notification(ctx, job.Args.NotificationID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err // the database is unreachable: the message is retried, not dropped
	}
	if n.Status != storage.NotificationScheduled || n.ShipmentID == nil {
		return nil // already sent, or cancelled
	}
	if n.Error == notify.ReasonHeld {
		// News the cap held back goes out only if nothing newer about the
		// parcel reached the shopper on this channel meanwhile.
		later, err := m.db.Superseding(ctx, n)
		if err != nil {
			return err
		}
		if later != nil {
			n.Status, n.MergedInto = storage.NotificationSkipped, &later.ID
			n.Error = fmt.Sprintf("held by the frequency cap, then merged into the later %s update", later.Trigger)
			return m.db.SaveNotification(ctx, n)
		}
		n.Error = ""
	}
	about, err := m.Load(ctx, *n.ShipmentID)
	if err != nil {
		return err
	}
	if about.Shop.Status != "active" {
		n.Status, n.Error = storage.NotificationSkipped, "shop uninstalled"
		return m.db.SaveNotification(ctx, n)
	}
	if about.Ship.Ended != "" && tracking.Trigger(n.Trigger) != tracking.TriggerCancelled {
		n.Status, n.Error = storage.NotificationSkipped, "tracking stopped: "+about.Ship.Ended
		return m.db.SaveNotification(ctx, n)
	}
	msg, err := m.compose(ctx, about, tracking.Trigger(n.Trigger), notify.Channel(n.Channel))
	if err != nil {
		n.Status, n.Error = storage.NotificationFailed, err.Error()
		if serr := m.db.SaveNotification(ctx, n); serr != nil {
			err = errors.Join(err, serr)
		}
		return river.JobCancel(err)
	}
	if msg.Channel == notify.ChannelSMS {
		// The first text a shop sends a number says how to stop.
		before, err := m.db.SentBefore(ctx, n.ShopID, n.Channel, n.Recipient, n.ID)
		if err != nil {
			return err
		}
		if !before {
			msg.Text += " " + notify.Replies(msg.Locale).StopHint
			msg.Segments = notify.CountSegments(msg.Text)
		}
		n.Units = msg.Segments.Count
	}
	if msg.Channel == notify.ChannelWhatsApp {
		d := m.messageData(ctx, about, msg.Channel)
		err := m.whatsAppForm(ctx, about.Shop, n, &msg, notify.WhatsAppFields(d))
		if errors.Is(err, errNoTemplate) {
			return m.emailInstead(ctx, about, n)
		}
		if err != nil {
			return JobOutcome(m.fail(ctx, n, err))
		}
	}
	if msg.Channel == notify.ChannelVoice {
		n.Units = 1 // a minute, until the call's status callback says otherwise
	}
	n.Subject, n.Body, n.HTML = msg.Subject, msg.Text, msg.HTML
	return JobOutcome(m.Deliver(ctx, n, msg))
}

// Deliver hands a composed message to its channel's provider (the outbox
// when none is configured) and logs the outcome. A permanent failure is
// logged as failed and returned wrapping ErrPermanent; a transient one keeps
// the message scheduled with the last error, for the caller to retry.
func (m *Messenger) Deliver(ctx context.Context, n *storage.Notification, msg notify.Message) error {
	sender, err := m.senderOf(ctx, n)
	if err != nil {
		return err
	}
	n.Attempts++
	providerID, err := sender.Send(ctx, n, msg)
	switch {
	case errors.Is(err, ErrPermanent):
		n.Status, n.Error = storage.NotificationFailed, err.Error()
		m.metrics.Notifications.WithLabelValues(n.Channel, "failed").Inc()
		if serr := m.db.SaveNotification(ctx, n); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	case err != nil:
		n.Error = err.Error()
		if serr := m.db.SaveNotification(ctx, n); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	now := m.now().UTC()
	if n.Provider == "" {
		n.Provider = "outbox"
	}
	n.ProviderID, n.SentAt = providerID, &now
	m.metrics.Notifications.WithLabelValues(n.Channel, "sent").Inc()
	return m.db.MarkSent(ctx, n)
}

// fail logs a message as failed for good with err's reason.
func (m *Messenger) fail(ctx context.Context, n *storage.Notification, err error) error {
	n.Status, n.Error = storage.NotificationFailed, err.Error()
	m.metrics.Notifications.WithLabelValues(n.Channel, "failed").Inc()
	if serr := m.db.SaveNotification(ctx, n); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// JobOutcome tells River what a delivery error means: a permanent failure
// cancels the job (the log shows why), anything else retries with backoff.
func JobOutcome(err error) error {
	if errors.Is(err, ErrPermanent) {
		return river.JobCancel(err)
	}
	return err
}
