package shopify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestProductImagesFallsBackToTheProductsFeaturedImage(t *testing.T) {
	body, err := os.ReadFile("testdata/nodes_product_images.json")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query     string
			Variables struct{ IDs []string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !strings.Contains(req.Query, "nodes(ids: $ids)") {
			t.Errorf("request: %v, query %q", err, req.Query)
		}
		ids = req.Variables.IDs
		w.Write(body)
	}))
	defer srv.Close()
	app, err := NewApp(Config{APIKey: testKey, APISecret: testSecret, BaseURL: func(string) string { return srv.URL }})
	if err != nil {
		t.Fatal(err)
	}
	c := NewClient(app, NewRefresher(app, &memStore{tokens: map[string]Token{testShop: {AccessToken: "shpat_abc"}}}))
	asked := []string{"gid://shopify/ProductVariant/39072856", "gid://shopify/ProductVariant/808950810", "gid://shopify/Product/632910392", "gid://shopify/ProductVariant/1"}
	got, err := c.ProductImages(context.Background(), testShop, asked)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(asked) {
		t.Errorf("asked for %v; want %v", ids, asked)
	}
	const nano = "https://cdn.shopify.com/s/files/1/0005/4838/0009/products/ipod-nano.png?v=1704203951"
	want := map[string]string{
		asked[0]: nano, // no image of its own: the product's
		asked[1]: "https://cdn.shopify.com/s/files/1/0005/4838/0009/products/ipod-nano-2.png?v=1704203951",
		asked[2]: nano,
	}
	if len(got) != len(want) {
		t.Errorf("got %d images %v; want %d (none for the unknown variant)", len(got), got, len(want))
	}
	for id, url := range want {
		if got[id].URL != url {
			t.Errorf("%s: image %q; want %q", id, got[id].URL, url)
		}
	}
	if _, err := c.ProductImages(context.Background(), testShop, make([]string, MaxNodes+1)); err == nil {
		t.Error("more than MaxNodes ids accepted")
	}
}

func TestOrderWebhookLinesNameTheirVariant(t *testing.T) {
	raw, err := os.ReadFile("../../app/orders/testdata/shopify_order_450789469.json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ Order json.RawMessage }
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	o, err := DecodeOrder(env.Order)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, li := range o.LineItems {
		got = append(got, li.Product)
	}
	want := "gid://shopify/ProductVariant/39072856 gid://shopify/ProductVariant/49148385 gid://shopify/ProductVariant/457924702"
	if strings.Join(got, " ") != want {
		t.Errorf("line products %v; want %s", got, want)
	}
	custom := []byte(`{"id":1,"line_items":[{"id":2,"title":"Gift wrap","quantity":1,"product_id":null,"variant_id":null},{"id":3,"title":"Mug","quantity":1,"product_id":7,"variant_id":null}]}`)
	if o, err = DecodeOrder(custom); err != nil {
		t.Fatal(err)
	}
	if p0, p1 := o.LineItems[0].Product, o.LineItems[1].Product; p0 != "" || p1 != "gid://shopify/Product/7" {
		t.Errorf("custom line %q, deleted variant %q; want none and the product", p0, p1)
	}
}
