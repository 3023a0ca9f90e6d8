package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// technicalDetails is where a page may keep a stored error's raw text.
var technicalDetails = regexp.MustCompile(`(?s)<details class="tech">.*?</details>`)

// TestAdminDetailPagesSpeakHumanInTheShopsZone: the shipment page, the
// message log, webhook deliveries and the template list name stages,
// problems, carriers, messages, channels and request sources as a merchant
// reads them, give every time in the shop's zone, and say what went wrong
// in a sentence (Go's errors only under "Technical details").
func TestAdminDetailPagesSpeakHumanInTheShopsZone(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	ctx := context.Background()
	shop := ownerShop(t, a)
	if err := a.db.Gorm.Model(shop).Update("timezone", "America/Los_Angeles").Error; err != nil {
		t.Fatal(err)
	}
	o := &storage.Order{ShopID: shop.ID, PlatformID: "1001", Name: "#1001", Email: "ana@example.com", CustomerName: "Ana Lopez", Locale: "en"}
	if err := a.db.Gorm.Create(o).Error; err != nil {
		t.Fatal(err)
	}
	ship := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "sim", TrackingNumber: "SIM0000000042", PublicToken: storage.NewToken(),
		Stage: "in_transit", Problem: "failed_attempt"}
	if err := a.db.Gorm.Create(ship).Error; err != nil {
		t.Fatal(err)
	}
	scan := time.Date(2026, 11, 3, 18, 30, 0, 0, time.UTC) // 10:30 AM in Los Angeles
	if err := a.db.Gorm.Create(&storage.TrackingEvent{ShopID: shop.ID, ShipmentID: ship.ID, Fingerprint: "f1", OccurredAt: scan,
		Stage: "in_transit", Problem: "failed_attempt", Code: "AT", Description: "Nobody home"}).Error; err != nil {
		t.Fatal(err)
	}
	goErr := "send sms: decode twilio reply: json: cannot unmarshal string into Go struct field response.sid of type int"
	n := &storage.Notification{ShopID: shop.ID, ShipmentID: &ship.ID, Trigger: "failed_attempt", Channel: "sms", Recipient: "+14155550100",
		DedupeKey: "labels-1", Status: storage.NotificationFailed, Error: goErr, Body: "We missed you"}
	if _, err := a.db.CreateNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := a.shopper.RecordAction(ctx, ship, "reschedule", "sms", map[string]string{"date": "2026-11-05"}); err != nil {
		t.Fatal(err)
	}
	d := &storage.WebhookDelivery{ShopID: &shop.ID, Platform: storage.Shopify, DeliveryID: "wh-labels", Topic: "orders/create", ShopDomain: shop.Domain,
		Payload: []byte(`{"id":"x"}`), Status: storage.DeliveryFailed, Error: "decode order: json: cannot unmarshal string into Go struct field Order.id of type int64", ReceivedAt: scan}
	if err := a.db.Gorm.Create(d).Error; err != nil {
		t.Fatal(err)
	}
	s := signIn(t, a, base, shop.ID)

	tests := []struct {
		page      string
		want, not []string
	}{
		{fmt.Sprintf("/admin/shipments/%d", ship.ID),
			[]string{"#1001 · Demo Express SIM0000000042", ">In transit<", ">Delivery attempted<", "Nov 3, 10:30 AM PST", ">Delivery attempt failed<", ">SMS<",
				">SMS reply<", ">Reschedule<", "The data was not in the expected format.", "Mark handled"},
			[]string{">in_transit<", ">failed_attempt<", " sim ", "UTC", ">sms<", ">reschedule<", "Go struct field"}},
		{"/admin/outbox", []string{">Delivery attempt failed<", ">SMS<", "The data was not in the expected format."}, []string{"Go struct field"}},
		{fmt.Sprintf("/admin/outbox/%d", n.ID), []string{"The data was not in the expected format."}, []string{"Go struct field"}},
		{"/admin/webhooks", []string{"Nov 3, 10:30 AM PST", "The data was not in the expected format."}, []string{"Go struct field", "json:"}},
		{fmt.Sprintf("/admin/webhooks/%d", d.ID), []string{"The data was not in the expected format."}, []string{"Go struct field", "json:"}},
		{"/admin/templates", []string{"<td>Tracking started</td><td>SMS</td>", `<abbr title="Japanese">ja</abbr>`}, []string{"<td>shipped</td>", "<td>sms</td>"}},
		{"/admin/templates/failed_attempt/email/de", []string{"Delivery attempt failed · Email · German"}, []string{"failed_attempt · email"}},
	}
	for _, tt := range tests {
		_, page := s.get(base + tt.page)
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", tt.page, w)
			}
		}
		shown := technicalDetails.ReplaceAllString(page, "")
		for _, w := range tt.not {
			if strings.Contains(shown, w) {
				t.Errorf("%s shows %q", tt.page, w)
			}
		}
	}
	if _, page := s.get(fmt.Sprintf("%s/admin/webhooks/%d", base, d.ID)); !strings.Contains(page, "Go struct field Order.id") {
		t.Error("the delivery page drops the raw error support needs")
	}
}
