// Package jobs holds ordertrack's durable background work as River jobs:
// webhook processing, carrier polling, notifications. Everything that can fail
// outside the process runs here, with retries and backoff.
package jobs

import (
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/storage"
)

// Client is the River client on either database: both drivers speak *sql.Tx,
// so a GORM transaction can enqueue with InsertTx.
type Client = river.Client[*sql.Tx]

// Options tune a Client. Zero values give production defaults.
type Options struct {
	Logger *slog.Logger
	// Workers, when set, makes the client work jobs; nil gives an insert-only
	// client for web machines.
	Workers  *river.Workers
	Periodic []*river.PeriodicJob
	// MaxWorkers bounds concurrent jobs on this machine (default 20; SQLite 4)
	// on the default queue.
	MaxWorkers int
	// WebhookWorkers bounds concurrent webhook processing, which has a
	// queue of its own (default 8; SQLite 2), and BulkWebhookWorkers that
	// of deliveries over their shop's pace (default 2; SQLite 1), and
	// BulkWorkers that of other work over its shop's pace (default 2;
	// SQLite 1).
	WebhookWorkers, BulkWebhookWorkers, BulkWorkers int
	// JobTimeout bounds one job attempt (default 2 minutes).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before it is deemed
	// orphaned by a killed worker and retried (default 10 minutes).
	RescueAfter time.Duration
	// PollInterval is how often workers look for new jobs when not notified.
	PollInterval time.Duration
}

// NewClient builds the River client for db.
func NewClient(db *storage.DB, o Options) (*Client, error) {
	poll := durationOr(o.PollInterval, time.Second)
	cfg := &river.Config{
		Logger:               o.Logger,
		JobTimeout:           durationOr(o.JobTimeout, 2*time.Minute),
		RescueStuckJobsAfter: durationOr(o.RescueAfter, 10*time.Minute),
		FetchPollInterval:    poll,
		FetchCooldown:        insertWakeCooldown,
		PeriodicJobs:         o.Periodic,
	}
	if o.Workers != nil {
		n, hooks, bulkHooks, bulk := o.MaxWorkers, o.WebhookWorkers, o.BulkWebhookWorkers, o.BulkWorkers
		if n == 0 {
			n = 20
			if db.Dialect == storage.SQLite {
				n = 4
			}
		}
		if hooks == 0 {
			hooks = 8
			if db.Dialect == storage.SQLite {
				hooks = 2
			}
		}
		if bulkHooks == 0 {
			bulkHooks = 2
			if db.Dialect == storage.SQLite {
				bulkHooks = 1
			}
		}
		if bulk == 0 {
			bulk = 2
			if db.Dialect == storage.SQLite {
				bulk = 1
			}
		}
		cfg.Workers = o.Workers
		slow := min(river.FetchCooldownDefault, poll)
		cfg.Queues = map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: n, FetchCooldown: slow},
			QueueWebhooks:      {MaxWorkers: hooks, FetchCooldown: webhookFetchCooldown, FetchPollInterval: min(webhookPollInterval, poll)},
			QueueWebhooksBulk:  {MaxWorkers: bulkHooks, FetchCooldown: slow},
			QueueBulk:          {MaxWorkers: bulk, FetchCooldown: slow},
		}
	}
	c, err := river.NewClient(db.RiverDriver(), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return c, nil
}

// River wakes a queue's workers on insert, but drops a wake-up within
// the client's fetch cooldown of the last one (100ms by default): under one
// shop's flood another shop's delivery then waited for the next poll (a
// second). So inserts wake the workers at most insertWakeCooldown apart,
// the webhook workers fetch at most webhookFetchCooldown apart and poll
// every webhookPollInterval in case a wake-up is lost; the other queues
// keep River's cooldown.
const (
	insertWakeCooldown   = time.Millisecond
	webhookFetchCooldown = 10 * time.Millisecond
	webhookPollInterval  = 200 * time.Millisecond
)

func durationOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
