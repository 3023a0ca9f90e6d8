package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// shopsSnapshot describes every shop with its secrets and store row, and
// counts the sign-in tokens and sessions handed out, so a test can show an
// attack changed nothing.
func shopsSnapshot(t *testing.T, a *App) string {
	t.Helper()
	ctx := context.Background()
	var shops []storage.Shop
	if err := a.db.Gorm.Order("id").Find(&shops).Error; err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range shops {
		s := &shops[i]
		sec, err := a.db.Secrets(s)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "shop %d %s %s name=%q email=%q status=%s secrets=%+v\n", s.ID, s.Platform, s.Domain, s.Name, s.Email, s.Status, sec)
		if ws, err := a.db.WooStore(ctx, s.ID); err == nil {
			secret, err := a.db.StorefrontSecret(ws)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  store %s key=%s secret=%s\n", ws.StoreURL, ws.ShopKey, secret)
		}
	}
	tokens := storagetest.Count(t, a.db, "login_tokens", "")
	fmt.Fprintf(&b, "login tokens: %d\n", tokens)
	return b.String()
}

// startStart asks /auth/woocommerce/start to connect store, as client ip.
func startStart(t *testing.T, base, store, ip string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/auth/woocommerce/start?store="+url.QueryEscape(store), nil)
	req.Header.Set("X-Forwarded-For", ip)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// takeoverEnv is an app with a Shopify shop (demo.myshopify.com, with a
// token) and a WooCommerce shop connected to the victim store, plus a store
// the attacker really controls.
type takeoverEnv struct {
	a                *App
	base             string
	victim, attacker *wootest.Server
	victimReturn     string // the merchant's return URL
	victimCookie     *http.Cookie
}

func startTakeover(t *testing.T, dbURL string) *takeoverEnv {
	t.Helper()
	victim := wootest.NewTLSServer(t, wooKey, wooSecret)
	attacker := wootest.NewTLSServer(t, "ck_attackers_own_store", "cs_attackers_own_store")
	a, base := startApp(t, dbURL, Config{}, withSetup(func(a *App) { a.outbound = trusting(victim, attacker) }))
	a.cfg.AppURL = wooAppURL
	ctx := context.Background()
	shop := &storage.Shop{Platform: storage.Shopify, Domain: DemoShop, Name: "Demo", Email: "owner@demo.example"}
	if err := a.db.UpsertShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetSecrets(ctx, shop.ID, storage.Secrets{AccessToken: "shpat_victim", WebhookSecret: "whsec_victim"}); err != nil {
		t.Fatal(err)
	}
	loc, ck := beginConnect(t, base, victim.URL)
	if code := postKeys(t, base, loc.Query().Get("user_id")); code != http.StatusOK {
		t.Fatalf("the merchant's own connect: callback status %d; want 200", code)
	}
	waitUntil(t, "the victim store's webhooks", func() bool { return len(victim.Webhooks()) == len(woocommerce.Topics) })
	return &takeoverEnv{a: a, base: base, victim: victim, attacker: attacker, victimCookie: ck,
		victimReturn: base + "/auth/woocommerce/return?success=1&user_id=" + loc.Query().Get("user_id")}
}

func TestWooConnectRefusesShopifyStores(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		before := shopsSnapshot(t, e.a)
		for _, store := range []string{
			"https://demo.myshopify.com", "HTTPS://DEMO.MYSHOPIFY.COM/", "demo.myshopify.com.", "https://Demo.MyShopify.com:443/",
		} {
			if res := startStart(t, e.base, store, "198.51.100.7"); res.StatusCode != http.StatusBadRequest {
				t.Errorf("start for %q: status %d; want 400 (a Shopify store is never a WooCommerce shop)", store, res.StatusCode)
			}
		}
		pending := storagetest.Count(t, e.a.db, "woo_connections", "client = ?", "198.51.100.7")
		if after := shopsSnapshot(t, e.a); after != before || pending != 0 {
			t.Fatalf("after connects to a Shopify domain: %d pending connections, shops\n%s\nwant none and unchanged:\n%s", pending, after, before)
		}
	})
}

