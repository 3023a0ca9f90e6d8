package app

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestConcurrentWebhooksAreEachStoredAndQueuedOnce(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, url string) {
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
					statuses[i] = apptest.PostShopifyWebhook(t, base, shopA, "orders/create", fmt.Sprintf("gc-%d", i%unique), []byte(fmt.Sprintf(`{"id":%d}`, i%unique)), testSecret)
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
