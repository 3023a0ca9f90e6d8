// Package bench measures ordertrack against baselines taken in the same run
// on the same machine, so the figures are ratios that mean something on any
// hardware: webhook ingest against a raw insert, the tracking page against a
// static response, message rendering against text/template, the adaptive
// polling policy against fixed hourly polling, and the scheduler's tick cost
// on a million shipments against the same tick on ten thousand, and
// another shop's webhook processing while one shop floods against the
// same webhooks at rest.
//
// Everything runs in-process over loopback; loops are bounded by a count and
// a time limit, so a slow machine gives a slower answer, not a hung one.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"
)

// Result is one measured figure and its baseline. Ratio is Value/Baseline;
// whether higher is better depends on the unit (rates: higher, latencies and
// calls: lower).
type Result struct {
	Name     string  `json:"name"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	Baseline float64 `json:"baseline"`
	Ratio    float64 `json:"ratio"`
	// Note says what the baseline is, or why a figure was skipped.
	Note string `json:"note,omitempty"`
}

func result(name string, value, baseline float64, unit, note string) Result {
	r := Result{Name: name, Value: round(value), Unit: unit, Baseline: round(baseline), Note: note}
	if baseline != 0 {
		r.Ratio = round(value / baseline)
	}
	return r
}

func round(v float64) float64 {
	switch {
	case v >= 100 || v <= -100:
		return float64(int64(v*10)) / 10
	default:
		return float64(int64(v*1000)) / 1000
	}
}

// Options bound a run. The zero value is usable.
type Options struct {
	// PostgresURL is a server to create a scratch database on; empty or
	// unreachable means a temporary SQLite file. The scratch database is
	// dropped at the end, so production data is never touched.
	PostgresURL string
	// Concurrency is the number of concurrent HTTP or SQL clients (16).
	Concurrency int
	// Requests is each load phase's size (20000: a p99 on 200 samples);
	// Duration caps a phase in time (5 min), so a stuck phase ends.
	Requests int
	Duration time.Duration
	// Shipments is the number of simulated shipments to replay (2000).
	Shipments int
	// SchedulerMillion seeds a million shipments in Postgres and measures
	// the scheduler tick; it takes a minute or two.
	SchedulerMillion bool
	// Phases limits the run to the named phases (replay, render, ingest,
	// page, fairness, scheduler); empty runs them all.
	Phases []string
	// Busy is how many processes the caller keeps spinning during the run,
	// reported with the load average.
	Busy int
	// Progress receives one line per phase; nil discards.
	Progress io.Writer
	Log      *slog.Logger
}

func (o *Options) defaults() {
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Requests <= 0 {
		o.Requests = 20000
	}
	if o.Duration <= 0 {
		o.Duration = 5 * time.Minute
	}
	if o.Shipments <= 0 {
		o.Shipments = 2000
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

func (o *Options) runs(phase string) bool {
	return len(o.Phases) == 0 || slices.Contains(o.Phases, phase)
}

// Run measures every figure and returns them in a stable order, the
// machine's load average last.
func Run(ctx context.Context, opts Options) (out []Result, err error) {
	opts.defaults()
	start, startOK := loadAverage()
	defer func() { out = append(out, loadResult(start, startOK, opts.Busy)) }()

	if opts.runs("replay") {
		fmt.Fprintln(opts.Progress, "bench: polling policy replay")
		out = append(out, Replay(opts.Shipments)...)
		fmt.Fprintln(opts.Progress, "bench: carrier push replay")
		out = append(out, PushReplay(opts.Shipments)...)
	}
	if opts.runs("render") {
		fmt.Fprintln(opts.Progress, "bench: notification render")
		rs, err := Render(ctx, opts.Requests, opts.Duration)
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
	}
	if !opts.runs("ingest") && !opts.runs("page") && !opts.runs("fairness") && !opts.runs("scheduler") {
		return out, nil
	}
	env, err := openEnv(ctx, opts)
	if err != nil {
		return out, err
	}
	defer env.close()
	if opts.runs("ingest") {
		fmt.Fprintf(opts.Progress, "bench: webhook ingest on %s\n", env.dialect)
		rs, err := env.ingest(ctx, opts)
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
	}
	if opts.runs("page") {
		fmt.Fprintf(opts.Progress, "bench: tracking page on %s\n", env.dialect)
		rs, err := env.page(ctx, opts)
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
	}
	switch {
	case !opts.runs("fairness"):
	case env.admin == "":
		out = append(out, Result{Name: "other shop's webhook under flood", Note: "skipped: needs Postgres (DATABASE_URL or TEST_DATABASE_URL)"})
	default:
		fmt.Fprintln(opts.Progress, "bench: one shop floods, another's webhooks")
		rs, err := env.fairness(ctx, opts)
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
	}

	switch {
	case !opts.runs("scheduler"):
	case !opts.SchedulerMillion:
		out = append(out, Result{Name: "scheduler tick, 1M shipments", Note: "skipped: pass --scheduler-1m (Postgres only, takes a few minutes)"})
	case env.admin == "":
		out = append(out, Result{Name: "scheduler tick, 1M shipments", Note: "skipped: needs Postgres (DATABASE_URL or TEST_DATABASE_URL)"})
	default:
		fmt.Fprintln(opts.Progress, "bench: scheduler tick with 1M shipments")
		rs, err := env.scheduler(ctx)
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
	}
	return out, nil
}
