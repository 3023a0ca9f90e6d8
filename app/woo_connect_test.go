package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
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
	res, _ := apptest.Do(t, req)
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
	a, base := startApp(t, dbURL, Config{AppURL: wooAppURL}, withOutbound(trusting(victim, attacker)))
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
	apptest.WaitUntil(t, "the victim store's webhooks", func() bool { return len(victim.Webhooks()) == len(woocommerce.Topics) })
	// The connect's sign-in email issues a link: wait for it, so the tests'
	// snapshots of what exists are taken after it.
	apptest.WaitUntil(t, "the connect's sign-in link", func() bool { return storagetest.Count(t, a.db, "login_tokens", "") == 1 })
	// And for the store's identity (its name and currency), read by a job
	// after the connect.
	apptest.WaitUntil(t, "the victim store's identity", func() bool {
		s, err := a.db.ShopByDomain(ctx, storage.WooCommerce, storeDomain(victim))
		return err == nil && s.Currency != ""
	})
	return &takeoverEnv{a: a, base: base, victim: victim, attacker: attacker, victimCookie: ck,
		victimReturn: base + "/auth/woocommerce/return?success=1&user_id=" + loc.Query().Get("user_id")}
}

func TestWooConnectRefusesShopifyStores(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
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
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
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
			if code, page := apptest.Get(t, ret, ck); code == http.StatusOK || strings.Contains(page, "/admin/login?t=") || strings.Contains(page, "Shop secret") {
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
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		before := shopsSnapshot(t, e.a)
		// The attacker has a connect cookie of their own, for their store.
		_, theirs := beginConnect(t, e.base, e.attacker.URL)
		for name, ck := range map[string]*http.Cookie{
			"no cookie":                nil,
			"another connect's cookie": theirs,
			"a forged cookie":          {Name: install.WooConnectCookie, Value: strings.Repeat("a", 64)},
		} {
			if code, page := apptest.Get(t, e.victimReturn, ck); code == http.StatusOK || strings.Contains(page, "/admin/login?t=") || strings.Contains(page, "Shop secret") {
				t.Errorf("%s: return page status %d shows a link or secret:\n%s", name, code, page)
			}
		}
		if after := shopsSnapshot(t, e.a); after != before {
			t.Fatalf("return page visits issued something:\n%s\nwant unchanged:\n%s", after, before)
		}
		if code, page := apptest.Get(t, e.victimReturn, e.victimCookie); code != http.StatusOK || !strings.Contains(page, "is connected") {
			t.Fatalf("the merchant's own visit after the attempts: status %d; want the result (attempts must not use it up)", code)
		}
	})
}

func TestDemoLinkSignsInOnlyInDemoMode(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		shop, err := e.a.db.ShopByDomain(context.Background(), storage.Shopify, DemoShop)
		if err != nil {
			t.Fatal(err)
		}
		link := strings.Replace(e.a.install.DemoLoginURL(shop.ID), wooAppURL, e.base, 1)
		if code, _ := signInWith(t, link); code != http.StatusUnauthorized {
			t.Fatalf("a signed reusable link outside demo mode: status %d; want 401", code)
		}
		_, demoBase := startApp(t, dbURL, Config{Demo: true, AppURL: wooAppURL}) // the same database and key, in demo mode
		link = strings.Replace(link, e.base, demoBase, 1)
		for i := range 2 {
			if code, _ := apptest.Get(t, link, nil); code != http.StatusSeeOther {
				t.Fatalf("demo link use %d in demo mode: status %d; want 303 (reusable)", i+1, code)
			}
		}
	})
}

