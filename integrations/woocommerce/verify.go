package woocommerce

import (
	"context"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
)

// EmailFromSetting is the WooCommerce setting (group "email") whose value is
// the store's sender address; its default is WordPress's admin_email. It is
// the merchant address the REST API exposes to keys (WordPress's own
// settings are not under wc/*), so it is where sign-in links are emailed.
const EmailFromSetting = "woocommerce_email_from_address"

// Identity is what a store says about itself to verified keys.
type Identity struct {
	// AdminEmail is the store's sender address (EmailFromSetting), or its
	// default when the merchant left it blank; empty when neither is an
	// address.
	AdminEmail string
}

// VerifyKeys proves the client's keys belong to its store: an authenticated
// GET of the email settings, over https (NewClient allows plain http only to
// loopback test stores). Reading settings needs a key with read access whose user has
// manage_woocommerce, which the authorize screen demands. Rejected keys are
// ErrUnauthorized; an unreachable store is a *tracking.RetryableError.
func (c *Client) VerifyKeys(ctx context.Context) (Identity, error) {
	var opt struct {
		ID      string `json:"id"`
		Value   any    `json:"value"`
		Default any    `json:"default"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/settings/email/"+EmailFromSetting, nil, nil, &opt); err != nil {
		return Identity{}, fmt.Errorf("verify keys: %w", err)
	}
	if opt.ID != EmailFromSetting {
		return Identity{}, fmt.Errorf("verify keys: %w: setting %q answered for %s", ErrMalformedPayload, opt.ID, EmailFromSetting)
	}
	for _, v := range []any{opt.Value, opt.Default} {
		if s, ok := v.(string); ok {
			if a, err := mail.ParseAddress(strings.TrimSpace(s)); err == nil {
				return Identity{AdminEmail: a.Address}, nil
			}
		}
	}
	return Identity{}, nil
}
