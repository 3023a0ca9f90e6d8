package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// overflowing lists the elements of the page that scroll sideways or hide
// what does not fit, other than the boxes meant to (a table's own scroll
// box, code, form fields, frames): a card that scrolls hides its heading
// and form along with the table.
const overflowing = `[...document.querySelectorAll("body *")].filter(e => {
	if (e.matches(".table-wrap, pre, textarea, input, select, iframe, .visually-hidden, .visually-hidden *, svg *")) return false;
	const x = getComputedStyle(e).overflowX;
	return x !== "visible" && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\s+/g, ".") : "") + " " + e.scrollWidth + ">" + e.clientWidth)`

// TestBrowserEveryAdminPageFitsDesktopAndPhone opens every admin page the
// router serves, at 1280 px and on a 390 px phone: the page never scrolls
// sideways, only a table's own box does, and there its key column stays
// pinned while the rest scrolls. Each page's screenshot is kept.
func TestBrowserEveryAdminPageFitsDesktopAndPhone(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, chromedp.WindowSize(1280, 900))
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	bg := context.Background()
	if err := a.db.Gorm.Model(shop).Update("timezone", "America/Los_Angeles").Error; err != nil {
		t.Fatal(err)
	}
	var ship *storage.Shipment
	for i, st := range []string{"in_transit", "delivered", "out_for_delivery", "confirmed"} {
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint(2001 + i), Name: fmt.Sprintf("#%d", 2001+i), Locale: "en",
			Email: fmt.Sprintf("maximiliane.schwarzenberger-%d@a-very-long-domain-name.example.com", i), Phone: "+14155550100", CustomerName: "Maximiliane Schwarzenberger-Oppenheim"}
		if err := a.db.Gorm.Create(o).Error; err != nil {
			t.Fatal(err)
		}
		last := time.Now().Add(-time.Duration(i) * time.Hour)
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "sim", TrackingNumber: fmt.Sprintf("SIM9400111899223397%05d", i), PublicToken: storage.NewToken(),
			Stage: st, DestRegion: "CA", DestCountry: "US", LastEventAt: &last}
		if i == 0 {
			s.Problem = "failed_attempt"
		}
		if err := a.db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
		if err := a.db.Gorm.Create(&storage.TrackingEvent{ShopID: shop.ID, ShipmentID: s.ID, Fingerprint: "f", OccurredAt: last, Stage: st, Code: "AT",
			Description: "The carrier attempted delivery but nobody was available to receive the package at the delivery address", City: "South San Francisco", Region: "CA", Country: "US"}).Error; err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			ship = s
			if err := a.shopper.RecordAction(bg, s, "reschedule", "page", map[string]string{"date": "2026-12-04", "note": "Please leave it with the concierge at the front desk of the building"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	n := &storage.Notification{ShopID: shop.ID, ShipmentID: &ship.ID, Trigger: "failed_attempt", Channel: "email", Recipient: "maximiliane.schwarzenberger-0@a-very-long-domain-name.example.com",
		DedupeKey: "fit-1", Status: storage.NotificationFailed, Provider: "sendgrid", Subject: "We missed you: order #2001 will be delivered again tomorrow",
		Error: `sendgrid: post https://api.sendgrid.com/v3/mail/send: dial tcp 198.51.100.7:443: connect: connection refused`,
		HTML:  `<p>We missed you.</p>`, Body: "We missed you. " + strings.Repeat("https://track.example.com/t/abcdefghijklmnopqrstuvwxyz0123456789 ", 3)}
	if _, err := a.db.CreateNotification(bg, n); err != nil {
		t.Fatal(err)
	}
	d := &storage.WebhookDelivery{ShopID: &shop.ID, Platform: storage.Shopify, DeliveryID: "fit-wh", Topic: "fulfillments/update", ShopDomain: shop.Domain,
		Payload: []byte(`{"id":1,"tracking_urls":["https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223397000000000000000000000000"]}`),
		Status:  storage.DeliveryFailed, Error: "decode fulfillment: json: cannot unmarshal string into Go struct field Fulfillment.id of type int64", ReceivedAt: time.Now().UTC()}
	if err := a.db.Gorm.Create(d).Error; err != nil {
		t.Fatal(err)
	}

	// Every GET page under /admin, with the seeded ids in place of :id.
	ids := map[string]string{":id": fmt.Sprint(ship.ID), ":trigger": "failed_attempt", ":channel": "email", ":locale": "en"}
	idsFor := map[string]string{"/admin/outbox/:id": fmt.Sprint(n.ID), "/admin/webhooks/:id": fmt.Sprint(d.ID)}
	notPages := []string{"/admin/login", "/admin/login/woocommerce", "/admin/analytics.csv", "/admin/"}
	e := echo.New()
	a.routes(e)
	var paths []string
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/admin") || slices.Contains(notPages, r.Path) {
			continue
		}
		p := r.Path
		if id, ok := idsFor[p]; ok {
			p = strings.Replace(p, ":id", id, 1)
		}
		for k, v := range ids {
			p = strings.Replace(p, k, v, 1)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	if len(paths) < 12 {
		t.Fatalf("found %d admin pages among the routes: %v", len(paths), paths)
	}

	browse(t, ctx, "sign in", chromedp.Navigate(loginLink(t, a, shop.ID)), chromedp.Click(`form button`))
	waitJS(t, ctx, "the admin home", `location.pathname === "/admin"`)
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		opts := []chromedp.EmulateViewportOption{}
		if w.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		browse(t, ctx, "size the window", chromedp.EmulateViewport(w.width, w.height, opts...))
		for _, p := range paths {
			browse(t, ctx, "open "+p, chromedp.Navigate(base+p), chromedp.WaitReady(chromedp.CSS("main")))
			if h := jsText(t, ctx, `(document.querySelector("main h1") || {}).textContent || ""`); h == "" {
				t.Errorf("%s at %s: no page header", p, w.name)
			}
			if jsText(t, ctx, `String(document.documentElement.scrollWidth > window.innerWidth || document.body.scrollWidth > window.innerWidth)`) != "false" {
				t.Errorf("%s at %d px: the page scrolls sideways (%s px wide)", p, w.width, jsText(t, ctx, `String(document.documentElement.scrollWidth)`))
			}
			if o := jsText(t, ctx, `JSON.stringify(`+overflowing+`)`); o != "[]" {
				t.Errorf("%s at %d px: clipped or scrolling besides tables: %s", p, w.width, o)
			}
			name := strings.NewReplacer("/admin", "admin", "/", "-").Replace(p)
			browsertest.Screenshot(t, ctx, "admin/pages/"+name+"-"+w.name)
		}
	}

	// On the phone the shipment list is wider than the screen: it scrolls in
	// its own box and the order column stays put.
	browse(t, ctx, "open the shipments", chromedp.Navigate(base+"/admin/shipments"), chromedp.WaitReady(chromedp.CSS(".table-wrap")))
	pinned := jsText(t, ctx, `(() => {
		const wrap = document.querySelector(".table-wrap"), key = wrap.querySelector("tbody td");
		if (wrap.scrollWidth <= wrap.clientWidth) return "the table fits; nothing to scroll";
		wrap.scrollLeft = wrap.scrollWidth;
		const dx = Math.abs(key.getBoundingClientRect().left - wrap.getBoundingClientRect().left);
		return dx < 1 && wrap.scrollLeft > 0 ? "pinned" : "key column moved by " + dx + " px";
	})()`)
	if pinned != "pinned" {
		t.Errorf("shipments on a phone: %s; want the order column pinned while the table scrolls", pinned)
	}
	browsertest.Screenshot(t, ctx, "admin/pages/shipments-phone-scrolled")
}
