// The harness starts the whole app for a test and seeds it through its own
// stores: what needs package app's internals. Everything else the tests
// share is in app/apptest.

package app

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/messaging"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

const testSecret = "shpss_test_secret"

// startOption adjusts startApp: a logger to capture, or Options that
// replace the clock or an outside service.
type startOption func(*startOptions)

type startOptions struct {
	Options
	quiet bool
	// productionOutbound keeps the production outbound policy; by default
	// the harness allows loopback, where the fake stores and carriers are.
	productionOutbound bool
}

// withLogger makes the app log to l instead of discarding.
func withLogger(l *slog.Logger) startOption { return func(o *startOptions) { o.Log = l } }

// withClock runs the app's clock on now.
func withClock(now func() time.Time) startOption { return func(o *startOptions) { o.Now = now } }

// withOutbound sends calls to merchant hosts through c.
func withOutbound(c *http.Client) startOption { return func(o *startOptions) { o.Outbound = c } }

// withOutbox replaces the outbox sender.
func withOutbox(s messaging.Sender) startOption { return func(o *startOptions) { o.Outbox = s } }

// withPolicy replaces the polling policy.
func withPolicy(p tracking.Policy) startOption { return func(o *startOptions) { o.Policy = p } }

// withCarrierRates replaces carriers' call rates.
func withCarrierRates(r map[string]rate.Limit) startOption {
	return func(o *startOptions) { o.CarrierRates = r }
}

// withShopify sends every shop's Shopify API calls to route's origin.
func withShopify(route func(shop string) string) startOption {
	return func(o *startOptions) { o.ShopifyBaseURL = route }
}

// recordedAt is an afternoon of the day the carrier responses under
// integrations/carriers/*/testdata were recorded (their last scans are that
// morning).
var recordedAt = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

// atRecordingTime runs the app's clock at recordedAt. Tests that poll the
// recorded responses need it: a month after the recording their scans would
// be old enough to expire the shipment, and its polling with it.
func atRecordingTime() startOption {
	return withClock(func() time.Time { return recordedAt })
}

// withProductionOutbound starts the app without OUTBOUND_ALLOW_LOOPBACK,
// so calls to merchant hosts on loopback are refused as in production.
func withProductionOutbound() startOption {
	return func(o *startOptions) { o.productionOutbound = true }
}

// withQuietHours keeps the shops' quiet hours. Without it startApp turns
// them off, so a test that waits for a message passes at any hour of the
// day it runs.
func withQuietHours() startOption { return func(o *startOptions) { o.quiet = true } }

// startApp runs the whole app (web + workers) on a loopback port against
// db and returns it with its base URL. cfg.AppURL, when set, is the public
// address its links carry; otherwise they point at the loopback port.
func startApp(t *testing.T, url string, cfg Config, opts ...startOption) (*App, string) {
	t.Helper()
	var o startOptions
	for _, opt := range opts {
		opt(&o)
	}
	cfg.DatabaseURL, cfg.EncryptionKey = url, storagetest.Key
	cfg.OutboundAllowLoopback = !o.productionOutbound // the fake stores listen on 127.0.0.1
	if cfg.ShopifyAPISecret == "" {
		cfg.ShopifyAPISecret = testSecret
	}
	if !o.quiet {
		o.Rules = func(s *storage.Shop) notify.Rules {
			r := messaging.ShopRules(s)
			r.Quiet = notify.QuietHours{}
			return r
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o.Listener = ln
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, cfg, ModeAll, o.Options)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	if err := a.db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ModeAll, func(string) { close(started) }) }()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("app did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
	return a, base
}

const (
	testAPIKey = "test-client-id"
	shopA      = "shop-a.myshopify.com"
	shopB      = "shop-b.myshopify.com"
)

// startShopifyApp runs the app with Shopify configured and every shop's API
// calls sent to a fake Shopify (or to route, when given).
func startShopifyApp(t *testing.T, dbURL string, route func(shop string) string) (*App, string, *shopifytest.Server) {
	t.Helper()
	fake := shopifytest.NewServer(t, testAPIKey, testSecret)
	if route == nil {
		route = fake.BaseURL
	}
	a, base := startApp(t, dbURL, Config{ShopifyAPIKey: testAPIKey, ShopifyScopes: defaultShopifyScopes}, withShopify(route))
	return a, base, fake
}

