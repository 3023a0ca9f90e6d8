package jobs_test

import (
	"context"
	"testing"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func TestReplayRunsOnceWhilePendingButIngestIsNotChecked(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		c, err := jobs.NewClient(db, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		args := jobs.ProcessWebhookArgs{DeliveryID: 7}
		var skipped []bool
		for range 2 {
			res, err := c.Insert(ctx, args, jobs.ReplayOpts())
			if err != nil {
				t.Fatal(err)
			}
			skipped = append(skipped, res.UniqueSkippedAsDuplicate)
		}
		if skipped[0] || !skipped[1] {
			t.Fatalf("replays skipped as duplicate = %v; want [false true]", skipped)
		}
		res, err := c.Insert(ctx, jobs.ProcessWebhookArgs{DeliveryID: 8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Job.UniqueKey != nil {
			t.Fatalf("ingest job has unique key %x; want none (fresh ids need no check)", res.Job.UniqueKey)
		}
	})
}
