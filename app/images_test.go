package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
)

// Shopify's example order arrives by orders/create, which carries no
// images: the app reads its variants' images from Shopify (a variant's own,
// else its product's featured image) and the tracking page shows them.
func TestWebhookOrderShowsProductImages(t *testing.T) {
	t.Parallel()
	const (
		product = "https://cdn.shopify.com/s/files/1/0005/4838/0009/products/ipod-nano.png?v=1704203951"
		black   = "https://cdn.shopify.com/s/files/1/0005/4838/0009/products/ipod-nano-2.png?v=1704203951"
	)
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		fake := shopifytest.NewServer(t, testAPIKey, testSecret)
		fake.Scopes = defaultShopifyScopes
		fake.AddProduct(shopA, shopifytest.Product{
			ID: 632910392, FeaturedImage: &shopifytest.Image{URL: product, AltText: "IPod Nano - 8GB"},
			Variants: map[int64]*shopifytest.Image{39072856: nil, 49148385: nil, 457924702: {URL: black}},
		})
		a, base := startApp(t, dbURL, Config{ShopifyAPIKey: testAPIKey, ShopifyScopes: defaultShopifyScopes}, withShopify(fake.BaseURL))
		if res, _ := apptest.Fetch(t, base+"/admin", bearer(shopA, time.Now())); res.StatusCode != http.StatusOK {
			t.Fatalf("embedded load: status %d; want 200", res.StatusCode)
		}
		var shop *storage.Shop
		apptest.WaitUntil(t, "the installed shop", func() bool {
			s, err := a.db.ShopByDomain(context.Background(), storage.Shopify, shopA)
			shop = s
			return err == nil
		})
		body := lifecycleFixture(t, "shopify_order_450789469.json", "order", nil)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "orders/create", "img-1", body, testSecret); code != http.StatusOK {
			t.Fatalf("orders/create: status %d", code)
		}
		var page string
		apptest.WaitUntil(t, "the page with the items' images", func() bool {
			_, page = apptest.PostForm(t, base+"/track?shop="+shop.Domain, url.Values{"order": {"1001"}, "contact": {"bob.norman@hostmail.com"}})
			return strings.Contains(page, `id="ot-headline"`) && strings.Contains(page, `ipod-nano`)
		})
		for _, want := range []string{
			`<img src="` + strings.ReplaceAll(product, "&", "&amp;") + `"`, // green and red: the product's
			`<img src="` + black + `"`,                                     // black: its own
		} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		if n := strings.Count(page, "<img "); n != 3 {
			t.Errorf("%d images on the page; want one per line (3)", n)
		}
		// A merchant's email lists the items' images: the message reads the
		// same cache as the page.
		if _, err := a.db.Scope(shop.ID).SaveTemplates(context.Background(), "shipped", "en", map[string]string{
			"email.text": "{% for item in order.line_items %}{{ item.title }}: {{ item.image_url }}\n{% endfor %}",
		}); err != nil {
			t.Fatal(err)
		}
		// The parcel shipping all three lines (fulfillments/create, whose
		// lines carry no images either), as the extension reads it.
		ful := lifecycleFixture(t, "shopify_fulfillment_1022782888.json", "fulfillment", nil)
		if code := apptest.PostShopifyWebhook(t, base, shopA, "fulfillments/create", "img-2", ful, testSecret); code != http.StatusOK {
			t.Fatalf("fulfillments/create: status %d", code)
		}
		var ship storage.Shipment
		apptest.WaitUntil(t, "the parcel", func() bool {
			return a.db.Gorm.Where("shop_id = ? AND tracking_number = ?", shop.ID, "123456789").Take(&ship).Error == nil
		})
		_, js := apptest.Fetch(t, base+"/api/track/"+ship.PublicToken, nil)
		if strings.Count(js, `"image_url":"`+black+`"`) != 1 || !strings.Contains(js, "ipod-nano.png") {
			t.Errorf("extension JSON lacks the parcel's images: %s", js)
		}
		if len(page) >= 50<<10 {
			t.Errorf("page is %d bytes; want under 50 KB", len(page))
		}
		t.Logf("page: %d bytes", len(page))
		if n := fake.Stats(shopA).GraphQLRequests; n > 3 {
			t.Errorf("%d GraphQL requests; want the identity read and one nodes read", n)
		}
		var mail storage.Notification
		apptest.WaitUntil(t, "the shipped email", func() bool {
			return a.db.Gorm.Where("shop_id = ? AND trigger = ? AND channel = ?", shop.ID, "shipped", "email").Take(&mail).Error == nil && mail.Body != ""
		})
		if !strings.Contains(mail.Body, black) || !strings.Contains(mail.Body, product) {
			t.Errorf("shipped email (%s %s) lacks the items' images:\n%s", mail.Status, mail.Error, mail.Body)
		}
		// The default HTML email, which the merchant left alone, shows each
		// line with its picture too.
		if !strings.Contains(mail.HTML, `<img src="`+black+`"`) || strings.Count(mail.HTML, `width="48" height="48"`) != 3 {
			t.Errorf("default HTML email lacks a picture per line:\n%s", mail.HTML)
		}
	})
}
