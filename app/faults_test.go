package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/messaging"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// countingSender stands in for the email provider of every app in a test
// and counts sends per notification.
type countingSender struct {
	mu   sync.Mutex
	sent map[int64]int
	keys map[string]int
}

func (c *countingSender) Send(_ context.Context, n *storage.Notification, _ notify.Message) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent[n.ID]++
	c.keys[n.DedupeKey+"|"+n.Channel]++
	return fmt.Sprintf("count-%d-%d", n.ID, c.sent[n.ID]), nil
}

func (c *countingSender) snapshot() (byID map[int64]int, byKey map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	byID, byKey = map[int64]int{}, map[string]int{}
	for k, v := range c.sent {
		byID[k] = v
	}
	for k, v := range c.keys {
		byKey[k] = v
	}
	return byID, byKey
}

// pendingJobs counts River jobs that are ready or running now.
func pendingJobs(t *testing.T, db *storage.DB) int64 {
	t.Helper()
	return storagetest.Count(t, db, "river_job", "state IN ('available', 'running', 'retryable') AND scheduled_at <= ?", time.Now().UTC().Add(time.Second))
}

func TestTwoWorkersOnOneDatabaseNeverDoublePollOrDoubleSend(t *testing.T) {
	t.Parallel()
	url := storagetest.URL(t, storage.Postgres)
	ups := apptest.NewUPS(t)
	sender := &countingSender{sent: map[int64]int{}, keys: map[string]int{}}
	cfg := Config{Carriers: map[string]registry.Creds{"ups": {"client_id": "id", "client_secret": "secret", registry.BaseURL: ups.URL}}}
	swap := withOutbox(sender)
	a1, _ := startApp(t, url, cfg, swap)
	a2, _ := startApp(t, url, cfg, swap)
	const n = 12
	shop := seedDueShipments(t, a1, "scale.myshopify.com", n)

	// Both workers run a scheduler tick at once (a leader hand-over, or a
	// manual run during the periodic one) and work the poll jobs together.
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, a := range []*App{a1, a2, a1, a2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	apptest.WaitUntil(t, "a sent email for every shipment", func() bool {
		var sent int64
		storagetest.Query(t, a1.db, "SELECT count(DISTINCT shipment_id) FROM notifications WHERE shop_id = ? AND status = ?", []any{shop.ID, storage.NotificationSent}, &sent)
		return sent == n
	})
	apptest.WaitUntil(t, "the job queue to drain", func() bool { return pendingJobs(t, a1.db) == 0 })

	calls := ups.CallsByNumber()
	if len(calls) != n {
		t.Errorf("UPS was asked about %d numbers; want %d", len(calls), n)
	}
	for number, c := range calls {
		if c != 1 {
			t.Errorf("UPS was asked about %s %d times; want once", number, c)
		}
	}
	byID, byKey := sender.snapshot()
	for id, c := range byID {
		if c != 1 {
			t.Errorf("notification %d was sent %d times; want once", id, c)
		}
	}
	for key, c := range byKey {
		if c != 1 {
			t.Errorf("dedupe key %s was sent %d times; want once", key, c)
		}
	}
	var rows []struct {
		DedupeKey string
		Channel   string
		N         int
	}
	a1.db.Gorm.Raw("SELECT dedupe_key, channel, count(*) AS n FROM notifications WHERE shop_id = ? GROUP BY dedupe_key, channel HAVING count(*) > 1", shop.ID).Scan(&rows)
	if len(rows) > 0 {
		t.Errorf("notifications stored more than once per dedupe key: %+v", rows)
	}
}

func TestCarrierFailureReschedulesWithBackoffAndLaterSuccessApplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		outage  apptest.Outage
		atLeast time.Duration // the next poll is no sooner than this after the failure
	}{
		{"429 with Retry-After waits at least that long", apptest.TooMany, time.Hour},
		{"500 backs off", apptest.ServerError, 5 * time.Minute},
		{"dropped connection backs off", apptest.Dropped, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			apptest.EachDB(t, func(t *testing.T, url string) {
				ups := apptest.NewUPS(t)
				ups.SetOutage(tt.outage)
				a, _ := startApp(t, url, Config{Carriers: map[string]registry.Creds{"ups": {"client_id": "id", "client_secret": "secret", registry.BaseURL: ups.URL}}}, atRecordingTime())
				shop := seedDueShipments(t, a, "fault.myshopify.com", 1)
				ctx := context.Background()
				before := a.now().UTC()
				if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
					t.Fatal(err)
				}
				var s storage.Shipment
				apptest.WaitUntil(t, "the failed poll to be recorded", func() bool {
					return a.db.Gorm.Where("shop_id = ?", shop.ID).Take(&s).Error == nil && s.PollFailures == 1
				})
				if s.NextPollAt == nil || s.NextPollAt.Before(before.Add(tt.atLeast)) {
					t.Fatalf("after a failed poll next_poll_at = %v; want at least %v after %v", s.NextPollAt, tt.atLeast, before)
				}
				if s.Stage != string(tracking.StagePacked) {
					t.Fatalf("stage after a failed poll = %q; want it unchanged (packed)", s.Stage)
				}

				// The rescheduled poll comes due and the carrier answers. (Wait
				// for River to mark the failed poll done first: a poll job still
				// running absorbs an identical new one.)
				apptest.WaitUntil(t, "the failed poll job to finish", func() bool { return pendingJobs(t, a.db) == 0 })
				ups.SetOutage(apptest.Up)
				past := a.now().UTC().Add(-time.Minute)
				if err := a.db.Gorm.Model(&storage.Shipment{}).Where("id = ?", s.ID).UpdateColumn("next_poll_at", past).Error; err != nil {
					t.Fatal(err)
				}
				if _, err := a.jobs.Insert(ctx, jobs.SchedulePollsArgs{}, nil); err != nil {
					t.Fatal(err)
				}
				var after storage.Shipment // a fresh row: GORM leaves a pointer field set when the column is NULL
				apptest.WaitUntil(t, "the later successful poll to apply", func() bool {
					after = storage.Shipment{}
					return a.db.Gorm.Take(&after, s.ID).Error == nil && after.Stage == string(tracking.StageInTransit)
				})
				if after.PollFailures != 0 || after.NextPollAt == nil {
					t.Fatalf("after success poll_failures=%d next_poll_at=%v; want 0 and a next poll", after.PollFailures, after.NextPollAt)
				}
			})
		})
	}
}

