package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/ordertrack/ordertrack/app/demo"
	"github.com/ordertrack/ordertrack/storage"
)

// DemoShop is the demo store's domain.
const DemoShop = demo.Shop

// RunDemo migrates the database, opens the demo store (seeding it the first
// time, or afresh when reset), registers the simulated carrier, and runs
// web, worker and the store's live orders in one process, printing every
// demo order's link.
func RunDemo(ctx context.Context, cfg Config, reset bool, log *slog.Logger, out io.Writer) error {
	a, err := New(ctx, cfg, ModeAll, Options{Log: log, Policy: demo.Policy})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.db.Migrate(ctx); err != nil {
		return err
	}
	store, err := a.StartDemo(ctx, reset)
	if err != nil {
		return fmt.Errorf("open demo store: %w", err)
	}
	links, err := store.Links(ctx)
	if err != nil {
		return err
	}
	return a.Run(ctx, ModeAll, func(addr string) {
		go store.Run(ctx, log, cfg.AppURL)
		fmt.Fprintf(out, "ordertrack demo is running (database: %s)\n\n", dbLabel(cfg.DatabaseURL))
		fmt.Fprintf(out, "  admin:          %s\n", a.install.DemoLoginURL(store.ShopID()))
		fmt.Fprintf(out, "  outbox:         %s/admin/outbox (after opening the admin link)\n", cfg.AppURL)
		for _, l := range links {
			fmt.Fprintf(out, "  tracking page:  %s/t/%s   (%s)\n", cfg.AppURL, l.Token, l.What)
		}
		fmt.Fprintf(out, "  order lookup:   %s/track?shop=%s   (order #1001, email shopper1@example.com)\n", cfg.AppURL, DemoShop)
		fmt.Fprintf(out, "  health:         %s/readyz\n\n", cfg.AppURL)
		fmt.Fprintf(out, "A new order arrives every %s and ships soon after; the simulated carrier moves every parcel along for an hour or so.\n", demo.OrderEvery)
		fmt.Fprintln(out, "The admin's shipments list every demo order with its page. A restart keeps the store and these links; `ordertrack demo --reset` starts afresh.")
		fmt.Fprintf(out, "Try a signed webhook: see README.md (secret %q). Press Ctrl-C to stop.\n", cfg.ShopifyAPISecret)
	})
}

// StartDemo opens the demo store on the app's database, clock, orders and
// poller.
func (a *App) StartDemo(ctx context.Context, reset bool) (*demo.Store, error) {
	return demo.Start(ctx, demo.Deps{DB: a.db, Now: a.now, Orders: a.orders, Carriers: a.polling}, reset)
}

func dbLabel(url string) string {
	if url == "" {
		return storage.DefaultSQLitePath
	}
	return url
}
