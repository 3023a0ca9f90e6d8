package tracking

import (
	"testing"
	"time"
)

func TestWithPushPollsASubscribedShipmentOnlyAsASafetyNet(t *testing.T) {
	cal := CalendarFor("ups", "")
	now := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC) // a Tuesday
	fixedHalf := func() float64 { return 0.5 }
	live := PushWatch{Live: true, Since: now.Add(-2 * time.Hour), LastPushAt: now.Add(-time.Hour)}
	moving := PollState{Stage: StageInTransit, CreatedAt: now.Add(-24 * time.Hour), LastEventAt: now.Add(-time.Hour)}
	tests := []struct {
		name string
		s    PollState
		want time.Time
	}{
		{
			name: "a live subscription without an estimate waits 12–24 h",
			s:    with(moving, func(s *PollState) { s.Push = live }),
			want: now.Add(18 * time.Hour),
		},
		{
			name: "a live subscription is checked after the vans leave on the expected day",
			s: with(moving, func(s *PollState) {
				s.Push = live
				s.ETA = Window{Earliest: now, Latest: now}
			}),
			want: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(cal.MorningUTC)*time.Hour + vanWindow),
		},

		{
			name: "out for delivery is checked when the vans have left",
			s: with(moving, func(s *PollState) {
				s.Push = live
				s.Stage = StageOutForDelivery
			}),
			want: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC).Add(time.Duration(cal.MorningUTC)*time.Hour + vanWindow),
		},
		{
			name: "pushes about to go stale bring the poll forward to that moment",
			s: with(moving, func(s *PollState) {
				s.Push = PushWatch{Live: true, Since: now.Add(-30 * time.Hour)}
			}),
			want: now.Add(6 * time.Hour),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, stop := WithPush(NextPoll)(tt.s, now, cal, fixedHalf)
			if stop || !got.Equal(tt.want) {
				t.Fatalf("next poll = %s (stop %v); want %s", got, stop, tt.want)
			}
		})
	}
}

func TestWithPushChecksTheEveningOfTheDeliveryDay(t *testing.T) {
	cal := CalendarFor("ups", "")
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	now := day.Add(time.Duration(cal.MorningUTC)*time.Hour + vanWindow + time.Minute) // the vans have left
	s := PollState{Stage: StageOutForDelivery, CreatedAt: now.Add(-48 * time.Hour), LastEventAt: now.Add(-time.Hour),
		Push: PushWatch{Live: true, Since: now.Add(-2 * time.Hour), LastPushAt: now.Add(-time.Hour)}}
	end := cal.ScanUntil
	if end == 0 {
		end = 20 * time.Hour
	}
	got, stop := WithPush(NextPoll)(s, now, cal, func() float64 { return 0.5 })
	if want := day.Add(end); stop || !got.Equal(want) {
		t.Fatalf("next poll = %s (stop %v); want the evening check %s", got, stop, want)
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
		{"no push for 36 h", with(moving, func(s *PollState) {
			s.Push = PushWatch{Live: true, Since: now.Add(-72 * time.Hour), LastPushAt: now.Add(-PushSilence)}
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

func with(s PollState, f func(*PollState)) PollState { f(&s); return s }