// TestWooConnectWithKeysTheStoreRejectsChangesNothing is the takeover: the
// nonce is public, so an attacker starts a connect for a connected store
// (in any spelling of its URL) and posts keys of their own making, or real
// keys of another store they own. The store rejects them; nothing changes
// and no link or secret is shown.
func TestWooConnectWithKeysTheStoreRejectsChangesNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		before := shopsSnapshot(t, e.a)
		for _, tc := range []struct{ name, store, key, secret string }{
			{"made-up keys", e.victim.URL, "ck_made_up", "cs_made_up"},
			{"made-up keys, URL in capitals with a trailing slash", strings.ToUpper(e.victim.URL) + "/", "ck_made_up", "cs_made_up"},
			{"made-up keys, bare host", storeDomain(e.victim), "ck_made_up", "cs_made_up"},
			{"the keys of a store the attacker owns", e.victim.URL, e.attacker.Key, e.attacker.Secret},
			{"the victim's key with a guessed secret", e.victim.URL, wooKey, "cs_guess"},
		} {
			loc, ck := beginConnect(t, e.base, tc.store)
			userID := loc.Query().Get("user_id")
			if code := postKeysWith(t, e.base, userID, tc.key, tc.secret); code == http.StatusOK {
				t.Errorf("%s: callback answered 200; want a refusal", tc.name)
			}
			ret := e.base + "/auth/woocommerce/return?success=1&user_id=" + userID
			if code, page := getWithCookie(t, ret, ck); code == http.StatusOK || strings.Contains(page, "/admin/login?t=") || strings.Contains(page, "Shop secret") {
				t.Errorf("%s: return page status %d shows a link or secret:\n%s", tc.name, code, page)
			}
			if after := shopsSnapshot(t, e.a); after != before {
				t.Fatalf("%s changed the shops:\n%s\nwant unchanged:\n%s", tc.name, after, before)
			}
		}
		// The attacker's store was never asked: the keys are checked against
		// the pending connection's store only.
		if reqs := e.attacker.Requests(); len(reqs) != 0 {
			t.Fatalf("the attacker's store got %v; want no calls", reqs)
		}
	})
}

func TestWooReturnPageShowsNothingToAnotherBrowser(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		before := shopsSnapshot(t, e.a)
		// The attacker has a connect cookie of their own, for their store.
		_, theirs := beginConnect(t, e.base, e.attacker.URL)
		for name, ck := range map[string]*http.Cookie{
			"no cookie":                nil,
			"another connect's cookie": theirs,
			"a forged cookie":          {Name: wooConnectCookie, Value: strings.Repeat("a", 64)},
		} {
			if code, page := getWithCookie(t, e.victimReturn, ck); code == http.StatusOK || strings.Contains(page, "/admin/login?t=") || strings.Contains(page, "Shop secret") {
				t.Errorf("%s: return page status %d shows a link or secret:\n%s", name, code, page)
			}
		}
		if after := shopsSnapshot(t, e.a); after != before {
			t.Fatalf("return page visits issued something:\n%s\nwant unchanged:\n%s", after, before)
		}
		if code, page := getWithCookie(t, e.victimReturn, e.victimCookie); code != http.StatusOK || loginLinkIn(page, e.base) == "" {
			t.Fatalf("the merchant's own visit after the attempts: status %d; want the link (attempts must not use it up)", code)
		}
	})
}

func TestDemoLinkSignsInOnlyInDemoMode(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		shop, err := e.a.db.ShopByDomain(context.Background(), storage.Shopify, DemoShop)
		if err != nil {
			t.Fatal(err)
		}
		link := strings.Replace(e.a.demoLoginURL(shop.ID), wooAppURL, e.base, 1)
		if code, _ := getWithCookie(t, link, nil); code != http.StatusUnauthorized {
			t.Fatalf("a signed reusable link outside demo mode: status %d; want 401", code)
		}
		e.a.cfg.Demo = true
		for i := range 2 {
			if code, _ := getWithCookie(t, link, nil); code != http.StatusSeeOther {
				t.Fatalf("demo link use %d in demo mode: status %d; want 303 (reusable)", i+1, code)
			}
		}
	})
}

func TestWooReconnectWithVerifiedKeysKeepsTheShop(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		ctx := context.Background()
		shop, err := e.a.db.ShopByDomain(ctx, storage.WooCommerce, storeDomain(e.victim))
		if err != nil {
			t.Fatal(err)
		}
		old, _ := e.a.db.Secrets(shop)
		ws, _ := e.a.db.WooStore(ctx, shop.ID)
		loc, _ := beginConnect(t, e.base, strings.ToUpper(e.victim.URL)+"/")
		if code := postKeys(t, e.base, loc.Query().Get("user_id")); code != http.StatusOK {
			t.Fatalf("reconnect with the store's keys: status %d; want 200", code)
		}
		again, err := e.a.db.ShopByDomain(ctx, storage.WooCommerce, storeDomain(e.victim))
		if err != nil || again.ID != shop.ID {
			t.Fatalf("reconnect gave shop %+v (%v); want the same shop %d", again, err, shop.ID)
		}
		sec, _ := e.a.db.Secrets(again)
		ws2, _ := e.a.db.WooStore(ctx, shop.ID)
		if sec.WebhookSecret != old.WebhookSecret || ws2.ShopKey != ws.ShopKey {
			t.Fatalf("reconnect changed the webhook secret or shop key; want both kept (webhooks and plugin keep working)")
		}
		n := storagetest.Count(t, e.a.db, "shops", "platform = ?", storage.WooCommerce)
		if n != 1 {
			t.Fatalf("%d WooCommerce shops after a reconnect in another spelling; want 1", n)
		}
	})
}

