package shopify

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"
)

// TokenStore persists each shop's offline token. The app implements it on its
// database. Load returns the app's not-found error for an unknown shop; the
// Refresher passes it through wrapped.
type TokenStore interface {
	Load(ctx context.Context, shop string) (Token, error)
	Save(ctx context.Context, shop string, t Token) error
}

// RefreshEarly is how long before expiry a token is refreshed, so a job that
// starts with a token never sees it expire mid-run.
const RefreshEarly = 5 * time.Minute

// refreshTimeout bounds one refresh, which runs detached from the caller's
// context: once Shopify rotates the refresh token the new pair must be saved
// even if the caller that started the refresh has gone away.
const refreshTimeout = 30 * time.Second

// Refresher hands out valid access tokens for shops, refreshing expiring
// tokens before they expire and after Shopify rejects one. Refreshes of one
// shop never run concurrently in this process: Shopify rotates the refresh
// token on every use, so two racing refreshes would lose one. Across
// processes the TokenStore should serialise too (for example Save under a
// row lock that rereads the stored token).
type Refresher struct {
	app   *App
	store TokenStore
	group singleflight.Group
}

// NewRefresher returns a Refresher for app's shops backed by store.
func NewRefresher(app *App, store TokenStore) *Refresher {
	return &Refresher{app: app, store: store}
}

// Token returns shop's access token, refreshed first if it expires within
// RefreshEarly.
func (r *Refresher) Token(ctx context.Context, shop string) (Token, error) {
	if err := checkShop(shop); err != nil {
		return Token{}, fmt.Errorf("token: %w", err)
	}
	t, err := r.store.Load(ctx, shop)
	if err != nil {
		return Token{}, fmt.Errorf("load token for %s: %w", shop, err)
	}
	if t.Fresh(r.app.cfg.Now(), RefreshEarly) {
		return t, nil
	}
	return r.refresh(ctx, shop, "")
}

// Rejected is called when Shopify answered 401 to rejected.AccessToken: it
// returns a newer token, refreshing unless another caller already did.
// Errors match ErrReauthorize when the token cannot be refreshed.
func (r *Refresher) Rejected(ctx context.Context, shop string, rejected Token) (Token, error) {
	if err := checkShop(shop); err != nil {
		return Token{}, fmt.Errorf("token: %w", err)
	}
	return r.refresh(ctx, shop, rejected.AccessToken)
}

// refresh runs at most one refresh per shop at a time; callers that arrive
// meanwhile share its result. Inside, the token is reloaded, so a caller that
// queued behind a finished refresh does not refresh again.
func (r *Refresher) refresh(ctx context.Context, shop, rejected string) (Token, error) {
	ch := r.group.DoChan(shop, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		t, err := r.store.Load(fctx, shop)
		if err != nil {
			return Token{}, fmt.Errorf("load token for %s: %w", shop, err)
		}
		now := r.app.cfg.Now()
		if t.AccessToken != rejected && t.Fresh(now, RefreshEarly) {
			return t, nil
		}
		if t.RefreshToken == "" {
			return Token{}, fmt.Errorf("refresh %s: no refresh token: %w", shop, ErrReauthorize)
		}
		if !t.RefreshExpiresAt.IsZero() && !now.Before(t.RefreshExpiresAt) {
			return Token{}, fmt.Errorf("refresh %s: refresh token expired at %s: %w", shop, t.RefreshExpiresAt.Format(time.RFC3339), ErrReauthorize)
		}
		nt, err := r.app.Refresh(fctx, shop, t.RefreshToken)
		if err != nil {
			return Token{}, err
		}
		if err := r.store.Save(fctx, shop, nt); err != nil {
			return Token{}, fmt.Errorf("save refreshed token for %s: %w", shop, err)
		}
		return nt, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return Token{}, res.Err
		}
		return res.Val.(Token), nil
	case <-ctx.Done():
		return Token{}, fmt.Errorf("refresh %s: %w", shop, ctx.Err())
	}
}