// installTestShop installs domain on the fake and stores its token as an
// install would, with the access token expiring after accessTTL.
func installTestShop(t *testing.T, a *App, fake *shopifytest.Server, domain string, accessTTL time.Duration) *storage.Shop {
	t.Helper()
	ctx := context.Background()
	access, refresh, _ := fake.Install(domain)
	shop := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: domain, Email: "owner@" + domain}
	if err := a.db.UpsertShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	exp, rexp := time.Now().Add(accessTTL).UTC(), time.Now().Add(90*24*time.Hour).UTC()
	tok := storage.OAuthToken{AccessToken: access, ExpiresAt: &exp, RefreshToken: refresh, RefreshExpiresAt: &rexp, Scopes: "read_orders"}
	if err := a.db.SaveOAuthToken(ctx, domain, tok); err != nil {
		t.Fatal(err)
	}
	return shop
}

// wooAppURL is the public URL the app believes it has: WooCommerce demands an
// https callback, so the tests reach the app on loopback while the links it
// hands out name this host.
const wooAppURL = "https://ordertrack.test"

const (
	wooKey    = "ck_0123456789abcdef"
	wooSecret = "cs_0123456789abcdef"
)

// wooEnv is an app connected to a fake WooCommerce store.
type wooEnv struct {
	a          *App
	base       string
	store      *wootest.Server
	shop       *storage.Shop
	ws         *storage.WooStore
	hookSecret string
}

func (e *wooEnv) hookURL() string { return e.base + "/webhooks/woocommerce/" + e.ws.ShopKey }

func (e *wooEnv) deliver(t *testing.T, topic string, body []byte) (deliveryID string) {
	t.Helper()
	id, code := apptest.PostWooDelivery(t, e.hookURL(), e.hookSecret, topic, body)
	if code != http.StatusOK {
		t.Fatalf("signed %s delivery: status %d; want 200", topic, code)
	}
	return id
}

func (e *wooEnv) waitProcessed(t *testing.T, deliveryID string) {
	t.Helper()
	apptest.WaitUntil(t, "delivery "+deliveryID+" processed", func() bool {
		n := storagetest.Count(t, e.a.db, "webhook_deliveries", "delivery_id = ? AND status = ?", deliveryID, storage.DeliveryProcessed)
		return n == 1
	})
}

func (e *wooEnv) waitShipment(t *testing.T, number string) storage.Shipment {
	t.Helper()
	var s storage.Shipment
	apptest.WaitUntil(t, "shipment "+number, func() bool {
		return e.a.db.Gorm.Where("shop_id = ? AND tracking_number = ?", e.shop.ID, number).Take(&s).Error == nil
	})
	return s
}

// startWooApp starts the app and a fake store over https whose
// certificate the app's WooCommerce client trusts.
func startWooApp(t *testing.T, url string) (*App, string, *wootest.Server) {
	t.Helper()
	a, base, store, _ := startWooMailApp(t, url)
	return a, base, store
}

// startWooMailApp is startWooApp whose email goes to a fake SendGrid.
func startWooMailApp(t *testing.T, url string) (*App, string, *wootest.Server, *apptest.Providers) {
	t.Helper()
	sg := apptest.NewProviders(t)
	store := wootest.NewTLSServer(t, wooKey, wooSecret)
	a, base := startApp(t, url, Config{SendGridAPIKey: "SG.test", SendGridBaseURL: sg.URL, EmailFrom: "app@ordertrack.test", AppURL: wooAppURL},
		withOutbound(trusting(store)))
	return a, base, store, sg
}

// trusting is the app's outbound client (loopback allowed, as in startApp)
// that also trusts the fake stores' certificates.
func trusting(stores ...*wootest.Server) *http.Client {
	pool := x509.NewCertPool()
	for _, s := range stores {
		pool.AddCert(s.Certificate())
	}
	return egress.NewClient(egress.Options{AllowLoopback: true, AllowHTTP: true, RootCAs: pool})
}

// storeDomain is the shop domain of a fake store: its host and port.
func storeDomain(store *wootest.Server) string { return strings.TrimPrefix(store.URL, "https://") }

// connectWoo runs the whole connect flow and waits for the webhooks.
func connectWoo(t *testing.T, url string) *wooEnv {
	t.Helper()
	a, base, store := startWooApp(t, url)
	loc, _ := beginConnect(t, base, store.URL)
	if code := postKeys(t, base, loc.Query().Get("user_id")); code != http.StatusOK {
		t.Fatalf("key callback: status %d; want exactly 200", code)
	}
	e := &wooEnv{a: a, base: base, store: store}
	apptest.WaitUntil(t, "the four webhooks on the store", func() bool { return len(store.Webhooks()) == len(woocommerce.Topics) })
	ctx := context.Background()
	var err error
	if e.shop, err = a.db.ShopByDomain(ctx, storage.WooCommerce, storeDomain(store)); err != nil {
		t.Fatal(err)
	}
	if e.ws, err = a.db.WooStore(ctx, e.shop.ID); err != nil {
		t.Fatal(err)
	}
	sec, err := a.db.Secrets(e.shop)
	if err != nil {
		t.Fatal(err)
	}
	e.hookSecret = sec.WebhookSecret
	return e
}

