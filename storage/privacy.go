package storage

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// Uninstall marks the shop uninstalled, deletes its tokens (its own Twilio
// account's too) and stops polling its shipments; its data stays until
// shop/redact (Shopify sends it 48 h later).
func (db *DB) Uninstall(ctx context.Context, shopID int64) error {
	now := db.now()
	return db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&Shop{}).Where("id = ?", shopID).Updates(map[string]any{
			"status": "uninstalled", "uninstalled_at": now, "updated_at": now,
			"access_token": nil, "access_expires_at": nil, "refresh_token": nil, "refresh_expires_at": nil,
		}).Error
		if err != nil {
			return fmt.Errorf("uninstall shop %d: %w", shopID, err)
		}
		if err := tx.Model(&Shipment{}).Where("shop_id = ?", shopID).UpdateColumn("next_poll_at", nil).Error; err != nil {
			return fmt.Errorf("stop polling shop %d: %w", shopID, err)
		}
		if err := tx.Where("shop_id = ?", shopID).Delete(&TwilioAccount{}).Error; err != nil {
			return fmt.Errorf("forget twilio account of shop %d: %w", shopID, err)
		}
		return nil
	})
}

// DeleteShop removes the shop and, by cascade, every row it owns.
func (db *DB) DeleteShop(ctx context.Context, shopID int64) error {
	if err := db.Gorm.WithContext(ctx).Delete(&Shop{}, shopID).Error; err != nil {
		return fmt.Errorf("delete shop %d: %w", shopID, err)
	}
	return nil
}

// RedactCustomer erases a shopper's personal data from the given orders (and
// any order with their email or phone): contact details, name, address,
// messages to them or to a number signed up on those orders,
// message copies, call transcripts and contact preferences. Shipments and
// timelines stay for the merchant's delivery analytics, with nothing that
// identifies the person.
func (db *DB) RedactCustomer(ctx context.Context, shopID int64, email, phone string, platformOrderIDs []string) error {
	return db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&Order{}).Where("shop_id = ?", shopID)
		cond := tx.Where("platform_id IN ?", append(platformOrderIDs, ""))
		if email != "" {
			cond = cond.Or("email = ?", email)
		}
		if phone != "" {
			cond = cond.Or("phone = ?", phone)
		}
		var ids []int64
		if err := q.Where(cond).Where("platform_id <> ''").Pluck("id", &ids).Error; err != nil {
			return fmt.Errorf("find orders to redact: %w", err)
		}
		if len(ids) > 0 {
			err := tx.Model(&Order{}).Where("id IN ?", ids).Updates(map[string]any{
				"email": "", "phone": "", "customer_name": "", "shipping_address": JSON[Address]{}, "updated_at": db.now(),
			}).Error
			if err != nil {
				return fmt.Errorf("redact orders: %w", err)
			}
			sub := tx.Model(&Shipment{}).Select("id").Where("order_id IN ?", ids)
			if err := tx.Model(&Notification{}).Where("shipment_id IN (?)", sub).
				Updates(map[string]any{"recipient": "", "subject": "", "body": "", "html": ""}).Error; err != nil {
				return fmt.Errorf("redact messages: %w", err)
			}
			if err := tx.Model(&CustomerAction{}).Where("order_id IN ?", ids).Update("details", JSON[map[string]string]{V: map[string]string{}}).Error; err != nil {
				return fmt.Errorf("redact customer actions: %w", err)
			}
			if err := tx.Model(&CallTurn{}).Where("shipment_id IN (?)", sub).Updates(map[string]any{"heard": "", "said": ""}).Error; err != nil {
				return fmt.Errorf("redact call transcripts: %w", err)
			}
		}
		// The numbers signed up on these orders need not be the orders'
		// own; the opt-in's message (tied to no shipment) names them too.
		addresses := []string{email, phone}
		var signedUp []string
		if err := tx.Model(&Consent{}).Where("shop_id = ? AND order_id IN ? AND address <> ''", shopID, append(ids, 0)).
			Distinct().Pluck("address", &signedUp).Error; err != nil {
			return fmt.Errorf("find consented numbers: %w", err)
		}
		addresses = slices.DeleteFunc(append(addresses, signedUp...), func(a string) bool { return a == "" })
		if err := tx.Model(&Notification{}).Where("shop_id = ? AND recipient IN ?", shopID, addresses).
			Updates(map[string]any{"recipient": "", "subject": "", "body": "", "html": ""}).Error; err != nil {
			return fmt.Errorf("redact messages to the shopper: %w", err)
		}
		if err := tx.Where("shop_id = ? AND address IN ?", shopID, addresses).Delete(&Contact{}).Error; err != nil {
			return fmt.Errorf("redact contacts: %w", err)
		}
		redacted := map[string]any{"address": "", "ip": "", "wording": ""}
		if err := tx.Model(&Consent{}).Where("shop_id = ? AND (address IN ? OR order_id IN ?)", shopID, addresses, append(ids, 0)).
			Updates(redacted).Error; err != nil {
			return fmt.Errorf("redact consents: %w", err)
		}
		return nil
	})
}

// CustomerData is everything stored about one shopper, for a data request.
type CustomerData struct {
	Orders        []Order          `json:"orders"`
	Shipments     []Shipment       `json:"shipments"`
	Notifications []Notification   `json:"notifications"`
	Actions       []CustomerAction `json:"actions"`
	Contacts      []Contact        `json:"contacts"`
	Consents      []Consent        `json:"consents"`
}

// ExportCustomer collects a shopper's data by email or phone.
func (db *DB) ExportCustomer(ctx context.Context, shopID int64, email, phone string) (*CustomerData, error) {
	g := db.Gorm.WithContext(ctx)
	var out CustomerData
	q := g.Where("shop_id = ?", shopID).Where(g.Where("email = ? AND email <> ''", email).Or("phone = ? AND phone <> ''", phone))
	if err := q.Find(&out.Orders).Error; err != nil {
		return nil, fmt.Errorf("export orders: %w", err)
	}
	ids := make([]int64, len(out.Orders))
	for i, o := range out.Orders {
		ids[i] = o.ID
	}
	if len(ids) > 0 {
		if err := g.Where("order_id IN ?", ids).Find(&out.Shipments).Error; err != nil {
			return nil, fmt.Errorf("export shipments: %w", err)
		}
		if err := g.Where("order_id IN ?", ids).Find(&out.Actions).Error; err != nil {
			return nil, fmt.Errorf("export actions: %w", err)
		}
	}
	if err := g.Where("shop_id = ? AND recipient IN ?", shopID, []string{email, phone}).Find(&out.Notifications).Error; err != nil {
		return nil, fmt.Errorf("export notifications: %w", err)
	}
	if err := g.Where("shop_id = ? AND address IN ?", shopID, []string{email, phone}).Find(&out.Contacts).Error; err != nil {
		return nil, fmt.Errorf("export contacts: %w", err)
	}
	// A consent is the shopper's by its number, or by their order (the
	// request may name no phone, or one written another way).
	if err := g.Where("shop_id = ? AND (address IN ? OR order_id IN ?)", shopID, []string{email, phone}, append(ids, 0)).Find(&out.Consents).Error; err != nil {
		return nil, fmt.Errorf("export consents: %w", err)
	}
	return &out, nil
}