func TestWooReconnectWithVerifiedKeysKeepsTheShop(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := startTakeover(t, dbURL)
		ctx := context.Background()
		shop, err := e.a.db.ShopByDomain(ctx, storage.WooCommerce, storeDomain(e.victim))
		if err != nil {
			t.Fatal(err)
		}
		old, _ := e.a.db.Secrets(shop)
		ws, _ := e.a.db.WooStore(ctx, shop.ID)
		oldPlugin, _ := e.a.db.StorefrontSecret(ws)
		session, _ := signInCookie(t, e.a, e.base, shop.ID)
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
			t.Fatalf("reconnect changed the webhook secret or shop key; want both kept (webhook URLs keep working)")
		}
		// Whoever started the reconnect may not be the merchant: the plugin
		// secret they might have learnt before is replaced, and the admin
		// sessions signed before end.
		if plugin, _ := e.a.db.StorefrontSecret(ws2); plugin == oldPlugin {
			t.Fatal("reconnect kept the plugin secret; want it rotated")
		}
		if code, _ := apptest.Get(t, pluginLink(e.base, ws.ShopKey, oldPlugin, time.Now()), nil); code != http.StatusUnauthorized {
			t.Fatalf("a plugin link signed with the secret from before the reconnect: status %d; want 401", code)
		}
		if code, _ := apptest.Get(t, e.base+"/admin", session); code != http.StatusUnauthorized {
			t.Fatalf("a session from before the reconnect: status %d; want 401", code)
		}
		n := storagetest.Count(t, e.a.db, "shops", "platform = ?", storage.WooCommerce)
		if n != 1 {
			t.Fatalf("%d WooCommerce shops after a reconnect in another spelling; want 1", n)
		}
	})
}

func TestAnonymousConnectsAreCappedPerClientAndInstallsNever(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{ShopifyAPIKey: testAPIKey, ShopifyScopes: defaultShopifyScopes, AppURL: wooAppURL})
		shopifyInstall := func(ip string) int {
			req, _ := http.NewRequest(http.MethodGet, base+"/auth/shopify?shop=capped.myshopify.com", nil)
			req.Header.Set("X-Forwarded-For", ip)
			res, _ := apptest.Do(t, req)
			return res.StatusCode
		}
		// One host rotating through the addresses of its /64 (and the
		// IPv4 client of the review, whose budget is its own).
		var codes []int
		for i := range 30 {
			codes = append(codes, startStart(t, base, "https://shop.example", fmt.Sprintf("2001:db8:1:2::%x", i+1)).StatusCode)
		}
		for i, code := range codes {
			if want := map[bool]int{true: http.StatusFound, false: http.StatusTooManyRequests}[i < install.PendingLimits.PerClient]; code != want {
				t.Fatalf("connects from 30 addresses of one /64 answered %v; want %d×302, then 429", codes, install.PendingLimits.PerClient)
			}
		}
		if res := startStart(t, base, "https://shop.example", "2001:db8:1:3::1"); res.StatusCode != http.StatusFound {
			t.Fatalf("a connect from the next /64: status %d; want 302", res.StatusCode)
		}
		for i := range install.PendingLimits.PerClient + 5 {
			if code := shopifyInstall("2001:db8:1:2::1"); code != http.StatusFound {
				t.Fatalf("install %d from the capped /64: status %d; want 302 (installs store nothing)", i+1, code)
			}
		}
		// Fill the global cap of pending connects: connects are refused,
		// installs (App Store ones included) are not.
		rows := make([]storage.WooConnection, install.PendingLimits.Total)
		for i := range rows {
			rows[i] = storage.WooConnection{UserID: fmt.Sprintf("filler-%d", i), StoreURL: "https://filler.example", Client: fmt.Sprintf("198.18.%d.%d", i/256, i%256), ExpiresAt: time.Now().Add(time.Hour)}
		}
		if err := a.db.Gorm.CreateInBatches(rows, 500).Error; err != nil {
			t.Fatal(err)
		}
		if res := startStart(t, base, "https://shop.example", "203.0.113.77"); res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("a connect past the global cap: status %d; want 429", res.StatusCode)
		}
		if code := shopifyInstall("203.0.113.77"); code != http.StatusFound {
			t.Fatalf("an install with the connects' global cap reached: status %d; want 302", code)
		}
		if states := storagetest.Count(t, a.db, "oauth_states", ""); states != 0 {
			t.Fatalf("%d oauth states stored by starting installs; want none", states)
		}
	})
}

