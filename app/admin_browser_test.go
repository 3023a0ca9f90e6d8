package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// browse runs steps and fails the test with what it was doing.
func browse(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitJS polls a JavaScript condition until it holds, across page loads
// (a form post replaces the document while we wait).
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(()=>{try{return !!(`+expr+`)}catch(e){return false}})()`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + (document.querySelector("main") || document.body).innerText.slice(0, 3000)`))
			t.Fatalf("timed out waiting for %s (%s) on %s", what, expr, page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func jsText(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return s
}

func adminShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	browsertest.Screenshot(t, ctx, "admin/"+name)
}

// typeSMS replaces the SMS textarea with first and types rest, as a
// merchant would, so the page's input handler runs.
func typeSMS(t *testing.T, ctx context.Context, first, rest string) {
	t.Helper()
	js, _ := json.Marshal(first)
	browse(t, ctx, "type into the SMS template",
		chromedp.Evaluate[chromedp.Void](`document.getElementById("p-sms").value = `+string(js)),
		chromedp.SendKeys(chromedp.ID("p-sms"), rest))
}

// clickAndLoad clicks a button that submits a form and waits for the page
// it leads to, recognised by cond.
func clickAndLoad(t *testing.T, ctx context.Context, button, cond string) {
	t.Helper()
	browse(t, ctx, "mark the page", chromedp.Evaluate[chromedp.Void](`window.__old = true`))
	browse(t, ctx, "click "+button, chromedp.Click(chromedp.CSS(button)))
	waitJS(t, ctx, "the page after "+button, `!window.__old && document.readyState === "complete" && (`+cond+`)`)
}

func TestBrowserTemplateEditorPreviewsRejectsSavesAndRestores(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, chromedp.WindowSize(1280, 900))
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	const edit = "/admin/templates/shipped/sms/en"

	browse(t, ctx, "sign in", chromedp.Navigate(loginLink(t, a, shop.ID)), chromedp.Click(`form button`))
	waitJS(t, ctx, "the admin home", `location.pathname === "/admin"`)
	browse(t, ctx, "open the SMS shipped editor", chromedp.Navigate(base+edit), chromedp.WaitVisible(chromedp.ID("p-sms")))

	// Typing updates the preview and its segment count.
	v1 := "V1 {{ order.name }} ships with {{ shipment.carrier_name }}. " + strings.Repeat("Track it any time. ", 9)
	typeSMS(t, ctx, "", v1)
	waitJS(t, ctx, "the preview of the typed text", `document.getElementById("pv-text").textContent.startsWith("V1 #1042 ships with UPS.") && document.getElementById("pv-sms").textContent.startsWith("2 segment(s) · GSM-7")`)
	adminShot(t, ctx, "sms-editor-preview")
	clickAndLoad(t, ctx, `button[value="save"]`, `location.search.includes("saved=1")`)
	if v := smsVersions(t, a, shop.ID); len(v) != 1 || v[0].Body != v1 {
		t.Fatalf("after the first save: %+v; want version 1 with the typed text", v)
	}

	// A broken line 2 is reported at its line, live and on save, and
	// nothing is stored.
	typeSMS(t, ctx, "Broken edit", "\n{{ shipment.nope | nofilter }}")
	waitJS(t, ctx, "the live error on line 2", `document.getElementById("e-sms").textContent.includes("Line 2:")`)
	clickAndLoad(t, ctx, `button[value="save"]`, `document.querySelector(".alert")`)
	errText := jsText(t, ctx, `document.getElementById("e-sms").textContent`)
	if !strings.Contains(errText, "Line 2:") || !strings.Contains(errText, "{{ shipment.nope | nofilter }}") {
		t.Errorf("error beside the textarea = %q; want line 2 and its source", errText)
	}
	if sel := jsText(t, ctx, `(()=>{const t=document.getElementById("p-sms");return t.value.slice(t.selectionStart,t.selectionEnd)})()`); sel != "{{ shipment.nope | nofilter }}" {
		t.Errorf("selected text in the textarea = %q; want the broken line highlighted", sel)
	}
	adminShot(t, ctx, "sms-editor-error")
	if v := smsVersions(t, a, shop.ID); len(v) != 1 {
		t.Fatalf("after the rejected save: %d versions; want 1", len(v))
	}
	if got := liveShippedSMS(t, a, shop.ID); !strings.HasPrefix(got, "V1 #1042") {
		t.Errorf("live SMS after the rejected save = %q; want version 1", got)
	}

	typeSMS(t, ctx, "", "V2 {{ order.name }} is on its way")
	clickAndLoad(t, ctx, `button[value="save"]`, `location.search.includes("saved=1")`)
	if v := smsVersions(t, a, shop.ID); len(v) != 2 || v[0].Version != 2 || !strings.HasPrefix(v[0].Body, "V2") {
		t.Fatalf("after the valid change: %+v; want version 2", v)
	}

	clickAndLoad(t, ctx, `button[aria-label="Restore version 1 of SMS text"]`, `location.search.includes("restored=1")`)
	v := smsVersions(t, a, shop.ID)
	if len(v) != 3 || v[0].Version != 3 || v[0].Body != v1 {
		t.Fatalf("after restoring version 1: %+v; want version 3 with version 1's text", v)
	}
	if got := jsText(t, ctx, `document.getElementById("p-sms").value`); got != v1 {
		t.Errorf("editor after restore shows %q; want version 1's text", got)
	}
	adminShot(t, ctx, "sms-editor-restored")

	browse(t, ctx, "open the email editor", chromedp.Navigate(base+"/admin/templates/shipped/email/en"), chromedp.WaitVisible(chromedp.ID("pv-html")))
	if sb := jsText(t, ctx, `document.getElementById("pv-html").getAttribute("sandbox")`); sb != "" {
		t.Errorf("email preview sandbox = %q; want an empty sandbox (no scripts)", sb)
	}
	adminShot(t, ctx, "email-editor")
	browse(t, ctx, "open the template list", chromedp.Navigate(base+"/admin/templates"))
	if cell := jsText(t, ctx, `document.querySelector('a[href="`+edit+`"]').textContent`); cell != "customized v3" {
		t.Errorf("template list shows %q for shipped sms en; want customized v3", cell)
	}
}

