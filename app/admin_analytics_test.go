package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage"
)

// seedAnalytics gives shop A two UPS parcels (one on time, one late, with an
// "Address unknown" exception) and one USPS parcel without a promise, and
// shop B a DHL parcel whose failed attempt says "SHOP-B-ONLY".
func seedAnalytics(t *testing.T, db *storage.DB) (shopA, shopB *storage.Shop) {
	t.Helper()
	ctx := context.Background()
	shopA = &storage.Shop{Platform: storage.WooCommerce, Domain: "a.example", Name: "Shop A"}
	shopB = &storage.Shop{Platform: storage.WooCommerce, Domain: "b.example", Name: "Shop B"}
	for _, s := range []*storage.Shop{shopA, shopB} {
		if err := db.UpsertShop(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d, h int) *time.Time { t := time.Date(2026, 11, d, h, 0, 0, 0, time.UTC); return &t }
	n := 0
	ship := func(shop *storage.Shop, carrier string, delivered, promised *time.Time) *storage.Shipment {
		n++
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprint(n), Name: fmt.Sprint("#", n)}
		if _, err := db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: carrier, TrackingNumber: fmt.Sprint("N", n), PublicToken: storage.NewToken(),
			Stage: "delivered", DestCountry: "US", DestRegion: "TX", ShippedAt: day(2, 10), DeliveredAt: delivered, ETALatest: promised,
			PageViews: 2, CreatedAt: *day(2, 9)}
		if err := db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
		return s
	}
	event := func(s *storage.Shipment, problem, desc string) {
		n++
		e := &storage.TrackingEvent{ShopID: s.ShopID, ShipmentID: s.ID, Fingerprint: fmt.Sprint(n), OccurredAt: *day(3, 9),
			Stage: "in_transit", Problem: problem, Code: "X", Description: desc}
		if err := db.Gorm.Create(e).Error; err != nil {
			t.Fatal(err)
		}
	}
	ship(shopA, "ups", day(5, 12), day(5, 0))
	late := ship(shopA, "ups", day(6, 12), day(5, 0))
	event(late, "exception", "Address unknown")
	ship(shopA, "usps", day(4, 12), nil)
	other := ship(shopB, "dhl", day(4, 12), day(9, 0))
	event(other, "failed_attempt", "SHOP-B-ONLY")
	return shopA, shopB
}

const novemberQuery = "?from=2026-11-01&to=2026-11-30"

