package app

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// pushCounter reads ordertrack_carrier_pushes_total{carrier, outcome}.
func pushCounter(t *testing.T, a *App, carrier, outcome string) float64 {
	t.Helper()
	families, err := a.metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "ordertrack_carrier_pushes_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["carrier"] == carrier && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// trackAlertPush is UPS's documented "On the way" event, moved to the
// recording day and to the seeded shipment's number.
func trackAlertPush(t *testing.T) []byte {
	body := apptest.Testdata(t, "integrations/carriers/ups/testdata/push/on_the_way.json")
	s := strings.NewReplacer("1ZABCXYZ0112346789", "1Z999AA10123456784", "20240422", "20261125", "20240423", "20261125").Replace(string(body))
	s = strings.Replace(s, `"scheduledDeliveryDate":"20261125"`, `"scheduledDeliveryDate":""`, 1)
	return []byte(s)
}

func TestUPSPushIsSubscribedVerifiedAndPollsOnlyAsASafetyNet(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		const credential = "ups-push-credential"
		ups := apptest.NewUPS(t)
		a, base := startApp(t, url, Config{AppURL: "https://track.example", Carriers: map[string]registry.Creds{"ups": {
			"client_id": "id", "client_secret": "secret", registry.BaseURL: ups.URL, registry.WebhookSecret: credential,
		}}}, atRecordingTime())
		ctx := context.Background()
		tok := seedOrder(t, a, "ups-push.myshopify.com", "#1", "u@example.com")
		if err := a.polling.SubscribePushes(ctx, nil); err != nil {
			t.Fatal(err)
		}
		want := "1Z999AA10123456784 → https://track.example/webhooks/carriers/ups with " + credential
		if subscribed := ups.Subscribed(); len(subscribed) != 1 || subscribed[0] != want {
			t.Fatalf("UPS subscriptions = %q; want %q", subscribed, want)
		}
		s, err := a.db.ShipmentByToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := a.db.Subscription(ctx, s.ID)
		// UPS's 14 days count on the app's clock, not the client's own.
		if err != nil || sub.Status != storage.SubscriptionLive || sub.ExpiresAt == nil || !sub.ExpiresAt.Equal(recordedAt.Add(14*24*time.Hour)) {
			t.Fatalf("subscription = %+v, %v; want live for 14 days from %s", sub, err, recordedAt)
		}

		body := trackAlertPush(t)
		for _, cred := range []string{"", "forged"} {
			if code := apptest.PostUPSPush(t, base, body, cred); code != http.StatusUnauthorized {
				t.Fatalf("push with credential %q = %d; want 401", cred, code)
			}
		}
		if n := storagetest.Count(t, a.db, "webhook_deliveries", ""); n != 0 {
			t.Fatalf("unverified pushes stored %d deliveries", n)
		}
		for range 2 { // UPS may send an event twice: one effect
			if code := apptest.PostUPSPush(t, base, body, credential); code != http.StatusOK {
				t.Fatalf("push = %d; want 200", code)
			}
		}
		// No estimate: any working day may be the delivery day, so the
		// safety net looks once UPS's vans have left (16:00 UTC), not at
		// the 1 h 45 cadence of polling without push.
		vansLeft := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
		apptest.WaitUntil(t, "the pushed scan, then a safety-net poll once the vans have left", func() bool {
			s, err = a.db.ShipmentByToken(ctx, tok)
			return err == nil && s.Stage == "in_transit" && s.NextPollAt != nil && s.NextPollAt.Equal(vansLeft)
		})
		if n := storagetest.Count(t, a.db, "webhook_deliveries", ""); n != 1 {
			t.Fatalf("a push sent twice stored %d deliveries; want 1", n)
		}
		if sub, _ = a.db.Subscription(ctx, s.ID); sub.Pushes != 1 || sub.LastPushAt == nil {
			t.Fatalf("subscription after the push = %+v; want one push counted", sub)
		}
		for outcome, want := range map[string]float64{"rejected": 2, "received": 2} {
			if got := pushCounter(t, a, "ups", outcome); got != want {
				t.Fatalf("%s pushes metric = %v; want %v", outcome, got, want)
			}
		}
		stats, err := a.db.PushStats(ctx, s.ShopID, []string{"ups"})
		if err != nil || stats[0].Subscribed != 1 || stats[0].Received != 1 || stats[0].Rejected != 2 || stats[0].LastPushAt == nil {
			t.Fatalf("push stats = %+v, %v; want 1 subscribed, 1 received, 2 rejected, a last push time", stats, err)
		}
	})
}

func TestRefusedSubscriptionKeepsNormalPolling(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
		const credential = "ups-push-credential"
		ups := apptest.NewUPS(t, "1Z999AA10123456784")
		a, base := startApp(t, url, Config{AppURL: "https://track.example", Carriers: map[string]registry.Creds{"ups": {
			"client_id": "id", "client_secret": "secret", registry.BaseURL: ups.URL, registry.WebhookSecret: credential,
		}}}, atRecordingTime())
		ctx := context.Background()
		tok := seedOrder(t, a, "ups-refused.myshopify.com", "#1", "r@example.com")
		if err := a.polling.SubscribePushes(ctx, nil); err != nil {
			t.Fatal(err)
		}
		s, _ := a.db.ShipmentByToken(ctx, tok)
		if sub, err := a.db.Subscription(ctx, s.ID); err != nil || sub.Status != storage.SubscriptionFailed {
			t.Fatalf("subscription = %+v, %v; want failed", sub, err)
		}
		if code := apptest.PostUPSPush(t, base, trackAlertPush(t), credential); code != http.StatusOK {
			t.Fatalf("push = %d; want 200", code)
		}
		apptest.WaitUntil(t, "the pushed scan, polled as without push (within 3 h)", func() bool {
			s, err := a.db.ShipmentByToken(ctx, tok)
			return err == nil && s.Stage == "in_transit" && s.NextPollAt != nil && s.NextPollAt.Before(recordedAt.Add(3*time.Hour))
		})
	})
}

