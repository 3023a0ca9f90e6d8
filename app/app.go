package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/admin"
	"github.com/ordertrack/ordertrack/app/flow"
	"github.com/ordertrack/ordertrack/app/helpdesk"
	"github.com/ordertrack/ordertrack/app/ingest"
	"github.com/ordertrack/ordertrack/app/install"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/klaviyo"
	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/messaging"
	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/orders"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/polling"
	"github.com/ordertrack/ordertrack/app/shopper"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/app/writeback"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/integrations/egress"
	kv "github.com/ordertrack/ordertrack/integrations/klaviyo"
	"github.com/ordertrack/ordertrack/integrations/shopify"
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

	// The features, each wired to the ones it uses (build).
	ingest    *ingest.Intake
	orders    *orders.Syncer
	polling   *polling.Poller
	messaging *messaging.Messenger
	writeback *writeback.Writer
	shopper   *shopper.Pages
	install   *install.Installer
	admin     *admin.Pages
	flow      *flow.Flow
	klaviyo   *klaviyo.Forwarder
	helpdesk  *helpdesk.Desk
	shopify   *platform.Shopify // nil without SHOPIFY_API_KEY

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

// New opens the database and builds the process for mode: every feature,
// wired to the ones it uses. Call Close when done.
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
	if o.Listener != nil && cfg.AppURL == "" {
		cfg.AppURL = "http://" + o.Listener.Addr().String()
	}
	log := o.Log
	db, err := storage.Open(ctx, cfg.DatabaseURL, storage.Options{EncryptionKey: cfg.EncryptionKey, Logger: log})
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, db: db, metrics: metrics.New(), now: o.Now, listener: o.Listener}
	if err := a.build(cfg, mode, o); err != nil {
		db.Close()
		return nil, err
	}
	a.metrics.Registry.MustRegister(backlogCollector{a: a})
	a.echo = a.newEcho()
	return a, nil
}