func TestAdminAnalyticsPageShowsOnlyTheShopsReport(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		shopA, _ := seedAnalytics(t, a.db)
		ck, _ := signInCookie(t, a, base, shopA.ID)
		res, body := apptest.Fetch(t, base+"/admin/analytics"+novemberQuery, nil, ck)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", res.StatusCode, body)
		}
		for _, want := range []string{
			`<div class="muted">Shipments</div><div class="stat">3</div>`,
			`<div class="muted">On time</div><div class="stat">50%</div>`,
			`<div class="muted">Exceptions</div><div class="stat">33%</div>`,
			`role="img" aria-labelledby="chart-transit-t chart-transit-d"`,
			`<title id="chart-ontime-t">On-time delivery by carrier</title>`,
			`UPS 50%, USPS no promised dates`,
			`Address unknown`,
			`<th scope="row">TX, US</th><td>3</td>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		for _, leak := range []string{"dhl", "SHOP-B-ONLY"} {
			if strings.Contains(body, leak) {
				t.Errorf("shop A's page shows shop B's %q", leak)
			}
		}
	})
}

func TestAdminAnalyticsCSVExportsTheReport(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		shopA, _ := seedAnalytics(t, a.db)
		ck, _ := signInCookie(t, a, base, shopA.ID)
		res, body := apptest.Fetch(t, base+"/admin/analytics.csv"+novemberQuery, nil, ck)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), `filename="ordertrack-analytics-2026-11-01-2026-11-30.csv"`) {
			t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("not CSV: %v", err)
		}
		got := map[string]string{}
		for _, r := range rows[1:] {
			got[strings.Join(r[:4], "|")] = r[4]
			if strings.Contains(strings.Join(r, ","), "dhl") || strings.Contains(strings.Join(r, ","), "SHOP-B-ONLY") {
				t.Errorf("shop A's CSV has shop B's row %v", r)
			}
		}
		// 2 Nov 2026 is a Monday: the 5th is 3 business days later, the 6th 4.
		for k, want := range map[string]string{
			"summary|all||shipments":         "3",
			"carrier|ups||on_time_rate":      "0.5000",
			"carrier|ups||exception_rate":    "0.5000",
			"transit|ups|3|deliveries":       "1",
			"transit|ups|4|deliveries":       "1",
			"transit|usps|2|deliveries":      "1",
			"summary|all||page_views":        "6",
			"trend|day|2026-11-02|shipments": "3",
		} {
			if got[k] != want {
				t.Errorf("csv %s = %q, want %q", k, got[k], want)
			}
		}
	})
}

// TestAdminAnalyticsCountsTheShopsDays: 03:00 UTC on 2 November is still
// the 1st for a New York shop, and its report says whose days it counts.
func TestAdminAnalyticsCountsTheShopsDays(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		ctx := context.Background()
		shop := &storage.Shop{Platform: storage.WooCommerce, Domain: "ny.example", Name: "NY", Timezone: "America/New_York"}
		if err := a.db.UpsertShop(ctx, shop); err != nil {
			t.Fatal(err)
		}
		o := &storage.Order{ShopID: shop.ID, PlatformID: "1", Name: "#1"}
		if _, err := a.db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: "N1", PublicToken: storage.NewToken(),
			Stage: "in_transit", CreatedAt: time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)}
		if err := a.db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
		ck, _ := signInCookie(t, a, base, shop.ID)
		_, body := apptest.Get(t, base+"/admin/analytics.csv"+novemberQuery, ck)
		for _, want := range []string{"range,,,zone,America/New_York\n", "trend,day,2026-11-01,shipments,1\n", "trend,day,2026-11-02,shipments,0\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("csv lacks %q:\n%s", want, body)
			}
		}
		if _, page := apptest.Get(t, base+"/admin/analytics"+novemberQuery, ck); !strings.Contains(page, "(America/New_York days)") {
			t.Errorf("page does not say whose days it counts")
		}
	})
}

func TestAdminAnalyticsRefusesStrangersAndBadRanges(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		shopA, _ := seedAnalytics(t, a.db)
		session, _ := signInCookie(t, a, base, shopA.ID)
		tests := []struct {
			name    string
			session *http.Cookie
			path    string
			want    int
		}{
			{"no session", nil, "/admin/analytics" + novemberQuery, http.StatusUnauthorized},
			{"no session csv", nil, "/admin/analytics.csv" + novemberQuery, http.StatusUnauthorized},
			{"reversed range", session, "/admin/analytics?from=2026-11-30&to=2026-11-01", http.StatusBadRequest},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if code, _ := apptest.Get(t, base+tt.path, tt.session); code != tt.want {
					t.Errorf("GET %s = %d, want %d", tt.path, code, tt.want)
				}
			})
		}
	})
}

// TestAdminAnalyticsCountsOrderLookupsAsContacts: a shopper who finds the
// order with the lookup form asked where it is, so the contact rate per
// carrier, per region and overall counts the lookup with requests and
// replies; a wrong guess counts nothing.
func TestAdminAnalyticsCountsOrderLookupsAsContacts(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := seedDueShipments(t, a, "asks.myshopify.com", 2)
		if code, _ := lookupFrom(t, base, shop.Domain, "203.0.113.9", "10.0.0.1", "#1001", "wrong@example.com"); code != http.StatusOK {
			t.Fatalf("wrong lookup answered %d", code)
		}
		if code, page := lookupFrom(t, base, shop.Domain, "203.0.113.9", "10.0.0.1", "#1001", "shopper0@asks.myshopify.com.example"); code != http.StatusOK || !strings.Contains(page, `id="ot-headline"`) {
			t.Fatalf("lookup answered %d; want the order's page", code)
		}
		s := signIn(t, a, base, shop.ID)
		for _, report := range []string{"carriers", "regions"} {
			_, body := s.get(base + "/admin/analytics.csv?report=" + report)
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(rows) != 2 {
				t.Fatalf("%s CSV = %q (%v); want a header and one row", report, body, err)
			}
			col := func(name string) string { return rows[1][slices.Index(rows[0], name)] }
			if col("requests") != "1" || col("contacted_shipments") != "1" || col("contact_rate") != "0.5000" {
				t.Errorf("%s CSV = %q; want the lookup as 1 contact of 2 shipments", report, body)
			}
		}
		if _, page := s.get(base + "/admin/analytics"); !strings.Contains(page, `<div class="muted">Contact rate</div><div class="stat">50%</div>`) {
			t.Error("the summary's contact rate leaves the lookup out")
		}
	})
}