func TestPushFromACarrierWithoutSecretIsNotTaken(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	if code := apptest.PostUPSPush(t, base, trackAlertPush(t), "anything"); code != http.StatusNotFound {
		t.Fatalf("push without UPS_WEBHOOK_SECRET = %d; want 404", code)
	}
	if n := storagetest.Count(t, a.db, "webhook_deliveries", ""); n != 0 {
		t.Fatalf("stored %d deliveries", n)
	}
}

func TestSettingsPageShowsEachCarriersPushFigures(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		ctx := context.Background()
		tok := seedOrder(t, a, "shop-a.myshopify.com", "#1", "o@example.com")
		shop := ownerShop(t, a)
		ship, err := a.db.ShipmentByToken(ctx, tok)
		if err != nil || ship.ShopID != shop.ID {
			t.Fatalf("seeded shipment = %+v, %v; want shop A's", ship, err)
		}
		at := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
		if err := a.db.SaveSubscriptions(ctx, []storage.PushSubscription{{ShipmentID: ship.ID, ShopID: shop.ID, Carrier: "ups",
			TrackingNumber: ship.TrackingNumber, Status: storage.SubscriptionLive, SubscribedAt: at.Add(-time.Hour)}}); err != nil {
			t.Fatal(err)
		}
		if err := a.db.RecordPushed(ctx, ship.ID, at); err != nil {
			t.Fatal(err)
		}
		for _, ok := range []bool{true, false, false, false} {
			if err := a.db.CountPush(ctx, "ups", ok, at); err != nil {
				t.Fatal(err)
			}
		}
		s := signIn(t, a, base, shop.ID)
		_, page := s.get(base + "/admin/settings")
		for _, want := range []string{
			"<td>UPS</td><td>1</td><td>1</td><td>3</td><td>2026-11-25 16:00 UTC</td>",
			"<td>USPS</td><td>0</td><td>0</td><td>0</td><td>none yet</td>",
			"<td>FedEx</td>", "<td>DHL</td>",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("settings page lacks %q", want)
			}
		}
	})
}

func TestEachCarriersPushIsAuthenticatedItsWay(t *testing.T) {
	t.Parallel()
	const secret = "0123456789abcdef0123456789abcdef"
	read := func(path string) []byte { return apptest.Testdata(t, "integrations/carriers/"+path) }
	hmacB64 := func(body []byte) string { return apptest.AfterShipSignature(secret, body) } // base64 HMAC-SHA256, as USPS and FedEx sign
	type push struct {
		carrier, header, value string
		body                   []byte
		want                   int
	}
	usps, fedex, dhl, ups := read("usps/testdata/push/notification_derived.json"), read("fedex/testdata/push/track_results_derived.json"),
		read("dhl/testdata/push/two_shipments_derived.json"), read("ups/testdata/push/delivered.json")
	tests := []push{
		{"usps", "X-HMAC", hmacB64(usps), usps, http.StatusOK},
		{"usps", "X-HMAC", apptest.AfterShipSignature("forged", usps), usps, http.StatusUnauthorized},
		{"usps", "", "", usps, http.StatusUnauthorized},
		{"fedex", "fdx-signature", hmacB64(fedex), fedex, http.StatusOK},
		{"fedex", "fdx-signature", hmacB64(usps), fedex, http.StatusUnauthorized},
		{"fedex", "", "", fedex, http.StatusUnauthorized},
		{"dhl", "Ordertrack-Push-Token", secret, dhl, http.StatusOK},
		{"dhl", "Ordertrack-Push-Token", "forged", dhl, http.StatusUnauthorized},
		{"dhl", "DHL-API-Key", secret, dhl, http.StatusUnauthorized},
		{"ups", "credential", secret, ups, http.StatusOK},
		{"ups", "credential", secret + "x", ups, http.StatusUnauthorized},
	}
	apptest.EachDB(t, func(t *testing.T, url string) {
		creds := map[string]registry.Creds{}
		for _, c := range []string{"ups", "usps", "fedex", "dhl"} {
			creds[c] = registry.Creds{registry.WebhookSecret: secret}
		}
		a, base := startApp(t, url, Config{Carriers: creds})
		var stored int64
		for _, tt := range tests {
			req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/carriers/"+tt.carrier, bytes.NewReader(tt.body))
			if tt.header != "" {
				req.Header.Set(tt.header, tt.value)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("%s push with %s=%q: %d; want %d", tt.carrier, tt.header, tt.value, res.StatusCode, tt.want)
			}
			if tt.want == http.StatusOK {
				stored++
			}
			if n := storagetest.Count(t, a.db, "webhook_deliveries", ""); n != stored {
				t.Fatalf("after %s push with %s: %d deliveries stored; want %d", tt.carrier, tt.header, n, stored)
			}
		}
	})
}
