package sim

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/detect"
)

// shipTimes covers weekday mornings, after-cutoff evenings, weekends and the
// run-up to holidays.
var shipTimes = []time.Time{
	time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),     // Monday morning
	time.Date(2026, 3, 6, 18, 30, 0, 0, time.UTC),   // Friday after cutoff
	time.Date(2026, 3, 7, 11, 0, 0, 0, time.UTC),    // Saturday
	time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC),  // day before Thanksgiving
	time.Date(2026, 12, 23, 10, 0, 0, 0, time.UTC),  // before Christmas
	time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC),  // New Year's Eve
	time.Date(2026, 5, 22, 8, 15, 0, 0, time.UTC),   // before Memorial Day
	time.Date(2026, 9, 4, 13, 45, 0, 0, time.UTC),   // before Labor Day
	time.Date(2027, 7, 2, 12, 0, 0, 0, time.UTC),    // before Independence Day
	time.Date(2026, 11, 25, 23, 59, 0, 0, time.UTC), // late night
}

// everyPlan plans every scenario on every lane for every ship time.
func everyPlan(t *testing.T) []Shipment {
	t.Helper()
	c := New(42)
	var out []Shipment
	for li, lane := range Lanes() {
		for _, sc := range Scenarios() {
			for i, at := range shipTimes {
				out = append(out, c.PlanLane(lane, fmt.Sprintf("SIM%03d%02d%s", li, i, sc), at, sc))
			}
		}
	}
	return out
}

func TestPlanIsDeterministic(t *testing.T) {
	at := shipTimes[0]
	for _, sc := range Scenarios() {
		a := New(7).Plan("SIM000000000001", at, sc)
		b := New(7).Plan("SIM000000000001", at, sc)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two carriers with seed 7 planned differently:\n%+v\n%+v", sc, a.Events, b.Events)
		}
	}
}

func TestPlanDependsOnSeed(t *testing.T) {
	a := New(1).Plan("SIM000000000001", shipTimes[0], Normal)
	b := New(2).Plan("SIM000000000001", shipTimes[0], Normal)
	if reflect.DeepEqual(a.Events, b.Events) {
		t.Errorf("seeds 1 and 2 planned identical events: %+v", a.Events)
	}
}

func TestScansHappenOnlyOnWorkingDays(t *testing.T) {
	for _, s := range everyPlan(t) {
		for _, e := range s.Events[1:] { // the label is the merchant's, made any day
			if wd := e.Time.Weekday(); !WorkingDay(e.Time) || wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%s (%s, shipped %s): %s scan on %s, not a working day",
					s.Number, s.Scenario, s.Shipped.Format(time.RFC3339), e.Code, e.Time.Format("Mon 2006-01-02"))
			}
		}
	}
}

func TestScansHappenWithinTheCalendarsScanHours(t *testing.T) {
	cal := tracking.CalendarFor(Code, "")
	for _, s := range everyPlan(t) {
		for _, e := range s.Events[1:] { // the label is the merchant's, made any time
			since := e.Time.Sub(day(e.Time))
			if since < cal.ScanFrom || since >= cal.ScanUntil {
				t.Errorf("%s (%s): %s scan at %s, outside the calendar's scan hours %s–%s",
					s.Number, s.Scenario, e.Code, e.Time.Format("15:04"), cal.ScanFrom, cal.ScanUntil)
			}
		}
	}
}

func TestArrivalsAndDeparturesSayWhereTheParcelIs(t *testing.T) {
	want := map[string]tracking.Movement{CodeArrived: tracking.MovementArrived, CodeDeparted: tracking.MovementDeparted, CodeResolved: tracking.MovementDeparted}
	for _, s := range everyPlan(t) {
		for _, e := range s.Events {
			if e.Movement != want[e.Code] {
				t.Fatalf("%s (%s): %s event has movement %q, want %q", s.Number, s.Scenario, e.Code, e.Movement, want[e.Code])
			}
		}
	}
}

