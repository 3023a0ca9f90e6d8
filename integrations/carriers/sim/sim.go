// Package sim is a simulated parcel carrier for the demo, tests and
// benchmarks. Its shipments follow realistic lanes and timing: scans happen
// only on working days (see WorkingDay), and a configurable share of parcels
// run late, miss a delivery, need the shopper to act, wait at an access
// point, get damaged or lost, or go back to the sender. Everything is
// deterministic from a seed, and what Track reveals depends on an injected
// clock, so a test can step time forward and watch a shipment progress.
package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Code is the carrier id the simulated carrier reports and that
// detect.Detect gives "SIM" numbers.
const Code = "sim"

// Carrier is the simulated carrier. It is safe for concurrent use.
type Carrier struct {
	seed int64
	now  func() time.Time

	mu        sync.RWMutex
	shipments map[string]Shipment
}

// Option configures a Carrier.
type Option func(*Carrier)

// WithClock sets the clock Track uses to decide which events have happened;
// the default is time.Now. The demo passes a clock that runs fast, tests one
// they step by hand.
func WithClock(now func() time.Time) Option {
	return func(c *Carrier) { c.now = now }
}

// New returns a simulated carrier whose plans, numbers and streams are
// determined by seed.
func New(seed int64, opts ...Option) *Carrier {
	c := &Carrier{seed: seed, now: time.Now, shipments: map[string]Shipment{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Register makes the carrier know the shipment, replacing any earlier plan
// for the same number.
func (c *Carrier) Register(s Shipment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shipments[key(s.Number)] = s
}

// Shipment returns the registered plan for number, future events included,
// for tests and the demo to compare against what Track reveals.
func (c *Carrier) Shipment(number string) (Shipment, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.shipments[key(number)]
	return s, ok
}

// key makes lookups tolerant of the spacing and case stores use.
func key(number string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(number))
}

// Track reports each number's events up to the clock's now, in the order the
// numbers were given, as a real carrier's batch API would. A number the
// carrier does not know, or whose label is not created yet, comes back with
// NotFound set. It takes any number of numbers and fails only when ctx is done.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]tracking.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sim track: %w", err)
	}
	now := c.now()
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]tracking.Result, 0, len(numbers))
	for _, n := range numbers {
		r := tracking.Result{Number: n, Carrier: Code}
		s, ok := c.shipments[key(n)]
		if !ok || s.Events[0].Time.After(now) {
			r.NotFound = true
			out = append(out, r)
			continue
		}
		seen := 0
		for seen < len(s.Events) && !s.Events[seen].Time.After(now) {
			seen++
		}
		r.Service = s.Service
		r.Events = append([]tracking.Event(nil), s.Events[:seen]...)
		r.Promised = s.Promised
		out = append(out, r)
	}
	return out, nil
}

// MaxBatch is how many numbers the demo's poller sends in one Track call.
func (c *Carrier) MaxBatch() int { return 50 }

// Number returns the i-th (i >= 0) simulated tracking number for this seed: "SIM"
// and twelve digits, distinct for distinct i below a trillion.
func (c *Carrier) Number(i int) string {
	// An affine map modulo 10^12 with a multiplier coprime to 10 is a
	// bijection, so numbers never collide yet do not look sequential.
	const mod = 1_000_000_000_000
	off := uint64(c.seed) % mod
	return fmt.Sprintf("SIM%012d", (uint64(i)%mod*7_919_003+off)%mod)
}

// mix is the share of each scenario in Stream: most parcels arrive on time.
var mix = []struct {
	sc     Scenario
	weight int
}{
	{Normal, 80}, {Delayed, 6}, {FailedAttempt, 4}, {ActionRequired, 3},
	{Pickup, 3}, {Exception, 2}, {Returned, 2},
}

// Stream plans and registers n shipments with numbers Number(0..n-1), their
// labels created at random times in the week from start, in a realistic
// scenario mix (about 80% normal). Benchmarks and the demo use it to fill the
// carrier.
func (c *Carrier) Stream(n int, start time.Time) []Shipment {
	r := rand.New(rand.NewPCG(uint64(c.seed), 0x5157))
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	out := make([]Shipment, 0, max(n, 0))
	for i := range n {
		pick := r.IntN(total)
		sc := Normal
		for _, m := range mix {
			if pick < m.weight {
				sc = m.sc
				break
			}
			pick -= m.weight
		}
		shipped := start.Add(time.Duration(r.Int64N(int64(7 * 24 * time.Hour))))
		s := c.Plan(c.Number(i), shipped, sc)
		c.Register(s)
		out = append(out, s)
	}
	return out
}
