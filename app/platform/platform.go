// Package platform builds the store platforms' API clients the features
// share: the Shopify app (OAuth, session tokens, GraphQL with refreshed
// tokens) and REST clients for connected WooCommerce stores.
package platform

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

// Shopify is the Shopify app with its token refresher and GraphQL client.
type Shopify struct {
	App    *shopify.App
	Tokens *shopify.Refresher
	Client *shopify.Client
}

// NewShopify builds the Shopify app; it is nil, nil when cfg has no API key
// (the demo ingests signed webhooks only). Tokens live on the shops table.
func NewShopify(cfg shopify.Config, db *storage.DB) (*Shopify, error) {
	if cfg.APIKey == "" {
		return nil, nil
	}
	sa, err := shopify.NewApp(cfg)
	if err != nil {
		return nil, fmt.Errorf("shopify: %w", err)
	}
	tokens := shopify.NewRefresher(sa, shopTokens{db: db})
	return &Shopify{App: sa, Tokens: tokens, Client: shopify.NewClient(sa, tokens)}, nil
}

// shopTokens is the shopify.TokenStore on the shops table.
type shopTokens struct{ db *storage.DB }

// Load implements shopify.TokenStore.
func (s shopTokens) Load(ctx context.Context, shop string) (shopify.Token, error) {
	t, err := s.db.OAuthToken(ctx, shop)
	if err != nil {
		return shopify.Token{}, err
	}
	return FromStoredToken(t), nil
}

// Save implements shopify.TokenStore.
func (s shopTokens) Save(ctx context.Context, shop string, t shopify.Token) error {
	return s.db.SaveOAuthToken(ctx, shop, ToStoredToken(t))
}

// ToStoredToken is t as the shops table keeps it.
func ToStoredToken(t shopify.Token) storage.OAuthToken {
	out := storage.OAuthToken{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Scopes: t.Scope}
	if !t.ExpiresAt.IsZero() {
		out.ExpiresAt = &t.ExpiresAt
	}
	if !t.RefreshExpiresAt.IsZero() {
		out.RefreshExpiresAt = &t.RefreshExpiresAt
	}
	return out
}

// FromStoredToken is the inverse of ToStoredToken.
func FromStoredToken(t storage.OAuthToken) shopify.Token {
	out := shopify.Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Scope: t.Scopes}
	if t.ExpiresAt != nil {
		out.ExpiresAt = *t.ExpiresAt
	}
	if t.RefreshExpiresAt != nil {
		out.RefreshExpiresAt = *t.RefreshExpiresAt
	}
	return out
}

// Woo builds REST clients for connected WooCommerce stores.
type Woo struct {
	DB       *storage.DB
	Outbound *http.Client // for hosts merchants chose: public https only in production
	Now      func() time.Time
}

// Client returns a client for shop's store, with the store's row.
func (w Woo) Client(ctx context.Context, shop *storage.Shop) (*woocommerce.Client, *storage.WooStore, error) {
	ws, err := w.DB.WooStore(ctx, shop.ID)
	if err != nil {
		return nil, nil, err
	}
	sec, err := w.DB.Secrets(shop)
	if err != nil {
		return nil, nil, err
	}
	cl, err := woocommerce.NewClient(ws.StoreURL, sec.APIKey, sec.APISecret, w.Outbound)
	if err != nil {
		return nil, nil, fmt.Errorf("woocommerce client for shop %d: %w", shop.ID, err)
	}
	cl.SetClock(w.Now)
	return cl, ws, nil
}
