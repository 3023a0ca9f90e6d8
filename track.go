package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/detect"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
)

// exitNotFound is the status `ordertrack track` exits with when the carrier
// does not know the number (yet).
const exitNotFound = 3

// exitError carries a process exit status other than 1 out of run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// trackTimeout bounds one `ordertrack track` call, token fetch included.
const trackTimeout = 60 * time.Second

// trackReport is what `ordertrack track` prints: the carrier's answer as
// ordertrack reads it.
type trackReport struct {
	Number    string           `json:"number"`
	Carrier   string           `json:"carrier"`
	Service   string           `json:"service,omitempty"`
	NotFound  bool             `json:"not_found,omitempty"`
	Stage     tracking.Stage   `json:"stage,omitempty"`
	Problem   tracking.Problem `json:"problem,omitempty"`
	Substatus string           `json:"substatus,omitempty"`
	ETA       *tracking.ETA    `json:"eta,omitempty"`
	Events    []tracking.Event `json:"events"`
	// UnknownCodes are the carrier codes the adapter's status table lacks;
	// their events were placed by the safe fallback.
	UnknownCodes []string `json:"unknown_codes"`
}

// runTrack asks a carrier about one number with the platform's credentials
// (the same environment variables the worker reads) and prints the
// normalized answer: stage, problem, substatus, ETA with its source and
// every event with its stage and problem, as JSON with --json or as a
// timeline. A number the carrier does not know ends with exitNotFound.
func runTrack(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("track", flag.ContinueOnError)
	carrierName := fs.String("carrier", "", "the carrier to ask (ups, fedex, usps, dhl, aftership, or a name like \"FedEx Ground\"); default: detected from the number")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a timeline")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ordertrack track NUMBER [--carrier NAME] [--json]")
		fs.PrintDefaults()
	}
	number, err := oneNumber(fs, args)
	if err != nil {
		return err
	}
	number = detect.Normalize(number)
	c, creds, err := trackCarrier(number, *carrierName, getenv)
	if err != nil {
		return fmt.Errorf("track: %w", err)
	}
	var unknown []string
	client := c.New(registry.Account{Creds: creds, OnUnknown: func(_, code string) {
		if !slices.Contains(unknown, code) {
			unknown = append(unknown, code)
		}
	}})
	ctx, cancel := context.WithTimeout(ctx, trackTimeout)
	defer cancel()
	results, err := client.Track(ctx, []string{number})
	if err != nil {
		return fmt.Errorf("track: %w", err)
	}
	if len(results) != 1 {
		return fmt.Errorf("track: %s answered %d results for one number", c.Code, len(results))
	}
	rep := report(c.Code, results[0], unknown)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = printTimeline(stdout, rep)
	}
	if err != nil {
		return fmt.Errorf("track: write: %w", err)
	}
	if rep.NotFound {
		return &exitError{code: exitNotFound, err: fmt.Errorf("track: %s does not know %s (yet)", c.Code, number)}
	}
	return nil
}

// trackCarrier picks the carrier to ask: the one named, else the best
// detected candidate whose platform credentials are set, else the best
// detected one (whose missing credentials the error then names).
func trackCarrier(number, name string, getenv func(string) string) (registry.Carrier, registry.Creds, error) {
	var codes []string
	if name != "" {
		code := strings.ToLower(strings.TrimSpace(name))
		if _, ok := registry.Lookup(code); !ok {
			if c, ok := detect.CarrierFromCompany(name); ok {
				code = c
			}
		}
		codes = []string{code}
	} else {
		for _, cand := range detect.Detect(number, "") {
			codes = append(codes, cand.Carrier)
		}
		if len(codes) == 0 {
			return registry.Carrier{}, nil, fmt.Errorf("no carrier recognises %q; name one with --carrier", number)
		}
	}
	var first error
	for _, code := range codes {
		c, ok := registry.Lookup(code)
		if !ok || c.New == nil {
			if first == nil {
				first = fmt.Errorf("carrier %q has no tracking API in ordertrack", code)
			}
			continue
		}
		creds, err := c.FromEnv(getenv)
		if err == nil && !c.Complete(creds) {
			err = fmt.Errorf("no %s credentials: set %s", c.Name, envNames(c))
		}
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		return c, creds, nil
	}
	return registry.Carrier{}, nil, first
}

