package ingest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
)

const (
	// ingestBatch caps how many deliveries share one transaction.
	ingestBatch = 64
	// ingestTimeout bounds one commit; the platforms wait 5 s for an answer
	// and retry, so a commit that takes longer helps nobody.
	ingestTimeout = 10 * time.Second
)

// groupCommit lets concurrent webhook requests share transactions. Each
// request queues its delivery and waits; a committer takes everything queued,
// stores it and enqueues its jobs in one transaction, then wakes the
// requests. Under load many deliveries share one commit, and so one write to
// the database's log, instead of paying for their own; a delivery that
// arrives alone commits at once. Committers are goroutines that exist only
// while there is work, so there is nothing to start or stop. The zero value is
// ready to use.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*pendingDelivery
	running int
}

// pendingDelivery is one request's delivery waiting for its commit.
type pendingDelivery struct {
	d    *storage.WebhookDelivery
	dup  bool
	err  error
	done chan struct{}
}

// add queues p and starts a committer unless max are already running.
func (g *groupCommit) add(p *pendingDelivery, max int, commit func([]*pendingDelivery)) {
	g.mu.Lock()
	g.queue = append(g.queue, p)
	start := g.running < max
	if start {
		g.running++
	}
	g.mu.Unlock()
	if start {
		go g.drain(commit)
	}
}

// drain commits queued batches until the queue is empty.
func (g *groupCommit) drain(commit func([]*pendingDelivery)) {
	for {
		g.mu.Lock()
		n := min(len(g.queue), ingestBatch)
		if n == 0 {
			g.running--
			g.queue = nil // let the backing array go
			g.mu.Unlock()
			return
		}
		batch := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()
		commit(batch)
	}
}

// ingest stores a verified delivery and enqueues its processing in one
// transaction, shared with whatever other deliveries arrived meanwhile:
// either both happen or neither does. It reports whether the delivery was a
// duplicate of one already stored.
//
// The shop is resolved when the delivery is processed (a second later), not
// here: the request path stays at one transaction.
func (in *Intake) ingest(ctx context.Context, d *storage.WebhookDelivery) (dup bool, err error) {
	p := &pendingDelivery{d: d, done: make(chan struct{})}
	in.commits.add(p, in.committers, in.commit)
	select {
	case <-p.done:
		return p.dup, p.err
	case <-ctx.Done():
		// The delivery may still be stored; the platform's retry is then a
		// duplicate and gets its 200.
		return false, fmt.Errorf("store webhook delivery: %w", ctx.Err())
	}
}

// commit stores batch in one transaction and wakes its requests.
// When that fails, each delivery is tried alone, so one bad delivery cannot
// fail the others.
func (in *Intake) commit(batch []*pendingDelivery) {
	ctx, cancel := context.WithTimeout(context.Background(), ingestTimeout)
	defer cancel()
	err := in.store(ctx, batch)
	if err != nil && len(batch) > 1 {
		for _, p := range batch {
			p.err = in.store(ctx, []*pendingDelivery{p})
			close(p.done)
		}
		return
	}
	for _, p := range batch {
		p.err = err
		close(p.done)
	}
}

// store records batch and enqueues the processing of what is new in one
// transaction, marking the duplicates.
func (in *Intake) store(ctx context.Context, batch []*pendingDelivery) error {
	ds := make([]*storage.WebhookDelivery, len(batch))
	for i, p := range batch {
		ds[i] = p.d
	}
	err := in.db.InTx(ctx, func(tx *storage.Tx) error {
		stored, err := tx.RecordDeliveries(ctx, ds)
		if err != nil {
			return err
		}
		params := make([]river.InsertManyParams, 0, len(batch))
		for i, p := range batch {
			p.dup = !stored[i]
			if stored[i] {
				params = append(params, river.InsertManyParams{Args: jobs.ProcessWebhookArgs{DeliveryID: p.d.ID},
					InsertOpts: &river.InsertOpts{Queue: in.paces.queue(p.d.ShopDomain, in.now())}})
			}
		}
		if len(params) == 0 {
			return nil
		}
		// The fast insert returns no job rows (nothing here reads them),
		// which spares decoding them; first processing is never unique.
		if _, err := in.jobs.InsertManyFastTx(ctx, tx.SQL(), params); err != nil {
			return fmt.Errorf("enqueue webhook processing: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store %d webhook deliveries: %w", len(batch), err)
	}
	return nil
}
