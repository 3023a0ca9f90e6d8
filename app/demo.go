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

// RunDemo migrates the database, resets and seeds the demo store, registers
// the simulated carrier, and runs web and worker in one process, printing the
// URLs a newcomer should open.
func RunDemo(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	a, err := New(ctx, cfg, ModeAll, Options{Log: log, Policy: demo.Policy})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.db.Migrate(ctx); err != nil {
		return err
	}
	links, err := demo.Seed(ctx, demo.Deps{DB: a.db, Now: a.now, Orders: a.orders, Carriers: a.polling})
	if err != nil {
		return fmt.Errorf("seed demo store: %w", err)
	}
	shop, err := a.db.ShopByDomain(ctx, storage.Shopify, DemoShop)
	if err != nil {
		return err
	}
	return a.Run(ctx, ModeAll, func(addr string) {
		fmt.Fprintf(out, "ordertrack demo is running (database: %s)\n\n", dbLabel(cfg.DatabaseURL))
		fmt.Fprintf(out, "  admin:          %s\n", a.install.DemoLoginURL(shop.ID))
		fmt.Fprintf(out, "  outbox:         %s/admin/outbox (after opening the admin link)\n", cfg.AppURL)
		for _, l := range links {
			fmt.Fprintf(out, "  tracking page:  %s/t/%s   (%s)\n", cfg.AppURL, l.Token, l.What)
		}
		fmt.Fprintf(out, "  order lookup:   %s/track?shop=%s   (order #1001, email shopper1@example.com)\n", cfg.AppURL, DemoShop)
		fmt.Fprintf(out, "  not shipped yet: %s/track?shop=%s   (order #%d, email shopper%d@example.com)\n", cfg.AppURL, DemoShop, 1000+demo.Count, demo.Count)
		fmt.Fprintf(out, "  health:         %s/readyz\n\n", cfg.AppURL)
		fmt.Fprintln(out, "The simulated carrier moves parcels along every minute or two; pages and the outbox update as it does.")
		fmt.Fprintf(out, "Try a signed webhook: see README.md (secret %q). Press Ctrl-C to stop.\n", cfg.ShopifyAPISecret)
	})
}

func dbLabel(url string) string {
	if url == "" {
		return storage.DefaultSQLitePath
	}
	return url
}
