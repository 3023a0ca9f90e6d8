package shopify

import (
	"context"
	"fmt"
	"strings"
)

// TopicShopUpdate is sent when the merchant changes the shop's details
// (name, contact email, time zone, currency, language, plan).
const TopicShopUpdate = "shop/update"

// ShopInfo is who the merchant is: what messages sign with, where shopper
// requests go, and the zone, currency and language the shop works in.
type ShopInfo struct {
	Name  string
	Email string // the owner's address, where Shopify writes to the merchant
	// ContactEmail is the address shoppers write to (the store's sender
	// email); replies to shopper messages go there.
	ContactEmail string
	Timezone     string // IANA, e.g. "Europe/Berlin"
	Currency     string // ISO 4217
	Locale       string // the shop's primary locale, e.g. "de" or "pt-BR"
	Plan         string // the plan's display name
}

// shopInfoQuery reads the shop and its primary locale (shopLocales needs
// read_locales).
const shopInfoQuery = `query ShopInfo {
  shop { name email contactEmail ianaTimezone currencyCode plan { displayName } }
  shopLocales { locale primary }
}`

// ShopInfo reads the shop's identity with the GraphQL Admin API.
func (c *Client) ShopInfo(ctx context.Context, shop string) (ShopInfo, error) {
	var data struct {
		Shop struct {
			Name         string `json:"name"`
			Email        string `json:"email"`
			ContactEmail string `json:"contactEmail"`
			IANATimezone string `json:"ianaTimezone"`
			CurrencyCode string `json:"currencyCode"`
			Plan         struct {
				DisplayName string `json:"displayName"`
			} `json:"plan"`
		} `json:"shop"`
		ShopLocales []struct {
			Locale  string `json:"locale"`
			Primary bool   `json:"primary"`
		} `json:"shopLocales"`
	}
	if err := c.Do(ctx, shop, shopInfoQuery, nil, &data); err != nil {
		return ShopInfo{}, fmt.Errorf("fetch shop %s: %w", shop, err)
	}
	s := data.Shop
	info := ShopInfo{Name: s.Name, Email: s.Email, ContactEmail: firstNonEmpty(s.ContactEmail, s.Email), Timezone: s.IANATimezone, Currency: s.CurrencyCode, Plan: s.Plan.DisplayName}
	for _, l := range data.ShopLocales {
		if l.Primary {
			info.Locale = l.Locale
		}
	}
	return info, nil
}

// DecodeShopUpdate decodes a shop/update body (the REST shop resource).
func DecodeShopUpdate(body []byte) (ShopInfo, error) {
	var r struct {
		ID              int64   `json:"id"`
		Name            string  `json:"name"`
		Email           string  `json:"email"`
		CustomerEmail   *string `json:"customer_email"`
		IANATimezone    string  `json:"iana_timezone"`
		Currency        string  `json:"currency"`
		PrimaryLocale   string  `json:"primary_locale"`
		PlanDisplayName string  `json:"plan_display_name"`
	}
	if err := decode(TopicShopUpdate, body, &r); err != nil {
		return ShopInfo{}, err
	}
	if r.ID == 0 {
		return ShopInfo{}, fmt.Errorf("decode %s payload: no id: %w", TopicShopUpdate, ErrMalformedPayload)
	}
	contact := ""
	if r.CustomerEmail != nil {
		contact = *r.CustomerEmail
	}
	return ShopInfo{
		Name: strings.TrimSpace(r.Name), Email: strings.TrimSpace(r.Email), ContactEmail: firstNonEmpty(contact, r.Email), Timezone: r.IANATimezone,
		Currency: r.Currency, Locale: r.PrimaryLocale, Plan: r.PlanDisplayName,
	}, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
