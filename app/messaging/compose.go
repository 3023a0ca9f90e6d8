package messaging

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/phone"
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
		Email: about.Order.Email, Locale: about.Order.Locale,
		TimeZone: about.Zone(),
		OptedOut: map[notify.Channel]bool{}, Consent: map[notify.Channel]bool{},
	}
	if about.Order.Phone != "" {
		e, err := phone.E164(about.Order.Phone, about.Order.Country)
		r.Phone, r.PhoneInvalid = e, err != nil
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
	if r.Phone == "" {
		return r, nil
	}
	for _, ch := range []notify.Channel{notify.ChannelSMS, notify.ChannelWhatsApp} {
		sender, err := m.sharedSender(ctx, about.Shop.ID, ch)
		if err != nil || sender == "" {
			if err != nil {
				return notify.Recipient{}, err
			}
			continue
		}
		out, err := m.db.SenderOptedOut(ctx, sender, string(ch), r.Phone)
		if err != nil {
			return notify.Recipient{}, err
		}
		if out {
			if r.Unavailable == nil {
				r.Unavailable = map[notify.Channel]string{}
			}
			r.Unavailable[ch] = reasonSharedStop
		}
	}
	return r, nil
}

// reasonSharedStop is why a shop on the shared sender does not text a
// number: it texted STOP to that sender, which stops every shop on it.
const reasonSharedStop = "the shopper texted STOP to the shared sender: no shop sending from it may text them until they text START"

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
	msg, err := m.renderer.Compose(ctx, trig, ch, overrides, m.messageData(ctx, about, ch))
	if err != nil {
		return notify.Message{}, err
	}
	msg.FromName, msg.ReplyTo = senderName(about.Shop), replyTo(about.Shop)
	if a := about.Shop.Settings.V.SenderEmail; a != "" && ch == notify.ChannelEmail {
		ok, err := m.SenderAuthenticated(ctx, a)
		if err != nil {
			m.log.Warn("sendgrid authenticated domains unknown: the platform's From is used", "shop", about.Shop.ID, "err", err)
		}
		if ok {
			msg.FromEmail = a
		}
	}
	return msg, nil
}

// senderName is the display name shopper emails come from: the merchant's
// choice in settings, else the shop's name from its platform.
func senderName(s *storage.Shop) string {
	if n := s.Settings.V.SenderName; n != "" {
		return n
	}
	return s.Name
}

// replyTo is where a shopper's reply to an email goes: the merchant's
// sender or support address, else the shop's own.
func replyTo(s *storage.Shop) string {
	st := s.Settings.V
	for _, a := range []string{st.SenderEmail, st.SupportEmail, s.Email} {
		if a != "" {
			return a
		}
	}
	return ""
}

// messageData binds what templates may read in a message on channel ch.
func (m *Messenger) messageData(ctx context.Context, about About, ch notify.Channel) notify.Data {
	shop, order, ship := about.Shop, about.Order, about.Ship
	st := shop.Settings.V
	lines := order.LineItems.V
	if len(ship.Items.V) > 0 {
		lines = ship.Items.V // a message about one parcel names what it carries
	}
	// Order webhooks carry no images: the cached product images fill in,
	// as on the tracking page. Without them the message simply has none.
	images, err := m.db.LineImages(ctx, shop.ID, order.LineItems.V)
	if err != nil {
		m.log.Warn("line images", "order", order.ID, "err", err)
	}
	items := make([]notify.LineItem, 0, len(lines))
	for _, li := range lines {
		items = append(items, notify.LineItem{Title: li.Title, Variant: li.Variant, Quantity: li.Quantity, ImageURL: cmp.Or(li.ImageURL, images[li.ID])})
	}
	zone := about.Zone()
	eta := ship.ETA()
	if !eta.Shown(tracking.Stage(ship.Stage), tracking.Problem(ship.Problem), m.now(), zone) {
		eta = tracking.ETA{}
	}
	d := notify.Data{
		Shop: notify.Shop{Name: shop.Name, LogoURL: st.Branding.LogoURL, SupportEmail: st.SupportEmail, SupportURL: st.SupportURL, BrandColor: st.Branding.PrimaryColor},
		Customer: notify.Customer{
			FirstName: firstName(order.CustomerName), Name: order.CustomerName, Email: order.Email, Phone: order.Phone,
			Locale: order.Locale, TimeZone: zone.String(),
		},
		Order: notify.Order{
			Name: order.Name, Number: strings.TrimPrefix(order.Name, "#"), Total: order.Total, Currency: order.Currency, COD: order.COD,
			LineItems: items, MoreToCome: m.moreToCome(ctx, about),
		},
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

// moreToCome reports whether anything of the order other than this parcel
// is still on its way: another parcel not delivered, or lines no parcel
// carries yet (known only when the parcels say what they carry).
func (m *Messenger) moreToCome(ctx context.Context, about About) bool {
	if about.Ship.Kind == storage.KindReturn || about.Order.Stopped != "" {
		return false
	}
	ships, err := m.db.OrderShipments(ctx, about.Shop.ID, about.Order.ID)
	if err != nil {
		return false // the message goes out without the sentence
	}
	var parcels [][]tracking.Line
	for _, s := range ships {
		if s.Ended != "" || s.Kind == storage.KindReturn {
			continue
		}
		if s.ID != about.Ship.ID && !tracking.Stage(s.Stage).Terminal() {
			return true
		}
		var lines []tracking.Line
		for _, li := range s.Items.V {
			lines = append(lines, tracking.Line{ID: li.ID, Title: li.Title, Variant: li.Variant, Quantity: li.Quantity})
		}
		parcels = append(parcels, lines)
	}
	var order []tracking.Line
	for _, li := range about.Order.LineItems.V {
		order = append(order, tracking.Line{ID: li.ID, Title: li.Title, Variant: li.Variant, Quantity: li.Left()})
	}
	return len(tracking.Unshipped(order, parcels)) > 0
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
