package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/admin"
	"github.com/ordertrack/ordertrack/app/ingest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/messaging"
	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/platform"
	// Aliased while package app still declares a shopper type (messages.go).
	"github.com/ordertrack/ordertrack/app/polling"
	shopperpkg "github.com/ordertrack/ordertrack/app/shopper"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/writeback"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/storage"
)

// App is one running ordertrack process: web, worker, or both (demo).
type App struct {
	cfg     Config
	log     *slog.Logger
	db      *storage.DB
	jobs    *jobs.Client
	metrics *metrics.Set
	echo    *echo.Echo
	now     func() time.Time

	polling   *polling.Poller
	renderer  *notify.Renderer
	messaging *messaging.Messenger
	install   *install.Installer

	admin     *admin.Pages
	ingest    *ingest.Intake
	shopify   *platform.Shopify
	shopper   *shopperpkg.Pages
	woo       platform.Woo
	orders    *orders.Syncer
	writeback *writeback.Writer
	// outbound calls hosts merchants chose (WooCommerce stores, their own
	// carrier accounts): public https addresses only, unless the config
	// allows loopback for tests and local development.
	outbound *http.Client

	metricsAddr string
	listener    net.Listener
	links       *links.Links
}

// Mode selects what a process runs.
type Mode int

// The process modes.
const (
	ModeWeb    Mode = 1 << iota // serve HTTP, insert jobs
	ModeWorker                  // work jobs
	ModeAll    = ModeWeb | ModeWorker
)

// Options are what a caller sets beyond the configuration: the logger, and
// for tests and the bench the clock, the listener and outside services.
// The zero value is production.
type Options struct {
	Log *slog.Logger // nil discards
	Now func() time.Time
	// Listener is where Run serves HTTP; nil listens on Config.Port. With a
	// listener and no Config.AppURL, the app's links point at it.
	Listener net.Listener
	// Rules replaces the shop's message rules (tests turn quiet hours off).
	Rules func(*storage.Shop) notify.Rules
	// Policy replaces the polling policy.
	Policy tracking.Policy
	// Outbound replaces the client for hosts merchants chose.
	Outbound *http.Client
	// Outbox takes the messages of channels without a provider instead of
	// the message log alone.
	Outbox messaging.Sender
	// ShopifyBaseURL maps a shop to the origin its API calls go to (a fake
	// Shopify); nil is production.
	ShopifyBaseURL func(shop string) string
	// CarrierRates replaces carriers' call rates by carrier name.
	CarrierRates map[string]rate.Limit
}

