package orders

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/phone"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// recordWooConsent stores the boxes a shopper ticked at the WooCommerce
// checkout as consents of the order's number (E.164, read in the shipping
// country): the channel, the words the plugin showed, when and from which
// IP. The order's webhooks repeat, so a box already recorded for the order
// is not recorded again. Where the law asks for a double opt-in the text
// consent waits for the shopper's YES (which also confirms the call box);
// either way one message follows, as for the page's opt-in.
func (s *Syncer) recordWooConsent(ctx context.Context, shop *storage.Shop, o woocommerce.Order) error {
	if o.Consent == nil {
		return nil
	}
	order, err := s.db.OrderByPlatformID(ctx, shop.ID, strconv.FormatInt(o.ID, 10))
	if errors.Is(err, storage.ErrNotFound) {
		return nil // not tracked (e.g. refused): nothing to message about
	}
	if err != nil {
		return err
	}
	number, err := phone.E164(order.Phone, order.Country)
	if err != nil {
		return nil // no number to message: the box is moot, and invalid numbers are never sent
	}
	known, err := s.db.Consents(ctx, shop.ID, number)
	if err != nil {
		return err
	}
	double := notify.DoubleOptIn(phone.Region(number)) || notify.DoubleOptIn(order.Country)
	var first, call *storage.Consent
	for _, ch := range o.Consent.Channels {
		if recorded(known, order.ID, ch.Channel) {
			continue
		}
		c := &storage.Consent{
			ShopID: shop.ID, OrderID: &order.ID, Channel: ch.Channel, Address: number, Source: storage.ConsentSourceWooCheckout,
			Wording: ch.Wording, IP: o.Consent.IP, Locale: o.Consent.Locale, Status: storage.ConsentConfirmed, CreatedAt: o.Consent.Time,
		}
		if double {
			c.Status, c.DoubleOptIn = storage.ConsentPending, true
		}
		if err := s.db.RecordConsent(ctx, c); err != nil {
			return err
		}
		if c.Channel == string(notify.ChannelVoice) {
			call = c
		} else if first == nil {
			first = c
		}
	}
	if first == nil {
		// Calls alone are asked by text where the law wants a YES, and
		// need no message otherwise.
		first = call
	}
	if first == nil {
		return nil // nothing new
	}
	if _, err := s.jobs.Insert(ctx, jobs.ConsentConfirmArgs{ConsentID: first.ID}, nil); err != nil {
		return fmt.Errorf("enqueue consent message: %w", err)
	}
	return nil
}

// recorded reports whether a consent of the order on channel is known.
func recorded(known []storage.Consent, orderID int64, channel string) bool {
	for _, k := range known {
		if k.OrderID != nil && *k.OrderID == orderID && k.Channel == channel && k.Source == storage.ConsentSourceWooCheckout {
			return true
		}
	}
	return false
}
