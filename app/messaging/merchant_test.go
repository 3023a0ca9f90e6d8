package messaging

import (
	"context"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

// The merchant's email about a shopper's request says what was asked, and
// where, with the sentence the Shopify and WooCommerce order notes use.
func TestMerchantNoticeSaysTheSentence(t *testing.T) {
	tests := []struct {
		kind, source, wantSubject, wantBody string
	}{
		{"confirm_address", "whatsapp", "A shopper confirmed their delivery details", "A shopper confirmed their delivery details on WhatsApp.\n"},
		{"correct_address", "page", "A shopper sent a corrected delivery address", "A shopper sent a corrected delivery address on the tracking page.\n"},
		{"reschedule", "sms", "A shopper asked to reschedule the delivery", "A shopper asked to reschedule the delivery by SMS.\n"},
		{"not_received", "page", "A shopper reported the package as not received", "A shopper reported the package as not received on the tracking page.\n"},
		{"contact_support", "voice", "A shopper asked you to contact them", "A shopper asked you to contact them on an update call.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			act := &storage.CustomerAction{Kind: tt.kind, Source: tt.source}
			subject, body, err := (&Messenger{}).merchantNotice(context.Background(), act)
			if err != nil {
				t.Fatalf("merchant email: %v", err)
			}
			if subject != tt.wantSubject {
				t.Errorf("subject %q; want %q", subject, tt.wantSubject)
			}
			if !strings.HasPrefix(body, tt.wantBody) {
				t.Errorf("body %q; want it to start %q", body, tt.wantBody)
			}
		})
	}
}

// Details the shopper gave are listed one per line, sorted by name, so the
// email reads the same on every retry.
func TestMerchantNoticeListsDetailsSorted(t *testing.T) {
	act := &storage.CustomerAction{Kind: "reschedule", Source: "page", Details: storage.JSON[map[string]string]{V: map[string]string{"note": "back door", "date": "2026-12-01"}}}
	_, body, err := (&Messenger{}).merchantNotice(context.Background(), act)
	if err != nil {
		t.Fatalf("merchant email: %v", err)
	}
	want := "A shopper asked to reschedule the delivery on the tracking page.\n\ndate: 2026-12-01\nnote: back door\n\nThe shopper was told"
	if !strings.HasPrefix(body, want) {
		t.Errorf("body %q; want it to start %q", body, want)
	}
}
