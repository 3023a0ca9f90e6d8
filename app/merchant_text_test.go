package app

import (
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

// The merchant reads about a shopper's request in an email, a Shopify order
// note or a WooCommerce order note; all three say it with the same sentence
// (the email's side is messaging's TestMerchantNoticeSaysTheSentence).
func TestMerchantTextsSayOneSentencePerKind(t *testing.T) {
	ship := &storage.Shipment{Carrier: "ups", TrackingNumber: "1Z999AA10123456784"}
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
			for name, text := range map[string]string{
				"Shopify note": actionNote(act),
				"Woo note":     wooActionNote(ship, tt.kind, tt.source, nil),
			} {
				if !strings.Contains(text, tt.want) {
					t.Errorf("%s %q; want it to say %q", name, text, tt.want)
				}
			}
		})
	}
}

func TestWooNoteReadsAsASentence(t *testing.T) {
	ship := &storage.Shipment{Carrier: "ups", TrackingNumber: "1Z999AA10123456784"}
	got := wooActionNote(ship, "not_received", "page", map[string]string{"note": "Nothing on the porch"})
	want := "ordertrack: the shopper reported the package as not received on the tracking page (UPS 1Z999AA10123456784).\nnote: Nothing on the porch"
	if got != want || strings.Contains(got, "asked to not received") {
		t.Errorf("Woo note %q; want %q", got, want)
	}
}