func TestBrowserSettingsChangeTrackingPageColour(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, chromedp.WindowSize(1280, 900))
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	token := seedShipment(t, a, shop.ID)

	browse(t, ctx, "sign in", chromedp.Navigate(loginLink(t, a, shop.ID)), chromedp.Click(`form button`))
	waitJS(t, ctx, "the admin home", `location.pathname === "/admin"`)
	browse(t, ctx, "open settings", chromedp.Navigate(base+"/admin/settings"), chromedp.WaitVisible(chromedp.ID("primary_color")))
	browse(t, ctx, "enter an invalid colour", chromedp.SetValue(chromedp.ID("primary_color"), "green"))
	clickAndLoad(t, ctx, `.save button`, `document.querySelector(".alert")`)
	if msg := jsText(t, ctx, `document.getElementById("err-primary_color").textContent`); !strings.Contains(msg, "hex colour") {
		t.Errorf("colour error = %q; want a hint to use a hex colour", msg)
	}
	adminShot(t, ctx, "settings-error")
	browse(t, ctx, "enter a valid colour", chromedp.SetValue(chromedp.ID("primary_color"), "#0b6e4f"))
	clickAndLoad(t, ctx, `.save button`, `location.search.includes("saved=1")`)
	adminShot(t, ctx, "settings-saved")

	browse(t, ctx, "open the tracking page", chromedp.Navigate(base+"/t/"+token), chromedp.WaitVisible(chromedp.CSS(".ot")))
	if got := jsText(t, ctx, `getComputedStyle(document.querySelector(".ot")).getPropertyValue("--ot-brand").trim()`); got != "#0b6e4f" {
		t.Errorf("tracking page --ot-brand = %q; want the saved #0b6e4f", got)
	}
	adminShot(t, ctx, "tracking-page-branded")
}

// seedShipment stores an order with one in-transit shipment and returns
// its public token.
func seedShipment(t *testing.T, a *App, shopID int64) string {
	t.Helper()
	ctx := context.Background()
	o := &storage.Order{ShopID: shopID, PlatformID: "9001", Name: "#9001", Email: "ana@example.com", CustomerName: "Ana García", Locale: "en", Currency: "USD", Total: "42.00"}
	if _, err := a.db.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	s := &storage.Shipment{ShopID: shopID, OrderID: o.ID, Carrier: "ups", TrackingNumber: "1Z999AA10123456784", Stage: "in_transit"}
	if _, err := a.db.UpsertShipment(ctx, s); err != nil {
		t.Fatal(err)
	}
	if s.PublicToken == "" {
		t.Fatal("shipment has no public token")
	}
	return s.PublicToken
}
