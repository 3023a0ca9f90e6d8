package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ordertrack/ordertrack/app"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	floodShop = "flood.myshopify.com"
	// floodBig and floodParcels: orders whose one fulfillment carries as
	// many tracking numbers as the per-fulfillment limit allows.
	floodBig, floodParcels = 50, 100
	// floodSmall: ordinary one-parcel orders the flooding shop sends too.
	floodSmall = 200
	// quietSamples webhooks of the other shop in each measured phase, one
	// every quietEvery, after warmSamples unmeasured ones (the worker's
	// first fetches and the database's first plans are not the flood's).
	quietSamples = 40
	warmSamples  = 5
	quietEvery   = 200 * time.Millisecond
)

// fairness measures how long another shop's webhooks take from receipt to
// processed (its order stored) while one shop floods, against the same
// webhooks with nothing else going on. A web app and a worker app share
// the scratch database, as a web and a worker machine would. A second idle
// phase right after the first gives the noise floor: the ratio the
// machine's own jitter makes without any flood.
func (e *env) fairness(ctx context.Context, opts Options) ([]Result, error) {
	db := e.a.DB()
	for _, domain := range []string{floodShop, benchShop} {
		if err := db.UpsertShop(ctx, &storage.Shop{Platform: storage.Shopify, Domain: domain, Name: domain}); err != nil {
			return nil, err
		}
	}
	cfg := app.Config{DatabaseURL: e.url, EncryptionKey: benchKey, ShopifyAPISecret: benchSecret, AppURL: "http://127.0.0.1"}
	worker, err := app.New(ctx, cfg, app.ModeWorker, app.Options{Log: opts.Log})
	if err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	defer worker.Close()
	wctx, stopWorker := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- worker.Run(wctx, app.ModeWorker, nil) }()
	defer func() { stopWorker(); <-done }()

	base, stop, err := serve(e.a.Handler())
	if err != nil {
		return nil, err
	}
	defer stop()
	hc := client(opts.Concurrency + 1)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	post := func(ctx context.Context, shop, id string, body []byte) error {
		return postOrderWebhook(ctx, hc, base, shop, id, sign(benchSecret, body), body)
	}
	// quiet posts n of the other shop's one-parcel orders at a steady pace
	// and returns their delivery ids.
	var order int64 = 1_000_000
	quiet := func(phase string, n int) ([]string, error) {
		ids := make([]string, 0, n)
		tick := time.NewTicker(quietEvery)
		defer tick.Stop()
		for i := range n {
			order++
			id := fmt.Sprintf("%s-quiet-%s-%d", run, phase, i)
			if err := post(ctx, benchShop, id, shopifyOrder(order, "SIMQ"+strconv.FormatInt(order, 10), 1)); err != nil {
				return nil, err
			}
			ids = append(ids, id)
			<-tick.C
		}
		return ids, nil
	}
	// measure runs a quiet phase and waits until its deliveries are
	// processed.
	measure := func(phase string, n int) ([]time.Duration, error) {
		ids, err := quiet(phase, n)
		if err != nil {
			return nil, err
		}
		return processingTimes(ctx, db, ids)
	}
	if _, err := measure("warm", warmSamples); err != nil {
		return nil, err
	}
	idle, err := measure("idle", quietSamples)
	if err != nil {
		return nil, err
	}
	again, err := measure("again", quietSamples)
	if err != nil {
		return nil, err
	}

	// The flood: many clients post the big orders and the small ones at
	// once, while the other shop keeps its pace.
	fctx, cancelFlood := context.WithCancel(ctx)
	defer cancelFlood()
	var wg sync.WaitGroup
	var seq atomic.Int64
	floodErr := make(chan error, 1)
	jobs := make(chan []byte)
	for range opts.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range jobs {
				if err := post(fctx, floodShop, fmt.Sprintf("%s-flood-%d", run, seq.Add(1)), body); err != nil && fctx.Err() == nil {
					select {
					case floodErr <- err:
					default:
					}
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range floodBig + floodSmall {
			n := 1
			if i%(1+floodSmall/floodBig) == 0 {
				n = floodParcels
			}
			select {
			case jobs <- shopifyOrder(int64(2_000_000+i), fmt.Sprintf("SIMF%07d", i*1000), n):
			case <-fctx.Done():
				return
			}
		}
	}()
	floodIDs, err := quiet("flood", quietSamples)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	select {
	case err := <-floodErr:
		return nil, fmt.Errorf("flood: %w", err)
	default:
	}
	flooded, err := processingTimes(ctx, db, floodIDs)
	if err != nil {
		return nil, err
	}
	note := fmt.Sprintf("baseline: %d of the same shop's webhooks with nothing else going on; flood: %d orders of %d parcels and %d of one from %d clients", quietSamples, floodBig, floodParcels, floodSmall, opts.Concurrency)
	return []Result{
		result("other shop's webhook under flood p50", ms(pct(flooded, 0.5)), ms(pct(idle, 0.5)), "ms", note),
		result("other shop's webhook under flood p95", ms(pct(flooded, 0.95)), ms(pct(idle, 0.95)), "ms", "received → processed (order stored); target ratio ≤ 2"),
		result("other shop's webhook idle again p50", ms(pct(again, 0.5)), ms(pct(idle, 0.5)), "ms", "noise floor: a second idle phase against the first"),
		result("other shop's webhook idle again p95", ms(pct(again, 0.95)), ms(pct(idle, 0.95)), "ms", "noise floor"),
	}, nil
}

// processingTimes waits until every delivery named is processed and
// returns their times from receipt to processed, sorted.
func processingTimes(ctx context.Context, db *storage.DB, ids []string) ([]time.Duration, error) {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var ds []storage.WebhookDelivery
		if err := db.Gorm.WithContext(ctx).Where("delivery_id IN ? AND processed_at IS NOT NULL", ids).Find(&ds).Error; err != nil {
			return nil, fmt.Errorf("read deliveries: %w", err)
		}
		if len(ds) == len(ids) {
			out := make([]time.Duration, len(ds))
			for i, d := range ds {
				out[i] = d.ProcessedAt.Sub(d.ReceivedAt)
			}
			slices.Sort(out)
			return out, nil
		}
		if time.Now().After(deadline) {
			return nil, errors.New("deliveries not processed within 5 minutes")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shopifyOrder is an orders/create body as Shopify sends it, with one
// fulfillment of n simulated-carrier tracking numbers from first on.
func shopifyOrder(id int64, first string, n int) []byte {
	numbers := make([]string, n)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("%s%03d", first, i)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	o := map[string]any{
		"id": id, "admin_graphql_api_id": fmt.Sprintf("gid://shopify/Order/%d", id), "name": fmt.Sprintf("#%d", id),
		"email": "shopper@example.com", "created_at": now, "updated_at": now, "currency": "USD", "total_price": "89.99",
		"customer_locale": "en", "financial_status": "paid",
		"line_items":       []map[string]any{{"id": id*10 + 1, "title": "Aviator sunglasses", "variant_title": "Black / M", "quantity": n}},
		"shipping_address": map[string]any{"first_name": "Steve", "last_name": "Shipper", "address1": "123 Shipping Street", "city": "Shippington", "province_code": "KY", "zip": "40003", "country_code": "US"},
		"fulfillments": []map[string]any{{
			"id": id*10 + 2, "order_id": id, "status": "success", "shipment_status": nil, "created_at": now, "updated_at": now,
			"tracking_company": "Demo Express", "tracking_numbers": numbers,
		}},
	}
	b, err := json.Marshal(o)
	if err != nil {
		panic("bench: marshal order: " + err.Error())
	}
	return b
}