func requestLoginLink(t *testing.T, base, store, ip string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(url.Values{"store": {store}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	res, b := apptest.Do(t, req)
	return res.StatusCode, b
}

func TestAdminLoginEmailsASingleUseLinkToTheStoreAddress(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		sg := apptest.NewProviders(t)
		store := wootest.NewTLSServer(t, wooKey, wooSecret)
		a, base := startApp(t, dbURL, Config{SendGridAPIKey: "SG.test", SendGridBaseURL: sg.URL, EmailFrom: "app@ordertrack.test", AppURL: wooAppURL},
			withOutbound(trusting(store)))
		loc, _ := beginConnect(t, base, store.URL)
		if code := postKeys(t, base, loc.Query().Get("user_id")); code != http.StatusOK {
			t.Fatalf("connect: status %d", code)
		}
		// One sign-in email is pending per shop at a time: the request
		// below comes after the connect's has gone.
		apptest.WaitUntil(t, "the connect's sign-in email", func() bool {
			var done int64
			a.db.Gorm.Table("river_job").Where("kind = ? AND state = ?", "login_email", "completed").Count(&done)
			return done == 1 && len(sg.Mails()) == 1
		})

		knownCode, known := requestLoginLink(t, base, strings.ToUpper(store.URL)+"/", "198.51.100.20")
		unknownCode, unknown := requestLoginLink(t, base, "https://not-connected.example", "198.51.100.21")
		if knownCode != http.StatusOK || knownCode != unknownCode || known != unknown {
			t.Fatalf("a connected store answered %d, an unknown one %d, bodies equal %v; want the same 200 answer", knownCode, unknownCode, known == unknown)
		}
		// The connect emailed the first link; the request, the second.
		apptest.WaitUntil(t, "the sign-in email", func() bool { return len(sg.Mails()) == 2 })
		m := sg.Mails()[1]
		i := strings.Index(m.Text, wooAppURL+"/admin/login?t=")
		if m.To != store.AdminEmail || i < 0 {
			t.Fatalf("mail %+v; want a sign-in link to the store's address %s", m, store.AdminEmail)
		}
		link := strings.Fields(m.Text[i:])[0]
		logged := storagetest.Count(t, a.db, "notifications", "trigger = ? AND body LIKE ?", install.TriggerLoginEmail, "%"+link[strings.Index(link, "t=")+2:]+"%")
		if logged != 0 {
			t.Fatal("the message log keeps the sign-in link; want only a note that one was sent")
		}
		link = strings.Replace(link, wooAppURL, base, 1)
		if code, _ := signInWith(t, link); code != http.StatusSeeOther {
			t.Fatalf("emailed link: status %d; want 303 into the admin", code)
		}
		if code, _ := signInWith(t, link); code != http.StatusUnauthorized {
			t.Fatalf("emailed link again: status %d; want 401 (single use)", code)
		}
		if code, _ := requestLoginLink(t, base, "shop.myshopify.com", "198.51.100.22"); code != http.StatusUnprocessableEntity {
			t.Fatalf("a Shopify domain: status %d; want 422 pointing to the Shopify admin", code)
		}
		apptest.WaitUntil(t, "both link requests worked off", func() bool {
			done := storagetest.Count(t, a.db, "river_job", "kind = ? AND state = ?", "login_email", "completed")
			return done == 3
		})
		if n := len(sg.Mails()); n != 2 {
			t.Fatalf("%d emails sent; want only the connect's and the request's, to the connected store", n)
		}
	})
}

func TestAdminLoginRequestsAreThrottledPerClient(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
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
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
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
		if code, _ := apptest.Get(t, good, nil); code != http.StatusSeeOther {
			t.Fatalf("signed plugin link: status %d; want 303 into the admin", code)
		}
		for name, u := range map[string]string{
			"the same link again": good,
			"wrong secret":        link(e.ws.ShopKey, "guess", now),
			"stale":               link(e.ws.ShopKey, secret, now.Add(-time.Hour)),
			"unknown shop key":    link("nope", secret, now),
		} {
			if code, _ := apptest.Get(t, u, nil); code != http.StatusUnauthorized {
				t.Errorf("%s: status %d; want 401", name, code)
			}
		}
	})
}

// emailedLink waits for the sign-in email to `to` and returns its link,
// pointed at base.
func emailedLink(t *testing.T, sg *apptest.Providers, to, base string) string {
	t.Helper()
	var link string
	apptest.WaitUntil(t, "the sign-in email to "+to, func() bool {
		for _, m := range sg.Mails() {
			if i := strings.Index(m.Text, wooAppURL+"/admin/login?t="); m.To == to && i >= 0 {
				link = strings.Fields(m.Text[i:])[0]
			}
		}
		return link != ""
	})
	return strings.Replace(link, wooAppURL, base, 1)
}

// signInWith presses the sign-in button of a single-use link's page: it
// posts the token, and answers the status and the session cookie, if any.
func signInWith(t *testing.T, link string) (int, *http.Cookie) {
	t.Helper()
	res, err := postLoginLink(apptest.NoRedirect, link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == install.AdminCookie && c.Value != "" {
			return res.StatusCode, c
		}
	}
	return res.StatusCode, nil
}

