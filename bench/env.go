package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver, for the scratch database

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/sim"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	benchShop   = "bench.myshopify.com"
	benchSecret = "bench-shopify-secret"
)

// benchKey seals the scratch database's secrets; its data is thrown away.
var benchKey = []byte("ordertrack-bench-key-not-secret!")

// env is an app (web mode: HTTP and job inserts, no workers) on a scratch
// database.
type env struct {
	dialect storage.Dialect
	admin   string // the Postgres server's URL; empty on SQLite
	url     string
	a       *app.App
	cleanup []func()
}

func listenLoopback() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	return ln, nil
}

func openEnv(ctx context.Context, opts Options) (*env, error) {
	e := &env{dialect: storage.SQLite}
	if opts.PostgresURL != "" && reachable(ctx, opts.PostgresURL) {
		adm, err := sql.Open("pgx", opts.PostgresURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		name := fmt.Sprintf("ordertrack_bench_%d_%d", os.Getpid(), time.Now().Unix()%100000)
		if _, err := adm.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			adm.Close()
			return nil, fmt.Errorf("create scratch database: %w", err)
		}
		e.cleanup = append(e.cleanup, func() {
			adm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			adm.Close()
		})
		e.dialect, e.admin, e.url = storage.Postgres, opts.PostgresURL, withDBName(opts.PostgresURL, name)
	} else {
		dir, err := os.MkdirTemp("", "ordertrack-bench-")
		if err != nil {
			return nil, fmt.Errorf("temp dir: %w", err)
		}
		e.cleanup = append(e.cleanup, func() { os.RemoveAll(dir) })
		e.url = filepath.Join(dir, "bench.db")
	}
	cfg := app.Config{DatabaseURL: e.url, EncryptionKey: benchKey, ShopifyAPISecret: benchSecret, AppURL: "http://127.0.0.1"}
	a, err := app.New(ctx, cfg, app.ModeWeb, app.Options{Log: opts.Log})
	if err != nil {
		e.close()
		return nil, fmt.Errorf("start app: %w", err)
	}
	e.a = a
	e.cleanup = append(e.cleanup, func() { a.Close() })
	if err := a.DB().Migrate(ctx); err != nil {
		e.close()
		return nil, fmt.Errorf("migrate scratch database: %w", err)
	}
	if err := a.DB().UpsertShop(ctx, &storage.Shop{Platform: storage.Shopify, Domain: benchShop, Name: "Bench Shop"}); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *env) close() {
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
}

func reachable(ctx context.Context, url string) bool {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return false
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return db.PingContext(ctx) == nil
}

func withDBName(url, name string) string {
	q := ""
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, q = url[:i], url[i:]
	}
	return url[:strings.LastIndexByte(url, '/')+1] + name + q
}