func envNames(c registry.Carrier) string {
	var names []string
	for _, f := range c.Fields {
		names = append(names, c.Env[f.Key])
	}
	return strings.Join(names, ", ")
}

// report normalizes a carrier's answer the way the worker does: the
// timeline's state by tracking.Derive and the ETA by tracking.EstimateETA
// (the carrier's promise, else the untrained prior for the service).
func report(carrier string, r tracking.Result, unknown []string) trackReport {
	rep := trackReport{Number: r.Number, Carrier: carrier, Service: r.Service, NotFound: r.NotFound, Events: r.Events, UnknownCodes: unknown}
	if rep.Events == nil {
		rep.Events = []tracking.Event{}
	}
	if rep.UnknownCodes == nil {
		rep.UnknownCodes = []string{}
	}
	if r.NotFound || len(r.Events) == 0 {
		return rep
	}
	merged, _, _ := tracking.Merge(nil, r.Events)
	st := tracking.Derive(merged, tracking.State{})
	rep.Stage, rep.Problem, rep.Substatus = st.Stage, st.Problem, st.Substatus
	if !st.Stage.Terminal() {
		cal := tracking.CalendarFor(carrier, r.Service)
		shipped := tracking.FirstShipped(time.Time{}, merged)
		if !r.Promised.IsZero() || !shipped.IsZero() {
			eta := tracking.EstimateETA(r.Promised, nil, tracking.Lane{Carrier: carrier, Service: r.Service}, shipped, cal)
			rep.ETA = &eta
		}
	}
	return rep
}

// printTimeline writes the report for people: a summary, then the events
// oldest first, each with its stage and problem.
func printTimeline(w io.Writer, r trackReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", strings.ToUpper(r.Carrier), r.Number)
	if r.Service != "" {
		fmt.Fprintf(&b, " (%s)", r.Service)
	}
	b.WriteString("\n")
	if r.NotFound {
		b.WriteString("not found: the carrier does not know this number (yet)\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "stage:     %s\n", r.Stage)
	if r.Problem != tracking.ProblemNone {
		fmt.Fprintf(&b, "problem:   %s\n", r.Problem)
	}
	if r.Substatus != "" {
		fmt.Fprintf(&b, "substatus: %s\n", r.Substatus)
	}
	if r.ETA != nil {
		fmt.Fprintf(&b, "eta:       %s – %s (%s)\n", r.ETA.Earliest.UTC().Format(time.DateOnly), r.ETA.Latest.UTC().Format(time.DateOnly), r.ETA.Source)
	}
	b.WriteString("\nevents:\n")
	for _, e := range r.Events {
		tag := string(e.Stage)
		if e.Problem != tracking.ProblemNone {
			tag += "/" + string(e.Problem)
		}
		fmt.Fprintf(&b, "  %s  %-28s %-12s %s", e.Time.UTC().Format("2006-01-02 15:04Z"), tag, e.Code, e.Description)
		if loc := e.Location.String(); loc != "" {
			fmt.Fprintf(&b, " — %s", loc)
		}
		b.WriteString("\n")
	}
	if len(r.UnknownCodes) > 0 {
		fmt.Fprintf(&b, "\nunknown codes (placed by the safe fallback): %s\n", strings.Join(r.UnknownCodes, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// exitStatus is the process status for run's error: 0 for none, the
// carried status of an exitError, 1 otherwise.
func exitStatus(err error) int {
	var ex *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ex):
		return ex.code
	default:
		return 1
	}
}
