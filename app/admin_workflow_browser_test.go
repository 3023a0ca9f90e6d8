package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestBrowserMerchantWorksThroughTheAdmin walks a merchant's day in
// Chromium: find an order by the customer's email, open it and mark the
// shopper's request handled; read an email as it was sent; open a failed
// webhook's payload and replay it; preview a template with a real recent
// order and send a test of the unsaved draft; read analytics that say
// "unknown" for deliveries never reported and the contact rate per carrier.
func TestBrowserMerchantWorksThroughTheAdmin(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, chromedp.WindowSize(1280, 900))
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	bg := context.Background()
	var zoe *storage.Shipment
	for i, who := range []string{"Zoé Laurent", "Tom Berg"} {
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint(3001 + i), Name: fmt.Sprintf("#%d", 3001+i), Email: fmt.Sprintf("shopper%d@example.com", i),
			Phone: "+1415555010" + fmt.Sprint(i), CustomerName: who, Locale: "en"}
		if err := a.db.Gorm.Create(o).Error; err != nil {
			t.Fatal(err)
		}
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "sim", TrackingNumber: fmt.Sprintf("SIM00000030%02d", i), PublicToken: storage.NewToken(),
			Stage: "in_transit", DestRegion: "CA", DestCountry: "US"}
		if err := a.db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			zoe = s
		}
	}
	if err := a.shopper.RecordAction(bg, zoe, "reschedule", "page", map[string]string{"date": "2026-12-07"}); err != nil {
		t.Fatal(err)
	}
	email := &storage.Notification{ShopID: shop.ID, ShipmentID: &zoe.ID, Trigger: "shipped", Channel: "email", Recipient: "shopper0@example.com", DedupeKey: "wf-email",
		Status: storage.NotificationSent, Provider: "outbox", Subject: "Your order #3001 is on its way",
		HTML: `<h1 style="color:#0b6e4f">Your parcel is on its way</h1>`, Body: "Your parcel is on its way"}
	sms := &storage.Notification{ShopID: shop.ID, ShipmentID: &zoe.ID, Trigger: "in_transit", Channel: "sms", Recipient: "+14155550100", DedupeKey: "wf-sms",
		Status: storage.NotificationSent, Provider: "twilio", Body: "On its way"}
	for _, n := range []*storage.Notification{email, sms} {
		if _, err := a.db.CreateNotification(bg, n); err != nil {
			t.Fatal(err)
		}
	}
	d := &storage.WebhookDelivery{ShopID: &shop.ID, Platform: storage.Shopify, DeliveryID: "wf-wh", Topic: "orders/updated", ShopDomain: shop.Domain,
		Payload: []byte(`{"id":3001,"name":"#3001"}`), Status: storage.DeliveryFailed, Error: "decode order: unexpected EOF", ReceivedAt: time.Now().UTC()}
	if err := a.db.Gorm.Create(d).Error; err != nil {
		t.Fatal(err)
	}

	browse(t, ctx, "sign in", chromedp.Navigate(loginLink(t, a, shop.ID)), chromedp.Click(`form button`))
	waitJS(t, ctx, "the admin home", `location.pathname === "/admin"`)

	// Search by the customer's email, open the order, mark the request handled.
	browse(t, ctx, "search by email", chromedp.Navigate(base+"/admin/shipments"), chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "SHOPPER0@example.com"))
	clickAndLoad(t, ctx, `form[role=search] button`, `location.search.includes("q=")`)
	if rows := jsText(t, ctx, `[...document.querySelectorAll("tbody tr")].map(r => r.cells[0].textContent + " " + r.cells[1].textContent).join("|")`); rows != "#3001 Zoé Laurentshopper0@example.com" {
		t.Fatalf("search by email lists %q; want only #3001 with its customer", rows)
	}
	clickAndLoad(t, ctx, `tbody a[href^="/admin/shipments/"]`, `location.pathname.startsWith("/admin/shipments/")`)
	clickAndLoad(t, ctx, `#h-acts ~ .table-wrap button`, `document.querySelector("#h-acts ~ .table-wrap .b-handled")`)
	if got := jsText(t, ctx, `document.querySelector("#h-acts ~ .table-wrap tbody tr").innerText`); !strings.Contains(got, "Reschedule") || !strings.Contains(got, "Handled") {
		t.Errorf("request row after marking it = %q; want the reschedule shown handled", got)
	}
	adminShot(t, ctx, "workflow-request-handled")

	// The email as the shopper saw it, in a frame that runs no script.
	browse(t, ctx, "open the messages", chromedp.Navigate(base+"/admin/outbox"))
	clickAndLoad(t, ctx, fmt.Sprintf(`a[href="/admin/outbox/%d"]`, email.ID), `document.querySelector("iframe")`)
	frame := jsText(t, ctx, `(() => { const f = document.querySelector("iframe"); return f.getAttribute("sandbox") + "|" + f.srcdoc + "|" + Math.round(f.getBoundingClientRect().height) })()`)
	if parts := strings.Split(frame, "|"); len(parts) != 3 || parts[0] != "" || parts[1] != email.HTML || parts[2] < "4" {
		t.Errorf("message viewer frame = %q; want the sent HTML in an empty sandbox, drawn", frame)
	}
	adminShot(t, ctx, "workflow-email-as-sent")

	// A failed webhook's payload, then a replay that says what happens next.
	browse(t, ctx, "open the webhooks", chromedp.Navigate(base+"/admin/webhooks"))
	clickAndLoad(t, ctx, fmt.Sprintf(`a[href="/admin/webhooks/%d"]`, d.ID), `document.getElementById("payload")`)
	if got := jsText(t, ctx, `document.getElementById("payload").textContent`); got != "{\n  \"id\": 3001,\n  \"name\": \"#3001\"\n}" {
		t.Errorf("payload viewer shows %q; want the payload pretty-printed", got)
	}
	clickAndLoad(t, ctx, `form[action$="/replay"] button`, `document.querySelector("[role=status]")`)
	if got := jsText(t, ctx, `document.querySelector("[role=status]").textContent`); !strings.Contains(got, fmt.Sprintf("Replay of delivery %d queued", d.ID)) {
		t.Errorf("after replay the page says %q; want that the replay is queued", got)
	}
	adminShot(t, ctx, "workflow-replayed")

	// The template editor previews with a real order and tests the draft.
	browse(t, ctx, "open the shipped email", chromedp.Navigate(base+"/admin/templates/shipped/email/en"), chromedp.WaitVisible(chromedp.ID("pv-html")))
	browse(t, ctx, "choose order #3001", chromedp.SetValue(chromedp.ID("sample"), fmt.Sprint(zoe.ID)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("sample").dispatchEvent(new Event("input", {bubbles: true}))`))
	waitJS(t, ctx, "the preview of order #3001", `document.getElementById("pv-text").textContent.includes("#3001")`)
	browse(t, ctx, "edit the subject", chromedp.Evaluate[chromedp.Void](`document.getElementById("p-email.subject").value = "Draft for {{ order.name }}"`))
	clickAndLoad(t, ctx, `button[value="test"]`, `document.querySelector(".notice")`)
	if got := jsText(t, ctx, `document.querySelector(".notice").textContent + "|" + document.getElementById("p-email.subject").value`); !strings.Contains(got, "from this draft (not saved yet)") || !strings.HasSuffix(got, "|Draft for {{ order.name }}") {
		t.Errorf("after the test send: %q; want the notice and the draft kept in the editor", got)
	}
	ns, err := a.db.Scope(shop.ID).Notifications(bg, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ns[0].Subject != "[Test] Draft for #3001" || ns[0].Channel != "email" || ns[0].Recipient != shop.Email {
		t.Errorf("newest message = %q on %s to %s; want the draft's subject with order #3001, by email to the owner", ns[0].Subject, ns[0].Channel, ns[0].Recipient)
	}
	if v, _ := a.db.Scope(shop.ID).LiveTemplates(bg); len(v) != 0 {
		t.Errorf("the test send saved %d template versions; want none", len(v))
	}
	adminShot(t, ctx, "workflow-template-test")

	// Analytics: no provider events is "unknown", not 0%; contacts per carrier.
	browse(t, ctx, "open analytics", chromedp.Navigate(base+"/admin/analytics"), chromedp.WaitVisible(chromedp.ID("h-messages")))
	if got := jsText(t, ctx, `[...document.querySelectorAll("#h-messages ~ .table-wrap tbody tr")].map(r => r.cells[0].textContent + ":" + r.cells[5].textContent).join("|")`); !strings.Contains(got, "SMS:unknown") {
		t.Errorf("message delivery rates read %q; want SMS unknown without provider events", got)
	}
	if got := jsText(t, ctx, `[...document.querySelectorAll("#h-carriers ~ .table-wrap tbody tr")].map(r => r.cells[0].textContent + ":" + r.cells[r.cells.length - 1].textContent).join("|")`); got != "Demo Express:50%" {
		t.Errorf("contact rate by carrier reads %q; want Demo Express:50%% (one of two shipments asked)", got)
	}
	adminShot(t, ctx, "workflow-analytics")
}
