package messaging

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
)

// sessionWindow is how long after a shopper's last WhatsApp message a
// business may answer with free text; after it only approved templates go.
const sessionWindow = 24 * time.Hour

// errNoTemplate fails a WhatsApp message outside the session window when
// the shop has no approved template for it.
var errNoTemplate = fmt.Errorf("%w: outside WhatsApp's 24 h session window and no approved template for it (Settings → WhatsApp templates)", ErrPermanent)

// whatsAppForm decides how a WhatsApp message may go: free text within 24 h
// of the shopper's last message, else the shop's approved template for the
// trigger in the shopper's language (or English), its variables filled from
// fields.
func (m *Messenger) whatsAppForm(ctx context.Context, shop *storage.Shop, n *storage.Notification, msg *notify.Message, fields map[string]string) error {
	contacts, err := m.db.Contacts(ctx, shop.ID, n.Recipient)
	if err != nil {
		return err
	}
	for _, c := range contacts {
		if c.Channel == string(notify.ChannelWhatsApp) && c.LastInboundAt != nil && m.now().Sub(*c.LastInboundAt) < sessionWindow {
			return nil
		}
	}
	tpls := shop.Settings.V.WhatsAppTemplates
	t, ok := tpls[storage.WhatsAppTemplateKey(n.Trigger, notify.Language(msg.Locale))]
	if !ok {
		t, ok = tpls[storage.WhatsAppTemplateKey(n.Trigger, "en")]
	}
	if !ok || t.ContentSID == "" {
		return errNoTemplate
	}
	msg.ContentSID, msg.ContentVariables = t.ContentSID, map[string]string{}
	for i, name := range t.Variables {
		msg.ContentVariables[strconv.Itoa(i+1)] = fields[name]
	}
	return nil
}

// templateFields are the message fields a WhatsApp template's variables
// may name.
func templateFields(d notify.Data) map[string]string {
	return map[string]string{
		"shop.name": d.Shop.Name, "customer.first_name": d.Customer.FirstName, "customer.name": d.Customer.Name,
		"order.name": d.Order.Name, "shipment.carrier_name": d.Shipment.CarrierName,
		"shipment.tracking_number": d.Shipment.TrackingNumber, "tracking_url": d.TrackingURL, "action_url": d.ActionURL,
	}
}
