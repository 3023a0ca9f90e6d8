package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ordertrack/ordertrack/app/browsertest"
)

// TestMain lets the test binary run as the ordertrack binary itself, so the
// end-to-end test drives a real process.
func TestMain(m *testing.M) {
	if os.Getenv("OT_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestDemoEndToEnd starts `ordertrack demo` on a free port, sends it a signed
// Shopify webhook, finds the order through the lookup form in Chromium, and
// finds the shipping email in the admin's outbox.
func TestDemoEndToEnd(t *testing.T) {
	ctx := browsertest.New(t)
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(os.Args[0], "demo")
	cmd.Env = append(os.Environ(), "OT_RUN_MAIN=1", fmt.Sprintf("PORT=%d", port), "METRICS_PORT=0", "APP_URL="+base,
		"DATABASE_URL=sqlite:"+filepath.Join(t.TempDir(), "demo.db"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("demo stderr:\n%s", stderr.String())
		}
	})
	login := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`admin:\s+(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				login <- m[1]
			}
		}
	}()
	var loginURL string
	select {
	case loginURL = <-login:
	case <-time.After(60 * time.Second):
		t.Fatal("demo did not print its admin link within 60 s")
	}

	body := []byte(`{"id":990001,"name":"#7001","email":"e2e@example.com","phone":"+14155550999","customer_locale":"en",
	  "currency":"USD","total_price":"42.00","updated_at":"2026-11-25T10:00:00Z","created_at":"2026-11-24T10:00:00Z",
	  "customer":{"first_name":"Eve","last_name":"Tester"},
	  "shipping_address":{"name":"Eve Tester","city":"Austin","province_code":"TX","country_code":"US"},
	  "line_items":[{"id":1,"title":"Wool socks","quantity":2}],
	  "fulfillments":[{"id":880001,"order_id":990001,"status":"success","tracking_company":"UPS",
	    "tracking_numbers":["1Z999AA10123456784"],"tracking_urls":["https://www.ups.com/track?tracknum=1Z999AA10123456784"],
	    "updated_at":"2026-11-25T10:00:00Z","created_at":"2026-11-25T09:00:00Z"}]}`)
	mac := hmac.New(sha256.New, []byte("demo-secret"))
	mac.Write(body)
	req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/shopify", bytes.NewReader(body))
	req.Header.Set("X-Shopify-Topic", "orders/create")
	req.Header.Set("X-Shopify-Shop-Domain", "demo.myshopify.com")
	req.Header.Set("X-Shopify-Webhook-Id", "e2e-1")
	req.Header.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("signed webhook: status %d; want 200", res.StatusCode)
	}

	// The shopper finds the order by number and email.
	var headline string
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/track?shop=demo.myshopify.com"),
			chromedp.WaitVisible(chromedp.ID("ot-order")),
			chromedp.SendKeys(chromedp.ID("ot-order"), "7001"),
			chromedp.SendKeys(chromedp.ID("ot-contact"), "e2e@example.com"),
			chromedp.Submit(chromedp.ID("ot-order")),
			chromedp.WaitVisible(chromedp.CSS("h1")),
		)
		if err != nil {
			t.Fatal(err)
		}
		headline, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		if strings.Contains(page, "1Z999AA10123456784") || time.Now().After(deadline) {
			if !strings.Contains(page, "1Z999AA10123456784") {
				t.Fatalf("lookup page never showed the tracking number; last page:\n%s", page)
			}
			break
		}
		time.Sleep(500 * time.Millisecond) // the webhook job has not run yet
	}
	browsertest.Screenshot(t, ctx, "e2e-tracking-page")
	if headline == "" {
		t.Fatal("tracking page has no headline")
	}

	// The merchant sees the shipping email in the outbox.
	deadline = time.Now().Add(30 * time.Second)
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(loginURL), chromedp.Navigate(base+"/admin/outbox"), chromedp.WaitVisible(chromedp.CSS("table"))); err != nil {
			t.Fatal(err)
		}
		outbox, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table")))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(outbox, "e2e@example.com") && strings.Contains(outbox, "1Z999AA10123456784") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox never showed the shipped email to e2e@example.com; outbox:\n%s", outbox)
		}
		time.Sleep(500 * time.Millisecond)
	}
	browsertest.Screenshot(t, ctx, "e2e-outbox")
}
