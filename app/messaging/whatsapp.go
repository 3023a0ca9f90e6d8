package messaging

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// sessionWindow is how long after a shopper's last WhatsApp message a
// business may answer with free text; after it only approved templates go.
const sessionWindow = 24 * time.Hour

// reasonNoTemplate is why a WhatsApp message outside the session window
// was not sent: the shop has no template WhatsApp approved for it.
const reasonNoTemplate = "outside WhatsApp's 24 h session window and no approved template for it (Settings → WhatsApp templates)"

// errNoTemplate fails a WhatsApp message outside the session window when
// the shop has no approved template for it.
var errNoTemplate = fmt.Errorf("%w: %s", ErrPermanent, reasonNoTemplate)

// whatsAppForm decides how a WhatsApp message may go: free text within 24 h
// of the shopper's last message, else the shop's approved template for the
// trigger in the shopper's language (or English), its variables filled from
// fields.
func (m *Messenger) whatsAppForm(ctx context.Context, shop *storage.Shop, n *storage.Notification, msg *notify.Message, fields map[string]string) error {
	open, err := m.inSession(ctx, shop.ID, n.Recipient)
	if err != nil || open {
		return err
	}
	t, ok := approvedTemplate(shop, n.Trigger, msg.Locale)
	if !ok {
		return errNoTemplate
	}
	msg.ContentSID, msg.ContentVariables = t.ContentSID, map[string]string{}
	for i, name := range t.Variables {
		msg.ContentVariables[strconv.Itoa(i+1)] = fields[name]
	}
	return nil
}

// inSession reports whether number wrote to the shop on WhatsApp within the
// last 24 h, so free text may go.
func (m *Messenger) inSession(ctx context.Context, shopID int64, number string) (bool, error) {
	contacts, err := m.db.Contacts(ctx, shopID, number)
	if err != nil {
		return false, err
	}
	for _, c := range contacts {
		if c.Channel == string(notify.ChannelWhatsApp) && c.LastInboundAt != nil && m.now().Sub(*c.LastInboundAt) < sessionWindow {
			return true, nil
		}
	}
	return false, nil
}

// approvedTemplate is the shop's template for trigger in the locale's
// language, else in English, when WhatsApp approved it.
func approvedTemplate(shop *storage.Shop, trigger, locale string) (storage.WhatsAppTemplate, bool) {
	tpls := shop.Settings.V.WhatsAppTemplates
	for _, lang := range []string{notify.Language(locale), "en"} {
		if t, ok := tpls[storage.WhatsAppTemplateKey(trigger, lang)]; ok && t.ContentSID != "" && t.Status == storage.TemplateApproved {
			return t, true
		}
	}
	return storage.WhatsAppTemplate{}, false
}

// whatsAppUnavailable says why a message about trig cannot go by WhatsApp
// now ("" when it can): outside the session window without an approved
// template, so the rules fall back to the route's next channel.
func (m *Messenger) whatsAppUnavailable(ctx context.Context, shop *storage.Shop, rec notify.Recipient, trig tracking.Trigger) (string, error) {
	if rec.Phone == "" || !rec.Consent[notify.ChannelWhatsApp] {
		return "", nil // the rules say why on their own
	}
	if _, ok := approvedTemplate(shop, string(trig), rec.Locale); ok {
		return "", nil
	}
	open, err := m.inSession(ctx, shop.ID, rec.Phone)
	if err != nil || open {
		return "", err
	}
	return reasonNoTemplate, nil
}

// WhatsAppApprovalsJob reads WhatsApp's verdict on each configured
// template from Twilio's Content API and stores it with the template: only
// approved templates are sent.
func (m *Messenger) WhatsAppApprovalsJob(ctx context.Context, job *river.Job[jobs.WhatsAppApprovalsArgs]) error {
	var shops []storage.Shop
	if job.Args.ShopID != 0 {
		s, err := m.db.ShopByID(ctx, job.Args.ShopID)
		if errors.Is(err, storage.ErrNotFound) {
			return river.JobCancel(err)
		}
		if err != nil {
			return err
		}
		shops = []storage.Shop{*s}
	} else {
		var err error
		if shops, err = m.db.ActiveShops(ctx); err != nil {
			return err
		}
	}
	var errs []error
	for i := range shops {
		if len(shops[i].Settings.V.WhatsAppTemplates) == 0 {
			continue
		}
		if err := m.refreshApprovals(ctx, &shops[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// refreshApprovals asks Twilio about each of the shop's templates (once per
// content SID) and stores the verdicts over the shop's latest settings.
func (m *Messenger) refreshApprovals(ctx context.Context, shop *storage.Shop) error {
	c, err := m.twilioOf(ctx, shop)
	if err != nil || c == nil {
		return err
	}
	verdicts := map[string]twilio.Approval{}
	for _, t := range shop.Settings.V.WhatsAppTemplates {
		if _, done := verdicts[t.ContentSID]; done {
			continue
		}
		a, err := c.Approval(ctx, t.ContentSID)
		var te *twilio.Error
		switch {
		case errors.As(err, &te) && te.Status == 404:
			a = twilio.Approval{Status: storage.TemplateNotFound}
		case err != nil:
			return fmt.Errorf("shop %d: %w", shop.ID, err)
		}
		verdicts[t.ContentSID] = a
	}
	fresh, err := m.db.ShopByID(ctx, shop.ID)
	if err != nil {
		return err
	}
	st := fresh.Settings.V
	changed := false
	for k, t := range st.WhatsAppTemplates {
		a, ok := verdicts[t.ContentSID]
		if !ok || (t.Status == a.Status && t.Reason == a.RejectionReason) {
			continue
		}
		t.Status, t.Reason = a.Status, a.RejectionReason
		st.WhatsAppTemplates[k] = t
		changed = true
	}
	if !changed {
		return nil
	}
	return m.db.SaveSettings(ctx, shop.ID, st)
}

// emailInstead is the fallback for a WhatsApp message whose session window
// closed before it was sent (it waited out quiet hours) and that has no
// approved template: the same news goes by email, when the shopper has an
// address and has not opted out of email, and the WhatsApp message is
// logged as skipped with the reason.
func (m *Messenger) emailInstead(ctx context.Context, about About, n *storage.Notification) error {
	rec, err := m.recipient(ctx, about)
	if err != nil {
		return err
	}
	n.Status, n.Error = storage.NotificationSkipped, reasonNoTemplate
	if rec.Email != "" && !rec.OptedOut[notify.ChannelEmail] {
		key, ok := strings.CutSuffix(n.DedupeKey, ":"+string(notify.ChannelWhatsApp))
		if !ok {
			key = n.DedupeKey
		}
		now := m.now().UTC()
		email := &storage.Notification{
			ShopID: n.ShopID, ShipmentID: n.ShipmentID, Trigger: n.Trigger, Channel: string(notify.ChannelEmail),
			Recipient: rec.Email, DedupeKey: key + ":" + string(notify.ChannelEmail), Status: storage.NotificationScheduled, SendAt: &now,
		}
		err := m.db.InTx(ctx, func(tx *storage.Tx) error {
			inserted, err := tx.CreateNotification(ctx, email)
			if err != nil || !inserted {
				return err // an email of this news went already
			}
			if _, err := m.jobs.InsertTx(ctx, tx.SQL(), jobs.SendArgs{NotificationID: email.ID}, nil); err != nil {
				return fmt.Errorf("enqueue email instead of whatsapp: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Error += "; sent by email instead"
	}
	return m.db.SaveNotification(ctx, n)
}
