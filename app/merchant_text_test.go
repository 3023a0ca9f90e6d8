package app

import (
	"context"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

// The merchant reads about a shopper's request in an email, a Shopify order
// note or a WooCommerce order note; all three say it with the same sentence
// (package writeback tests the notes with this table).
func TestMerchantTextsSayOneSentencePerKind(t *testing.T) {
	tests := []struct {
		kind, source, want string
	}{
		{"confirm_address", "whatsapp", "confirmed their delivery details on WhatsApp"},
		{"correct_address", "page", "sent a corrected delivery address on the tracking page"},
		{"reschedule", "sms", "asked to reschedule the delivery by SMS"},
		{"not_received", "page", "reported the package as not received on the tracking page"},
		{"contact_support", "voice", "asked you to contact them on an update call"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			act := &storage.CustomerAction{Kind: tt.kind, Source: tt.source}
			_, email, err := (&App{}).merchantNotice(context.Background(), act)
			if err != nil {
				t.Fatalf("merchant email: %v", err)
			}
			if !strings.Contains(email, tt.want) {
				t.Errorf("email %q; want it to say %q", email, tt.want)
			}
		})
	}
}
