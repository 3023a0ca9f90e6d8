// Package shopper serves what shoppers see and do: the tracking page behind
// every message's link, the order lookup, Shopify's app proxy, the JSON for
// extensions and the WooCommerce plugin, the unsubscribe page, and the
// requests a shopper makes from the page (or by reply), which it stores and
// hands on to the merchant.
package shopper

import (
	"context"
	"fmt"
	"github.com/riverqueue/river"
	"log/slog"
	"time"

	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/throttle"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/storage"
)

// Notifier queues the email that tells the merchant about a shopper's
// request, in the transaction that stores it: no request goes unannounced
// and no email announces a request that was rolled back.
type Notifier interface {
	EnqueueMerchantNotice(ctx context.Context, tx *storage.Tx, actionID int64) error
}

// WriteBack records a shopper's request on the shop's own platform.
type WriteBack interface {
	// ShopifyWritesBack reports whether act's order lives on a Shopify shop
	// the app can still write to. It is asked before the transaction that
	// stores act.
	ShopifyWritesBack(ctx context.Context, act *storage.CustomerAction) (bool, error)
	// EnqueueOrderWriteback queues, in the transaction that stores the
	// action, writing it back to the Shopify order.
	EnqueueOrderWriteback(ctx context.Context, tx *storage.Tx, actionID int64) error
	// EnqueueWooActionNote queues, in the transaction that stores act, a
	// note about it on its WooCommerce order (nothing for other platforms).
	EnqueueWooActionNote(ctx context.Context, tx *storage.Tx, act *storage.CustomerAction) error
}

// Deps are what the shopper pages need.
type Deps struct {
	DB    *storage.DB
	Log   *slog.Logger
	Now   func() time.Time
	Links *links.Links
	// ShopifyAPIKey and ShopifyAPISecret verify the app proxy's signature
	// and the customer-account extension's session token.
	ShopifyAPIKey    string
	ShopifyAPISecret string
	Notifier         Notifier
	WriteBack        WriteBack
	// Enqueue queues a job: the message that follows a shopper's opt-in.
	Enqueue func(ctx context.Context, args river.JobArgs) error
}

// Pages serves the shopper's pages and records their requests. It keeps
// recently built pages (see viewTTL) and counts page views in memory.
type Pages struct {
	db            *storage.DB
	log           *slog.Logger
	now           func() time.Time
	links         *links.Links
	shopifyKey    string
	shopifySecret string
	notifier      Notifier
	writeBack     WriteBack
	enqueue       func(ctx context.Context, args river.JobArgs) error

	pages     *trackpage.Renderer
	lookups   throttle.Limiter
	optIns    throttle.Limiter // opt-in form posts, see TrackConsent
	requests  throttle.Limiter // shopper requests from the page, see TrackAction
	views     viewCache
	pageViews pageViewCounter
}

// New builds the shopper pages.
func New(d Deps) (*Pages, error) {
	r, err := trackpage.New()
	if err != nil {
		return nil, fmt.Errorf("tracking page templates: %w", err)
	}
	return &Pages{
		db: d.DB, log: d.Log, now: d.Now, links: d.Links,
		shopifyKey: d.ShopifyAPIKey, shopifySecret: d.ShopifyAPISecret,
		notifier: d.Notifier, writeBack: d.WriteBack, enqueue: d.Enqueue, pages: r,
	}, nil
}

// Forget drops the cached page of a shipment token, so the next view shows
// news (a poll's result, a shopper's request) at once in this process.
func (p *Pages) Forget(token string) { p.views.forget(token) }

// ForgetAll drops every cached page (a shop's branding changed, say).
func (p *Pages) ForgetAll() { p.views.reset() }
