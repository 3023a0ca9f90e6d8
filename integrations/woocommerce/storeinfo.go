package woocommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// StoreInfo is who the merchant is, as the store says: its site name,
// zone, currency and language.
type StoreInfo struct {
	Name     string
	Timezone string // IANA; empty when the site only sets a UTC offset that is not whole hours
	Currency string // ISO 4217 (woocommerce_currency)
	Locale   string // the site language, e.g. "de_DE"
}

// StoreInfo reads the site's name and time zone from the REST API index
// (WordPress's timezone_string, or its gmt_offset; WooCommerce's system
// status always reports UTC, the zone PHP runs in), the shop currency from
// the general settings and the site language from the system status.
func (c *Client) StoreInfo(ctx context.Context) (StoreInfo, error) {
	var index struct {
		Name           string          `json:"name"`
		TimezoneString string          `json:"timezone_string"`
		GMTOffset      json.RawMessage `json:"gmt_offset"`
	}
	if _, err := c.call(ctx, http.MethodGet, c.root, "/", nil, nil, &index); err != nil {
		return StoreInfo{}, fmt.Errorf("store info: %w", err)
	}
	info := StoreInfo{Name: strings.TrimSpace(index.Name), Timezone: siteZone(index.TimezoneString, index.GMTOffset)}
	var cur struct {
		Value string `json:"value"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/settings/general/woocommerce_currency", nil, nil, &cur); err != nil {
		return StoreInfo{}, fmt.Errorf("store currency: %w", err)
	}
	info.Currency = strings.ToUpper(strings.TrimSpace(cur.Value))
	var status struct {
		Environment struct {
			Language string `json:"language"`
		} `json:"environment"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/system_status", nil, nil, &status); err != nil {
		return StoreInfo{}, fmt.Errorf("store language: %w", err)
	}
	info.Locale = status.Environment.Language
	return info, nil
}

// siteZone is the site's IANA zone: its timezone_string when set, else the
// Etc zone of a whole-hour gmt_offset ("2" is Etc/GMT-2: POSIX signs are
// inverted), else "".
func siteZone(name string, offset json.RawMessage) string {
	if name = strings.TrimSpace(name); name != "" {
		if _, err := time.LoadLocation(name); err == nil {
			return name
		}
	}
	raw := strings.Trim(string(offset), `"`)
	h, err := strconv.ParseFloat(raw, 64)
	if err != nil || h != float64(int(h)) || h < -12 || h > 14 {
		return ""
	}
	switch n := int(h); {
	case n == 0:
		return "UTC"
	case n > 0:
		return "Etc/GMT-" + strconv.Itoa(n)
	default:
		return "Etc/GMT+" + strconv.Itoa(-n)
	}
}