func TestWeekendLeavesAScanGapLongerThanTwoDays(t *testing.T) {
	lane := Lanes()[0] // five working days, so the parcel crosses a weekend
	friday := time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)
	s := New(3).PlanLane(lane, "SIM1", friday, Normal)
	if s.Events[1].Code != CodePickedUp || s.Events[1].Time.Weekday() != time.Friday {
		t.Fatalf("second event = %+v; want pickup on Friday", s.Events[1])
	}
	if gap := s.Events[2].Time.Sub(s.Events[1].Time); gap <= 48*time.Hour {
		t.Errorf("gap after Friday pickup = %s; want over 48h, the false-stall case", gap)
	}
}

func TestEventsAreSortedAndStagesNeverGoBack(t *testing.T) {
	for _, s := range everyPlan(t) {
		for i := 1; i < len(s.Events); i++ {
			prev, e := s.Events[i-1], s.Events[i]
			if !e.Time.After(prev.Time) {
				t.Errorf("%s (%s): event %d at %s not after %s", s.Number, s.Scenario, i, e.Time, prev.Time)
			}
			if !e.Stage.Return() && e.Stage.Rank() < prev.Stage.Rank() {
				t.Errorf("%s (%s): stage went back from %s to %s", s.Number, s.Scenario, prev.Stage, e.Stage)
			}
		}
	}
}

func TestEventsHaveCarrierDetail(t *testing.T) {
	for _, s := range everyPlan(t) {
		for _, e := range s.Events {
			if !e.Stage.Valid() || e.Code == "" || e.Description == "" || e.Location.City == "" || e.Location.Country == "" {
				t.Fatalf("%s (%s): incomplete event %+v", s.Number, s.Scenario, e)
			}
		}
	}
}

func TestScenarioEndsAsExpected(t *testing.T) {
	tests := []struct {
		sc        Scenario
		lastStage tracking.Stage
		lastProb  tracking.Problem
		passes    tracking.Problem // a problem the journey must show on the way
		passStage tracking.Stage   // a stage the journey must pass through
	}{
		{Normal, tracking.StageDelivered, "", "", tracking.StageOutForDelivery},
		{Delayed, tracking.StageDelivered, "", tracking.ProblemDelayed, tracking.StageOutForDelivery},
		{FailedAttempt, tracking.StageDelivered, "", tracking.ProblemFailedAttempt, tracking.StageOutForDelivery},
		{ActionRequired, tracking.StageDelivered, "", tracking.ProblemActionRequired, tracking.StageOutForDelivery},
		{Pickup, tracking.StageDelivered, "", tracking.ProblemFailedAttempt, tracking.StageAvailableForPickup},
		{Exception, tracking.StageInTransit, tracking.ProblemException, tracking.ProblemException, tracking.StageInTransit},
		{Returned, tracking.StageReturned, "", tracking.ProblemFailedAttempt, tracking.StageReturning},
	}
	plans := everyPlan(t)
	for _, tt := range tests {
		t.Run(string(tt.sc), func(t *testing.T) {
			for _, s := range plans {
				if s.Scenario != tt.sc {
					continue
				}
				last := s.Events[len(s.Events)-1]
				if last.Stage != tt.lastStage || last.Problem != tt.lastProb {
					t.Fatalf("%s ends %s/%q; want %s/%q", s.Number, last.Stage, last.Problem, tt.lastStage, tt.lastProb)
				}
				if !slices.ContainsFunc(s.Events, func(e tracking.Event) bool { return e.Problem == tt.passes }) {
					t.Errorf("%s never shows problem %q", s.Number, tt.passes)
				}
				if !slices.ContainsFunc(s.Events, func(e tracking.Event) bool { return e.Stage == tt.passStage }) {
					t.Errorf("%s never reaches stage %s", s.Number, tt.passStage)
				}
			}
		})
	}
}

