package app

import (
	"context"
	"github.com/ordertrack/ordertrack/app/apptest"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// seedProblem stores a shop, an order shipping to San Francisco and one UPS
// shipment whose latest scan raised problem with the carrier's code and
// words, and returns the shipment's token.
func seedProblem(t *testing.T, a *App, domain, problem, code, desc string) string {
	t.Helper()
	ctx := context.Background()
	shop := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: "Maple & Moss"}
	if err := a.db.UpsertShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	o := &storage.Order{ShopID: shop.ID, PlatformID: domain, Name: "#1001", Email: "ana@example.com", Locale: "en", Currency: "USD", Total: "84.00",
		ShippingAddress: storage.JSON[storage.Address]{V: storage.Address{Name: "Ana Lopez", Address1: "500 Market St", City: "San Francisco", Region: "CA", PostalCode: "94105", Country: "US"}},
		LineItems:       storage.JSON[[]storage.LineItem]{V: []storage.LineItem{{Title: "Linen shirt", Variant: "Blue / M", Quantity: 2, Price: "42.00"}}},
	}
	if err := a.db.Gorm.Create(o).Error; err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: "1Z999AA10123456784",
		PublicToken: storage.NewToken(), Stage: "in_transit", Problem: problem, ProblemAt: &at}
	if err := a.db.Gorm.Create(s).Error; err != nil {
		t.Fatal(err)
	}
	e := &storage.TrackingEvent{ShopID: shop.ID, ShipmentID: s.ID, Fingerprint: "fp1", OccurredAt: at, Stage: "in_transit", Problem: problem,
		Code: code, Description: desc, City: "San Francisco", Region: "CA", Country: "US"}
	if err := a.db.Gorm.Create(e).Error; err != nil {
		t.Fatal(err)
	}
	return s.PublicToken
}

func getPage(t *testing.T, u string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/html")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, b)
	}
	return string(b)
}

var pageCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestDutyDueAsksToPayThenThanksTheShopper walks the shopper's side of an
// import-duty hold: the page sends them to the carrier to pay (no address
// buttons), their message to the store is acknowledged in the hero, and the
// carrier's release scan ends the issue.
func TestDutyDueAsksToPayThenThanksTheShopper(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	token := seedProblem(t, a, "duty.myshopify.com", "action_required", "CF", "Import duty due; pay to release the package")

	page := getPage(t, base+"/t/"+token)
	for _, want := range []string{"Import duty is due on your package", `href="https://www.ups.com/track?tracknum=1Z999AA10123456784" rel="noopener noreferrer">Pay on the UPS website</a>`,
		`id="actions"`, "Ana Lopez<br>500 Market St", `<span class="ot-price">$42.00</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("duty page lacks %q", want)
		}
	}
	if strings.Contains(page, "Yes, my address is correct") {
		t.Error("duty page offers the address buttons")
	}

	m := pageCSRF.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no action form")
	}
	res, err := apptest.NoRedirect.PostForm(base+"/t/"+token+"/actions", url.Values{"_csrf": {m[1]}, "kind": {"contact_support"}, "note": {"I paid the duty already"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d", res.StatusCode)
	}
	page = getPage(t, base+"/t/"+token)
	for _, want := range []string{"Thanks, your answer reached the store", "Answer sent", "“I paid the duty already”"} {
		if !strings.Contains(page, want) {
			t.Errorf("answered page lacks %q", want)
		}
	}
	if strings.Contains(page, `<p class="ot-tag">Action needed</p>`) {
		t.Error(`answered page still says "Action needed"`)
	}
}

// The lookup takes only an order number and an email: it shows the page in
// place, read-only, and never hands out the token that opens the full page
// (address, actions, opt-in).
func TestLookupMasksTheShippingAddress(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	token := seedProblem(t, a, "mask.myshopify.com", "action_required", "AX", "Address information needed; contact the carrier")
	res, err := http.PostForm(base+"/track?shop=mask.myshopify.com", url.Values{"order": {"#1001"}, "contact": {"ana@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(b)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "A. L.<br>•••<br>San Francisco, CA 941••<br>US") {
		t.Fatalf("lookup page: %d, masked address missing", res.StatusCode)
	}
	for _, bad := range []string{"Ana Lopez", "500 Market", "94105", token, "<form", res.Header.Get("Location")} {
		if bad != "" && strings.Contains(page, bad) {
			t.Errorf("lookup page shows %q", bad)
		}
	}
	if res.Request.URL.Path != "/track" || !strings.Contains(page, "open the tracking link in your order emails or texts") {
		t.Errorf("lookup answered at %s; want the read-only page in place, pointing to the private link", res.Request.URL)
	}
	if _, full := apptest.Get(t, base+"/t/"+token); !strings.Contains(full, "500 Market St") || !strings.Contains(full, "<form") {
		t.Error("the private link lost the address or the actions")
	}
}
