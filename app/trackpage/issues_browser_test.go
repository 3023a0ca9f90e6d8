package trackpage

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/app/tracking"
)

// TestBrowserIssuePagesOnAPhone opens each problem's page at 360 px, as a
// small phone shows it: the tracking number stays on one line, the
// #actions link of every message lands on the actions, nothing overflows
// sideways, and the answered page no longer reads as a problem. The
// screenshots are kept as artifacts.
func TestBrowserIssuePagesOnAPhone(t *testing.T) {
	ctx := browsertest.New(t)
	r := newRenderer(t)
	srv := site(t, nil, "")

	answered := problemView(t, tracking.StageOutForDelivery, tracking.ProblemFailedAttempt, "FA", "Delivery attempted; no access")
	answered.Shipments[0].Requests = []Request{{Kind: ActionReschedule, At: time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC), Date: answered.Shipments[0].Actions[0].Dates[1]}}
	japanese := problemView(t, tracking.StageAvailableForPickup, tracking.ProblemNone, "PA", "Held at access point; available for pickup")
	japanese.Locale = "ja"
	long := problemView(t, tracking.StageInTransit, tracking.ProblemActionRequired, "CF", "Import duty due; pay to release the package")
	long.Shipments[0].Number = "420941059261290316003543210987"

	pages := []struct {
		name     string
		v        View
		h1       string
		problem  bool
		shipTo   bool
		hasFocus string
	}{
		{"duty-due-360", long, "Import duty is due on your package", true, true, "Pay on the UPS website"},
		{"address-360", problemView(t, tracking.StageInTransit, tracking.ProblemActionRequired, "AX", "Address information needed"), "The carrier needs your delivery address", true, true, "Yes, my address is correct"},
		{"answered-reschedule-360", answered, "Thanks, your answer reached the store", false, true, ""},
		{"pickup-ja-360", japanese, "荷物の受け取りができます", false, true, ""},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			page := site(t, mustRender(t, r, withImages(p.v, srv.URL)), "text/html; charset=utf-8")
			stop := consoleWatch(t, ctx)
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulatePortrait),
				chromedp.Navigate(page.URL+"/#actions"),
				chromedp.WaitVisible(chromedp.ID("ot-headline")),
			); err != nil {
				t.Fatalf("load: %v", err)
			}
			h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("ot-headline")))
			if err != nil {
				t.Fatal(err)
			}
			if h1 != p.h1 {
				t.Errorf("h1 = %q; want %q", h1, p.h1)
			}
			lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const n = document.querySelector('.ot-num'); const r = document.createRange(); r.selectNodeContents(n); const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top))); return tops.size })()`))
			if err != nil {
				t.Fatal(err)
			}
			if lines != 1 {
				t.Errorf("the tracking number spans %d lines at 360 px; want 1", lines)
			}
			target, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const a = document.getElementById('actions'); if (!a) return false; const r = a.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight })()`))
			if err != nil {
				t.Fatal(err)
			}
			if !target {
				t.Error("#actions does not land on the actions")
			}
			isProblem, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.ot-hero').classList.contains('is-problem')`))
			if err != nil {
				t.Fatal(err)
			}
			if isProblem != p.problem {
				t.Errorf("hero is-problem = %v; want %v", isProblem, p.problem)
			}
			if p.hasFocus != "" {
				found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('#actions a, #actions button')].some(e => e.textContent.trim() === `+"`"+p.hasFocus+"`"+` && e.offsetHeight >= 40)`))
				if err != nil {
					t.Fatal(err)
				}
				if !found {
					t.Errorf("no tappable %q in #actions", p.hasFocus)
				}
			}
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if overflow {
				t.Error("page is wider than 360 px")
			}
			screenshot(t, ctx, p.name, 360, 740, true, true)
			if msgs := stop(); len(msgs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(msgs, "\n"))
			}
		})
	}
}