// A shopper who paid the duty or corrected the address sees the problem
// cleared once the carrier says so, not only once the parcel is out for
// delivery a day or more later.
func TestResolvedProblemClearsBeforeDelivery(t *testing.T) {
	n := 0
	for _, s := range everyPlan(t) {
		if s.Scenario != ActionRequired {
			continue
		}
		i := slices.IndexFunc(s.Events, func(e tracking.Event) bool { return e.Code == CodeResolved })
		if i < 0 {
			t.Fatalf("%s: no %s event", s.Number, CodeResolved)
		}
		if s.Events[i].Stage.Rank() >= tracking.StageOutForDelivery.Rank() {
			t.Fatalf("%s: resolved at stage %s, want before out for delivery", s.Number, s.Events[i].Stage)
		}
		st := tracking.Derive(s.Events[:i+1], tracking.State{})
		if st.Problem != tracking.ProblemNone {
			t.Errorf("%s: after %q the problem is still %q", s.Number, s.Events[i].Description, st.Problem)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no action-required plans")
	}
}

// deliveredDay is the midnight of the delivery, or the zero time.
func deliveredDay(s Shipment) time.Time {
	last := s.Events[len(s.Events)-1]
	if last.Stage != tracking.StageDelivered {
		return time.Time{}
	}
	return day(last.Time)
}

func TestNormalShipmentsArriveWithinThePromise(t *testing.T) {
	for _, s := range everyPlan(t) {
		if s.Scenario != Normal {
			continue
		}
		d := deliveredDay(s)
		if d.Before(s.Promised.Earliest) || d.After(s.Promised.Latest) {
			t.Errorf("%s delivered %s; promised %s..%s", s.Number, d.Format(time.DateOnly),
				s.Promised.Earliest.Format(time.DateOnly), s.Promised.Latest.Format(time.DateOnly))
		}
	}
}

func TestDelayedShipmentsArriveAfterThePromise(t *testing.T) {
	for _, s := range everyPlan(t) {
		if s.Scenario != Delayed {
			continue
		}
		if d := deliveredDay(s); !d.After(s.Promised.Latest) {
			t.Errorf("%s delivered %s; want after the promised %s", s.Number, d.Format(time.DateOnly), s.Promised.Latest.Format(time.DateOnly))
		}
	}
}

func TestWorkingDay(t *testing.T) {
	tests := []struct {
		date string
		want bool
	}{
		{"2026-03-04", true},  // Wednesday
		{"2026-03-07", false}, // Saturday
		{"2026-03-08", false}, // Sunday
		{"2026-01-01", false},
		{"2026-05-25", false}, // Memorial Day
		{"2026-05-18", true},  // a Monday in May that is not the last
		{"2026-07-03", true},  // Friday before Independence Day
		{"2026-09-07", false}, // Labor Day
		{"2026-11-26", false}, // Thanksgiving
		{"2026-11-19", true},  // third Thursday
		{"2026-12-25", false},
		{"2026-12-28", true},
	}
	for _, tt := range tests {
		d, err := time.Parse(time.DateOnly, tt.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := WorkingDay(d); got != tt.want {
			t.Errorf("WorkingDay(%s %s) = %v; want %v", tt.date, d.Weekday(), got, tt.want)
		}
	}
}

// clock is a hand-stepped clock for Track.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestTrackRevealsOnlyPastEvents(t *testing.T) {
	clk := &clock{}
	c := New(9, WithClock(clk.now))
	s := c.Plan("SIM000000000042", shipTimes[0], FailedAttempt)
	c.Register(s)
	for i, e := range s.Events {
		for _, tt := range []struct {
			at   time.Time
			want int
		}{
			{e.Time.Add(-time.Second), i},
			{e.Time, i + 1},
		} {
			clk.t = tt.at
			res, err := c.Track(context.Background(), []string{"sim 0000 0000 0042"})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == 0 {
				if !res[0].NotFound {
					t.Errorf("at %s: %+v; want not found before the label exists", tt.at, res[0])
				}
				continue
			}
			if got := res[0].Events; !reflect.DeepEqual(got, s.Events[:tt.want]) {
				t.Errorf("at %s: got %d events; want the first %d", tt.at, len(got), tt.want)
			}
			if res[0].Promised != s.Promised || res[0].Carrier != Code || res[0].Number != "sim 0000 0000 0042" {
				t.Errorf("at %s: result %+v lacks the promise, carrier or number as asked", tt.at, res[0])
			}
		}
	}
}

func TestTrackReportsUnknownNumbersAsNotFound(t *testing.T) {
	c := New(1, WithClock(func() time.Time { return shipTimes[0].AddDate(0, 1, 0) }))
	c.Register(c.Plan("SIM1", shipTimes[0], Normal))
	res, err := c.Track(context.Background(), []string{"SIM2", "SIM1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !res[0].NotFound || res[0].Number != "SIM2" || res[1].NotFound || len(res[1].Events) == 0 {
		t.Fatalf("Track = %+v; want SIM2 not found, then SIM1 with events", res)
	}
}

func TestTrackFailsOnDoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New(1).Track(ctx, []string{"SIM1"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Track on canceled context: err = %v; want context.Canceled", err)
	}
}

func TestStreamMixesScenariosMostlyNormal(t *testing.T) {
	start := shipTimes[0]
	ships := New(5).Stream(2000, start)
	count := map[Scenario]int{}
	numbers := map[string]bool{}
	for _, s := range ships {
		count[s.Scenario]++
		numbers[s.Number] = true
		if s.Shipped.Before(start) || !s.Shipped.Before(start.Add(7*24*time.Hour)) {
			t.Errorf("%s shipped %s; want within a week of %s", s.Number, s.Shipped, start)
		}
	}
	if len(numbers) != len(ships) {
		t.Errorf("%d distinct numbers for %d shipments", len(numbers), len(ships))
	}
	if share := float64(count[Normal]) / float64(len(ships)); share < 0.75 || share > 0.85 {
		t.Errorf("normal share = %.2f; want about 0.80", share)
	}
	for _, sc := range Scenarios() {
		if count[sc] == 0 {
			t.Errorf("no %s shipment in 2000", sc)
		}
	}
}

func TestStreamRegistersAndRepeats(t *testing.T) {
	c := New(5)
	a := c.Stream(50, shipTimes[0])
	b := New(5).Stream(50, shipTimes[0])
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two streams with seed 5 differ")
	}
	for _, s := range a {
		if got, ok := c.Shipment(s.Number); !ok || !reflect.DeepEqual(got, s) {
			t.Fatalf("Shipment(%s) = %v; want the streamed plan registered", s.Number, ok)
		}
	}
}

func TestNumberLooksLikeASimNumber(t *testing.T) {
	c := New(77)
	seen := map[string]bool{}
	for i := range 1000 {
		n := c.Number(i)
		if len(n) != 15 || n[:3] != "SIM" || seen[n] {
			t.Fatalf("Number(%d) = %q; want a fresh SIM plus 12 digits", i, n)
		}
		seen[n] = true
	}
	if got := detect.Detect(c.Number(3), ""); len(got) == 0 || got[0].Carrier != Code {
		t.Errorf("detect.Detect(%s) = %+v; want carrier %q first", c.Number(3), got, Code)
	}
}

func BenchmarkPlan(b *testing.B) {
	c := New(1)
	for i := 0; b.Loop(); i++ {
		c.Plan(c.Number(i), shipTimes[i%len(shipTimes)], Scenarios()[i%7])
	}
}

func BenchmarkTrack(b *testing.B) {
	start := shipTimes[0]
	c := New(1, WithClock(func() time.Time { return start.AddDate(0, 0, 5) }))
	ships := c.Stream(1000, start)
	batch := make([]string, 0, 50)
	for _, s := range ships[:50] {
		batch = append(batch, s.Number)
	}
	for b.Loop() {
		if _, err := c.Track(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
}
