package ingest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/metrics"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// newIntake builds an Intake on db with an insert-only jobs client.
func newIntake(t *testing.T, db *storage.DB) *Intake {
	t.Helper()
	c, err := jobs.NewClient(db, jobs.Options{})
	if err != nil {
		t.Fatalf("jobs client: %v", err)
	}
	return New(Deps{DB: db, Jobs: c, Now: time.Now, Metrics: metrics.New()})
}

func TestGroupCommitBatchesWhatQueuesDuringACommit(t *testing.T) {
	var g groupCommit
	release := make(chan struct{})
	var mu sync.Mutex
	var sizes []int
	commit := func(batch []*pendingDelivery) {
		mu.Lock()
		first := len(sizes) == 0
		sizes = append(sizes, len(batch))
		mu.Unlock()
		if first {
			<-release // hold the first commit while the others queue
		}
		for _, p := range batch {
			close(p.done)
		}
	}
	ps := make([]*pendingDelivery, 11)
	for i := range ps {
		ps[i] = &pendingDelivery{done: make(chan struct{})}
	}
	g.add(ps[0], 1, commit)
	apptest.WaitUntil(t, "first commit started", func() bool { mu.Lock(); defer mu.Unlock(); return len(sizes) == 1 })
	for _, p := range ps[1:] {
		g.add(p, 1, commit)
	}
	close(release)
	for _, p := range ps {
		<-p.done
	}
	apptest.WaitUntil(t, "committer gone", func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.running == 0 })
	if !slices.Equal(sizes, []int{1, 10}) {
		t.Fatalf("batch sizes = %v; want [1 10]: what queued behind the first commit shares the second", sizes)
	}
}

func TestABadDeliveryDoesNotFailItsBatch(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		in := newIntake(t, db)
		batch := make([]*pendingDelivery, 3)
		for i := range batch {
			d := &storage.WebhookDelivery{Platform: storage.Shopify, DeliveryID: fmt.Sprintf("batch-%d", i), Topic: "orders/create", Payload: []byte(`{}`), ReceivedAt: time.Now().UTC()}
			batch[i] = &pendingDelivery{d: d, done: make(chan struct{})}
		}
		batch[1].d.Payload = nil // violates NOT NULL, so its insert fails
		in.commit(batch)
		if batch[0].err != nil || batch[2].err != nil || batch[1].err == nil {
			t.Fatalf("errors = %v, %v, %v; want only the bad delivery to fail", batch[0].err, batch[1].err, batch[2].err)
		}
		for _, i := range []int{0, 2} {
			if _, err := db.Delivery(context.Background(), batch[i].d.ID); err != nil {
				t.Fatalf("delivery %d not stored: %v", i, err)
			}
		}
	})
}
