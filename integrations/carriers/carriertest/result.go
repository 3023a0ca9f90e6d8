package carriertest

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// At parses an RFC 3339 time for test tables; it panics on a typo, because
// tables are package-level data.
func At(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Clock is a settable clock for an adapter's Config.Now, safe to read from
// the adapter's goroutines while the test moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Brief renders events as "time|stage|problem|code|location", so a test
// states a whole timeline in a few readable lines.
func Brief(evs []tracking.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = fmt.Sprintf("%s|%s|%s|%s|%s", e.Time.Format(time.RFC3339), e.Stage, e.Problem, e.Code, e.Location)
	}
	return out
}

// Want is the Result a recorded response must normalize to. Events are in
// Brief's form; a Result without events wants an empty, non-nil list.
type Want struct {
	Number   string
	Service  string
	Promised tracking.Window
	NotFound bool
	Events   []string
	// Movements, when set, are the events' movements in order.
	Movements []tracking.Movement
}

// CheckResult fails t, saying what differs, when got is not want for carrier.
func CheckResult(t *testing.T, carrier string, got tracking.Result, want Want) {
	t.Helper()
	if got.Number != want.Number || got.Carrier != carrier || got.Service != want.Service || got.NotFound != want.NotFound {
		t.Errorf("result = {%s %s %q notFound=%v}, want {%s %s %q notFound=%v}",
			got.Number, got.Carrier, got.Service, got.NotFound, want.Number, carrier, want.Service, want.NotFound)
	}
	if got.Promised != want.Promised {
		t.Errorf("%s promised = %+v, want %+v", want.Number, got.Promised, want.Promised)
	}
	if g := Brief(got.Events); !reflect.DeepEqual(g, want.Events) {
		t.Errorf("%s events:\n got %q\nwant %q", want.Number, g, want.Events)
	}
	if want.Movements != nil {
		g := make([]tracking.Movement, len(got.Events))
		for i, e := range got.Events {
			g[i] = e.Movement
		}
		if !reflect.DeepEqual(g, want.Movements) {
			t.Errorf("%s movements = %q, want %q", want.Number, g, want.Movements)
		}
	}
}

// CheckTracked fails t unless a Track call for want.Number succeeded with
// exactly one Result, which CheckResult then compares with want.
func CheckTracked(t *testing.T, carrier string, got []tracking.Result, err error, want Want) {
	t.Helper()
	if err != nil || len(got) != 1 {
		t.Fatalf("Track(%s): got %d results, %v; want 1 result", want.Number, len(got), err)
	}
	CheckResult(t, carrier, got[0], want)
}
