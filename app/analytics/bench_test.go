package analytics

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// seed1M fills Postgres with 1,000,000 shipments of shop 1 (in New York)
// over 90 days (4 carriers × 20 states, 80 % delivered in 1–7 days, 2 %
// flagged delayed), one scan and one message per shipment, problem scans on
// 4 % and support contacts on 1 %, plus 100,000 shipments of shop 2 that
// the report must skip. Set-based INSERT … SELECT keeps it to about a minute. Triggers are
// off while it loads, so it counts problem events itself and the first
// report builds the analytics rollup, as after the migration.
func seed1M(b *testing.B, db *storage.DB) {
	b.Helper()
	ctx := context.Background()
	stmts := []string{
		`INSERT INTO shops (id, platform, domain, timezone, created_at, updated_at) VALUES
			(1, 'shopify', 'big.myshopify.com', 'America/New_York', now(), now()), (2, 'shopify', 'other.myshopify.com', 'UTC', now(), now())`,
		`INSERT INTO orders (id, shop_id, platform_id, created_at, updated_at) VALUES (1, 1, '1', now(), now()), (2, 2, '2', now(), now())`,
		`INSERT INTO shipments (shop_id, order_id, carrier, service, tracking_number, public_token, stage, problem,
			dest_country, dest_region, shipped_at, delivered_at, eta_latest, page_views, created_at, updated_at)
		SELECT shop, shop, c, 'Ground', 'T' || g, 'tok' || g, CASE WHEN d THEN 'delivered' ELSE 'in_transit' END,
			CASE WHEN g % 50 = 0 THEN 'delayed' ELSE '' END, 'US', r, t + interval '20 hours',
			CASE WHEN d THEN t + interval '20 hours' + ((g::bigint * 7919) % 7 + 1) * interval '1 day' END,
			t + interval '5 days', g % 5, t, t
		FROM (SELECT g, CASE WHEN g <= 1000000 THEN 1 ELSE 2 END AS shop,
			(ARRAY['ups', 'usps', 'fedex', 'dhl'])[1 + g % 4] AS c,
			(ARRAY['AL','AZ','CA','CO','FL','GA','IL','MA','MI','MN','NC','NJ','NY','OH','OR','PA','TN','TX','VA','WA'])[1 + (g / 4) % 20] AS r,
			(g::bigint * 13) % 10 < 8 AS d,
			timestamptz '2026-08-01 00:00:00+00' + (g % 129600) * interval '1 minute' AS t
			FROM generate_series(1, 1100000) g) s`,
		`INSERT INTO tracking_events (shop_id, shipment_id, fingerprint, occurred_at, stage, code, description, created_at)
		SELECT shop_id, id, 'f', shipped_at, 'shipped', 'SH', 'Picked up', created_at FROM shipments`,
		`INSERT INTO tracking_events (shop_id, shipment_id, fingerprint, occurred_at, stage, problem, code, description, created_at)
		SELECT shop_id, id, 'p', shipped_at + interval '2 days',
			CASE WHEN id % 2 = 0 THEN 'out_for_delivery' ELSE 'in_transit' END,
			CASE WHEN id % 2 = 0 THEN 'failed_attempt' ELSE 'exception' END,
			'C' || (id % 6), (ARRAY['Receiver not available', 'Business closed', 'Address unknown', 'Damaged', 'Weather delay', 'Customs hold'])[1 + id % 6],
			created_at FROM shipments WHERE id % 25 = 0`,
		`UPDATE shipments SET problem_events = 1 WHERE id % 25 = 0`,
		`INSERT INTO notifications (shop_id, shipment_id, trigger, channel, dedupe_key, status, created_at, updated_at)
		SELECT shop_id, id, 'shipped', CASE WHEN id % 3 = 0 THEN 'sms' ELSE 'email' END, 'k' || id,
			(ARRAY['sent', 'delivered', 'opened', 'failed', 'delivered'])[1 + id % 5], created_at, created_at FROM shipments`,
		`INSERT INTO customer_actions (shop_id, shipment_id, kind, source, created_at)
		SELECT shop_id, id, CASE WHEN id % 2 = 0 THEN 'contact_support' ELSE 'not_received' END, 'page', created_at
		FROM shipments WHERE id % 100 = 7`,
		`VACUUM ANALYZE`,
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	// Bulk-load without per-row foreign-key triggers (the rows are made
	// consistent by construction); the test server's superuser may do this.
	if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			b.Fatalf("seed: %v\n%s", err, q)
		}
	}
	if _, err := conn.ExecContext(ctx, "RESET session_replication_role"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded 1.1M shipments with events, messages and contacts in %s", time.Since(start).Round(time.Second))
}

