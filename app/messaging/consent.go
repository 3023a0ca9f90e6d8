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
		err := m.whatsAppForm(ctx, shop, n, &msg, map[string]string{"shop.name": shop.Name})
		if errors.Is(err, errNoTemplate) && con.Status == storage.ConsentConfirmed {
			return JobOutcome(m.welcomeByEmail(ctx, shop, con, n))
		}
		if err != nil {
			return JobOutcome(m.fail(ctx, n, err))
		}
	}
	return JobOutcome(m.Deliver(ctx, n, msg))
}

// welcomeByEmail is the fallback for a WhatsApp welcome the shop has no
// approved template for (the shopper has not written yet, so the 24 h
// session window is closed): it goes to the order's email, unless the
// shopper opted out of email, and the WhatsApp message n is logged as
// skipped with the reason. n stays scheduled until the email went, so a
// retry of the job retries the email.
func (m *Messenger) welcomeByEmail(ctx context.Context, shop *storage.Shop, con *storage.Consent, n *storage.Notification) error {
	to, err := m.welcomeEmailTo(ctx, shop.ID, con)
	if err != nil {
		return err
	}
	n.Status, n.Error = storage.NotificationSkipped, reasonNoTemplate
	if to != "" {
		c := locale.ForLocale(con.Locale)
		email := &storage.Notification{
			ShopID: shop.ID, Trigger: TriggerConsent, Channel: string(notify.ChannelEmail), Recipient: to,
			DedupeKey: n.DedupeKey + ":" + string(notify.ChannelEmail), Status: storage.NotificationScheduled,
			Subject: c.T("reply.optin_welcome_email_subject", "shop", shop.Name),
			Body:    c.T("reply.optin_welcome_email", "shop", shop.Name),
		}
		if _, err := m.db.CreateNotification(ctx, email); err != nil {
			return err
		}
		if email, err = m.db.NotificationByKey(ctx, shop.ID, email.DedupeKey); err != nil {
			return err
		}
		n.Error += "; sent by email instead"
		if email.Status == storage.NotificationScheduled {
			err := m.Deliver(ctx, email, notify.Message{Channel: notify.ChannelEmail, Locale: con.Locale, Subject: email.Subject, Text: email.Body})
			if errors.Is(err, ErrPermanent) {
				n.Error = reasonNoTemplate + "; the email instead failed: " + err.Error()
			} else if err != nil {
				return err
			}
		}
	}
	return m.db.SaveNotification(ctx, n)
}

// welcomeEmailTo is the email of the order the shopper opted in on, "" when
// there is none or the shopper opted out of email.
func (m *Messenger) welcomeEmailTo(ctx context.Context, shopID int64, con *storage.Consent) (string, error) {
	if con.OrderID == nil {
		return "", nil
	}
	o, err := m.db.OrderByID(ctx, *con.OrderID)
	if errors.Is(err, storage.ErrNotFound) || err == nil && (o.ShopID != shopID || o.Email == "") {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("order of consent %d: %w", con.ID, err)
	}
	contacts, err := m.db.Contacts(ctx, shopID, o.Email)
	if err != nil {
		return "", err
	}
	for _, ct := range contacts {
		if ct.Channel == string(notify.ChannelEmail) && ct.OptedOut {
			return "", nil
		}
	}
	return o.Email, nil
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
