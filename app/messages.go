package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// Sender delivers one composed message; each provider package is wrapped to
// satisfy it. A permanent provider failure is reported as errPermanent.
type Sender interface {
	Send(ctx context.Context, n *storage.Notification, msg notify.Message) (providerID string, err error)
}

// errPermanent wraps provider failures that a retry cannot fix (invalid
// number, unsubscribed recipient, rejected content).
var errPermanent = errors.New("permanent provider failure")

// notifyJob plans the messages for one fired trigger: the shop's rules decide
// channels, quiet-hours deferral, caps and opt-outs; each decision is logged
// (skips too, with the reason) and every send is enqueued at its time.
func (a *App) notifyJob(ctx context.Context, job *river.Job[jobs.NotifyArgs]) error {
	m, err := a.loadMessageContext(ctx, job.Args.ShipmentID)
	if err != nil {
		return err
	}
	if m.shop.Status != "active" {
		return nil // uninstalled: no messages
	}
	rec, err := a.recipient(ctx, m)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	recent, err := a.db.RecentNotifications(ctx, m.shop.ID, now.Add(-24*time.Hour), rec.Email, rec.Phone)
	if err != nil {
		return err
	}
	sent := make([]notify.SentRecord, 0, len(recent))
	for _, n := range recent {
		if n.Status == storage.NotificationSkipped || n.Status == storage.NotificationFailed {
			continue
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
	rules := a.rules(m.shop)
	var decisions []notify.Decision
	for _, t := range append([]tracking.Trigger{trigger}, tracking.FollowUps(trigger, m.order.COD)...) {
		decisions = append(decisions, rules.Plan(notify.Candidate{
			Trigger: t, ShipmentID: m.ship.ID, Variant: variant, Recipient: rec.Recipient, Sent: sent,
		}, now)...)
	}
	return a.db.InTx(ctx, func(tx *storage.Tx) error {
		for _, d := range decisions {
			n := &storage.Notification{
				ShopID: m.shop.ID, ShipmentID: &m.ship.ID, Trigger: string(d.Trigger), Channel: string(d.Channel),
				Recipient: rec.address(d.Channel), DedupeKey: d.DedupeKey, Status: storage.NotificationScheduled,
			}
			if d.Skip {
				// A skipped message is never sent: no send time (the outbox
				// would show the zero time as "send Jan 1 00:00").
				n.Status, n.Error = storage.NotificationSkipped, d.Reason
			} else {
				n.SendAt = &d.SendAt
			}
			inserted, err := tx.CreateNotification(ctx, n)
			if err != nil {
				return err
			}
			if !inserted || d.Skip {
				continue
			}
			opts := &river.InsertOpts{ScheduledAt: d.SendAt}
			if _, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.SendArgs{NotificationID: n.ID}, opts); err != nil {
				return fmt.Errorf("enqueue send: %w", err)
			}
		}
		return nil
	})
}

// sendJob renders and delivers one logged message.
func (a *App) sendJob(ctx context.Context, job *river.Job[jobs.SendArgs]) error {
	n, err := a.db.Notification(ctx, job.Args.NotificationID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err // the database is unreachable: the message is retried, not dropped
	}
	if n.Status != storage.NotificationScheduled || n.ShipmentID == nil {
		return nil // already sent, or cancelled
	}
	m, err := a.loadMessageContext(ctx, *n.ShipmentID)
	if err != nil {
		return err
	}
	if m.shop.Status != "active" {
		n.Status, n.Error = storage.NotificationSkipped, "shop uninstalled"
		return a.db.SaveNotification(ctx, n)
	}
	msg, err := a.compose(ctx, m, tracking.Trigger(n.Trigger), notify.Channel(n.Channel), n.Recipient)
	if err != nil {
		n.Status, n.Error = storage.NotificationFailed, err.Error()
		a.db.SaveNotification(ctx, n)
		return river.JobCancel(err)
	}
	n.Subject, n.Body, n.HTML = msg.Subject, msg.Text, msg.HTML
	return jobOutcome(a.deliver(ctx, n, msg))
}

// deliver hands a composed message to its channel's provider (the outbox
// when none is configured) and logs the outcome. A permanent failure is
// logged as failed and returned wrapping errPermanent; a transient one keeps
// the message scheduled with the last error, for the caller to retry.
func (a *App) deliver(ctx context.Context, n *storage.Notification, msg notify.Message) error {
	sender := a.senders[notify.Channel(n.Channel)]
	if sender == nil {
		sender = a.outbox
	}
	n.Attempts++
	providerID, err := sender.Send(ctx, n, msg)
	switch {
	case errors.Is(err, errPermanent):
		n.Status, n.Error = storage.NotificationFailed, err.Error()
		a.metrics.Notifications.WithLabelValues(n.Channel, "failed").Inc()
		if serr := a.db.SaveNotification(ctx, n); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	case err != nil:
		n.Error = err.Error()
		if serr := a.db.SaveNotification(ctx, n); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	now := a.now().UTC()
	if n.Provider == "" {
		n.Provider = "outbox"
	}
	n.ProviderID, n.SentAt = providerID, &now
	a.metrics.Notifications.WithLabelValues(n.Channel, "sent").Inc()
	return a.db.MarkSent(ctx, n)
}

// jobOutcome tells River what a delivery error means: a permanent failure
// cancels the job (the log shows why), anything else retries with backoff.
func jobOutcome(err error) error {
	if errors.Is(err, errPermanent) {
		return river.JobCancel(err)
	}
	return err
}

// messageContext is everything a message is about.
type messageContext struct {
	shop  *storage.Shop
	order *storage.Order
	ship  *storage.Shipment
}

// zone is the shopper's time zone: see tracking.ShopperZone.
func (m messageContext) zone() *time.Location {
	return tracking.ShopperZone(m.order.Timezone, m.shop.Timezone)
}

func (a *App) loadMessageContext(ctx context.Context, shipmentID int64) (messageContext, error) {
	ships, err := a.db.ShipmentsByID(ctx, []int64{shipmentID})
	if err != nil {
		return messageContext{}, err
	}
	if len(ships) == 0 {
		return messageContext{}, river.JobCancel(fmt.Errorf("shipment %d: %w", shipmentID, storage.ErrNotFound))
	}
	order, err := a.db.OrderByID(ctx, ships[0].OrderID)
	if err != nil {
		return messageContext{}, err
	}
	shop, err := a.db.ShopByID(ctx, ships[0].ShopID)
	if err != nil {
		return messageContext{}, err
	}
	return messageContext{shop: shop, order: order, ship: &ships[0]}, nil
}

// shopper is a notify.Recipient that knows its addresses.
type shopper struct{ notify.Recipient }

func (s shopper) address(ch notify.Channel) string {
	if ch == notify.ChannelEmail {
		return s.Email
	}
	return s.Phone
}

func (a *App) recipient(ctx context.Context, m messageContext) (shopper, error) {
	r := notify.Recipient{
		Email: m.order.Email, Phone: m.order.Phone, Locale: m.order.Locale,
		TimeZone: m.zone(),
		OptedOut: map[notify.Channel]bool{}, Consent: map[notify.Channel]bool{},
	}
	contacts, err := a.db.Contacts(ctx, m.shop.ID, r.Email, r.Phone)
	if err != nil {
		return shopper{}, err
	}
	for _, c := range contacts {
		ch := notify.Channel(c.Channel)
		r.OptedOut[ch] = r.OptedOut[ch] || c.OptedOut
		r.Consent[ch] = r.Consent[ch] || c.Consent
	}
	return shopper{r}, nil
}

// shopRules applies the merchant's settings over the defaults.
func shopRules(s *storage.Shop) notify.Rules {
	r := notify.DefaultRules()
	st := s.Settings.V
	for trig, chans := range st.Channels {
		route := notify.Route{}
		for _, c := range chans {
			route.Channels = append(route.Channels, notify.Channel(c))
		}
		r.Routes[tracking.Trigger(trig)] = route
	}
	if st.DailyCap > 0 {
		r.MaxPer24h = st.DailyCap
	}
	if start, ok := clock(st.QuietStart); ok {
		if end, ok := clock(st.QuietEnd); ok {
			r.Quiet = notify.QuietHours{Start: start, End: end}
		}
	}
	return r
}

func clock(s string) (time.Duration, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
}

// compose renders a message with the shop's live template overrides.
func (a *App) compose(ctx context.Context, m messageContext, trig tracking.Trigger, ch notify.Channel, to string) (notify.Message, error) {
	locale := notify.Language(m.order.Locale)
	stored, err := a.db.TemplateOverrides(ctx, m.shop.ID, string(trig), locale)
	if err != nil {
		return notify.Message{}, err
	}
	overrides := map[notify.Part]string{}
	for k, v := range stored {
		overrides[notify.Part(k)] = v
	}
	return a.renderer.Compose(ctx, trig, ch, overrides, a.messageData(ctx, m, ch))
}

// messageData binds what templates may read in a message on channel ch.
func (a *App) messageData(ctx context.Context, m messageContext, ch notify.Channel) notify.Data {
	st := m.shop.Settings.V
	items := make([]notify.LineItem, 0, len(m.order.LineItems.V))
	for _, li := range m.order.LineItems.V {
		items = append(items, notify.LineItem{Title: li.Title, Variant: li.Variant, Quantity: li.Quantity, ImageURL: li.ImageURL})
	}
	zone := m.zone()
	eta := m.ship.ETA()
	if !eta.Shown(tracking.Stage(m.ship.Stage), a.now(), zone) {
		eta = tracking.ETA{}
	}
	d := notify.Data{
		Shop: notify.Shop{Name: m.shop.Name, LogoURL: st.Branding.LogoURL, SupportEmail: st.SupportEmail, SupportURL: st.SupportURL, BrandColor: st.Branding.PrimaryColor},
		Customer: notify.Customer{
			FirstName: firstName(m.order.CustomerName), Name: m.order.CustomerName, Email: m.order.Email, Phone: m.order.Phone,
			Locale: m.order.Locale, TimeZone: zone.String(),
		},
		Order: notify.Order{Name: m.order.Name, Number: strings.TrimPrefix(m.order.Name, "#"), Total: m.order.Total, Currency: m.order.Currency, COD: m.order.COD, LineItems: items},
		Shipment: notify.Shipment{
			Carrier: m.ship.Carrier, CarrierName: registry.Name(m.ship.Carrier, m.ship.CarrierCompany), TrackingNumber: m.ship.TrackingNumber,
			TrackingURL: m.ship.TrackingURL, Stage: tracking.Stage(m.ship.Stage), Problem: tracking.Problem(m.ship.Problem),
			ETA: notify.ETA{Window: eta.Window, Source: eta.Source, ChangedFrom: a.previousETA(ctx, m.ship)},
		},
		TrackingURL:    a.trackingURL(m.ship),
		UnsubscribeURL: a.unsubscribeURL(m.ship, ch),
		ActionURL:      a.trackingURL(m.ship) + "#actions",
	}
	if m.ship.DeliveredAt != nil {
		d.Shipment.DeliveredAt = *m.ship.DeliveredAt
	}
	if events, err := a.db.Events(ctx, m.ship.ID); err == nil && len(events) > 0 {
		last := events[len(events)-1]
		d.Shipment.LastEvent = &last
	}
	return d
}

func (a *App) previousETA(ctx context.Context, s *storage.Shipment) tracking.Window {
	changes, err := a.db.ETAChanges(ctx, s.ID)
	if err != nil || len(changes) < 2 {
		return tracking.Window{}
	}
	p := changes[len(changes)-2]
	return tracking.Window{Earliest: derefTime(p.Earliest), Latest: derefTime(p.Latest)}
}

func (a *App) trackingURL(s *storage.Shipment) string { return a.cfg.AppURL + "/t/" + s.PublicToken }

func firstName(full string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(full), " ")
	return first
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