func TestAnonymousConnectsAreCappedPerClientAndInstallsNever(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{ShopifyAPIKey: testAPIKey, ShopifyScopes: defaultShopifyScopes})
		a.cfg.AppURL = wooAppURL
		install := func(ip string) int {
			req, _ := http.NewRequest(http.MethodGet, base+"/auth/shopify?shop=capped.myshopify.com", nil)
			req.Header.Set("X-Forwarded-For", ip)
			res, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		// One host rotating through the addresses of its /64 (and the
		// IPv4 client of the review, whose budget is its own).
		var codes []int
		for i := range 30 {
			codes = append(codes, startStart(t, base, "https://shop.example", fmt.Sprintf("2001:db8:1:2::%x", i+1)).StatusCode)
		}
		for i, code := range codes {
			if want := map[bool]int{true: http.StatusFound, false: http.StatusTooManyRequests}[i < pendingLimits.PerClient]; code != want {
				t.Fatalf("connects from 30 addresses of one /64 answered %v; want %d×302, then 429", codes, pendingLimits.PerClient)
			}
		}
		if res := startStart(t, base, "https://shop.example", "2001:db8:1:3::1"); res.StatusCode != http.StatusFound {
			t.Fatalf("a connect from the next /64: status %d; want 302", res.StatusCode)
		}
		for i := range pendingLimits.PerClient + 5 {
			if code := install("2001:db8:1:2::1"); code != http.StatusFound {
				t.Fatalf("install %d from the capped /64: status %d; want 302 (installs store nothing)", i+1, code)
			}
		}
		// Fill the global cap of pending connects: connects are refused,
		// installs (App Store ones included) are not.
		rows := make([]storage.WooConnection, pendingLimits.Total)
		for i := range rows {
			rows[i] = storage.WooConnection{UserID: fmt.Sprintf("filler-%d", i), StoreURL: "https://filler.example", Client: fmt.Sprintf("198.18.%d.%d", i/256, i%256), ExpiresAt: time.Now().Add(time.Hour)}
		}
		if err := a.db.Gorm.CreateInBatches(rows, 500).Error; err != nil {
			t.Fatal(err)
		}
		if res := startStart(t, base, "https://shop.example", "203.0.113.77"); res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("a connect past the global cap: status %d; want 429", res.StatusCode)
		}
		if code := install("203.0.113.77"); code != http.StatusFound {
			t.Fatalf("an install with the connects' global cap reached: status %d; want 302", code)
		}
		if states := storagetest.Count(t, a.db, "oauth_states", ""); states != 0 {
			t.Fatalf("%d oauth states stored by starting installs; want none", states)
		}
	})
}

// fakeSendGrid records the mail SendGrid's v3 Mail Send API receives.
type fakeSendGrid struct {
	mu   sync.Mutex
	sent []sentMail
}

type sentMail struct{ To, Subject, Text string }

func (f *fakeSendGrid) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct {
		Personalizations []struct {
			To []struct{ Email string } `json:"to"`
		} `json:"personalizations"`
		Subject string `json:"subject"`
		Content []struct{ Type, Value string }
	}
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/v3/mail/send" || json.Unmarshal(body, &m) != nil || len(m.Personalizations) != 1 || len(m.Personalizations[0].To) != 1 {
		http.Error(w, `{"errors":[{"message":"bad request"}]}`, http.StatusBadRequest)
		return
	}
	mail := sentMail{To: m.Personalizations[0].To[0].Email, Subject: m.Subject}
	for _, c := range m.Content {
		if c.Type == "text/plain" {
			mail.Text = c.Value
		}
	}
	f.mu.Lock()
	f.sent = append(f.sent, mail)
	f.mu.Unlock()
	w.Header().Set("X-Message-Id", "msg-"+hex.EncodeToString([]byte(mail.To))[:8])
	w.WriteHeader(http.StatusAccepted)
}

func (f *fakeSendGrid) mails() []sentMail {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentMail(nil), f.sent...)
}