// orderBody is a realistic orders/create body (about 3 KB, like Shopify's
// smaller orders); ingest stores it unparsed, so only its size matters.
func orderBody() []byte {
	var b bytes.Buffer
	b.WriteString(`{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","name":"#9999","email":"jon@example.com","created_at":"2026-03-02T10:00:00-05:00","updated_at":"2026-03-02T10:00:00-05:00","currency":"USD","total_price":"403.00","gateway":"bogus","customer_locale":"en","financial_status":"paid","line_items":[`)
	for i := range 6 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"title":"Aviator sunglasses","variant_title":"Black / M","sku":"SKU-%d","quantity":1,"price":"89.99","vendor":"Bench","requires_shipping":true,"taxable":true,"fulfillment_status":null,"properties":[]}`, 866550311766439000+i, i)
	}
	b.WriteString(`],"shipping_address":{"first_name":"Steve","last_name":"Shipper","address1":"123 Shipping Street","city":"Shippington","province":"Kentucky","zip":"40003","country_code":"US","phone":"555-555-5555"},"billing_address":{"first_name":"Steve","last_name":"Shipper","address1":"123 Billing Street","city":"Billtown","province":"Kentucky","zip":"K2P0B0","country_code":"US"},"fulfillments":[]}`)
	return b.Bytes()
}

func sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// postOrderWebhook posts body to the app as Shopify's orders/create webhook
// of shop, signed with mac, and wants 200.
func postOrderWebhook(ctx context.Context, hc *http.Client, base, shop, id, mac string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/webhooks/shopify", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", "orders/create")
	req.Header.Set("X-Shopify-Shop-Domain", shop)
	req.Header.Set("X-Shopify-Webhook-Id", id)
	req.Header.Set("X-Shopify-Hmac-Sha256", mac)
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook: status %d", res.StatusCode)
	}
	return nil
}

// ingest compares a signed webhook over HTTP (verify + store + enqueue in
// one transaction) with a raw single-row insert of the same payload, a
// multi-row insert of the same payloads, and the HTTP floor: the same
// request answered without storing anything.
func (e *env) ingest(ctx context.Context, opts Options) ([]Result, error) {
	base, stop, err := serve(e.a.Handler())
	if err != nil {
		return nil, err
	}
	defer stop()
	body := orderBody()
	mac := sign(benchSecret, body)
	hc := client(opts.Concurrency)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	sqlDB := e.a.DB().SQL
	ddl := "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, delivery_id TEXT NOT NULL UNIQUE, payload BLOB NOT NULL, received_at TIMESTAMP NOT NULL)"
	insert := "INSERT INTO bench_raw (delivery_id, payload, received_at) VALUES (?, ?, ?)"
	if e.dialect == storage.Postgres {
		ddl = "CREATE TABLE bench_raw (id BIGSERIAL PRIMARY KEY, delivery_id TEXT NOT NULL UNIQUE, payload BYTEA NOT NULL, received_at TIMESTAMPTZ NOT NULL)"
		insert = "INSERT INTO bench_raw (delivery_id, payload, received_at) VALUES ($1, $2, $3)"
	}
	if _, err := sqlDB.ExecContext(ctx, ddl); err != nil {
		return nil, fmt.Errorf("create baseline table: %w", err)
	}
	// The HTTP floor is the most any webhook handler can do on this
	// machine: an Echo handler on the same server settings that reads the
	// same body and answers 200, storing nothing.
	floor := echo.New()
	floor.HideBanner = true
	floor.POST("/webhooks/shopify", func(c echo.Context) error {
		if _, err := io.Copy(io.Discard, c.Request().Body); err != nil {
			return err
		}
		return c.NoContent(http.StatusOK)
	})
	fbase, fstop, err := serve(floor)
	if err != nil {
		return nil, err
	}
	defer fstop()
	// The batched baseline is the most a durable ingest can do here: the
	// same payloads, ingestBatch rows per statement and commit. A group of
	// as many rows as there are clients is the most one commit of an ingest
	// that answers each request after its commit can carry. They take
	// turns, so a load that comes and goes weighs on each alike.
	batchSQL, groupSQL := batchInsert(e.dialect, ingestBatch), batchInsert(e.dialect, opts.Concurrency)
	batch := func(sql, prefix string, rows int) func(ctx context.Context, seq int) error {
		return func(ctx context.Context, seq int) error {
			args := make([]any, 0, 3*rows)
			now := time.Now().UTC()
			for i := range rows {
				args = append(args, run+prefix+strconv.Itoa(seq*rows+i), body, now)
			}
			_, err := sqlDB.ExecContext(ctx, sql, args...)
			return err
		}
	}
	post := func(base, prefix string) func(ctx context.Context, seq int) error {
		return func(ctx context.Context, seq int) error {
			return postOrderWebhook(ctx, hc, base, benchShop, run+prefix+strconv.Itoa(seq), mac, body)
		}
	}
	loads := alternate(ctx, opts.Concurrency, opts.Duration,
		turn{opts.Requests, post(base, "-")},
		turn{opts.Requests, func(ctx context.Context, seq int) error {
			_, err := sqlDB.ExecContext(ctx, insert, run+"-"+strconv.Itoa(seq), body, time.Now().UTC())
			return err
		}},
		turn{max(opts.Requests/ingestBatch, 1), batch(batchSQL, "-b", ingestBatch)},
		turn{opts.Requests, post(fbase, "-f")},
		turn{max(opts.Requests/opts.Concurrency, 1), batch(groupSQL, "-g", opts.Concurrency)})
	hook, raw, batched, bare, group := loads[0], loads[1], loads[2], loads[3], loads[4]
	if hook.errors > 0 || raw.errors > 0 || batched.errors > 0 || bare.errors > 0 || group.errors > 0 {
		fmt.Fprintf(opts.Progress, "bench: ingest errors: webhook %d, insert %d, batched insert %d, HTTP floor %d, group insert %d\n", hook.errors, raw.errors, batched.errors, bare.errors, group.errors)
	}
	// On a machine the load saturates, the floor's work and the group's
	// add up per delivery: the ceiling is their rates in series.
	batchedRate, groupRate := batched.rate()*ingestBatch, group.rate()*float64(opts.Concurrency)
	var ceiling float64
	if fr := bare.rate(); fr > 0 && groupRate > 0 {
		ceiling = 1 / (1/fr + 1/groupRate)
	}
	batchedNote := fmt.Sprintf("baseline: multi-row INSERT of the same payloads, %d rows per statement, %d clients, %d rows", ingestBatch, opts.Concurrency, batched.n*ingestBatch)
	note := fmt.Sprintf("baseline: single-row INSERT of the same %d-byte payload, %d clients, %s, %d requests", len(body), opts.Concurrency, e.dialect, hook.n)
	return []Result{
		result("webhook ingest rate", hook.rate(), raw.rate(), "req/s", note),
		result("webhook ingest rate vs batched INSERT", hook.rate(), batchedRate, "req/s", batchedNote),
		result("HTTP floor vs batched INSERT", bare.rate(), batchedRate, "req/s",
			fmt.Sprintf("Echo POST handler, same server settings, reads the same body and answers 200, stores nothing; %d requests; baseline: the batched INSERT above", bare.n)),
		result("webhook ingest rate vs HTTP floor", hook.rate(), bare.rate(), "req/s", "baseline: the HTTP floor above"),
		result("ingest ceiling vs batched INSERT", ceiling, batchedRate, "req/s",
			fmt.Sprintf("the HTTP floor and a %d-row INSERT (one row per client, the most one commit can carry when each request waits for its own) in series: %.0f rows/s grouped; baseline: the batched INSERT above", opts.Concurrency, groupRate)),
		result("webhook ingest rate vs ingest ceiling", hook.rate(), ceiling, "req/s", "baseline: the ingest ceiling above"),
		result("webhook ingest p50", ms(hook.p50), ms(raw.p50), "ms", ""),
		result("webhook ingest p99", ms(hook.p99), ms(raw.p99), "ms", ""),
	}, nil
}

// ingestBatch is how many rows the batched INSERT baseline writes per
// statement.
const ingestBatch = 100

// batchInsert is a multi-row INSERT of n rows into bench_raw.
func batchInsert(d storage.Dialect, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO bench_raw (delivery_id, payload, received_at) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if d == storage.Postgres {
			fmt.Fprintf(&b, "($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
		} else {
			b.WriteString("(?, ?, ?)")
		}
	}
	return b.String()
}

// pageShipments is how many shipments the warm page phase spreads its
// requests over: shoppers look at different parcels, and every view counts
// on its shipment's row, so hammering a single page would measure one hot
// row.
const pageShipments = 100

// page compares GET /t/:token of shipments in transit with an Echo handler
// serving a static body of the same size from an identical server, in
// turns. First views (pages built from the database) are measured on their
// own shipments, one view each, as many as a load phase has requests.
func (e *env) page(ctx context.Context, opts Options) ([]Result, error) {
	shop, err := e.a.DB().ShopByDomain(ctx, storage.Shopify, benchShop)
	if err != nil {
		return nil, err
	}
	// The first pageShipments shipments are the warm phase's; as many again
	// as a phase has requests get one first view each.
	n := pageShipments + opts.Requests
	fmt.Fprintf(opts.Progress, "bench: seeding %d shipments\n", n)
	tokens := make([]string, n)
	// Seeding is set-up, not a measure: on a busy machine 20k shipments
	// take longer than a phase may, so it has a limit of its own.
	seeded := hammer(ctx, opts.Concurrency, n, 4*opts.Duration, func(ctx context.Context, i int) error {
		var err error
		tokens[i], err = e.seedShipment(ctx, shop, i)
		return err
	})
	if seeded.errors > 0 || seeded.n < n {
		return nil, fmt.Errorf("seed %d shipments: %d seeded, %d failed", n, seeded.n, seeded.errors)
	}
	warm, fresh := tokens[:pageShipments], tokens[pageShipments:]
	base, stop, err := serve(e.a.Handler())
	if err != nil {
		return nil, err
	}
	defer stop()
	hc := client(opts.Concurrency)
	for _, t := range warm { // the warm phase's pages are built before it starts
		if _, err := get(ctx, hc, base+"/t/"+t); err != nil {
			return nil, err
		}
	}
	first, err := get(ctx, hc, base+"/t/"+warm[0])
	if err != nil {
		return nil, err
	}
	static := echo.New()
	static.HideBanner = true
	static.GET("/t/:token", func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, first) })
	sbase, sstop, err := serve(static)
	if err != nil {
		return nil, err
	}
	defer sstop()

	// In turns: first views (built from the database: every shopper who
	// follows a message's link gets one), views of cached pages, and the
	// static baseline.
	loads := alternate(ctx, opts.Concurrency, opts.Duration,
		turn{opts.Requests, func(ctx context.Context, seq int) error {
			_, err := get(ctx, hc, base+"/t/"+fresh[seq])
			return err
		}},
		turn{opts.Requests, func(ctx context.Context, seq int) error {
			_, err := get(ctx, hc, base+"/t/"+warm[seq%len(warm)])
			return err
		}},
		turn{opts.Requests, func(ctx context.Context, _ int) error {
			_, err := get(ctx, hc, sbase+"/t/"+warm[0])
			return err
		}})
	cold, pageLoad, staticLoad := loads[0], loads[1], loads[2]
	if cold.errors > 0 {
		return nil, fmt.Errorf("first views of %d pages: %d failed", cold.n+cold.errors, cold.errors)
	}
	note := fmt.Sprintf("baseline: Echo handler returning the same %d bytes, same server settings, %d clients over %d shipments, %d requests", len(first), opts.Concurrency, len(warm), pageLoad.n)
	return []Result{
		result("tracking page rate", pageLoad.rate(), staticLoad.rate(), "req/s", note),
		result("tracking page p50", ms(pageLoad.p50), ms(staticLoad.p50), "ms", ""),
		result("tracking page p99", ms(pageLoad.p99), ms(staticLoad.p99), "ms", ""),
		result("tracking page first view p50", ms(cold.p50), ms(staticLoad.p50), "ms", fmt.Sprintf("built from the database, %d shipments viewed once each; baseline: static p50", cold.n)),
		result("tracking page first view p99", ms(cold.p99), ms(staticLoad.p99), "ms", "baseline: static p99"),
	}, nil
}

func get(ctx context.Context, hc *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return b, nil
}

// seedShipment stores order i with one simulated shipment in transit and
// its scans so far, and returns the shipment's page token.
func (e *env) seedShipment(ctx context.Context, shop *storage.Shop, i int) (string, error) {
	db := e.a.DB()
	now := time.Now().UTC()
	plan := sim.New(7).Plan(sim.New(7).Number(i), now.AddDate(0, 0, -3), sim.Normal)
	var past []tracking.Event
	for _, ev := range plan.Events {
		if ev.Time.Before(now) {
			past = append(past, ev)
		}
	}
	o := &storage.Order{ShopID: shop.ID, PlatformID: fmt.Sprintf("bench-%d", i), Name: fmt.Sprintf("#%d", 1001+i), Email: "ana@example.com", CustomerName: "Ana García", Locale: "en", Country: "US", Currency: "USD", Total: "49.90",
		LineItems: storage.JSON[[]storage.LineItem]{V: []storage.LineItem{{Title: "Linen shirt", Variant: "M / Sage", Quantity: 1}, {Title: "Canvas tote", Quantity: 2}}}}
	if _, err := db.UpsertOrder(ctx, o); err != nil {
		return "", err
	}
	s := &storage.Shipment{ShopID: shop.ID, OrderID: o.ID, Carrier: sim.Code, TrackingNumber: plan.Number, Stage: string(tracking.StagePacked)}
	if _, err := db.UpsertShipment(ctx, s); err != nil {
		return "", err
	}
	st := tracking.Derive(past, tracking.State{Stage: tracking.StagePacked})
	eta := tracking.ETA{Window: plan.Promised, Source: tracking.SourceCarrier}
	if _, err := db.ApplyUpdate(ctx, s, storage.Update{Added: past, State: st, ETA: eta, Service: plan.Service, Polled: true}); err != nil {
		return "", err
	}
	return s.PublicToken, nil
}