// TestWooConnectStartedByAnAttackerGivesThemNothing is the phishing
// scenario: the attacker starts a connect for the merchant's store and
// has the merchant approve it on their genuine WooCommerce screen. The
// attacker's browser, which holds the connect cookie, learns that the
// store is connected and nothing else; the sign-in link goes to the
// store's own address, and only the merchant's press of its button uses it.
func TestWooConnectStartedByAnAttackerGivesThemNothing(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, store, sg := startWooMailApp(t, dbURL)
		loc, attackerCookie := beginConnect(t, base, store.URL)
		userID := loc.Query().Get("user_id")
		// The merchant approves: the store posts its keys.
		if code := postKeys(t, base, userID); code != http.StatusOK {
			t.Fatalf("callback: status %d; want 200", code)
		}
		shop, err := a.db.ShopByDomain(context.Background(), storage.WooCommerce, storeDomain(store))
		if err != nil {
			t.Fatal(err)
		}
		ws, _ := a.db.WooStore(context.Background(), shop.ID)
		secret, _ := a.db.StorefrontSecret(ws)
		code, page := apptest.Get(t, base+"/auth/woocommerce/return?success=1&user_id="+userID, attackerCookie)
		if code != http.StatusOK || strings.Contains(page, "/admin/login?t=") || strings.Contains(page, ws.ShopKey) || strings.Contains(page, secret) {
			t.Fatalf("the starter's return page: status %d\n%s\nwant 200 with no sign-in link, shop key or secret", code, page)
		}
		if !strings.Contains(page, "o•••@shop.example") || strings.Contains(page, store.AdminEmail) {
			t.Fatalf("the return page does not name the masked address the link went to:\n%s", page)
		}
		link := emailedLink(t, sg, store.AdminEmail, base)
		for _, m := range sg.Mails() {
			if m.To != store.AdminEmail {
				t.Fatalf("mail to %s; want mail only to the store's address %s", m.To, store.AdminEmail)
			}
		}
		if code, ck := signInWith(t, link); code != http.StatusSeeOther || ck == nil {
			t.Fatalf("the merchant's emailed link: status %d, cookie %v; want 303 with a session", code, ck)
		}
		if code, _ := signInWith(t, link); code != http.StatusUnauthorized {
			t.Fatalf("the emailed link again: status %d; want 401 (single use)", code)
		}
	})
}

// TestEmailedSignInLinkIsUsedOnlyByPost: mail scanners fetch every link in
// an email; their GETs see a button and use nothing up.
func TestEmailedSignInLinkIsUsedOnlyByPost(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWoo(t, dbURL)
		link := strings.Replace(loginLink(t, e.a, e.shop.ID), wooAppURL, e.base, 1)
		for i := range 2 {
			res, b := apptest.Fetch(t, link, nil)
			if res.StatusCode != http.StatusOK || len(res.Cookies()) != 0 || !strings.Contains(b, `<form method="post" action="/admin/login">`) {
				t.Fatalf("GET %d of the link: status %d, cookies %v, page\n%s\nwant 200 with a sign-in button and no session", i+1, res.StatusCode, res.Cookies(), b)
			}
		}
		if code, ck := signInWith(t, link); code != http.StatusSeeOther || ck == nil {
			t.Fatalf("the button after two GETs: status %d; want 303 with a session (the GETs used nothing up)", code)
		}
	})
}

// pluginLink is the companion plugin's signed "Open ordertrack admin" link.
func pluginLink(base, key, secret string, ts time.Time) string {
	b := make([]byte, 16)
	rand.Read(b)
	nonce := hex.EncodeToString(b)
	q := url.Values{"shop": {key}, "ts": {fmt.Sprint(ts.Unix())}, "nonce": {nonce}, "sig": {woocommerce.SignAdminLink(secret, key, ts, nonce)}}
	return base + "/admin/login/woocommerce?" + q.Encode()
}