const (
	shopperPhone = "+14155550101" // a number libphonenumber dials: 555 is no US area code
	ownerEmail   = "owner@shop-a.example"
)

// shopperFixture is one shop with one order and its shipments, the shopper
// reachable by email and (with consent) SMS.
type shopperFixture struct {
	shop  *storage.Shop
	order *storage.Order
	ships []*storage.Shipment
}

func seedShopper(t *testing.T, a *App, domain, phone string, problems ...string) shopperFixture {
	t.Helper()
	ctx := context.Background()
	fx := shopperFixture{shop: &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: "Shop A", Email: ownerEmail}}
	if err := a.db.UpsertShop(ctx, fx.shop); err != nil {
		t.Fatal(err)
	}
	fx.order = &storage.Order{ShopID: fx.shop.ID, PlatformID: "1001", Name: "#1001", Email: "ana@example.com", Phone: phone, CustomerName: "Ana Lopez", Locale: "en"}
	if err := a.db.Gorm.Create(fx.order).Error; err != nil {
		t.Fatal(err)
	}
	for i, p := range problems {
		s := &storage.Shipment{
			ShopID: fx.shop.ID, OrderID: fx.order.ID, Carrier: "ups", TrackingNumber: fmt.Sprintf("1Z999AA1012345678%d", i),
			PublicToken: storage.NewToken(), Stage: "in_transit", Problem: p,
		}
		if err := a.db.Gorm.Create(s).Error; err != nil {
			t.Fatal(err)
		}
		fx.ships = append(fx.ships, s)
	}
	if err := a.db.SetContact(ctx, &storage.Contact{ShopID: fx.shop.ID, Channel: "sms", Address: phone, Consent: true, Source: "checkout"}); err != nil {
		t.Fatal(err)
	}
	return fx
}

