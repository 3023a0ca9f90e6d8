package trackpage

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ordertrack/ordertrack/app/browsertest"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
)

// site serves one rendered page at / and square PNGs under /img/, over TLS.
func site(t *testing.T, body []byte, contentType string) *httptest.Server {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 112, 112))
	for x := range 112 {
		for y := range 112 {
			img.Set(x, y, color.RGBA{R: uint8(120 + x/2), G: uint8(140 + y/3), B: 170, A: 255})
		}
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	})
	mux.HandleFunc("GET /img/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBuf.Bytes())
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// withImages points the view's logo and product images at srv.
func withImages(v View, srv string) View {
	v.Shop.LogoURL = ""
	v.Order.Items = append([]Item(nil), v.Order.Items...)
	for i := range v.Order.Items {
		v.Order.Items[i].ImageURL = srv + "/img/item.png"
	}
	for s := range v.Shipments {
		v.Shipments[s].Items = append([]Item(nil), v.Shipments[s].Items...)
		for i := range v.Shipments[s].Items {
			v.Shipments[s].Items[i].ImageURL = srv + "/img/item.png"
		}
	}
	return v
}

// artifactDir is where screenshots go: $ARTIFACTS_DIR, or the gitignored
// testdata-artifacts at the module root.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "testdata-artifacts")
	}
	dir = filepath.Join(dir, "trackpage")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create artifact dir: %v", err)
	}
	return dir
}

// consoleWatch collects console messages of warning level and above from
// the moment it is called; stop flushes them with a sentinel log line.
func consoleWatch(t *testing.T, ctx context.Context) (stop func() []string) {
	t.Helper()
	var (
		mu   sync.Mutex
		got  []string
		done = make(chan struct{})
	)
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil || m.Text == "ot-test-done" {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				got = append(got, m.String())
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`console.log("ot-test-done")`)); err != nil {
			t.Fatalf("flush console: %v", err)
		}
		<-done
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

func screenshot(t *testing.T, ctx context.Context, name string, width, height int64, mobile, full bool) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, opts...)); err != nil {
		t.Fatalf("emulate %dx%d: %v", width, height, err)
	}
	capture := chromedp.FullScreenshot(100)
	if !full {
		capture = chromedp.CaptureScreenshot()
	}
	shot, err := chromedp.Run(ctx, capture)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifactDir(t), name+".png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
}

func TestBrowserShowsHeadlineAndReachesActionsByKeyboard(t *testing.T) {
	ctx := browsertest.New(t)
	r := newRenderer(t)

	// Render once to learn the server URL, then again with images on it.
	srv := site(t, nil, "")
	v := withImages(inTransit(t), srv.URL)
	v.Shipments[0].Problem = tracking.ProblemFailedAttempt
	v.Shipments[0].Actions = allActions(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	var body bytes.Buffer
	if err := r.Render(&body, v); err != nil {
		t.Fatalf("Render: %v", err)
	}
	srv = site(t, body.Bytes(), "text/html; charset=utf-8")

	stop := consoleWatch(t, ctx)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("ot-headline")),
	); err != nil {
		t.Fatalf("load page: %v", err)
	}
	headline, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("ot-headline")))
	if err != nil {
		t.Fatalf("read headline: %v", err)
	}
	want, _ := locale.ForLocale("en").Copy(tracking.StageInTransit, tracking.ProblemFailedAttempt, false)
	if headline != want {
		t.Errorf("headline = %q, want %q", headline, want)
	}

	// Tab from the top of the page until the first action button has focus.
	var focused []string
	reached := false
	for range 30 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatalf("press tab: %v", err)
		}
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.tagName + ":" + document.activeElement.textContent.trim()`))
		if err != nil {
			t.Fatalf("read focus: %v", err)
		}
		focused = append(focused, text)
		if text == "BUTTON:Yes, my address is correct" {
			reached = true
			break
		}
	}
	if !reached {
		t.Errorf("tab never reached the confirm-address button; focus went to:\n%s", strings.Join(focused, "\n"))
	}
	outline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
	if err != nil {
		t.Fatalf("read outline: %v", err)
	}
	if reached && outline != "solid" {
		t.Errorf("focused button outline = %q, want a visible solid focus ring", outline)
	}

	screenshot(t, ctx, "failed-attempt-mobile", 390, 844, true, true)
	screenshot(t, ctx, "failed-attempt-desktop", 1280, 900, false, true)
	if msgs := stop(); len(msgs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(msgs, "\n"))
	}
}

func TestBrowserRendersEveryPageCleanly(t *testing.T) {
	ctx := browsertest.New(t)
	r := newRenderer(t)
	srv := site(t, nil, "")

	delivered := inTransit(t)
	delivered.Locale = "de"
	delivered.Shipments[0].Stage = tracking.StageDelivered
	delivered.Shipments[0].Events = append(delivered.Shipments[0].Events, tracking.Event{
		Time: time.Date(2026, 11, 24, 16, 2, 0, 0, time.UTC), Stage: tracking.StageDelivered,
		Description: "Delivered, front door", Location: tracking.Location{City: "Brooklyn", Region: "NY", Country: "US"},
	})
	delivered.ActionDone = ActionNotReceived

	lookupShop := shop()
	lookupShop.LogoURL = srv.URL + "/img/logo.png"
	var lookup bytes.Buffer
	if err := r.RenderLookup(&lookup, LookupView{Locale: "fr", Shop: lookupShop, FormAction: "/track", NotFound: true, OrderName: "#1001"}); err != nil {
		t.Fatalf("RenderLookup: %v", err)
	}

	pages := []struct {
		name   string
		render func() []byte
		h1     string
	}{
		{"multi-package-desktop", func() []byte { return mustRender(t, r, withImages(bigOrder(t), srv.URL)) }, ""},
		{"delivered-de-mobile", func() []byte { return mustRender(t, r, withImages(delivered, srv.URL)) }, "Ihr Paket wurde zugestellt"},
		{"lookup-fr-mobile", func() []byte { return lookup.Bytes() }, "Suivre votre commande"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			page := site(t, p.render(), "text/html; charset=utf-8")
			stop := consoleWatch(t, ctx)
			mobile := strings.HasSuffix(p.name, "mobile")
			width := int64(1280)
			if mobile {
				width = 390
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(page.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
				t.Fatalf("load %s: %v", p.name, err)
			}
			h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
			if err != nil {
				t.Fatalf("read h1: %v", err)
			}
			if p.h1 != "" && h1 != p.h1 {
				t.Errorf("h1 = %q, want %q", h1, p.h1)
			}
			// Nothing may overflow the viewport sideways on a phone.
			screenshot(t, ctx, p.name, width, 1000, mobile, mobile)
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
			if err != nil {
				t.Fatalf("measure width: %v", err)
			}
			if overflow {
				t.Errorf("page is wider than the %dpx viewport", width)
			}
			if msgs := stop(); len(msgs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(msgs, "\n"))
			}
		})
	}
}

func mustRender(t *testing.T, r *Renderer, v View) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Render(&b, v); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.Bytes()
}
