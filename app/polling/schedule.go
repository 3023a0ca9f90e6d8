package polling

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

// schedulerBatch bounds one tick's work; the next tick takes the rest.
const schedulerBatch = 1000

// pollLease is how long a claimed shipment waits for its poll job before a
// later tick may claim it again (a lost job never strands a shipment).
const pollLease = 15 * time.Minute

// SchedulePolls claims due shipments and enqueues poll jobs, batched per
// carrier up to the carrier's batch size, in one transaction. It runs as
// a River job and enqueues through the client working it.
func (p *Poller) SchedulePolls(ctx context.Context, _ *river.Job[jobs.SchedulePollsArgs]) error {
	client, err := river.ClientFromContextSafely[*sql.Tx](ctx)
	if err != nil {
		return fmt.Errorf("schedule polls: %w", err)
	}
	// Read outside the transaction: SQLite has a single connection, which
	// the transaction holds.
	own, err := p.db.CarrierAccountKeys(ctx)
	if err != nil {
		return err
	}
	return p.db.InTx(ctx, func(tx *storage.Tx) error {
		// Subscriptions are made in their own job: carrier calls stay out
		// of the tick.
		if len(p.pushCarriers()) > 0 {
			if _, err := client.InsertTx(ctx, tx.SQL(), jobs.SubscribePushesArgs{}, nil); err != nil {
				return err
			}
		}
		due, err := tx.ClaimDue(ctx, p.now().UTC(), pollLease, schedulerBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		_, err = client.InsertManyTx(ctx, tx.SQL(), p.pollBatches(due, own))
		return err
	})
}

// pollBatches groups claimed shipments into poll jobs per account (the
// platform's per carrier, a merchant's own per shop and carrier) up to the
// carrier's batch size, queued in the order they were claimed, so shops
// keep their turns. On a carrier with a daily quota a batch holds one
// shop's shipments: the platform's quota is shared per shop.
func (p *Poller) pollBatches(due []storage.Due, own map[storage.CarrierAccountKey]bool) []river.InsertManyParams {
	type batchKey struct {
		account storage.CarrierAccountKey
		shop    int64
	}
	var (
		params []river.InsertManyParams
		order  []batchKey
		open   = map[batchKey][]int64{}
	)
	add := func(k batchKey, ids []int64) {
		params = append(params, river.InsertManyParams{Args: jobs.PollArgs{Carrier: k.account.Carrier, ShopID: k.account.ShopID, ShipmentIDs: ids}})
	}
	for _, d := range due {
		k := batchKey{account: storage.CarrierAccountKey{ShopID: d.ShopID, Carrier: d.Carrier}}
		if !own[k.account] {
			k.account.ShopID = 0
			if carrierQuotas[d.Carrier].PerDay > 0 {
				k.shop = d.ShopID
			}
		}
		size := 1
		if c, ok := p.carriers.get(d.Carrier); ok {
			size = max(1, c.MaxBatch())
		}
		if _, ok := open[k]; !ok {
			order = append(order, k)
		}
		open[k] = append(open[k], d.ID)
		if len(open[k]) == size {
			add(k, open[k])
			open[k] = nil
		}
	}
	for _, k := range order {
		if ids := open[k]; len(ids) > 0 {
			add(k, ids)
		}
	}
	return params
}
