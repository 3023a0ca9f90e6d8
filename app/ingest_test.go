package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

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
	waitUntil(t, "first commit started", func() bool { mu.Lock(); defer mu.Unlock(); return len(sizes) == 1 })
	for _, p := range ps[1:] {
		g.add(p, 1, commit)
	}
	close(release)
	for _, p := range ps {
		<-p.done
	}
	waitUntil(t, "committer gone", func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.running == 0 })
	if !slices.Equal(sizes, []int{1, 10}) {
		t.Fatalf("batch sizes = %v; want [1 10]: what queued behind the first commit shares the second", sizes)
	}
}

func TestConcurrentWebhooksAreEachStoredAndQueuedOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		const senders, unique = 16, 48
		var wg sync.WaitGroup
		statuses := make([]int, senders*unique/8)
		for s := range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := s; i < len(statuses); i += senders {
					// Every id is sent twice, as platforms retry.
					statuses[i] = postWebhook(t, base, "orders/create", fmt.Sprintf("gc-%d", i%unique), []byte(fmt.Sprintf(`{"id":%d}`, i%unique)), testSecret)
				}
			}()
		}
		wg.Wait()
		for i, code := range statuses {
			if code != http.StatusOK {
				t.Fatalf("webhook %d: status %d", i, code)
			}
		}
		var stored, queued int64
		stored = storagetest.Count(t, a.db, "webhook_deliveries", "delivery_id LIKE 'gc-%'")
		queued = storagetest.Count(t, a.db, "river_job", "kind = 'process_webhook'")
		if stored != unique || queued != unique {
			t.Fatalf("stored %d deliveries and queued %d jobs; want %d of each", stored, queued, unique)
		}
	})
}

func TestABadDeliveryDoesNotFailItsBatch(t *testing.T) {
	eachDB(t, func(t *testing.T, url string) {
		a, _ := startApp(t, url, Config{})
		batch := make([]*pendingDelivery, 3)
		for i := range batch {
			d := &storage.WebhookDelivery{Platform: storage.Shopify, DeliveryID: fmt.Sprintf("batch-%d", i), Topic: "orders/create", Payload: []byte(`{}`), ReceivedAt: time.Now().UTC()}
			batch[i] = &pendingDelivery{d: d, done: make(chan struct{})}
		}
		batch[1].d.Payload = nil // violates NOT NULL, so its insert fails
		a.commitDeliveries(batch)
		if batch[0].err != nil || batch[2].err != nil || batch[1].err == nil {
			t.Fatalf("errors = %v, %v, %v; want only the bad delivery to fail", batch[0].err, batch[1].err, batch[2].err)
		}
		for _, i := range []int{0, 2} {
			if _, err := a.db.Delivery(context.Background(), batch[i].d.ID); err != nil {
				t.Fatalf("delivery %d not stored: %v", i, err)
			}
		}
	})
}
