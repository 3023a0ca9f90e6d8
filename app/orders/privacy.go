package orders

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ordertrack/ordertrack/storage"
)

// exportCustomerData answers a customers/data_request: the shopper's data as
// JSON, delivered to the merchant (who answers the shopper) through the
// message log, where the admin shows it.
func (s *Syncer) exportCustomerData(ctx context.Context, shop *storage.Shop, email, phone string) error {
	data, err := s.db.ExportCustomer(ctx, shop.ID, email, phone)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return fmt.Errorf("encode data export: %w", err)
	}
	now := s.now().UTC()
	_, err = s.db.CreateNotification(ctx, &storage.Notification{
		ShopID: shop.ID, Trigger: "data_request", Channel: "email", Recipient: shop.Email,
		DedupeKey: fmt.Sprintf("data_request:%s:%s:%d", email, phone, now.Unix()), Status: storage.NotificationSent,
		Provider: "outbox", Subject: "Customer data request: " + email, Body: string(body), SentAt: &now,
	})
	return err
}
