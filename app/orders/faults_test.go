package orders

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// A delivery whose rows cannot be read because the database is down must be
// retried, not cancelled or marked malformed: the webhook was accepted, the
// message promised. Only rows that are gone end the job.
func TestProcessingRetriesWhileDatabaseIsDownAndEndsWhenItsRowIsGone(t *testing.T) {
	db := storagetest.Open(t, storage.SQLite)
	s := New(Deps{DB: db}) // these paths need only the database
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
	}{
		{"process webhook", func() error {
			return s.ProcessWebhook(ctx, &river.Job[jobs.ProcessWebhookArgs]{Args: jobs.ProcessWebhookArgs{DeliveryID: 4242}})
		}},
		{"Shopify webhook's shop", func() error {
			return s.processShopify(ctx, &storage.WebhookDelivery{ShopDomain: "gone.myshopify.com", Topic: "orders/create"})
		}},
		{"WooCommerce webhook's shop", func() error {
			return s.processWoo(ctx, &storage.WebhookDelivery{ShopDomain: "https://gone.example", Topic: "order.created"})
		}},
	}
	final := func(err error) bool {
		var ce *river.JobCancelError
		return errors.As(err, &ce) || errors.Is(err, jobs.ErrMalformed)
	}
	for _, tt := range tests {
		if err := tt.run(); !final(err) {
			t.Errorf("%s, row gone: %v; want the job ended (cancelled or kept as malformed)", tt.name, err)
		}
	}
	db.SQL.Close()
	for _, tt := range tests {
		if err := tt.run(); err == nil || final(err) {
			t.Errorf("%s, database down: %v; want an error River retries", tt.name, err)
		}
	}
}
