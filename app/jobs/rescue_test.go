package jobs_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// markArgs is a job that records each attempt; its first attempt hangs, as a
// job does when its machine dies mid-way.
type markArgs struct{}

func (markArgs) Kind() string { return "test_mark" }

type markWorker struct {
	river.WorkerDefaults[markArgs]
	db *storage.DB
}

func (w *markWorker) Work(ctx context.Context, job *river.Job[markArgs]) error {
	if _, err := w.db.SQL.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS test_marks (attempt INTEGER)"); err != nil {
		return err
	}
	if _, err := w.db.SQL.ExecContext(ctx, "INSERT INTO test_marks (attempt) VALUES ($1)", job.Attempt); err != nil {
		return err
	}
	if job.Attempt == 1 {
		<-ctx.Done() // hang until killed
		return ctx.Err()
	}
	return nil
}

func startWorker(db *storage.DB) (*jobs.Client, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &markWorker{db: db})
	c, err := jobs.NewClient(db, jobs.Options{
		Workers: workers, JobTimeout: 1500 * time.Millisecond, RescueAfter: 2 * time.Second, PollInterval: 200 * time.Millisecond,
	})
	if err != nil {
		return nil, err
	}
	return c, c.Start(context.Background())
}

// TestMain doubles as the worker process the rescue test kills.
func TestMain(m *testing.M) {
	if url := os.Getenv("OT_TEST_WORKER_DB"); url != "" {
		db, err := storage.Open(context.Background(), url, storage.Options{EncryptionKey: storagetest.Key})
		if err != nil {
			panic(err)
		}
		if _, err := startWorker(db); err != nil {
			panic(err)
		}
		time.Sleep(time.Hour) // work until killed
	}
	os.Exit(m.Run())
}

func TestKilledWorkerJobCompletesAfterRestart(t *testing.T) {
	for _, d := range []storage.Dialect{storage.SQLite, storage.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel() // each waits out a leader lease
			url := storagetest.URL(t, d)
			ctx := context.Background()
			db, err := storage.Open(ctx, url, storage.Options{EncryptionKey: storagetest.Key})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			inserter, err := jobs.NewClient(db, jobs.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := inserter.Insert(ctx, markArgs{}, nil)
			if err != nil {
				t.Fatal(err)
			}

			child := exec.Command(os.Args[0], "-test.run=^$")
			child.Env = append(os.Environ(), "OT_TEST_WORKER_DB="+url)
			var out bytes.Buffer
			child.Stdout, child.Stderr = &out, &out
			defer func() {
				if t.Failed() {
					t.Logf("worker process output:\n%s", out.String())
				}
			}()
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 30*time.Second, "first attempt running in the child worker", func() bool {
				return countMarks(db) == 1
			})
			if err := child.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			child.Wait()

			c, err := startWorker(db)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Stop(ctx)
			waitFor(t, 60*time.Second, "job completed after restart", func() bool {
				j, err := inserter.JobGet(ctx, res.Job.ID)
				return err == nil && j.State == "completed"
			})
			if n := countMarks(db); n != 2 {
				t.Fatalf("job ran %d attempts; want exactly 2 (killed one + rescued one)", n)
			}
		})
	}
}

func countMarks(db *storage.DB) int {
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM test_marks").Scan(&n); err != nil && err != sql.ErrNoRows {
		return -1
	}
	return n
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
