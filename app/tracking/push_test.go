package tracking

import (
	"slices"
	"testing"
	"time"
)

// On UPS's calendar (vans out from 13:00 UTC) the vans have left by 16:00
// and scanning is taken to end at 20:00.
func TestWithPushPollsASubscribedShipmentOnlyAsASafetyNet(t *testing.T) {
	cal := CalendarFor("ups", "")
	now := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC) // a Tuesday
	today := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	nextWeek := Window{Earliest: today.AddDate(0, 0, 6), Latest: today.AddDate(0, 0, 6)} // Monday 9 March
	fixedHalf := func() float64 { return 0.5 }
	live := PushWatch{Live: true, Since: now.Add(-2 * time.Hour), LastPushAt: now.Add(-time.Hour)}
	moving := PollState{Stage: StageInTransit, CreatedAt: now.Add(-24 * time.Hour), LastEventAt: now.Add(-time.Hour), Push: live}
	tests := []struct {
		name string
		s    PollState
		now  time.Time
		want time.Time
	}{
		{
			name: "far from its estimate, it waits 12–24 h",
			s:    with(moving, func(s *PollState) { s.ETA = nextWeek }),
			want: now.Add(18 * time.Hour),
		},
		{
			name: "on the expected day, it is checked once the vans have left",
			s:    with(moving, func(s *PollState) { s.ETA = Window{Earliest: now, Latest: now} }),
			want: today.Add(16 * time.Hour),
		},
		{
			name: "the working day before the expected one counts too",
			s:    with(moving, func(s *PollState) { s.ETA = Window{Earliest: today.AddDate(0, 0, 1)} }),
			want: today.Add(16 * time.Hour),
		},
		{
			name: "without an estimate, every working day counts",
			s:    moving,
			want: today.Add(16 * time.Hour),
		},
		{
			name: "arrived at a facility this morning on the expected day, it is polled through the van window",
			s: with(moving, func(s *PollState) {
				s.ETA = Window{Earliest: now, Latest: now}
				s.AtFacility = true
			}),
			want: today.Add(14*time.Hour + 45*time.Minute),
		},
		{
			name: "an arrival on another day does not bring the van window",
			s: with(moving, func(s *PollState) {
				s.ETA = Window{Earliest: now, Latest: now}
				s.AtFacility = true
				s.LastEventAt = now.Add(-20 * time.Hour)
			}),
			want: today.Add(16 * time.Hour),
		},
		{
			name: "out for delivery today, it is polled every 25 min",
			s:    with(moving, func(s *PollState) { s.Stage = StageOutForDelivery }),
			want: now.Add(25 * time.Minute),
		},
		{
			name: "out for delivery today, but not past the end of scanning",
			s:    with(moving, func(s *PollState) { s.Stage = StageOutForDelivery }),
			now:  today.Add(19*time.Hour + 50*time.Minute),
			want: today.Add(20 * time.Hour),
		},
		{
			name: "after a failed attempt, only the day's checks remain",
			s: with(moving, func(s *PollState) {
				s.Stage, s.Problem = StageOutForDelivery, ProblemFailedAttempt
			}),
			want: today.Add(16 * time.Hour),
		},
		{
			name: "out for delivery since yesterday, it is checked once the vans have left",
			s: with(moving, func(s *PollState) {
				s.Stage = StageOutForDelivery
				s.LastEventAt = now.Add(-20 * time.Hour)
			}),
			want: today.Add(16 * time.Hour),
		},
		{
			name: "pushes about to go stale bring the poll forward to that moment",
			s: with(moving, func(s *PollState) {
				s.ETA = nextWeek
				s.Push = PushWatch{Live: true, Since: now.Add(-30 * time.Hour)} // Monday 08:00: 16 h + 20 h
			}),
			want: now.Add(6 * time.Hour),
		},
		{
			name: "a poll that found nothing unpushed restarts the silence",
			s: with(moving, func(s *PollState) {
				s.ETA = nextWeek
				s.Push = PushWatch{Live: true, Since: now.Add(-30 * time.Hour), ConfirmedAt: now.Add(-time.Hour)}
			}),
			want: now.Add(18 * time.Hour),
		},
		{
			name: "a weekend's silence does not count",
			s: with(moving, func(s *PollState) {
				s.ETA = Window{Earliest: today.AddDate(0, 0, 13), Latest: today.AddDate(0, 0, 13)}
				s.Push = PushWatch{Live: true, Since: time.Date(2026, 3, 6, 8, 0, 0, 0, time.UTC)} // Friday: 16 h, Monday 14 h
			}),
			now:  time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC),
			want: time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := now
			if !tt.now.IsZero() {
				at = tt.now
			}
			got, stop := WithPush(NextPoll)(tt.s, at, cal, fixedHalf)
			if stop || !got.Equal(tt.want) {
				t.Fatalf("next poll = %s (stop %v); want %s", got, stop, tt.want)
			}
		})
	}
}

func TestWithPushFallsBackToNormalPolling(t *testing.T) {
	cal := CalendarFor("ups", "")
	now := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC)
	fixedHalf := func() float64 { return 0.5 }
	moving := PollState{Stage: StageInTransit, CreatedAt: now.Add(-72 * time.Hour), LastEventAt: now.Add(-time.Hour)}
	tests := []struct {
		name string
		s    PollState
	}{
		{"no subscription", moving},
		{"the subscription failed or expired", with(moving, func(s *PollState) { s.Push = PushWatch{Since: now.Add(-time.Hour)} })},
		{"no push nor confirming poll for 36 working hours", with(moving, func(s *PollState) {
			s.Push = PushWatch{Live: true, Since: now.Add(-72 * time.Hour), LastPushAt: now.Add(-PushSilence), ConfirmedAt: now.Add(-40 * time.Hour)}
		})},
		{"the last poll failed", with(moving, func(s *PollState) {
			s.Push = PushWatch{Live: true, Since: now.Add(-time.Hour)}
			s.Failures = 2
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantStop := NextPoll(tt.s, now, cal, fixedHalf)
			got, stop := WithPush(NextPoll)(tt.s, now, cal, fixedHalf)
			if stop != wantStop || !got.Equal(want) {
				t.Fatalf("WithPush = %s (stop %v); want NextPoll's %s (stop %v)", got, stop, want, wantStop)
			}
		})
	}
}

