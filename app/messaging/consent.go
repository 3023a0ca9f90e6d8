package messaging

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
)

// TriggerConsent marks the message that follows a shopper's opt-in.
const TriggerConsent = "consent_confirmation"

// Whoever holds a tracking link, or places a guest order, names the number
// an opt-in texts, at the merchant's cost: a number gets at most
// optInTexts of them per optInTextsEvery, from every shop and source
// together; later opt-ins are still recorded, their message skipped.
const (
	optInTexts      = 2
	optInTextsEvery = 12 * time.Hour
)

// ConsentConfirmJob sends the message that follows an opt-in: the question
// a double opt-in waits on ("reply YES"), or a welcome that says how to
// stop. It is logged under a key of the consent, so a retry resends the
// same message.
func (m *Messenger) ConsentConfirmJob(ctx context.Context, job *river.Job[jobs.ConsentConfirmArgs]) error {
	con, err := m.db.ConsentByID(ctx, job.Args.ConsentID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if con.Address == "" {
		return nil // redacted meanwhile
	}
	call := con.Channel == string(notify.ChannelVoice)
	if call && con.Status != storage.ConsentPending {
		return nil // calls agreed to: nothing to text about
	}
	shop, err := m.db.ShopByID(ctx, con.ShopID)
	if err != nil {
		return err
	}
	if con.Status == storage.ConsentPending {
		// A number that said STOP to this shop gets no question from an
		// opt-in it may not have made; its owner can still text START.
		contacts, err := m.db.Contacts(ctx, shop.ID, con.Address)
		if err != nil {
			return err
		}
		for _, ct := range contacts {
			if (ct.Channel == con.Channel || call && ct.Channel == string(notify.ChannelSMS)) && ct.OptedOut {
				return nil
			}
		}
	}
	key := TriggerConsent + ":" + strconv.FormatInt(con.ID, 10)
	m.optInMu.Lock() // the count and the message it allows go together
	defer m.optInMu.Unlock()
	n, err := m.db.NotificationByKey(ctx, shop.ID, key)
	if errors.Is(err, storage.ErrNotFound) {
		c := locale.ForLocale(con.Locale)
		text := c.T("reply.optin_welcome", "shop", shop.Name)
		channel := con.Channel
		switch {
		case call:
			// Consent to calls alone is confirmed by text: a call cannot
			// be answered with a YES we could keep.
			text, channel = c.T("reply.optin_confirm_calls", "shop", shop.Name), string(notify.ChannelSMS)
		case con.Status == storage.ConsentPending:
			text = c.T("reply.optin_confirm", "shop", shop.Name)
		}
		n = &storage.Notification{
			ShopID: shop.ID, Trigger: TriggerConsent, Channel: channel, Recipient: con.Address,
			DedupeKey: key, Status: storage.NotificationScheduled, Body: text,
		}
		sent, cerr := m.optInTextsTo(ctx, con.Address)
		if cerr != nil {
			return cerr
		}
		if sent >= optInTexts {
			n.Status, n.Error = storage.NotificationSkipped, fmt.Sprintf("this number already got %d opt-in messages in %s", sent, optInTextsEvery)
		}
		if _, err := m.db.CreateNotification(ctx, n); err != nil {
			return err
		}
		n, err = m.db.NotificationByKey(ctx, shop.ID, key)
	}
	if err != nil {
		return err
	}
	if n.Status != storage.NotificationScheduled {
		return nil
	}
	msg := notify.Message{Channel: notify.Channel(n.Channel), Locale: con.Locale, Text: n.Body}
	if msg.Channel == notify.ChannelWhatsApp {
		if err := m.whatsAppForm(ctx, shop, n, &msg, map[string]string{"shop.name": shop.Name}); err != nil {
			return JobOutcome(m.fail(ctx, n, err))
		}
	}
	return JobOutcome(m.Deliver(ctx, n, msg))
}

// optInTextsTo counts the opt-in messages any shop sent (or is sending) to
// address within optInTextsEvery.
func (m *Messenger) optInTextsTo(ctx context.Context, address string) (int, error) {
	recent, err := m.db.NotificationsTo(ctx, address, m.now().Add(-optInTextsEvery))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range recent {
		if r.Trigger == TriggerConsent {
			n++
		}
	}
	return n, nil
}
