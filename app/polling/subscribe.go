package polling

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// subscriber is a carrier client that takes push subscriptions.
type subscriber interface {
	Subscribe(ctx context.Context, numbers []string, hook tracking.PushHook) ([]tracking.Subscription, []string, error)
}

// unsubscriber is one whose API can cancel them (UPS's cannot).
type unsubscriber interface {
	Unsubscribe(ctx context.Context, sub tracking.Subscription) error
}

// subscribeBatch bounds one run's subscriptions per carrier; the next run
// takes the rest. renewAhead renews a lapsing subscription a day early.
const (
	subscribeBatch = 500
	renewAhead     = 24 * time.Hour
)

// pushCarrier is a carrier whose pushes are enabled: its platform client
// subscribes, and its pushes are checked with secret.
type pushCarrier struct {
	entry  registry.Carrier
	client subscriber
	secret string
}

// pushCarriers are the carriers whose platform account has a push secret
// and whose client subscribes.
func (p *Poller) pushCarriers() []pushCarrier {
	var out []pushCarrier
	for _, e := range registry.Accounts() {
		secret := p.creds[e.Code][registry.WebhookSecret]
		if e.Push == nil || secret == "" {
			continue
		}
		c, ok := p.carriers.get(e.Code)
		if !ok {
			continue
		}
		if s, ok := c.Carrier.(subscriber); ok {
			out = append(out, pushCarrier{entry: e, client: s, secret: secret})
		}
	}
	return out
}

// SubscribePushes subscribes, renews and ends push subscriptions for every
// carrier whose pushes are enabled. A carrier that fails is left for the
// next run: its shipments are polled meanwhile, as without push.
func (p *Poller) SubscribePushes(ctx context.Context, _ *river.Job[jobs.SubscribePushesArgs]) error {
	var errs []error
	for _, pc := range p.pushCarriers() {
		if err := p.subscribeCarrier(ctx, pc); err != nil {
			errs = append(errs, err)
		}
	}
	if live, err := p.db.LiveSubscriptions(ctx); err == nil {
		for _, pc := range p.pushCarriers() {
			p.metrics.PushSubscribed.WithLabelValues(pc.entry.Code).Set(float64(live[pc.entry.Code]))
		}
	}
	return errors.Join(errs...)
}

func (p *Poller) subscribeCarrier(ctx context.Context, pc pushCarrier) error {
	code := pc.entry.Code
	ending, err := p.db.SubscriptionsToEnd(ctx, code, subscribeBatch)
	if err != nil {
		return err
	}
	un, canCancel := pc.client.(unsubscriber)
	for _, s := range ending {
		if canCancel && s.CarrierRef != "" {
			err := un.Unsubscribe(ctx, tracking.Subscription{Number: s.TrackingNumber, ID: s.CarrierRef})
			p.metrics.CarrierCalls.WithLabelValues(code, outcome("unsubscribe", err)).Inc()
			if err != nil {
				return fmt.Errorf("unsubscribe %s: %w", code, err)
			}
		}
		if err := p.db.EndSubscription(ctx, s.ShipmentID); err != nil {
			return err
		}
	}
	due, err := p.db.ShipmentsToSubscribe(ctx, code, p.now(), p.now().Add(renewAhead), subscribeBatch)
	if err != nil {
		return err
	}
	hook := tracking.PushHook{URL: strings.TrimRight(p.appURL, "/") + "/webhooks/carriers/" + code, Secret: pc.secret}
	batch := max(1, pc.entry.Push.Batch)
	for len(due) > 0 {
		n := min(batch, len(due))
		chunk := due[:n]
		due = due[n:]
		numbers := make([]string, len(chunk))
		for i, s := range chunk {
			numbers[i] = s.TrackingNumber
		}
		subs, rejected, err := pc.client.Subscribe(ctx, numbers, hook)
		p.metrics.CarrierCalls.WithLabelValues(code, outcome("subscribe", err)).Inc()
		if err := p.db.SaveSubscriptions(ctx, p.subscriptions(chunk, subs, rejected)); err != nil {
			return err
		}
		if err != nil {
			// The carrier is failing: this batch and the rest back off
			// rather than being asked again on the next run.
			now := p.now()
			retry := func(attempts int) time.Time { return tracking.SubscribeRetryAt(now, attempts) }
			if derr := p.db.DeferSubscriptions(ctx, append(chunk, due...), now, retry); derr != nil {
				return errors.Join(fmt.Errorf("subscribe %s: %w", code, err), derr)
			}
			return fmt.Errorf("subscribe %s: %w", code, err)
		}
	}
	return nil
}

// subscriptions are the rows for one subscribe answer: live for what the
// carrier accepted, failed for what it refused; numbers it did not answer
// for stay unsubscribed, asked again next run.
func (p *Poller) subscriptions(ships []storage.Shipment, subs []tracking.Subscription, rejected []string) []storage.PushSubscription {
	now := p.now().UTC()
	var out []storage.PushSubscription
	for _, s := range ships {
		row := storage.PushSubscription{ShipmentID: s.ID, ShopID: s.ShopID, Carrier: s.Carrier, TrackingNumber: s.TrackingNumber, SubscribedAt: now}
		switch {
		case hasSub(subs, s.TrackingNumber) != nil:
			sub := hasSub(subs, s.TrackingNumber)
			row.Status, row.CarrierRef = storage.SubscriptionLive, sub.ID
			if !sub.Expires.IsZero() {
				t := sub.Expires.UTC()
				row.ExpiresAt = &t
			}
		case contains(rejected, s.TrackingNumber):
			row.Status, row.Failure = storage.SubscriptionFailed, "refused by the carrier"
		default:
			continue
		}
		out = append(out, row)
	}
	return out
}

func hasSub(subs []tracking.Subscription, number string) *tracking.Subscription {
	for i := range subs {
		if subs[i].Number == number {
			return &subs[i]
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func outcome(call string, err error) string {
	if err != nil {
		return call + "_error"
	}
	return call
}