// TestRotatingThePluginSecretEndsOldLinksAndSessions: the settings page of
// a WooCommerce shop shows the plugin's key and secret; rotating it makes
// links signed with the old secret fail and signs out every other session.
func TestRotatingThePluginSecretEndsOldLinksAndSessions(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := connectWoo(t, dbURL)
		old, _ := e.a.db.StorefrontSecret(e.ws)
		s := signIn(t, e.a, e.base, e.shop.ID)
		other, _ := signInCookie(t, e.a, e.base, e.shop.ID)
		if code, page := s.get(e.base + "/admin/settings"); code != http.StatusOK || !strings.Contains(page, e.ws.ShopKey) || !strings.Contains(page, old) {
			t.Fatalf("settings: status %d; want the plugin's shop key and secret on the page", code)
		}
		stale := pluginLink(e.base, e.ws.ShopKey, old, time.Now())
		if code, _ := s.post("/admin/settings/plugin-secret", url.Values{"_csrf": {"forged"}}); code != http.StatusForbidden {
			t.Fatalf("rotate without the form token: status %d; want 403", code)
		}
		if code, _ := s.post("/admin/settings/plugin-secret", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("rotate: status %d; want 303 back to settings", code)
		}
		ws, _ := e.a.db.WooStore(context.Background(), e.shop.ID)
		fresh, _ := e.a.db.StorefrontSecret(ws)
		if fresh == old || ws.ShopKey != e.ws.ShopKey {
			t.Fatal("rotation kept the secret or changed the shop key; want a new secret under the same key")
		}
		if code, _ := apptest.Get(t, stale, nil); code != http.StatusUnauthorized {
			t.Fatalf("a plugin link signed with the old secret: status %d; want 401", code)
		}
		if code, _ := apptest.Get(t, e.base+"/admin", other); code != http.StatusUnauthorized {
			t.Fatalf("another session after the rotation: status %d; want 401 (signed out)", code)
		}
		if code, page := s.get(e.base + "/admin/settings"); code != http.StatusOK || !strings.Contains(page, fresh) {
			t.Fatalf("the rotating session: status %d; want it kept, showing the new secret", code)
		}
		if code, _ := apptest.Get(t, pluginLink(e.base, e.ws.ShopKey, fresh, time.Now()), nil); code != http.StatusSeeOther {
			t.Fatalf("a plugin link signed with the new secret: status %d; want 303", code)
		}
		// Sign out everywhere ends this session too.
		_, page := s.get(e.base + "/admin/settings")
		s.csrf = csrfField.FindStringSubmatch(page)[1]
		if code, _ := s.post("/admin/settings/sign-out-everywhere", url.Values{}); code != http.StatusOK {
			t.Fatalf("sign out everywhere: status %d; want 200", code)
		}
		if code, _ := s.get(e.base + "/admin"); code != http.StatusUnauthorized {
			t.Fatalf("the admin after signing out everywhere: status %d; want 401", code)
		}
	})
}

// TestWooKeyCallbackChecksKeysOnce: the nonce is public, so a pending
// connection allows one key check; a second callback makes no request to
// the store, whatever the first one's outcome.
func TestWooKeyCallbackChecksKeysOnce(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		_, base, store := startWooApp(t, dbURL)
		loc, _ := beginConnect(t, base, store.URL)
		userID := loc.Query().Get("user_id")
		if code := postKeysWith(t, base, userID, "ck_wrong", "cs_wrong"); code != http.StatusForbidden {
			t.Fatalf("callback with keys the store rejects: status %d; want 403", code)
		}
		hits := len(store.Requests())
		if hits != 1 {
			t.Fatalf("the first callback made %d requests to the store; want 1 (the key check)", hits)
		}
		for i, keys := range [][2]string{{"ck_wrong2", "cs_wrong2"}, {wooKey, wooSecret}} {
			if code := postKeysWith(t, base, userID, keys[0], keys[1]); code != http.StatusConflict {
				t.Errorf("callback %d after the check: status %d; want 409", i+2, code)
			}
		}
		if n := len(store.Requests()); n != hits {
			t.Fatalf("the store saw %d requests after the later callbacks; want still %d", n, hits)
		}
	})
}

// TestWooConnectWithAnHTTPAppURLSaysWhy: the demo's default APP_URL is
// http, where WooCommerce will not send keys; the page says so.
func TestWooConnectWithAnHTTPAppURLSaysWhy(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	req, _ := http.NewRequest(http.MethodGet, base+"/auth/woocommerce/start?store=https://shop.example", nil)
	req.Header.Set("Accept", "text/html")
	res, b := apptest.Do(t, req)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(b, "https") || !strings.Contains(b, "APP_URL") {
		t.Fatalf("status %d %s:\n%s\nwant 503 HTML saying an https APP_URL is needed", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
}