// benchDB is a fresh, seeded Postgres database, or with ANALYTICS_BENCH_URL
// a kept one, seeded on first use, so query plans can be tuned without
// re-seeding every run.
func benchDB(b *testing.B) *storage.DB {
	b.Helper()
	url := os.Getenv("ANALYTICS_BENCH_URL")
	if url == "" {
		db := storagetest.Open(b, storage.Postgres)
		seed1M(b, db)
		return db
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, url, storage.Options{EncryptionKey: storagetest.Key})
	if err != nil {
		b.Skipf("bench database: %v", err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var shops int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM shops").Scan(&shops); err != nil {
		b.Fatal(err)
	}
	if shops == 0 {
		seed1M(b, db)
	}
	return db
}

// BenchmarkAnalytics1M measures a full report over a million shipments and
// compares it with the cheapest possible question about the same rows,
// counting them; "x-count" is the ratio. Before each report a thousand of
// the shop's shipments change (a page view each), so every report also folds
// fresh changes into the rollup, as it would in production. The first report
// on a fresh database also builds the rollup: "ms/first" reports that
// one-off cost.
func BenchmarkAnalytics1M(b *testing.B) {
	if testing.Short() {
		b.Skip("seeds a million rows")
	}
	ctx := context.Background()
	db := benchDB(b)
	scope := db.Scope(1)
	shop, err := db.ShopByID(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	loc := shop.Location()
	start := time.Now()
	if _, err := Build(ctx, scope, Range{First: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Last: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Zone: loc}); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	var touched int64
	touch := func() {
		touched++
		if _, err := db.SQL.ExecContext(ctx, `UPDATE shipments SET page_views = page_views + 1
			WHERE id IN (SELECT generate_series($1::bigint, 1000000, 1000))`, touched%1000+1); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		r    Range
	}{
		{"90days", Range{First: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Last: time.Date(2026, 10, 29, 0, 0, 0, 0, time.UTC), Zone: loc}},
		{"30days", Range{First: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Last: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), Zone: loc}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			day := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc) }
			from, to := day(bc.r.First), day(bc.r.Last.AddDate(0, 0, 1))
			// The touches leave pages that an index-only count must check
			// in the table; vacuumed, the count is as cheap as it gets.
			if _, err := db.SQL.ExecContext(ctx, "VACUUM shipments"); err != nil {
				b.Fatal(err)
			}
			const baselineRuns = 5
			var n int64
			start := time.Now()
			for range baselineRuns {
				if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM shipments WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3`,
					1, from, to).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
			baseline := time.Since(start) / baselineRuns
			var shipments int64
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				touch()
				b.StartTimer()
				rep, err := Build(ctx, scope, bc.r)
				if err != nil {
					b.Fatal(err)
				}
				shipments = rep.Total.Shipments
			}
			b.StopTimer()
			if shipments != n {
				b.Fatalf("report counted %d shipments, count(*) %d", shipments, n)
			}
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(perOp.Microseconds())/1000, "ms/report")
			b.ReportMetric(float64(baseline.Microseconds())/1000, "ms/count")
			b.ReportMetric(float64(perOp)/float64(baseline), "x-count")
			b.ReportMetric(float64(n), "shipments")
			b.ReportMetric(float64(first.Microseconds())/1000, "ms/first")
		})
	}
}