// A job whose rows cannot be read because the database is down must be
// retried, not cancelled or marked malformed: the webhook was accepted, the
// message promised. Only rows that are gone end the job.
func TestJobsRetryWhileDatabaseIsDownAndEndWhenTheirRowIsGone(t *testing.T) {
	t.Parallel()
	a := &App{db: storagetest.Open(t, storage.SQLite)} // these paths need only the database
	msg, err := messaging.New(messaging.Deps{DB: a.db})
	if err != nil {
		t.Fatal(err)
	}
	a.messaging = msg
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
	}{
		{"send message", func() error {
			return a.messaging.SendJob(ctx, &river.Job[jobs.SendArgs]{Args: jobs.SendArgs{NotificationID: 4242}})
		}},
	}
	final := func(err error) bool {
		var ce *river.JobCancelError
		return errors.As(err, &ce) || errors.Is(err, jobs.ErrMalformed)
	}
	for _, tt := range tests {
		if err := tt.run(); !final(err) {
			t.Errorf("%s, row gone: %v; want the job ended (cancelled or kept as malformed)", tt.name, err)
		}
	}
	a.db.SQL.Close()
	for _, tt := range tests {
		if err := tt.run(); err == nil || final(err) {
			t.Errorf("%s, database down: %v; want an error River retries", tt.name, err)
		}
	}
}
