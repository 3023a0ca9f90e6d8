package app

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/oauthstate"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// shopifyAPI returns the configured Shopify app, or nil.
func (a *App) shopifyAPI() *platform.Shopify { return a.shopify }

// setupShopify builds the Shopify app from the configuration. baseURL maps a
// shop to the origin its calls go to; nil is production ("https://" + shop).
func (a *App) setupShopify(baseURL func(shop string) string) error {
	sh, err := platform.NewShopify(shopify.Config{
		APIKey: a.cfg.ShopifyAPIKey, APISecret: a.cfg.ShopifyAPISecret, Scopes: strings.Split(a.cfg.ShopifyScopes, ","),
		BaseURL: baseURL, Now: a.now,
	}, a.db)
	a.shopify = sh
	return err
}

// The authorization-code install signs its state (oauthstate), binds it to
// the browser with a cookie, and records it only once a Shopify-signed
// callback uses it (oauth_states), so it works once. Starting an install
// stores nothing: no cap on rows can refuse an install.
const (
	oauthStateCookie = "ot_shopify_state"
	oauthStateTTL    = 10 * time.Minute
)

var errShopifyOff = echo.NewHTTPError(http.StatusNotFound, "Shopify is not configured on this server (SHOPIFY_API_KEY)")

// shopifyInstall starts the standalone install: a merchant-typed shop (or
// Shopify's signed redirect) goes to the shop's OAuth consent screen.
func (a *App) shopifyInstall(c echo.Context) error {
	sh := a.shopifyAPI()
	if sh == nil {
		return errShopifyOff
	}
	q := c.QueryParams()
	var shop string
	var err error
	if q.Has("hmac") {
		if shop, err = sh.App.VerifyOAuthQuery(q); err != nil {
			return echo.NewHTTPError(http.StatusUnauthorized, "invalid or stale Shopify signature")
		}
	} else if shop, err = shopify.NormalizeShop(q.Get("shop")); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "shop must be your-store.myshopify.com")
	}
	state, err := oauthstate.New(a.cfg.EncryptionKey, shop, a.now().Add(oauthStateTTL))
	if err != nil {
		return err
	}
	target, err := sh.App.InstallURL(shop, a.cfg.AppURL+"/auth/shopify/callback", state)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "shop must be your-store.myshopify.com")
	}
	c.SetCookie(a.stateCookie(state, int(oauthStateTTL.Seconds())))
	return c.Redirect(http.StatusFound, target)
}

func (a *App) stateCookie(value string, maxAge int) *http.Cookie {
	// Lax: the callback is a top-level GET redirect from Shopify, which
	// carries Lax cookies.
	return &http.Cookie{
		Name: oauthStateCookie, Value: value, Path: "/auth/shopify", MaxAge: maxAge, HttpOnly: true,
		Secure: strings.HasPrefix(a.cfg.AppURL, "https://"), SameSite: http.SameSiteLaxMode,
	}
}

// shopifyCallback finishes the standalone install: Shopify's signature, the
// state bound to this browser and unused, then the code for an expiring
// offline token.
func (a *App) shopifyCallback(c echo.Context) error {
	sh := a.shopifyAPI()
	if sh == nil {
		return errShopifyOff
	}
	q := c.QueryParams()
	shop, err := sh.App.VerifyOAuthQuery(q)
	if err != nil {
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid or stale Shopify signature")
	}
	state := q.Get("state")
	ck, err := c.Cookie(oauthStateCookie)
	if err != nil || state == "" || !hmac.Equal([]byte(ck.Value), []byte(state)) {
		return echo.NewHTTPError(http.StatusForbidden, "this install was started in another browser or has expired; start it again")
	}
	c.SetCookie(a.stateCookie("", -1))
	exp, err := oauthstate.Check(a.cfg.EncryptionKey, state, shop, a.now())
	if err != nil {
		return echo.NewHTTPError(http.StatusForbidden, "this install link was already used or has expired; start it again")
	}
	ctx := c.Request().Context()
	if err := a.db.UseOAuthState(ctx, state, shop, exp); err != nil {
		if errors.Is(err, storage.ErrStateMismatch) {
			return echo.NewHTTPError(http.StatusForbidden, "this install link was already used or has expired; start it again")
		}
		return err
	}
	tok, err := sh.App.ExchangeCode(ctx, shop, q.Get("code"))
	if err != nil {
		var oe *shopify.OAuthError
		if errors.As(err, &oe) {
			return echo.NewHTTPError(http.StatusBadGateway, "Shopify refused the install code; start the install again")
		}
		return err
	}
	if _, err := a.installShopify(ctx, shop, tok); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, "https://"+shop+"/admin/apps/"+sh.App.APIKey())
}

// installShopify stores a (re)installed shop with its token and enqueues its
// backfill in the same transaction.
func (a *App) installShopify(ctx context.Context, domain string, tok shopify.Token) (*storage.Shop, error) {
	shop := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: strings.TrimSuffix(domain, ".myshopify.com")}
	err := a.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.InstallShop(ctx, shop, platform.ToStoredToken(tok)); err != nil {
			return err
		}
		if _, err := a.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyBackfillArgs{ShopID: shop.ID}, nil); err != nil {
			return fmt.Errorf("enqueue backfill of %s: %w", domain, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.log.Info("shopify shop installed", "shop", domain)
	return shop, nil
}
