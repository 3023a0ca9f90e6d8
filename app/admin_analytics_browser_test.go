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

// seedMonth gives a shop 90 shipments over November across three carriers,
// with transit times of 1–6 days and promises kept about two times in three.
func seedMonth(t *testing.T, db *storage.DB, shop *storage.Shop) {
	t.Helper()
	ctx := context.Background()
	carriers := []string{"ups", "usps", "fedex"}
	for i := range 90 {
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint("m", i), Name: fmt.Sprint("#M", i)}
		if _, err := db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		created := time.Date(2026, 11, 1+i/3, 9, 0, 0, 0, time.UTC)
		shipped := created.Add(20 * time.Hour)
		delivered := shipped.AddDate(0, 0, 1+(i*7)%6)
		promised := shipped.AddDate(0, 0, 4)
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: carriers[i%3], TrackingNumber: fmt.Sprint("M", i),
			PublicToken: storage.NewToken(), Stage: "delivered", DestCountry: "US", DestRegion: []string{"CA", "NY", "TX", "WA"}[i%4],
			ShippedAt: &shipped, DeliveredAt: &delivered, ETALatest: &promised, PageViews: i % 4, CreatedAt: created}
		if err := db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
	}
}

func TestAdminAnalyticsChartsRenderInChromium(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, chromedp.WindowSize(1200, 900))
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shopA, _ := seedAnalytics(t, a.db)
	seedMonth(t, a.db, shopA)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(loginLink(t, a, shopA.ID)),
		chromedp.Click(`form button`),
		chromedp.WaitVisible(`nav[aria-label="Admin"]`),
		chromedp.Navigate(base+"/admin/analytics"+novemberQuery),
		chromedp.WaitVisible(chromedp.ID("chart-trend")),
	); err != nil {
		t.Fatalf("load analytics: %v", err)
	}
	// Rendered sizes prove the SVG is laid out, not just present in the markup.
	sizes, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`({
		trendHeight: document.querySelector('#chart-trend').getBoundingClientRect().height,
		trendBars: document.querySelectorAll('#chart-trend rect').length,
		transitBars: [...document.querySelectorAll('#chart-transit rect')].filter(r => r.getBBox().height > 0).length,
		ontimeBars: document.querySelectorAll('#chart-ontime rect').length,
		lineLength: document.querySelector('#chart-ontime-trend polyline').getTotalLength(),
		trendLines: document.querySelectorAll('#chart-trend polyline').length,
	})`))
	if err != nil {
		t.Fatalf("measure charts: %v", err)
	}
	// The count chart has no rate line: counts and rates get a chart each.
	want := map[string]float64{"trendBars": 30, "transitBars": 6, "ontimeBars": 3, "trendLines": 0}
	for k, v := range want {
		if sizes[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, sizes[k], v, sizes)
		}
	}
	if sizes["trendHeight"] < 100 || sizes["lineLength"] <= 0 {
		t.Errorf("trend chart is not drawn: %v", sizes)
	}
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#chart-transit > text[text-anchor=end]')].map(t => t.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if seen[l] {
			t.Errorf("transit axis repeats %q: %v", l, labels)
		}
		seen[l] = true
	}
	browsertest.Screenshot(t, ctx, "admin/analytics")
}
