// Command ordertrack keeps shoppers informed after they buy: it ingests store
// webhooks, polls carriers, shows a tracking page and sends proactive updates.
//
//	ordertrack serve     web process (HTTP, enqueues jobs)
//	ordertrack worker    job process (webhooks, polling, messages)
//	ordertrack demo      web + worker + demo store + simulated carrier on embedded SQLite
//	ordertrack migrate   apply database migrations
//	ordertrack detect    guess a tracking number's carrier
//	ordertrack track     ask a carrier about a number and print what ordertrack makes of it
//	ordertrack bench     measure throughput and policy figures against baselines
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // shoppers' zones load on any base image

	"github.com/ordertrack/ordertrack/app"
)

const usage = `usage: ordertrack <command>

commands:
  serve     run the web process
  worker    run the job worker process
  demo      [--reset]: run everything on embedded SQLite with a demo store and a simulated carrier (a restart keeps the store and its links; --reset seeds a fresh one)
  migrate   apply database migrations and exit
  detect    NUMBER [--company TEXT]: print the carriers a tracking number may belong to (JSON)
  track     NUMBER [--carrier NAME] [--json]: ask the carrier and print the normalized shipment (exit 3: not found)
  bench     [--json] [--phases LIST] [--requests N] [--busy N] [--scheduler-1m] [--cpuprofile F]: measure ingest, page, render, polling and push against baselines

configuration is read from the environment; see README.md.
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // --help printed the command's usage
		}
		fmt.Fprintln(os.Stderr, "ordertrack:", oneLine(err))
		os.Exit(exitStatus(err))
	}
}

func run(args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("missing command")
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd := args[0]
	switch cmd {
	case "serve", "worker", "migrate":
		cfg, err := app.LoadConfig(os.Getenv, false)
		if err != nil {
			return err
		}
		if cmd != "migrate" && cfg.DatabaseURL == "" {
			return fmt.Errorf("DATABASE_URL is not set: %s will not run on the embedded SQLite by accident; set DATABASE_URL=postgres://… (production), or DATABASE_URL=sqlite:./data/ordertrack.db to choose SQLite", cmd)
		}
		mode := map[string]app.Mode{"serve": app.ModeWeb, "worker": app.ModeWorker, "migrate": app.ModeWeb}[cmd]
		a, err := app.New(ctx, cfg, mode, app.Options{Log: log})
		if err != nil {
			return err
		}
		defer a.Close()
		if cmd == "migrate" {
			if err := a.DB().Migrate(ctx); err != nil {
				return err
			}
			log.Info("migrations applied")
			return nil
		}
		return a.Run(ctx, mode, func(addr string) { log.Info("started", "command", cmd, "addr", addr) })
	case "demo":
		fs := flag.NewFlagSet("demo", flag.ContinueOnError)
		reset := fs.Bool("reset", false, "delete the demo store and seed a fresh one (its earlier links stop working)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		cfg, err := app.LoadConfig(os.Getenv, true)
		if err != nil {
			return err
		}
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		return app.RunDemo(ctx, cfg, *reset, log, os.Stdout)
	case "detect":
		return runDetect(args[1:], os.Stdout)
	case "track":
		return runTrack(ctx, args[1:], os.Getenv, os.Stdout)
	case "bench":
		return runBench(ctx, args[1:], os.Stdout)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// oneLine keeps an error message on one line, so scripts can read it.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