// build makes the features in the order they need one another. Messaging
// and the shopper pages use each other (a reply records a shopper request;
// a request queues the merchant's notice), so messaging reaches the pages
// through shopperActions, resolved when a reply arrives.
func (a *App) build(cfg Config, mode Mode, o Options) error {
	db, now, log := a.db, a.now, a.log
	a.links = links.New(cfg.AppURL, cfg.EncryptionKey, now)
	outbound := o.Outbound
	if outbound == nil {
		outbound = egress.NewClient(egress.Options{AllowLoopback: cfg.OutboundAllowLoopback, AllowHTTP: cfg.OutboundAllowLoopback})
	}
	shopifyApp, err := platform.NewShopify(shopify.Config{
		APIKey: cfg.ShopifyAPIKey, APISecret: cfg.ShopifyAPISecret, Scopes: strings.Split(cfg.ShopifyScopes, ","),
		BaseURL: o.ShopifyBaseURL, Now: now,
	}, db)
	if err != nil {
		return err
	}
	a.shopify = shopifyApp
	woo := platform.Woo{DB: db, Outbound: outbound, Now: now}

	// The workers are added once the features that work jobs exist; River
	// reads them when the client starts (Run) and when a job is inserted.
	opts := jobs.Options{Logger: log}
	if mode&ModeWorker != 0 {
		opts.Workers = river.NewWorkers()
		opts.Periodic = periodicJobs(cfg.Demo)
	}
	if a.jobs, err = jobs.NewClient(db, opts); err != nil {
		return err
	}

	a.ingest = ingest.New(ingest.Deps{
		DB: db, Jobs: a.jobs, Now: now, Metrics: a.metrics, ShopifySecret: cfg.ShopifyAPISecret,
		AfterShipSecret: cfg.Carriers["aftership"][registry.WebhookSecret], Carriers: cfg.Carriers,
	})
	a.writeback = writeback.New(writeback.Deps{DB: db, Jobs: a.jobs, Log: log, Now: now, Shopify: shopifyApp, Woo: woo, TrackingURL: a.links.Tracking})
	a.flow = flow.New(flow.Deps{DB: db, Jobs: a.jobs, Log: log, Now: now, Links: a.links, Shopify: shopifyApp, APISecret: cfg.ShopifyAPISecret})
	a.klaviyo = klaviyo.New(klaviyo.Deps{DB: db, Jobs: a.jobs, Log: log, Now: now, Links: a.links, Client: kv.New(kv.Config{BaseURL: cfg.KlaviyoBaseURL})})
	a.helpdesk = helpdesk.New(helpdesk.Deps{DB: db, Links: a.links})
	renderer := &notify.Renderer{}
	if a.messaging, err = messaging.New(messaging.Deps{
		DB: db, Jobs: a.jobs, Log: log, Now: now, Links: a.links, Metrics: a.metrics, Renderer: renderer,
		Rules: o.Rules, Outbox: o.Outbox, Providers: messaging.Providers{
			SendGridAPIKey: cfg.SendGridAPIKey, SendGridBaseURL: cfg.SendGridBaseURL, SendGridPublicKey: cfg.SendGridPublicKey, EmailFrom: cfg.EmailFrom,
			TwilioAccountSID: cfg.TwilioAccountSID, TwilioAuthToken: cfg.TwilioAuthToken, TwilioFrom: cfg.TwilioFrom,
			TwilioWhatsAppFrom: cfg.TwilioWhatsAppFrom, TwilioBaseURL: cfg.TwilioBaseURL,
		},
		Actions: shopperActions{a}, Forwarders: []messaging.Forwarder{a.flow, a.klaviyo},
	}); err != nil {
		return err
	}
	if a.shopper, err = shopper.New(shopper.Deps{
		DB: db, Log: log, Now: now, Links: a.links,
		ShopifyAPIKey: cfg.ShopifyAPIKey, ShopifyAPISecret: cfg.ShopifyAPISecret,
		Notifier: a.messaging, WriteBack: a.writeback,
		Enqueue: func(ctx context.Context, args river.JobArgs) error {
			_, err := a.jobs.Insert(ctx, args, nil)
			return err
		},
	}); err != nil {
		return err
	}
	a.polling = polling.New(polling.Deps{
		DB: db, Log: log, Now: now, Metrics: a.metrics, Policy: o.Policy,
		Carriers: cfg.Carriers, Rates: o.CarrierRates, Outbound: outbound, AppURL: cfg.AppURL,
		Notifier: a.messaging, WriteBack: a.writeback, Pages: a.shopper,
	})
	if a.install, err = install.New(install.Deps{
		DB: db, Jobs: a.jobs, Log: log, Now: now, Links: a.links, Key: cfg.EncryptionKey,
		Shopify: shopifyApp, Outbound: outbound, Demo: cfg.Demo,
		Deliver: func(ctx context.Context, n *storage.Notification, msg notify.Message) error {
			return messaging.JobOutcome(a.messaging.Deliver(ctx, n, msg))
		},
	}); err != nil {
		return err
	}
	if a.admin, err = admin.New(admin.Deps{
		DB: db, Jobs: a.jobs, Now: now, Renderer: renderer, AppURL: cfg.AppURL,
		Deliverer: a.messaging, TrackingPages: a.shopper, Sessions: a.install,
		ShopifyScopes: cfg.ShopifyScopes, Previews: a.messaging, Senders: a.messaging, Twilio: a.messaging,
	}); err != nil {
		return err
	}
	a.orders = orders.New(orders.Deps{
		DB: db, Jobs: a.jobs, Log: log, Now: now, Shopify: shopifyApp, Woo: woo,
		AppURL: cfg.AppURL, MaxParcelsPerFulfillment: cfg.MaxParcelsPerFulfillment,
		Notifier: a.messaging, WriteBack: a.writeback, CarrierPushes: a.polling, Slots: a.ingest,
	})
	if opts.Workers != nil {
		a.registerWorkers(opts.Workers)
	}
	return nil
}

// shopperActions records a shopper's answer to a message (an SMS reply, a
// key pressed on a call) as the tracking page records a form.
type shopperActions struct{ a *App }

// RecordAction implements messaging.Actions.
func (s shopperActions) RecordAction(ctx context.Context, ship *storage.Shipment, kind, source string, details map[string]string) error {
	return s.a.shopper.RecordAction(ctx, ship, kind, source, details)
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

// The drain after ctx is cancelled: in-flight requests get HTTPDrain, then
// running jobs get JobDrain (ModeAll drains both, one after the other).
// fly.toml's kill_timeout must cover their sum.
const (
	HTTPDrain = 15 * time.Second
	JobDrain  = 10 * time.Second
)

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
			stopCtx, cancel := context.WithTimeout(context.Background(), JobDrain)
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
	shutCtx, cancel := context.WithTimeout(context.Background(), HTTPDrain)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
