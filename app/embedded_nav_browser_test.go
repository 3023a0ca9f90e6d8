package app

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestBrowserEmbeddedLinksAndFormsCarrySessionTokens(t *testing.T) {
	t.Parallel()
	// App Bridge comes from Shopify's CDN, out of reach here: fail its load
	// at once and stand in for shopify.idToken, counting the tokens asked for.
	ctx := browsertest.New(t, chromedp.WindowSize(1200, 900), chromedp.Flag("host-resolver-rules", "MAP cdn.shopify.com ~NOTFOUND"))
	a, base, fake := startShopifyApp(t, storagetest.URL(t, storage.SQLite), nil)
	shop := installTestShop(t, a, fake, shopA, time.Hour)
	id := failedDelivery(t, a, shop, shopifytest.SampleOrder(7002, time.Now()).WebhookJSON())
	token, _ := json.Marshal(shopifytest.SessionToken(testAPIKey, testSecret, shopA, "42", time.Now()))
	stub := `window.shopify = {idToken: async () => { sessionStorage.tokens = (+sessionStorage.tokens || 0) + 1; return ` + string(token) + ` }}`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: stub}); err != nil {
		t.Fatalf("install the App Bridge stand-in: %v", err)
	}
	const signedIn = `q.get("id_token") && q.get("shop") === "` + shopA + `" && q.get("embedded") === "1"`
	browse(t, ctx, "open the embedded webhooks page", chromedp.Navigate(embeddedURL(base, "/admin/webhooks", shopA, time.Now())))
	waitJS(t, ctx, "the replay button", `document.querySelector("form[action$='/replay'] button")`)

	clickAndLoad(t, ctx, "form[action$='/replay'] button", `(q => location.pathname === "/admin/webhooks" && `+signedIn+`)(new URLSearchParams(location.search))`)
	apptest.WaitUntil(t, "the replayed delivery processed", func() bool { return deliveryStatus(t, a, id) == storage.DeliveryProcessed })

	clickAndLoad(t, ctx, `a[href="/admin/shipments"]`, `(q => location.pathname === "/admin/shipments" && `+signedIn+` && q.get("host"))(new URLSearchParams(location.search))`)
	browse(t, ctx, "pick a stage", chromedp.SetValue(chromedp.CSS(`select[name="stage"]`), "delivered"))
	clickAndLoad(t, ctx, `form[role="search"] button`, `(q => location.pathname === "/admin/shipments" && q.get("stage") === "delivered" && `+signedIn+`)(new URLSearchParams(location.search))`)
	if h1 := jsText(t, ctx, `document.querySelector("h1").textContent`); h1 != "Shipments" {
		t.Fatalf("after filtering the page shows %q; want the shipments page, signed in", h1)
	}

	// The editor's Save is one of three submit buttons: the post must still
	// say which one was pressed.
	browse(t, ctx, "open the embedded SMS editor", chromedp.Navigate(embeddedURL(base, "/admin/templates/shipped/sms/en", shopA, time.Now())), chromedp.WaitVisible(chromedp.ID("p-sms")))
	const sms = "Embedded {{ order.name }} is on its way."
	browse(t, ctx, "edit the SMS", chromedp.SetValue(chromedp.ID("p-sms"), sms))
	clickAndLoad(t, ctx, `button[value="save"]`, `(q => q.get("saved") === "1" && `+signedIn+`)(new URLSearchParams(location.search))`)
	if v := smsVersions(t, a, shop.ID); len(v) != 1 || v[0].Body != sms {
		t.Fatalf("after an embedded save: %+v; want one version with the edited text", v)
	}
	if n := jsText(t, ctx, `sessionStorage.tokens`); n != "4" {
		t.Fatalf("App Bridge asked for %s session tokens; want 4 (replay, link, filter, save)", n)
	}
}
