package install

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

// The authorization-code install signs its state (oauthstate), binds it to
// the browser with a cookie, and records it only once a Shopify-signed
// callback uses it (oauth_states), so it works once. Starting an install
// stores nothing: no cap on rows can refuse an install.
const (
	// OAuthStateCookie binds an install's state to the browser that started it.
	OAuthStateCookie = "ot_shopify_state"
	oauthStateTTL    = 10 * time.Minute
)

var errShopifyOff = echo.NewHTTPError(http.StatusNotFound, "Shopify is not configured on this server (SHOPIFY_API_KEY)")

// ShopifyInstall starts the standalone install: a merchant-typed shop (or
// Shopify's signed redirect) goes to the shop's OAuth consent screen.
func (in *Installer) ShopifyInstall(c echo.Context) error {
	sh := in.shopify
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
	state, err := oauthstate.New(in.key, shop, in.now().Add(oauthStateTTL))
	if err != nil {
		return err
	}
	target, err := sh.App.InstallURL(shop, in.appURL()+"/auth/shopify/callback", state)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "shop must be your-store.myshopify.com")
	}
	c.SetCookie(in.stateCookie(state, int(oauthStateTTL.Seconds())))
	return c.Redirect(http.StatusFound, target)
}

func (in *Installer) stateCookie(value string, maxAge int) *http.Cookie {
	// Lax: the callback is a top-level GET redirect from Shopify, which
	// carries Lax cookies.
	return &http.Cookie{
		Name: OAuthStateCookie, Value: value, Path: "/auth/shopify", MaxAge: maxAge, HttpOnly: true,
		Secure: in.secureCookies(), SameSite: http.SameSiteLaxMode,
	}
}

// secureCookies is whether the app is served over https, so its cookies
// may be marked Secure.
func (in *Installer) secureCookies() bool { return strings.HasPrefix(in.appURL(), "https://") }

// ShopifyCallback finishes the standalone install: Shopify's signature, the
// state bound to this browser and unused, then the code for an expiring
// offline token.
func (in *Installer) ShopifyCallback(c echo.Context) error {
	sh := in.shopify
	if sh == nil {
		return errShopifyOff
	}
	q := c.QueryParams()
	shop, err := sh.App.VerifyOAuthQuery(q)
	if err != nil {
		return echo.NewHTTPError(http.StatusUnauthorized, "invalid or stale Shopify signature")
	}
	state := q.Get("state")
	ck, err := c.Cookie(OAuthStateCookie)
	if err != nil || state == "" || !hmac.Equal([]byte(ck.Value), []byte(state)) {
		return echo.NewHTTPError(http.StatusForbidden, "this install was started in another browser or has expired; start it again")
	}
	c.SetCookie(in.stateCookie("", -1))
	exp, err := oauthstate.Check(in.key, state, shop, in.now())
	if err != nil {
		return echo.NewHTTPError(http.StatusForbidden, "this install link was already used or has expired; start it again")
	}
	ctx := c.Request().Context()
	if err := in.db.UseOAuthState(ctx, state, shop, exp); err != nil {
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
	if _, err := in.installShopify(ctx, shop, tok); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, "https://"+shop+"/admin/apps/"+sh.App.APIKey())
}

// installShopify stores a (re)installed shop with its token and enqueues its
// backfill in the same transaction.
func (in *Installer) installShopify(ctx context.Context, domain string, tok shopify.Token) (*storage.Shop, error) {
	shop := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: strings.TrimSuffix(domain, ".myshopify.com")}
	err := in.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.InstallShop(ctx, shop, platform.ToStoredToken(tok)); err != nil {
			return err
		}
		if _, err := in.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyBackfillArgs{ShopID: shop.ID}, nil); err != nil {
			return fmt.Errorf("enqueue backfill of %s: %w", domain, err)
		}
		if _, err := in.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopIdentityArgs{ShopID: shop.ID}, nil); err != nil {
			return fmt.Errorf("enqueue identity of %s: %w", domain, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	in.log.Info("shopify shop installed", "shop", domain)
	return shop, nil
}