// logMessage writes a message to the log as the send job leaves it.
func logMessage(t *testing.T, a *App, s *storage.Shipment, trigger, channel, status, recipient string, age time.Duration) *storage.Notification {
	t.Helper()
	now := time.Now().UTC()
	n := &storage.Notification{
		ShopID: s.ShopID, ShipmentID: &s.ID, Trigger: trigger, Channel: channel, Recipient: recipient,
		DedupeKey: fmt.Sprintf("%d:%s:%s:%d", s.ID, trigger, channel, now.UnixNano()), Status: status,
		Provider: "sendgrid", ProviderID: "pid-" + strconv.FormatInt(now.UnixNano(), 36), SendAt: &now, CreatedAt: now.Add(-age),
	}
	if channel != "email" {
		n.Provider = "twilio"
	}
	if status == storage.NotificationScheduled {
		n.Provider, n.ProviderID = "", "" // the send job has not run yet
	} else {
		n.SentAt = &now
	}
	if err := a.db.Gorm.Create(n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func reload(t *testing.T, a *App, id int64) *storage.Notification {
	t.Helper()
	n, err := a.db.Notification(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func twilioConfig() Config {
	return Config{TwilioAccountSID: apptest.TwilioSID, TwilioAuthToken: apptest.TwilioToken, TwilioFrom: "+15550009999", TwilioWhatsAppFrom: "+15550009998"}
}

// seedOrder stores a shop with one order and shipment and returns the
// shipment's public token.
func seedOrder(t *testing.T, a *App, domain, orderName, email string) string {
	t.Helper()
	ctx := context.Background()
	shop := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: "Shop " + domain}
	if err := a.db.UpsertShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	o := &storage.Order{PlatformID: domain + orderName, Name: orderName, Email: email}
	if err := a.orders.SyncOrder(ctx, shop, o, []orders.Parcel{{Company: "UPS", Number: "1Z999AA10123456784"}}); err != nil {
		t.Fatal(err)
	}
	ships, err := a.db.OrderShipments(ctx, shop.ID, o.ID)
	if err != nil || len(ships) != 1 {
		t.Fatalf("seeded shipments = %v, %v", ships, err)
	}
	return ships[0].PublicToken
}

// seedShopifyOrder syncs fixture order o into shop as its webhook would.
func seedShopifyOrder(t *testing.T, a *App, shop *storage.Shop, o shopifytest.Order) {
	t.Helper()
	so, err := shopify.DecodeOrder(o.WebhookJSON())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.orders.SyncShopifyOrder(context.Background(), shop, so); err != nil {
		t.Fatal(err)
	}
}

func bearer(shop string, at time.Time) http.Header {
	return http.Header{"Authorization": {"Bearer " + shopifytest.SessionToken(testAPIKey, testSecret, shop, "42", at)}}
}

// seedDueShipments stores a shop and n orders, each with one UPS shipment
// due for polling by a's clock, and returns the shop.
func seedDueShipments(t *testing.T, a *App, domain string, n int) *storage.Shop {
	t.Helper()
	ctx := context.Background()
	db := a.db
	shop := &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: "Shop " + domain}
	if err := db.UpsertShop(ctx, shop); err != nil {
		t.Fatal(err)
	}
	due := a.now().UTC().Add(-time.Minute)
	for i := range n {
		o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprintf("%s-%d", domain, i), Name: fmt.Sprintf("#%d", 1001+i),
			Email: fmt.Sprintf("shopper%d@%s.example", i, domain), CustomerName: "Ana García", Locale: "en", Country: "US"}
		if _, err := db.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: "ups", TrackingNumber: fmt.Sprintf("1ZFAULT%011d", shop.ID*1000+int64(i)),
			Stage: string(tracking.StagePacked), NextPollAt: &due}
		if _, err := db.UpsertShipment(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return shop
}

// adminSession is a signed-in merchant's browser without JavaScript: it
// keeps the session cookie and does not follow redirects, so tests see them.
type adminSession struct {
	t    *testing.T
	c    *http.Client
	base string
	csrf string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func ownerShop(t *testing.T, a *App) *storage.Shop {
	t.Helper()
	shop := &storage.Shop{Platform: storage.Shopify, Domain: "shop-a.myshopify.com", Name: "Shop A", Email: "owner@shop-a.example"}
	if err := a.db.UpsertShop(context.Background(), shop); err != nil {
		t.Fatalf("create shop: %v", err)
	}
	return shop
}

func signIn(t *testing.T, a *App, base string, shopID int64) *adminSession {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &adminSession{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, err := postLoginLink(s.c, strings.Replace(loginLink(t, a, shopID), a.cfg.AppURL, base, 1))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in link answered %d; want 303 to the admin", res.StatusCode)
	}
	_, page := s.get(base + "/admin/settings")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the settings page:\n%s", page)
	}
	s.csrf = m[1]
	return s
}

func (s *adminSession) get(u string) (int, string) {
	s.t.Helper()
	res, err := s.c.Get(u)
	if err != nil {
		s.t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// post sends form with the session's CSRF token unless form sets _csrf.
func (s *adminSession) post(path string, form url.Values) (int, string) {
	s.t.Helper()
	if !form.Has("_csrf") {
		form.Set("_csrf", s.csrf)
	}
	res, err := s.c.PostForm(s.base+path, form)
	if err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// loginLink issues a single-use sign-in link for shopID, as the connect's
// return page and the emailed link do.
func loginLink(t *testing.T, a *App, shopID int64) string {
	t.Helper()
	link, err := a.install.LoginURL(context.Background(), shopID)
	if err != nil {
		t.Fatalf("issue a sign-in link: %v", err)
	}
	return link
}

// postLoginLink uses a single-use sign-in link the way its page's button
// does: the token is posted back to /admin/login.
func postLoginLink(c *http.Client, link string) (*http.Response, error) {
	u, err := url.Parse(link)
	if err != nil {
		return nil, err
	}
	token := u.Query().Get("t")
	u.RawQuery = ""
	return c.PostForm(u.String(), url.Values{"t": {token}})
}

// signInCookie signs in as shop through a single-use admin link and returns
// the session cookie and the form token.
func signInCookie(t *testing.T, a *App, base string, shopID int64) (*http.Cookie, string) {
	t.Helper()
	link := strings.Replace(loginLink(t, a, shopID), a.cfg.AppURL, base, 1)
	res, err := postLoginLink(apptest.NoRedirect, link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == install.AdminCookie {
			return c, a.links.Sign("admin-csrf", c.Value)[:32]
		}
	}
	t.Fatalf("admin login answered %d without a session cookie", res.StatusCode)
	return nil, ""
}

func shipmentOf(t *testing.T, a *App, shopID int64, number string) storage.Shipment {
	t.Helper()
	var s storage.Shipment
	if err := a.db.Gorm.Where("shop_id = ? AND tracking_number = ?", shopID, number).Take(&s).Error; err != nil {
		t.Fatalf("shipment %s: %v", number, err)
	}
	return s
}

func countJobs(t *testing.T, a *App, kind string) int {
	t.Helper()
	res, err := a.jobs.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}
