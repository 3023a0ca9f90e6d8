package platform

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/storage"
)

func TestShopifyJobErrorOutcomes(t *testing.T) {
	throttled := &tracking.RetryableError{Err: shopify.ErrThrottled, RetryAfter: 3 * time.Second}
	cancel := []struct {
		name    string
		attempt int
		err     error
	}{
		{"shop frozen or gone", 1, &shopify.StatusError{StatusCode: http.StatusPaymentRequired}},
		{"token rejected after the race retries", 3, shopify.ErrReauthorize},
		{"uninstalled (no token)", 1, storage.ErrNotFound},
		{"input refused", 1, shopify.UserErrors{{Message: "Fulfillment does not exist."}}},
	}
	for _, tc := range cancel {
		var ce *river.JobCancelError
		if err := ShopifyJobError(tc.attempt, fmt.Errorf("job: %w", tc.err)); !errors.As(err, &ce) {
			t.Errorf("%s: %v; want the job cancelled", tc.name, err)
		}
	}
	var se *river.JobSnoozeError
	if err := ShopifyJobError(1, fmt.Errorf("job: %w", throttled)); !errors.As(err, &se) || se.Duration != 3*time.Second {
		t.Errorf("throttled: %v; want snoozed for Shopify's 3s", err)
	}
	retry := []struct {
		name    string
		attempt int
		err     error
	}{
		{"token rejected, maybe rotated elsewhere", 1, shopify.ErrReauthorize},
		{"network failure", 1, &tracking.RetryableError{Err: errors.New("connection reset")}},
	}
	for _, tc := range retry {
		var ce *river.JobCancelError
		err := ShopifyJobError(tc.attempt, fmt.Errorf("job: %w", tc.err))
		if err == nil || errors.As(err, &ce) || errors.As(err, &se) {
			t.Errorf("%s: %v; want a plain retry", tc.name, err)
		}
	}
}

func TestWooJobErrorCancelsOnlyWhatTheMerchantMustFix(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCancel bool
	}{
		{"keys revoked", woocommerce.ErrUnauthorized, true},
		{"store address refused", egress.ErrRefused, true},
		{"store unreachable", &tracking.RetryableError{Err: errors.New("connection reset")}, false},
		{"order gone", woocommerce.ErrNotFound, false},
	}
	for _, tc := range tests {
		var ce *river.JobCancelError
		err := WooJobError(fmt.Errorf("job: %w", tc.err))
		if got := errors.As(err, &ce); got != tc.wantCancel || err == nil {
			t.Errorf("%s: %v; want cancelled=%v and an error", tc.name, err, tc.wantCancel)
		}
	}
}
