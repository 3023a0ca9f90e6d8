package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// Each delivery inserted wakes the webhook workers, even right after
// another: River drops a wake-up within the client's fetch cooldown of the
// last one, and a dropped one left the delivery waiting for the next poll.
func TestEveryDeliveryInsertWakesTheWebhookWorkers(t *testing.T) {
	url := storagetest.URL(t, storage.Postgres)
	ctx := context.Background()
	db, err := storage.Open(ctx, url, storage.Options{EncryptionKey: storagetest.Key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := jobs.NewClient(db, jobs.Options{}) // insert-only, as on a web machine
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `LISTEN "public.river_insert"`); err != nil {
		t.Fatal(err)
	}
	const deliveries = 3
	for i := range deliveries {
		if _, err := c.Insert(ctx, jobs.ProcessWebhookArgs{DeliveryID: int64(i + 1)}, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // well past the wake-up cooldown, well within River's default
	}
	for i := range deliveries {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil {
			t.Fatalf("wake-ups: %d of %d deliveries inserted (%v)", i, deliveries, err)
		}
		if want := `{"queue": "` + jobs.QueueWebhooks + `"}`; n.Payload != want {
			t.Errorf("wake-up %d: %s; want %s", i, n.Payload, want)
		}
	}
}
