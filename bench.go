package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
	"text/tabwriter"

	"github.com/ordertrack/ordertrack/bench"
)

// runBench measures the app against same-run baselines and prints a table,
// or one JSON object per line with --json.
func runBench(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object per figure")
	phases := fs.String("phases", "", "comma-separated phases to run: replay,render,ingest,page,fairness,scheduler (default all)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	million := fs.Bool("scheduler-1m", false, "seed 1M shipments in Postgres and measure the scheduler tick (slow)")
	spin := fs.Bool("spin", false, "keep one core busy until the parent process ends (what --busy starts)")
	opts := bench.Options{Progress: os.Stderr}
	fs.IntVar(&opts.Concurrency, "clients", 16, "concurrent HTTP/SQL clients")
	fs.IntVar(&opts.Requests, "requests", 20000, "requests per load phase (and first views); lower for a quick run")
	fs.DurationVar(&opts.Duration, "duration", 0, "time limit per load phase (default 5m)")
	fs.IntVar(&opts.Busy, "busy", 0, "keep this many other processes spinning, one core each, while measuring")
	fs.IntVar(&opts.Shipments, "shipments", 2000, "simulated shipments to replay")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *spin {
		spinUntilOrphaned()
		return nil
	}
	opts.SchedulerMillion = *million
	if opts.Busy > 0 {
		stopBusy, err := startBusy(opts.Busy)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer stopBusy()
	}
	if *phases != "" {
		opts.Phases = strings.Split(*phases, ",")
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	opts.PostgresURL = os.Getenv("DATABASE_URL")
	if opts.PostgresURL == "" {
		opts.PostgresURL = os.Getenv("TEST_DATABASE_URL")
	}
	results, err := bench.Run(ctx, opts)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("bench: write: %w", err)
			}
		}
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "figure\tvalue\tbaseline\tratio\tunit\t")
		for _, r := range results {
			fmt.Fprintf(tw, "%s\t%g\t%g\t%g\t%s\t  %s\n", r.Name, r.Value, r.Baseline, r.Ratio, r.Unit, r.Note)
		}
		tw.Flush()
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// startBusy starts n copies of this binary running `bench --spin`, each
// keeping one core busy, and returns what stops them. OT_RUN_MAIN lets a
// test binary stand in for the ordertrack binary (see TestMain).
func startBusy(n int) (stop func(), err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("busy processes: %w", err)
	}
	var cmds []*exec.Cmd
	stop = func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}
	for range n {
		c := exec.Command(self, "bench", "--spin")
		c.Env = append(os.Environ(), "OT_RUN_MAIN=1")
		if err := c.Start(); err != nil {
			stop()
			return nil, fmt.Errorf("busy processes: %w", err)
		}
		cmds = append(cmds, c)
	}
	return stop, nil
}

// spinUntilOrphaned burns one core in a loop with no allocation and no
// goroutines, and returns once its parent is gone, so a killed bench
// leaves no spinner behind.
func spinUntilOrphaned() {
	parent := os.Getppid()
	for i := 0; ; i++ {
		if i%(1<<26) == 0 && os.Getppid() != parent {
			return
		}
	}
}
