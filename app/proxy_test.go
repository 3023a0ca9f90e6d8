package app

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
)

func proxyURL(base, shop string, q url.Values) string {
	q.Set("shop", shop)
	q.Set("logged_in_customer_id", "")
	q.Set("path_prefix", "/apps/track")
	q.Set("timestamp", strconvNow())
	return base + "/apps/track?" + shopifytest.SignProxyQuery(testSecret, q, time.Now()).Encode()
}

func strconvNow() string { return strconv.FormatInt(time.Now().Unix(), 10) }

func TestAppProxyServesOnlyThatShopsOrders(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		tokA := seedOrder(t, a, "shop-a.myshopify.com", "#1001", "ana@example.com")
		tokB := seedOrder(t, a, "shop-b.myshopify.com", "#2001", "bo@example.com")

		res, err := http.Get(proxyURL(base, "shop-a.myshopify.com", url.Values{"t": {tokA}}))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/liquid") || !strings.Contains(string(body), "1Z999AA10123456784") {
			t.Fatalf("signed proxy request: %d %s; want 200 liquid with the shipment", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if code, _ := apptest.Get(t, proxyURL(base, "shop-a.myshopify.com", url.Values{"t": {tokB}})); code != http.StatusNotFound {
			t.Fatalf("shop A's proxy asking for shop B's shipment = %d; want 404", code)
		}
		if code, _ := apptest.Get(t, base+"/apps/track?shop=shop-a.myshopify.com&t="+tokA+"&signature=00"); code != http.StatusUnauthorized {
			t.Fatalf("unsigned proxy request = %d; want 401", code)
		}
	})
}

func TestAppProxyLookupLeaksNothing(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		token := seedOrder(t, a, "shop-a.myshopify.com", "#1001", "ana@example.com")
		post := func(order, contact string) (int, string) {
			res, err := http.PostForm(proxyURL(base, "shop-a.myshopify.com", url.Values{}), url.Values{"order": {order}, "contact": {contact}})
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}
		if code, body := post("1001", "ana@example.com"); code != http.StatusOK || !strings.Contains(body, "1Z999AA10123456784") || strings.Contains(body, token) {
			t.Fatalf("right order and email = %d (token shown: %v); want the read-only tracking fragment", code, strings.Contains(body, token))
		}
		// The form echoes what was typed; apart from that the answers must match.
		codeOrder, wrongOrder := post("9999", "ana@example.com")
		codeEmail, wrongEmail := post("1001", "eve@example.com")
		wrongOrder = strings.NewReplacer(`value="9999"`, "X", `value="ana@example.com"`, "Y").Replace(wrongOrder)
		wrongEmail = strings.NewReplacer(`value="1001"`, "X", `value="eve@example.com"`, "Y").Replace(wrongEmail)
		if codeOrder != http.StatusOK || codeEmail != http.StatusOK || wrongOrder != wrongEmail {
			t.Fatalf("wrong order (%d) and wrong email (%d) answers differ; they must be identical", codeOrder, codeEmail)
		}
	})
}
