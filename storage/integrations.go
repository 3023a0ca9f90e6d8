package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// SetKlaviyoKey seals and stores the shop's Klaviyo private API key; an
// empty key turns Klaviyo off.
func (db *DB) SetKlaviyoKey(ctx context.Context, shopID int64, key string) error {
	var sealed []byte
	if key != "" {
		sealed = db.cipher.Seal(key)
	}
	err := db.Gorm.WithContext(ctx).Model(&Shop{}).Where("id = ?", shopID).
		Updates(map[string]any{"klaviyo_key": sealed, "updated_at": db.now()}).Error
	if err != nil {
		return fmt.Errorf("store klaviyo key of shop %d: %w", shopID, err)
	}
	return nil
}

// KlaviyoKey opens the shop's Klaviyo key; "" when none is set.
func (db *DB) KlaviyoKey(s *Shop) (string, error) {
	key, err := db.cipher.Open(s.KlaviyoKey)
	if err != nil {
		return "", fmt.Errorf("klaviyo key of shop %d: %w", s.ID, err)
	}
	return key, nil
}

// HandsToKlaviyo reports whether the shop hands trigger to Klaviyo instead
// of messaging the shopper itself: switched over and a key set.
func (s *Shop) HandsToKlaviyo(trigger string) bool {
	if len(s.KlaviyoKey) == 0 {
		return false
	}
	for _, t := range s.Settings.V.Klaviyo {
		if t == trigger {
			return true
		}
	}
	return false
}

// WritesBackToShopify reports whether ordertrack writes carrier statuses to
// the shop's Shopify fulfillments: an active Shopify shop with a token.
func (s *Shop) WritesBackToShopify() bool {
	return s.Platform == Shopify && s.Status == "active" && len(s.AccessToken) > 0
}

func helpdeskHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// HelpdeskKeyPrefix starts every helpdesk key, so a leaked one is
// recognisable.
const HelpdeskKeyPrefix = "othd_"

// RotateHelpdeskKey gives the shop a new helpdesk key (the prefix and 32
// random bytes) and returns it; the previous key stops working at once.
func (db *DB) RotateHelpdeskKey(ctx context.Context, shopID int64) (string, error) {
	b := make([]byte, 32)
	rand.Read(b)
	key := HelpdeskKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return key, db.setHelpdeskKey(ctx, shopID, key)
}

func (db *DB) setHelpdeskKey(ctx context.Context, shopID int64, key string) error {
	err := db.Gorm.WithContext(ctx).Model(&Shop{}).Where("id = ?", shopID).Updates(map[string]any{
		"helpdesk_key": db.cipher.Seal(key), "helpdesk_key_hash": helpdeskHash(key), "updated_at": db.now(),
	}).Error
	if err != nil {
		return fmt.Errorf("store helpdesk key of shop %d: %w", shopID, err)
	}
	return nil
}

// HelpdeskKey opens the shop's helpdesk key; "" when none was made.
func (db *DB) HelpdeskKey(s *Shop) (string, error) {
	key, err := db.cipher.Open(s.HelpdeskKey)
	if err != nil {
		return "", fmt.Errorf("helpdesk key of shop %d: %w", s.ID, err)
	}
	return key, nil
}

// ShopByHelpdeskKey finds the active shop whose helpdesk key is key.
func (db *DB) ShopByHelpdeskKey(ctx context.Context, key string) (*Shop, error) {
	if key == "" {
		return nil, fmt.Errorf("helpdesk key: %w", ErrNotFound)
	}
	var s Shop
	err := db.Gorm.WithContext(ctx).Where("helpdesk_key_hash = ? AND status = ?", helpdeskHash(key), "active").Take(&s).Error
	if err != nil {
		return nil, notFound(err, "helpdesk key")
	}
	return &s, nil
}

// CustomerOrder is one order of a customer with its parcels, newest first.
type CustomerOrder struct {
	Order     Order
	Shipments []Shipment
}

// maxCustomerOrders bounds a helpdesk answer.
const maxCustomerOrders = 50

// CustomerOrders lists the shop's orders placed with email or phone (either
// may be empty), newest first, at most 50, each with its shipments. Emails
// match case-insensitively; phones of at least 7 digits by their digits
// (tracking.SameContact).
func (s ShopScope) CustomerOrders(ctx context.Context, email, phone string) ([]CustomerOrder, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if len(digits) < 7 {
		digits = "" // too short to name one phone
	}
	if email == "" && digits == "" {
		return nil, nil
	}
	// Stored phones keep the store's spelling ("+1 555-010-4567"), so SQL
	// narrows by the last four digits, written together in every usual
	// spelling, and SameContact decides.
	tail := "%"
	if digits != "" {
		tail += digits[len(digits)-4:]
	}
	q := s.q(ctx).Model(&Order{})
	switch {
	case email != "" && digits != "":
		q = q.Where("(lower(email) = ? OR phone LIKE ?)", email, tail)
	case email != "":
		q = q.Where("lower(email) = ?", email)
	default:
		q = q.Where("phone LIKE ?", tail)
	}
	// Other customers' phones may share the last four digits: read on, a
	// page at a time, until the customer's orders fill the answer.
	var out []CustomerOrder
	for offset := 0; offset < maxCustomerScan; offset += customerPage {
		var found []Order
		if err := q.Session(&gorm.Session{}).Order("created_at DESC, id DESC").Offset(offset).Limit(customerPage).Find(&found).Error; err != nil {
			return nil, fmt.Errorf("orders of customer: %w", err)
		}
		for _, o := range found {
			if !(email != "" && tracking.SameContact(o.Email, "", email)) && !(digits != "" && tracking.SameContact("", o.Phone, phone)) {
				continue
			}
			var ships []Shipment
			if err := s.q(ctx).Where("order_id = ?", o.ID).Order("id").Find(&ships).Error; err != nil {
				return nil, fmt.Errorf("shipments of order %d: %w", o.ID, err)
			}
			out = append(out, CustomerOrder{Order: o, Shipments: ships})
			if len(out) == maxCustomerOrders {
				return out, nil
			}
		}
		if len(found) < customerPage {
			break
		}
	}
	return out, nil
}

// customerPage is how many candidate orders CustomerOrders reads at once;
// maxCustomerScan bounds how many it reads in all.
const (
	customerPage    = 100
	maxCustomerScan = 5000
)
