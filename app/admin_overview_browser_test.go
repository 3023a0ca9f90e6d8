package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestBrowserAdminOverviewAndTrackingPage signs in as a merchant and looks
// at the overview and the shipment list at desktop and phone widths (no
// table clipped: the page never scrolls sideways, wide tables scroll in
// their card), then at a shopper's tracking page with a duty to pay. The
// overview and tracking page screenshots are the README's.
func TestBrowserAdminOverviewAndTrackingPage(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, chromedp.WindowSize(1280, 900))
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	bg := context.Background()
	if err := a.db.Gorm.Model(shop).Update("timezone", "America/Los_Angeles").Error; err != nil {
		t.Fatal(err)
	}
	stages := []string{"in_transit", "out_for_delivery", "delivered", "available_for_pickup", "confirmed", "delivered", "in_transit", "returning"}
	names := []string{"Ana Lopez", "Ben Okafor", "Chloé Martin", "Daniel Kim", "Eva Rossi", "Farah Haddad", "Gus Weber", "Hana Sato"}
	for i, st := range stages {
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint(1001 + i), Name: fmt.Sprintf("#%d", 1001+i), Email: fmt.Sprintf("shopper%d@example.com", i),
			CustomerName: names[i], Locale: "en"}
		if err := a.db.Gorm.Create(o).Error; err != nil {
			t.Fatal(err)
		}
		last := time.Now().Add(-time.Duration(i) * time.Hour)
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: []string{"ups", "usps", "fedex", "dhl"}[i%4], TrackingNumber: fmt.Sprintf("1Z999AA101234567%02d", i),
			PublicToken: storage.NewToken(), Stage: st, DestRegion: "CA", DestCountry: "US", LastEventAt: &last}
		if i == 0 {
			s.Problem = "failed_attempt"
		}
		if i == 6 {
			s.Problem = "delayed"
		}
		if err := a.db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := a.shopper.RecordAction(bg, s, "reschedule", "page", map[string]string{"date": "2026-12-04"}); err != nil {
				t.Fatal(err)
			}
		}
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
		for _, p := range []struct{ name, path string }{{"overview", "/admin"}, {"shipments", "/admin/shipments"}} {
			browse(t, ctx, "open "+p.name, chromedp.EmulateViewport(w.width, w.height, opts...), chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS("h1")))
			if jsText(t, ctx, `String(document.documentElement.scrollWidth > window.innerWidth)`) != "false" {
				t.Errorf("%s at %d px scrolls sideways", p.name, w.width)
			}
			if p.name == "overview" && jsText(t, ctx, `[...document.querySelectorAll(".grid .muted")].map(e => e.textContent).slice(0, 4).join("|")`) != "Order confirmed|In transit|Out for delivery|Ready for pickup" {
				t.Errorf("stage cards read %q; want human labels in pipeline order", jsText(t, ctx, `[...document.querySelectorAll(".grid .muted")].map(e => e.textContent).join("|")`))
			}
			adminShot(t, ctx, p.name+"-"+w.name)
		}
	}

	token := seedProblem(t, a, "duty-shot.myshopify.com", "action_required", "CF", "Import duty due; pay to release the package")
	browse(t, ctx, "open the tracking page", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(base+"/t/"+token), chromedp.WaitVisible(chromedp.ID("ot-headline")))
	if got := jsText(t, ctx, `document.getElementById("ot-headline").textContent`); got != "Import duty is due on your package" {
		t.Errorf("tracking page headline %q", got)
	}
	browsertest.Screenshot(t, ctx, "tracking-page-duty-phone")
}
