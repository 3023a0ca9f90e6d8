package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/ordertrack/ordertrack/storage"
)

// DemoShop is the demo store's domain; its webhooks are signed with
// SHOPIFY_API_SECRET (default "demo-secret" in demo only).
const DemoShop = "demo.myshopify.com"

// RunDemo migrates the database, seeds the demo store and runs web and worker
// in one process, printing the URLs a newcomer should open.
func RunDemo(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	a, err := New(ctx, cfg, log, ModeAll)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.db.Migrate(ctx); err != nil {
		return err
	}
	if err := a.seedDemo(ctx); err != nil {
		return fmt.Errorf("seed demo store: %w", err)
	}
	return a.Run(ctx, ModeAll, func(addr string) {
		fmt.Fprintf(out, "ordertrack demo is running (database: %s)\n\n", dbLabel(cfg.DatabaseURL))
		fmt.Fprintf(out, "  home:      %s/\n", cfg.AppURL)
		fmt.Fprintf(out, "  health:    %s/readyz\n\n", cfg.AppURL)
		fmt.Fprintln(out, "press Ctrl-C to stop")
	})
}

func dbLabel(url string) string {
	if url == "" {
		return storage.DefaultSQLitePath
	}
	return url
}

func (a *App) seedDemo(ctx context.Context) error {
	shop := &storage.Shop{Platform: storage.Shopify, Domain: DemoShop, Name: "Demo Outfitters", Email: "owner@demo.example"}
	return a.db.UpsertShop(ctx, shop)
}
