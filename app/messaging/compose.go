package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// About is everything a message is about: the shipment, its order and shop.
type About struct {
	Shop  *storage.Shop
	Order *storage.Order
	Ship  *storage.Shipment
}

// Zone is the shopper's time zone: see tracking.ShopperZone.
func (m About) Zone() *time.Location {
	return tracking.ShopperZone(m.Order.Timezone, m.Shop.Timezone)
}

// Load reads what a message about the shipment needs. A shipment that is
// gone cancels the job asking (it was deleted with its shop).
func (m *Messenger) Load(ctx context.Context, shipmentID int64) (About, error) {
	ships, err := m.db.ShipmentsByID(ctx, []int64{shipmentID})
	if err != nil {
		return About{}, err
	}
	if len(ships) == 0 {
		return About{}, river.JobCancel(fmt.Errorf("shipment %d: %w", shipmentID, storage.ErrNotFound))
	}
	order, err := m.db.OrderByID(ctx, ships[0].OrderID)
	if err != nil {
		return About{}, err
	}
	shop, err := m.db.ShopByID(ctx, ships[0].ShopID)
	if err != nil {
		return About{}, err
	}
	return About{Shop: shop, Order: order, Ship: &ships[0]}, nil
}

// Address is where a message on channel ch reaches r.
func Address(r notify.Recipient, ch notify.Channel) string {
	if ch == notify.ChannelEmail {
		return r.Email
	}
	return r.Phone
}

// recipient is the order's shopper with the preferences they gave the shop.
func (m *Messenger) recipient(ctx context.Context, about About) (notify.Recipient, error) {
	r := notify.Recipient{
		Email: about.Order.Email, Phone: about.Order.Phone, Locale: about.Order.Locale,
		TimeZone: about.Zone(),
		OptedOut: map[notify.Channel]bool{}, Consent: map[notify.Channel]bool{},
	}
	contacts, err := m.db.Contacts(ctx, about.Shop.ID, r.Email, r.Phone)
	if err != nil {
		return notify.Recipient{}, err
	}
	for _, c := range contacts {
		ch := notify.Channel(c.Channel)
		r.OptedOut[ch] = r.OptedOut[ch] || c.OptedOut
		r.Consent[ch] = r.Consent[ch] || c.Consent
	}
	return r, nil
}

// compose renders a message with the shop's live template overrides.
func (m *Messenger) compose(ctx context.Context, about About, trig tracking.Trigger, ch notify.Channel) (notify.Message, error) {
	locale := notify.Language(about.Order.Locale)
	stored, err := m.db.TemplateOverrides(ctx, about.Shop.ID, string(trig), locale)
	if err != nil {
		return notify.Message{}, err
	}
	overrides := map[notify.Part]string{}
	for k, v := range stored {
		overrides[notify.Part(k)] = v
	}
	return m.renderer.Compose(ctx, trig, ch, overrides, m.messageData(ctx, about, ch))
}

// messageData binds what templates may read in a message on channel ch.
func (m *Messenger) messageData(ctx context.Context, about About, ch notify.Channel) notify.Data {
	shop, order, ship := about.Shop, about.Order, about.Ship
	st := shop.Settings.V
	items := make([]notify.LineItem, 0, len(order.LineItems.V))
	for _, li := range order.LineItems.V {
		items = append(items, notify.LineItem{Title: li.Title, Variant: li.Variant, Quantity: li.Quantity, ImageURL: li.ImageURL})
	}
	zone := about.Zone()
	eta := ship.ETA()
	if !eta.Shown(tracking.Stage(ship.Stage), m.now(), zone) {
		eta = tracking.ETA{}
	}
	d := notify.Data{
		Shop: notify.Shop{Name: shop.Name, LogoURL: st.Branding.LogoURL, SupportEmail: st.SupportEmail, SupportURL: st.SupportURL, BrandColor: st.Branding.PrimaryColor},
		Customer: notify.Customer{
			FirstName: firstName(order.CustomerName), Name: order.CustomerName, Email: order.Email, Phone: order.Phone,
			Locale: order.Locale, TimeZone: zone.String(),
		},
		Order: notify.Order{Name: order.Name, Number: strings.TrimPrefix(order.Name, "#"), Total: order.Total, Currency: order.Currency, COD: order.COD, LineItems: items},
		Shipment: notify.Shipment{
			Carrier: ship.Carrier, CarrierName: registry.Name(ship.Carrier, ship.CarrierCompany), TrackingNumber: ship.TrackingNumber,
			TrackingURL: ship.TrackingURL, Stage: tracking.Stage(ship.Stage), Problem: tracking.Problem(ship.Problem),
			ETA: notify.ETA{Window: eta.Window, Source: eta.Source, ChangedFrom: m.PreviousETA(ctx, ship)},
		},
		TrackingURL:    m.links.Tracking(ship.PublicToken),
		UnsubscribeURL: m.links.Unsubscribe(ship.PublicToken, string(ch)),
		ActionURL:      m.links.Actions(ship.PublicToken),
	}
	if ship.DeliveredAt != nil {
		d.Shipment.DeliveredAt = *ship.DeliveredAt
	}
	if events, err := m.db.Events(ctx, ship.ID); err == nil && len(events) > 0 {
		last := events[len(events)-1]
		d.Shipment.LastEvent = &last
	}
	return d
}

// PreviewData is the data a message on ch about one of the shop's
// shipments binds, for the template editor's preview; another shop's
// shipment is storage.ErrNotFound.
func (m *Messenger) PreviewData(ctx context.Context, shopID, shipmentID int64, ch notify.Channel) (notify.Data, error) {
	about, err := m.Load(ctx, shipmentID)
	if err != nil {
		return notify.Data{}, err
	}
	if about.Shop.ID != shopID {
		return notify.Data{}, fmt.Errorf("shipment %d: %w", shipmentID, storage.ErrNotFound)
	}
	return m.messageData(ctx, about, ch), nil
}

// PreviousETA is the delivery window the shipment had before its latest
// change, or the zero window when it never changed.
func (m *Messenger) PreviousETA(ctx context.Context, s *storage.Shipment) tracking.Window {
	changes, err := m.db.ETAChanges(ctx, s.ID)
	if err != nil || len(changes) < 2 {
		return tracking.Window{}
	}
	p := changes[len(changes)-2]
	return tracking.Window{Earliest: derefTime(p.Earliest), Latest: derefTime(p.Latest)}
}

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
