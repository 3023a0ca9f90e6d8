package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
	"github.com/ordertrack/ordertrack/storage"
)

// A guest checkout costs nothing to place, and each one that ticks the box
// texts the billing phone, whoever's it is, at the merchant's cost: the
// number gets no more opt-in texts than the tracking page allows (2 in
// 12 hours), whichever orders and shops name it. The checkout's words are
// stored bounded and shown as text, never as markup.
func TestCheckoutConsentsDoNotFloodANumberOrInjectTheAdmin(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWooForChannels(t, dbURL)
		const number = "+14155550177"
		const script = `<script>alert("consent")</script><img src=x onerror=alert(1)>`
		for i := int64(0); i < 5; i++ {
			o := astOrder(8801+i, time.Now().UTC().Add(-time.Hour), "UPS", fmt.Sprintf("1ZWOOFLOOD0000%04d", i))
			o.Billing.Phone = "(415) 555-0177"
			o.Meta = append(o.Meta, wootest.Meta{ID: 58, Key: woocommerce.ConsentMetaKey, Value: map[string]any{
				"time": time.Now().UTC().Format(time.RFC3339), "ip": "198.51.100.25", "locale": "en_US",
				"channels": []map[string]string{{"channel": "sms", "wording": script + strings.Repeat("x", 100<<10)}},
			}})
			e.woo.waitProcessed(t, e.woo.deliver(t, woocommerce.TopicOrderCreated, o.JSON()))
		}
		apptest.WaitUntil(t, "every opt-in's message logged", func() bool {
			var n int64
			e.a.db.Gorm.Model(&storage.Notification{}).Where("recipient = ? AND trigger = ? AND status <> ?", number, "consent_confirmation", storage.NotificationScheduled).Count(&n)
			return n == 5
		})
		if got := len(smsTo(e.sent, number)); got != 2 {
			t.Fatalf("%d opt-in texts to %s from 5 checkouts; want 2", got, number)
		}
		var skipped storage.Notification
		if err := e.a.db.Gorm.Where("recipient = ? AND status = ?", number, storage.NotificationSkipped).Take(&skipped).Error; err != nil || !strings.Contains(skipped.Error, "opt-in") {
			t.Fatalf("a skipped opt-in text: %+v, %v; want one saying why", skipped, err)
		}
		cons, err := e.a.db.Consents(context.Background(), e.shop.ID, number)
		if err != nil || len(cons) != 5 {
			t.Fatalf("consents = %d, %v; want 5", len(cons), err)
		}
		for _, c := range cons {
			if len(c.Wording) > 2000 || !strings.HasPrefix(c.Wording, script) {
				t.Fatalf("stored wording of %d bytes; want the words as shown, at most 2000 bytes", len(c.Wording))
			}
		}
		code, page := signIn(t, e.a, e.base, e.shop.ID).get(e.base + "/admin/consents")
		if code != http.StatusOK || strings.Contains(page, script) || !strings.Contains(page, "&lt;script&gt;") {
			t.Fatalf("/admin/consents: %d; want the wording shown escaped", code)
		}
	})
}