func TestPushGapFindsALostOutForDelivery(t *testing.T) {
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	at := func(h int, st Stage, p Problem) Event {
		return Event{Time: day.Add(time.Duration(h) * time.Hour), Stage: st, Problem: p}
	}
	transit := at(-20, StageInTransit, "")
	tests := []struct {
		name   string
		events []Event
		want   bool
	}{
		{"delivered after the day's van scan", []Event{transit, at(8, StageOutForDelivery, ""), at(14, StageDelivered, "")}, false},
		{"delivered without a van scan", []Event{transit, at(14, StageDelivered, "")}, true},
		{"a failed attempt without a van scan", []Event{transit, at(14, StageOutForDelivery, ProblemFailedAttempt)}, true},
		{"redelivered without that day's van scan", []Event{at(-16, StageOutForDelivery, ""), at(-10, StageOutForDelivery, ProblemFailedAttempt), at(14, StageDelivered, "")}, true},
		{"collected from a pickup point", []Event{transit, at(-14, StageAvailableForPickup, ""), at(14, StageDelivered, "")}, false},
		{"still in transit", []Event{transit}, false},
		{"nothing yet", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PushGap(tt.events); got != tt.want {
				t.Fatalf("PushGap = %v; want %v", got, tt.want)
			}
		})
	}
}

// A lost "out for delivery" push followed by the delivery's: the push
// asks for a poll at once, which records the van's scan without telling
// the shopper it is on its way after it arrived.
func TestAssessFillsAPushGapWithoutAStaleAlert(t *testing.T) {
	now := ts("2026-11-18 21:00")
	transit := Event{Time: ts("2026-11-17 18:00"), Stage: StageInTransit, Code: "AR"}
	van := Event{Time: ts("2026-11-18 15:10"), Stage: StageOutForDelivery, Code: "OT"}
	delivered := Event{Time: ts("2026-11-18 20:55"), Stage: StageDelivered, Code: "KB"}
	live := PushWatch{Live: true, Since: ts("2026-11-17 12:00"), LastPushAt: now}
	in := Input{
		Carrier: "ups", DestCountry: "US", DestRegion: "US-CA", CreatedAt: ts("2026-11-17 12:00"),
		State:  State{Stage: StageInTransit, StageAt: transit.Time, LastEventAt: transit.Time},
		Events: []Event{transit}, Push: live, Pushed: true,
		Result: Result{Number: "1Z1", Events: []Event{delivered}},
		Now:    now, Model: NewTransitModel(), Policy: WithPush(NextPoll), Rand: func() float64 { return 0.5 },
	}
	pushed := Assess(in)
	if pushed.NextPollAt == nil || !pushed.NextPollAt.Equal(now) || !slices.Equal(keys(pushed.Fired), []string{"delivered"}) {
		t.Fatalf("after the delivered push: next poll %v, fired %v; want a poll now and delivered", pushed.NextPollAt, keys(pushed.Fired))
	}
	if again := Assess(with(in, func(in *Input) { in.Events = append(in.Events, delivered) })); again.NextPollAt != nil {
		t.Fatalf("the same push again asks for a poll at %v; want none", again.NextPollAt)
	}

	in.State, in.Events, in.Pushed = pushed.State, []Event{transit, delivered}, false
	in.Result = Result{Number: "1Z1", Events: []Event{transit, van, delivered}}
	polled := Assess(in)
	if len(polled.Added) != 1 || polled.Added[0].Stage != StageOutForDelivery || len(polled.Fired) != 0 || polled.NextPollAt != nil {
		t.Fatalf("the gap's poll: added %v, fired %v, next poll %v; want the van scan recorded, nothing told, polling stopped",
			polled.Added, keys(polled.Fired), polled.NextPollAt)
	}
}

func TestPushConfirmed(t *testing.T) {
	live := PushWatch{Live: true}
	scan := []Event{{Stage: StageInTransit}}
	tests := []struct {
		name   string
		w      PushWatch
		failed bool
		added  []Event
		want   bool
	}{
		{"a poll that found nothing new", live, false, nil, true},
		{"a poll that found an unpushed scan", live, false, scan, false},
		{"a failed poll", live, true, nil, false},
		{"no live subscription", PushWatch{}, false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PushConfirmed(tt.w, tt.failed, tt.added); got != tt.want {
				t.Fatalf("PushConfirmed = %v; want %v", got, tt.want)
			}
		})
	}
}

func with[T any](v T, f func(*T)) T { f(&v); return v }

func TestSubscribeRetryAtBacksOff(t *testing.T) {
	now := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		attempts int
		want     time.Duration
	}{
		{1, 15 * time.Minute},
		{2, 30 * time.Minute},
		{3, time.Hour},
		{7, 12 * time.Hour},
		{40, 12 * time.Hour},
	}
	for _, tt := range tests {
		if got := SubscribeRetryAt(now, tt.attempts); !got.Equal(now.Add(tt.want)) {
			t.Errorf("SubscribeRetryAt(now, %d) = now+%s; want now+%s", tt.attempts, got.Sub(now), tt.want)
		}
	}
}
