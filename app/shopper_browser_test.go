package app

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestBrowserTrackingNumberCopiesAndStaysWhole opens a tracking page served
// by the app, with its real Content-Security-Policy, at desktop and phone
// widths: a 30-digit USPS number stays on one line and is never cut off,
// the Copy button (the page's one script, allowed by its hash) copies it,
// and with JavaScript off the page offers no dead button.
func TestBrowserTrackingNumberCopiesAndStaysWhole(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t)
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	token := seedProblem(t, a, "copy.myshopify.com", "", "IT", "Departed facility")
	const number = "420941059261290316003543210987"
	if err := a.db.Gorm.Model(&storage.Shipment{}).Where("public_token = ?", token).Updates(map[string]any{"tracking_number": number, "carrier": "usps"}).Error; err != nil {
		t.Fatal(err)
	}
	browse(t, ctx, "allow the clipboard", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: base,
			}); err != nil {
				return err
			}
		}
		return nil
	}))

	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 360, 740, true}} {
		t.Run(w.name, func(t *testing.T) {
			opts := []chromedp.EmulateViewportOption{}
			if w.mobile {
				opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
			}
			browse(t, ctx, "open the page", chromedp.EmulateViewport(w.width, w.height, opts...), chromedp.Navigate(base+"/t/"+token), chromedp.WaitVisible(chromedp.CSS("button.ot-copy")))
			if got := jsText(t, ctx, `(() => { const n = document.querySelector(".ot-num"); const r = document.createRange(); r.selectNodeContents(n); const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top))); return tops.size + " line(s), " + (n.scrollWidth > n.clientWidth ? "cut off (" + n.scrollWidth + " > " + n.clientWidth + " px)" : "whole") })()`); got != "1 line(s), whole" {
				t.Errorf("the tracking number at %d px: %s; want 1 line(s), whole", w.width, got)
			}
			if jsText(t, ctx, `String(document.documentElement.scrollWidth > window.innerWidth)`) != "false" {
				t.Errorf("page scrolls sideways at %d px", w.width)
			}
			browsertest.Screenshot(t, ctx, "tracking-number-"+w.name)
			browse(t, ctx, "tap Copy", chromedp.Click(chromedp.CSS("button.ot-copy")))
			waitJS(t, ctx, "the button to say Copied", `document.querySelector("button.ot-copy").textContent === "Copied"`)
			copied, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("read the clipboard: %v", err)
			}
			if copied != number {
				t.Errorf("clipboard holds %q; want %q", copied, number)
			}
		})
	}

	t.Run("without JavaScript", func(t *testing.T) {
		browse(t, ctx, "turn scripts off and reload", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}), chromedp.Navigate(base+"/t/"+token), chromedp.WaitVisible(chromedp.ID("ot-headline")))
		visible := jsText(t, ctx, `String(getComputedStyle(document.querySelector("button.ot-copy")).display !== "none")`) == "true"
		if visible {
			t.Error("the Copy button shows without JavaScript, where it cannot work")
		}
	})
}