// New opens the database and builds the process for mode. Call Close when done.
func New(ctx context.Context, cfg Config, mode Mode, o Options) (*App, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Policy == nil {
		o.Policy = tracking.NextPoll
	}
	if o.Rules == nil {
		o.Rules = messaging.ShopRules
	}
	if o.Listener != nil && cfg.AppURL == "" {
		cfg.AppURL = "http://" + o.Listener.Addr().String()
	}
	log := o.Log
	db, err := storage.Open(ctx, cfg.DatabaseURL, storage.Options{EncryptionKey: cfg.EncryptionKey, Logger: log})
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, db: db, metrics: metrics.New(), now: o.Now, renderer: &notify.Renderer{}, listener: o.Listener}
	a.links = links.New(cfg.AppURL, cfg.EncryptionKey, a.now)
	a.outbound = o.Outbound
	if a.outbound == nil {
		a.outbound = egress.NewClient(egress.Options{AllowLoopback: cfg.OutboundAllowLoopback, AllowHTTP: cfg.OutboundAllowLoopback})
	}
	a.shopper, err = shopperpkg.New(shopperpkg.Deps{
		DB: db, Log: log, Now: a.now, Links: a.links,
		ShopifyAPIKey: cfg.ShopifyAPIKey, ShopifyAPISecret: cfg.ShopifyAPISecret,
		Notifier: shopperHooks{a}, WriteBack: shopperHooks{a},
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	hooks := pollingHooks{a}
	a.polling = polling.New(polling.Deps{
		DB: db, Log: log, Now: a.now, Metrics: a.metrics, Policy: o.Policy,
		Carriers: cfg.Carriers, Rates: o.CarrierRates, Outbound: a.outbound,
		Notifier: hooks, WriteBack: hooks, Pages: hooks,
	})
	opts := jobs.Options{Logger: log}
	if mode&ModeWorker != 0 {
		opts.Workers = river.NewWorkers() // filled once the features that work jobs are built
		opts.Periodic = a.periodicJobs()
	}
	a.jobs, err = jobs.NewClient(db, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.ingest = ingest.New(ingest.Deps{
		DB: db, Jobs: a.jobs, Now: a.now, Metrics: a.metrics, ShopifySecret: cfg.ShopifyAPISecret,
		AfterShipSecret: cfg.Carriers["aftership"][registry.WebhookSecret],
	})
	if a.messaging, err = messaging.New(messaging.Deps{
		DB: db, Jobs: a.jobs, Log: log, Now: a.now, Links: a.links, Metrics: a.metrics, Renderer: a.renderer,
		Rules: o.Rules, Outbox: o.Outbox, Providers: messaging.Providers{
			SendGridAPIKey: cfg.SendGridAPIKey, SendGridBaseURL: cfg.SendGridBaseURL, SendGridPublicKey: cfg.SendGridPublicKey, EmailFrom: cfg.EmailFrom,
			TwilioAccountSID: cfg.TwilioAccountSID, TwilioAuthToken: cfg.TwilioAuthToken, TwilioFrom: cfg.TwilioFrom,
			TwilioWhatsAppFrom: cfg.TwilioWhatsAppFrom, TwilioBaseURL: cfg.TwilioBaseURL,
		},
		Actions: a, WriteBack: a,
	}); err != nil {
		db.Close()
		return nil, err
	}
	a.admin, err = admin.New(admin.Deps{
		DB: db, Jobs: a.jobs, Now: a.now, Renderer: a.renderer, AppURL: cfg.AppURL,
		Deliverer: adminHooks{a}, TrackingPages: adminHooks{a}, Sessions: adminHooks{a}, Previews: a.messaging,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	a.metrics.Registry.MustRegister(backlogCollector{a: a})
	a.woo = platform.Woo{DB: db, Outbound: a.outbound, Now: a.now}
	if err := a.setupShopify(o.ShopifyBaseURL); err != nil {
		db.Close()
		return nil, err
	}
	a.install, err = install.New(install.Deps{
		DB: db, Jobs: a.jobs, Log: log, Now: a.now, Links: a.links, Key: cfg.EncryptionKey,
		Shopify: a.shopify, Outbound: a.outbound, Deliver: a.deliverNow, Demo: cfg.Demo,
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	a.writeback = writeback.New(writeback.Deps{DB: db, Jobs: a.jobs, Log: log, Now: a.now, Shopify: a.shopify, Woo: a.woo})
	a.orders = orders.New(orders.Deps{
		DB: db, Jobs: a.jobs, Log: log, Now: a.now, Shopify: a.shopify, Woo: a.woo,
		AppURL: cfg.AppURL, MaxParcelsPerFulfillment: cfg.MaxParcelsPerFulfillment,
		Notifier: ordersDeps{a}, CarrierPushes: ordersDeps{a}, Slots: ordersDeps{a}, CustomerData: ordersDeps{a},
	})
	if opts.Workers != nil {
		// Before Run starts the client, and before anything inserts: River
		// refuses to insert a kind no worker is registered for.
		a.registerWorkers(opts.Workers)
	}
	a.echo = a.newEcho()
	return a, nil
}

// DB exposes the database handle (for the migrate command and tests).
func (a *App) DB() *storage.DB { return a.db }

// Handler is the HTTP handler, for tests that drive the app in-process.
func (a *App) Handler() http.Handler { return a.echo }

// MetricsAddr is where /metrics answers once Run has started.
func (a *App) MetricsAddr() string { return a.metricsAddr }

// serveMetrics serves /metrics on the private metrics port: every process,
// web or worker, has counters worth scraping (carrier calls and messages are
// counted where jobs run), and none of it is for the public.
func (a *App) serveMetrics() (stop func(), err error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(a.cfg.MetricsPort)))
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	a.metricsAddr = ln.Addr().String()
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}

// Close releases the database.
func (a *App) Close() error { return a.db.Close() }

// Run serves HTTP on the configured port (ModeWeb) and works jobs
// (ModeWorker) until ctx is cancelled, then shuts down gracefully.
func (a *App) Run(ctx context.Context, mode Mode, ready func(addr string)) error {
	// A taken metrics port costs the scrapes, not the service.
	if stopMetrics, err := a.serveMetrics(); err != nil {
		a.log.Error("metrics not served", "err", err)
	} else {
		defer stopMetrics()
	}
	if mode&ModeWorker != 0 {
		a.polling.LearnTransit(ctx)
		if err := a.jobs.Start(ctx); err != nil {
			return fmt.Errorf("start workers: %w", err)
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			a.jobs.Stop(stopCtx)
		}()
	}
	if mode&ModeWeb == 0 {
		if ready != nil {
			ready("")
		}
		<-ctx.Done()
		return nil
	}
	viewsDone := make(chan struct{})
	viewsCtx, stopViews := context.WithCancel(context.Background())
	go func() { a.shopper.CountViews(viewsCtx); close(viewsDone) }()
	defer func() { stopViews(); <-viewsDone }()
	ln := a.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(a.cfg.Port))); err != nil {
			return fmt.Errorf("listen: %w", err)
		}
	}
	srv := &http.Server{Handler: a.echo, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
