package messaging

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/messaging/sendgrid"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
)

// Only what the provider calls retryable (tracking.RetryableError, as the
// sendgrid and twilio clients return it) and a deadline are retried;
// everything else is a permanent failure of that message.
func TestClassifyRetriesOnlyWhatTheProviderCallsRetryable(t *testing.T) {
	tests := []struct {
		name          string
		err           error
		wantPermanent bool
	}{
		{"twilio retryable", &tracking.RetryableError{Err: &twilio.Error{Status: 429, Retryable: true}}, false},
		{"twilio invalid number", &twilio.Error{Status: 400, Code: "21211"}, true},
		{"sendgrid 5xx wrapped", fmt.Errorf("send: %w", &tracking.RetryableError{Err: &sendgrid.Error{Status: 503, Retryable: true}}), false},
		{"sendgrid rejected", &sendgrid.Error{Status: 400}, true},
		{"deadline exceeded is temporary", fmt.Errorf("send: %w", context.DeadlineExceeded), false},
		{"an error that says nothing", errors.New("unexpected EOF"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			if errors.Is(got, ErrPermanent) != tt.wantPermanent {
				t.Errorf("classify(%v) = %v; permanent %v, want %v", tt.err, got, !tt.wantPermanent, tt.wantPermanent)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("classify(%v) = %v; want it to wrap the provider's error", tt.err, got)
			}
		})
	}
}

func TestClassifyKeepsSuccess(t *testing.T) {
	if err := classify(nil); err != nil {
		t.Errorf("classify(nil) = %v; want nil", err)
	}
}
