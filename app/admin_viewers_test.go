package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestAdminShowsMessagesAsSentAndWebhookPayloads: the outbox opens an email
// as the shopper saw it (its HTML in a sandboxed frame), a delivery shows
// its payload, and a replay says what happens next.
func TestAdminShowsMessagesAsSentAndWebhookPayloads(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	ctx := context.Background()
	n := &storage.Notification{ShopID: shop.ID, Trigger: "delayed", Channel: "email", Recipient: "ana@example.com", DedupeKey: "view-1",
		Status: storage.NotificationSent, Provider: "outbox", Subject: "Order #1001 is running late",
		HTML: `<p style="color:#123456">Sorry, <b>Ana</b></p><script>alert(1)</script>`, Body: "Sorry, Ana"}
	if _, err := a.db.CreateNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	d := &storage.WebhookDelivery{ShopID: &shop.ID, Platform: storage.Shopify, DeliveryID: "wh-1", Topic: "orders/create", ShopDomain: shop.Domain,
		Payload: []byte(`{"id":4242,"name":"#4242"}`), Status: "failed", Error: "bad tracking company"}
	if err := a.db.Gorm.Create(d).Error; err != nil {
		t.Fatal(err)
	}
	s := signIn(t, a, base, shop.ID)

	_, list := s.get(base + "/admin/outbox")
	if !strings.Contains(list, fmt.Sprintf(`href="/admin/outbox/%d">View as sent`, n.ID)) || !strings.Contains(list, ">Running late<") && !strings.Contains(list, ">Delayed<") {
		t.Errorf("outbox lacks the viewer link or the trigger's label")
	}
	code, page := s.get(fmt.Sprintf("%s/admin/outbox/%d", base, n.ID))
	if code != http.StatusOK || !strings.Contains(page, `<iframe title="The email as sent" sandbox=""`) ||
		!strings.Contains(page, `srcdoc="&lt;p style=&#34;color:#123456&#34;&gt;Sorry, &lt;b&gt;Ana&lt;/b&gt;`) {
		t.Errorf("message viewer: %d; want the HTML in a sandboxed srcdoc frame", code)
	}

	_, list = s.get(base + "/admin/webhooks")
	if !strings.Contains(list, fmt.Sprintf(`<a href="/admin/webhooks/%d">orders/create</a>`, d.ID)) {
		t.Error("webhooks list does not link the payload viewer")
	}
	code, page = s.get(fmt.Sprintf("%s/admin/webhooks/%d", base, d.ID))
	if code != http.StatusOK || !strings.Contains(page, "&#34;id&#34;: 4242,\n  &#34;name&#34;: &#34;#4242&#34;") {
		t.Errorf("payload viewer: %d; want the pretty-printed payload\n%s", code, page)
	}
	code, _ = s.post(fmt.Sprintf("/admin/webhooks/%d/replay", d.ID), url.Values{})
	if code != http.StatusSeeOther {
		t.Fatalf("replay: %d", code)
	}
	res, err := s.c.Get(fmt.Sprintf("%s/admin/webhooks?replayed=%d", base, d.ID))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if _, page = s.get(fmt.Sprintf("%s/admin/webhooks?replayed=%d", base, d.ID)); !strings.Contains(page, fmt.Sprintf("Replay of delivery %d queued", d.ID)) {
		t.Error("replay gives no feedback")
	}
	if code, _ := s.get(fmt.Sprintf("%s/admin/webhooks/%d", base, d.ID+1000)); code != http.StatusNotFound {
		t.Errorf("unknown delivery: %d; want 404", code)
	}
}