func requestLoginLink(t *testing.T, base, store, ip string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(url.Values{"store": {store}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestAdminLoginEmailsASingleUseLinkToTheStoreAddress(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		sg := &fakeSendGrid{}
		srv := httptest.NewServer(sg)
		t.Cleanup(srv.Close)
		store := wootest.NewTLSServer(t, wooKey, wooSecret)
		a, base := startApp(t, dbURL, Config{SendGridAPIKey: "SG.test", SendGridBaseURL: srv.URL, EmailFrom: "app@ordertrack.test"},
			withSetup(func(a *App) { a.outbound = trusting(store) }))
		a.cfg.AppURL = wooAppURL
		loc, _ := beginConnect(t, base, store.URL)
		if code := postKeys(t, base, loc.Query().Get("user_id")); code != http.StatusOK {
			t.Fatalf("connect: status %d", code)
		}

		knownCode, known := requestLoginLink(t, base, strings.ToUpper(store.URL)+"/", "198.51.100.20")
		unknownCode, unknown := requestLoginLink(t, base, "https://not-connected.example", "198.51.100.21")
		if knownCode != http.StatusOK || knownCode != unknownCode || known != unknown {
			t.Fatalf("a connected store answered %d, an unknown one %d, bodies equal %v; want the same 200 answer", knownCode, unknownCode, known == unknown)
		}
		waitUntil(t, "the sign-in email", func() bool { return len(sg.mails()) == 1 })
		m := sg.mails()[0]
		i := strings.Index(m.Text, wooAppURL+"/admin/login?t=")
		if m.To != store.AdminEmail || i < 0 {
			t.Fatalf("mail %+v; want a sign-in link to the store's address %s", m, store.AdminEmail)
		}
		link := strings.Fields(m.Text[i:])[0]
		logged := storagetest.Count(t, a.db, "notifications", "trigger = ? AND body LIKE ?", triggerLoginEmail, "%"+link[strings.Index(link, "t=")+2:]+"%")
		if logged != 0 {
			t.Fatal("the message log keeps the sign-in link; want only a note that one was sent")
		}
		link = strings.Replace(link, wooAppURL, base, 1)
		if code, _ := getWithCookie(t, link, nil); code != http.StatusSeeOther {
			t.Fatalf("emailed link: status %d; want 303 into the admin", code)
		}
		if code, _ := getWithCookie(t, link, nil); code != http.StatusUnauthorized {
			t.Fatalf("emailed link again: status %d; want 401 (single use)", code)
		}
		if code, _ := requestLoginLink(t, base, "shop.myshopify.com", "198.51.100.22"); code != http.StatusUnprocessableEntity {
			t.Fatalf("a Shopify domain: status %d; want 422 pointing to the Shopify admin", code)
		}
		waitUntil(t, "both link requests worked off", func() bool {
			done := storagetest.Count(t, a.db, "river_job", "kind = ? AND state = ?", "login_email", "completed")
			return done == 2
		})
		if n := len(sg.mails()); n != 1 {
			t.Fatalf("%d emails sent; want only the one to the connected store", n)
		}
	})
}

func TestAdminLoginRequestsAreThrottledPerClient(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		_, base := startApp(t, dbURL, Config{})
		codes := map[int]int{}
		for range 8 {
			code, _ := requestLoginLink(t, base, "https://shop.example", "198.51.100.30")
			codes[code]++
		}
		if codes[http.StatusOK] == 0 || codes[http.StatusTooManyRequests] == 0 {
			t.Fatalf("8 quick requests from one client answered %v; want some 200 then 429", codes)
		}
		if code, _ := requestLoginLink(t, base, "https://shop.example", "198.51.100.31"); code != http.StatusOK {
			t.Fatalf("another client: status %d; want 200", code)
		}
	})
}

func TestPluginLinkSignsInOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		e := connectWoo(t, dbURL)
		secret, err := e.a.db.StorefrontSecret(e.ws)
		if err != nil {
			t.Fatal(err)
		}
		link := func(key, secret string, ts time.Time) string {
			b := make([]byte, 16)
			rand.Read(b)
			nonce := hex.EncodeToString(b)
			q := url.Values{"shop": {key}, "ts": {fmt.Sprint(ts.Unix())}, "nonce": {nonce}, "sig": {woocommerce.SignAdminLink(secret, key, ts, nonce)}}
			return e.base + "/admin/login/woocommerce?" + q.Encode()
		}
		now := time.Now()
		good := link(e.ws.ShopKey, secret, now)
		if code, _ := getWithCookie(t, good, nil); code != http.StatusSeeOther {
			t.Fatalf("signed plugin link: status %d; want 303 into the admin", code)
		}
		for name, u := range map[string]string{
			"the same link again": good,
			"wrong secret":        link(e.ws.ShopKey, "guess", now),
			"stale":               link(e.ws.ShopKey, secret, now.Add(-time.Hour)),
			"unknown shop key":    link("nope", secret, now),
		} {
			if code, _ := getWithCookie(t, u, nil); code != http.StatusUnauthorized {
				t.Errorf("%s: status %d; want 401", name, code)
			}
		}
	})
}
