package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/storage"
)

// errRollback ends a measured tick without keeping its leases, so every
// tick sees the same due set.
var errRollback = errors.New("rollback")

// scheduler measures storage.ClaimDue (the scheduler tick) at several due
// counts on 10,000 shipments, then again after adding 990,000 shipments
// that are not due (later polls, or terminal with no next poll). If the
// tick's cost follows the due work and not the table, the ratios stay
// near 1.
func (e *env) scheduler(ctx context.Context) ([]Result, error) {
	db := e.a.DB()
	shop, err := db.ShopByDomain(ctx, storage.Shopify, benchShop)
	if err != nil {
		return nil, err
	}
	o := &storage.Order{ShopID: shop.ID, PlatformID: "bench-scheduler", Name: "#2001"}
	if _, err := db.UpsertOrder(ctx, o); err != nil {
		return nil, err
	}
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	// Shipment g is due at t0 + g seconds, so a tick at t0 + N s has N due.
	seed := func(from, to int, next string) error {
		_, err := db.SQL.ExecContext(ctx, `INSERT INTO shipments (shop_id, order_id, carrier, tracking_number, public_token, stage, next_poll_at, created_at, updated_at)
			SELECT $1, $2, 'sim', 'BENCH' || n, 'bench-' || n, 'in_transit', `+next+`, now(), now()
			FROM generate_series($4::bigint, $5::bigint) AS n`, shop.ID, o.ID, t0, from, to)
		return err
	}
	dues := []int{100, 1000, 10000}
	measure := func() ([]float64, error) {
		if _, err := db.SQL.ExecContext(ctx, "ANALYZE shipments"); err != nil {
			return nil, fmt.Errorf("analyze: %w", err)
		}
		out := make([]float64, len(dues))
		for i, n := range dues {
			tick := t0.Add(time.Duration(n)*time.Second + time.Second/2)
			var samples []float64
			for range 15 {
				start := time.Now()
				var claimed int
				err := db.InTx(ctx, func(tx *storage.Tx) error {
					due, err := tx.ClaimDue(ctx, tick, 10*time.Minute, n)
					claimed = len(due)
					if err != nil {
						return err
					}
					return errRollback
				})
				if !errors.Is(err, errRollback) {
					return nil, fmt.Errorf("claim due: %w", err)
				}
				if claimed != n {
					return nil, fmt.Errorf("tick claimed %d shipments; want %d", claimed, n)
				}
				samples = append(samples, ms(time.Since(start)))
			}
			slices.Sort(samples)
			out[i] = samples[len(samples)/2]
		}
		return out, nil
	}
	if err := seed(1, 10_000, "$3::timestamptz + n * interval '1 second'"); err != nil {
		return nil, fmt.Errorf("seed 10k shipments: %w", err)
	}
	small, err := measure()
	if err != nil {
		return nil, err
	}
	// Two thirds poll later, one third is terminal (no next poll).
	if err := seed(10_001, 1_000_000, "CASE WHEN n % 3 = 0 THEN NULL ELSE $3::timestamptz + interval '2 days' + n * interval '1 second' END"); err != nil {
		return nil, fmt.Errorf("seed 1M shipments: %w", err)
	}
	big, err := measure()
	if err != nil {
		return nil, err
	}
	var out []Result
	for i, n := range dues {
		note := ""
		if i == 0 {
			note = "baseline: the same tick with 10k shipments; median of 15 ticks, rolled back"
		}
		out = append(out, result(fmt.Sprintf("scheduler tick, 1M shipments, %d due", n), big[i], small[i], "ms", note))
	}
	return out, nil
}
