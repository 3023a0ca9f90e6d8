package tracking

import (
	"testing"
	"time"
)

// noJitter makes NextPoll return its interval exactly (0.5 is the centre of
// the ±10% band) and the morning spread 15 minutes.
func noJitter() float64 { return 0.5 }

func oneDay(s string) Window { return Window{Earliest: ts(s), Latest: ts(s)} }

func TestNextPollIntervals(t *testing.T) {
	ups := CalendarFor("ups", "")
	monday := "2026-11-16 08:00"
	inTransit := func(eta Window) PollState {
		return PollState{Stage: StageInTransit, CreatedAt: ts("2026-11-13 08:00"), LastEventAt: ts("2026-11-16 06:00"), ETA: eta}
	}
	atFacility := inTransit(oneDay("2026-11-19"))
	atFacility.AtFacility = true
	silentSince := func(last string, eta Window) PollState {
		return PollState{Stage: StageInTransit, LastEventAt: ts(last), ETA: eta}
	}
	tests := []struct {
		name  string
		state PollState
		now   string
		want  time.Duration
	}{
		{"fresh label polls every 3h", PollState{Stage: StagePacked, NotFound: true, CreatedAt: ts("2026-11-16 06:00")}, monday, 3 * time.Hour},
		{"label a few days old polls every 6h", PollState{Stage: StagePacked, CreatedAt: ts("2026-11-13 06:00")}, monday, 6 * time.Hour},
		{"label over a week old polls every 12h", PollState{Stage: StagePacked, NotFound: true, CreatedAt: ts("2026-11-06 06:00")}, monday, 12 * time.Hour},
		// Moving parcels poll at one cadence whatever the ETA: the van
		// window, not the estimate, watches delivery mornings.
		{"moving far from the ETA", inTransit(oneDay("2026-11-23")), monday, 105 * time.Minute},
		{"moving a few days from the ETA", inTransit(oneDay("2026-11-19")), monday, 105 * time.Minute},
		{"moving the day before the ETA, before the van window", inTransit(oneDay("2026-11-17")), monday, 105 * time.Minute},
		{"moving on the ETA day, before the van window", inTransit(oneDay("2026-11-16")), monday, 105 * time.Minute},
		{"moving inside an ETA window, before the van window", inTransit(Window{Earliest: ts("2026-11-13"), Latest: ts("2026-11-17")}), monday, 105 * time.Minute},
		{"moving past the ETA", inTransit(oneDay("2026-11-13")), monday, 105 * time.Minute},
		{"moving without an ETA", inTransit(Window{}), monday, 105 * time.Minute},
		{"at a facility, where exceptions are raised, polls every 50m", atFacility, monday, 50 * time.Minute},
		{"shipped but not yet at a hub is moving", PollState{Stage: StageShipped, LastEventAt: ts("2026-11-16 06:00"), ETA: oneDay("2026-11-19")}, monday, 105 * time.Minute},
		{"a weekend is not silence", silentSince("2026-11-13 06:00", oneDay("2026-11-19")), monday, 105 * time.Minute},
		{"two silent working days are still normal", silentSince("2026-11-12 06:00", oneDay("2026-11-19")), monday, 105 * time.Minute},
		{"three silent working days slow down", silentSince("2026-11-11 06:00", oneDay("2026-11-19")), monday, 8 * time.Hour},
		{"silence slows a parcel down past its ETA too", silentSince("2026-11-11 06:00", oneDay("2026-11-13")), "2026-11-16 17:00", 8 * time.Hour},
		{"silence slows a parcel at a facility down too", PollState{Stage: StageInTransit, AtFacility: true, LastEventAt: ts("2026-11-11 06:00"), ETA: oneDay("2026-11-19")}, monday, 8 * time.Hour},
		{"out for delivery today polls every 45m", PollState{Stage: StageOutForDelivery, LastEventAt: ts("2026-11-16 07:00")}, monday, 45 * time.Minute},
		{"out for delivery since yesterday slows down", PollState{Stage: StageOutForDelivery, LastEventAt: ts("2026-11-13 07:00")}, monday, 3 * time.Hour},
		{"awaiting pickup waits on the shopper", PollState{Stage: StageAvailableForPickup, LastEventAt: ts("2026-11-16 07:00")}, monday, 12 * time.Hour},
		{"returning polls slowly", PollState{Stage: StageReturning, LastEventAt: ts("2026-11-16 07:00")}, monday, 12 * time.Hour},
		{"first failure retries soon", PollState{Stage: StageInTransit, Failures: 1, ETA: oneDay("2026-11-23")}, monday, 15 * time.Minute},
		{"failures back off exponentially", PollState{Stage: StageInTransit, Failures: 3, ETA: oneDay("2026-11-23")}, monday, time.Hour},
		{"backoff is capped", PollState{Stage: StageInTransit, Failures: 40, ETA: oneDay("2026-11-23")}, "2026-11-16 00:00", 12 * time.Hour},
		{"retry-after is a floor", PollState{Stage: StageOutForDelivery, LastEventAt: ts("2026-11-16 07:00"), RetryAfter: 2 * time.Hour}, monday, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := ts(tt.now)
			next, stop := NextPoll(tt.state, now, ups, noJitter)
			if stop || next.Sub(now) != tt.want {
				t.Errorf("NextPoll = %s (stop %v), want now+%s", next.Sub(now), stop, tt.want)
			}
		})
	}
}

func TestNextPollSkipsNonWorkingDays(t *testing.T) {
	far := PollState{Stage: StageInTransit, LastEventAt: ts("2026-11-20 06:00"), ETA: oneDay("2026-12-02")}
	tests := []struct {
		name string
		cal  Calendar
		now  string
		want string
	}{
		{"friday night waits for monday morning", CalendarFor("ups", ""), "2026-11-20 23:00", "2026-11-23 13:15"},
		{"thanksgiving waits for friday morning", CalendarFor("ups", ""), "2026-11-25 23:00", "2026-11-27 13:15"},
		{"usps works saturday", CalendarFor("usps", ""), "2026-11-20 23:00", "2026-11-21 00:45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, stop := NextPoll(far, ts(tt.now), tt.cal, noJitter)
			if stop || !next.Equal(ts(tt.want)) {
				t.Errorf("NextPoll = %s (stop %v), want %s", next, stop, tt.want)
			}
		})
	}
}

func TestNextPollWatchesTheVanWindowNearDelivery(t *testing.T) {
	ups := CalendarFor("ups", "") // vans leave from 13:00 UTC
	state := PollState{Stage: StageInTransit, LastEventAt: ts("2026-11-16 06:00"), ETA: oneDay("2026-11-18")}
	tests := []struct {
		name, now, want string
	}{
		{"the working day before the estimate opens the window", "2026-11-17 12:00", "2026-11-17 13:15"},
		{"inside the window it polls every 45 minutes", "2026-11-17 13:20", "2026-11-17 14:00"},
		{"after the window the moving cadence applies", "2026-11-17 16:00", "2026-11-17 17:45"},
		{"two days before the estimate no window yet", "2026-11-16 12:00", "2026-11-16 13:45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, stop := NextPoll(state, ts(tt.now), ups, noJitter)
			if stop || !next.Equal(ts(tt.want)) {
				t.Errorf("NextPoll = %s (stop %v), want %s", next, stop, tt.want)
			}
		})
	}
}

func TestNextPollKeepsOutOfTheCarriersQuietHours(t *testing.T) {
	sim := CalendarFor("sim", "") // hubs scan 00:30–22:00 UTC, vans leave 07:00
	moving := PollState{Stage: StageInTransit, LastEventAt: ts("2026-11-17 09:00"), ETA: oneDay("2026-11-25")}
	tests := []struct {
		name  string
		state PollState
		cal   Calendar
		now   string
		want  string
	}{
		{"inside scan hours nothing moves", moving, sim, "2026-11-17 12:00", "2026-11-17 13:45"},
		{"a poll due after closing comes just after it, to see the day's last scans", moving, sim, "2026-11-17 21:00", "2026-11-17 22:15"},
		{"a poll in quiet hours counts its interval from reopening", moving, sim, "2026-11-17 22:15", "2026-11-18 02:15"},
		{"quiet hours before midnight and after are one spell", moving, sim, "2026-11-18 00:10", "2026-11-18 02:15"},
		{"friday's last poll waits for monday morning", moving, sim, "2026-11-20 22:15", "2026-11-23 07:15"},
		{"a carrier scanning around the clock is polled at night", moving, CalendarFor("ups", ""), "2026-11-17 21:00", "2026-11-17 22:45"},
		{"a label the carrier has not scanned is not held back", PollState{Stage: StagePacked, NotFound: true, CreatedAt: ts("2026-11-17 20:00")}, sim, "2026-11-17 21:00", "2026-11-18 00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, stop := NextPoll(tt.state, ts(tt.now), tt.cal, noJitter)
			if stop || !next.Equal(ts(tt.want)) {
				t.Errorf("NextPoll = %s (stop %v), want %s", next, stop, tt.want)
			}
		})
	}
}

func TestAtFacility(t *testing.T) {
	arrived := Event{Time: ts("2026-11-17 09:00"), Stage: StageInTransit, Movement: MovementArrived}
	departed := Event{Time: ts("2026-11-17 15:00"), Stage: StageInTransit, Movement: MovementDeparted}
	damaged := Event{Time: ts("2026-11-17 11:00"), Stage: StageInTransit, Problem: ProblemException}
	tests := []struct {
		name   string
		events []Event
		want   bool
	}{
		{"no scans", nil, false},
		{"the latest scan is an arrival", []Event{arrived}, true},
		{"a departure ends the stay", []Event{arrived, departed}, false},
		{"a later scan that says neither ends it too", []Event{arrived, damaged}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AtFacility(tt.events); got != tt.want {
				t.Errorf("AtFacility = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNextPollJitterStaysWithinTenPercent(t *testing.T) {
	ups := CalendarFor("ups", "")
	now := ts("2026-11-16 08:00")
	s := PollState{Stage: StageInTransit, AtFacility: true, LastEventAt: now, ETA: oneDay("2026-11-19")}
	tests := []struct {
		name string
		rnd  func() float64
		want time.Duration
	}{
		{"low end", func() float64 { return 0 }, 45 * time.Minute},
		{"high end", func() float64 { return 0.999999999 }, 55 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, _ := NextPoll(s, now, ups, tt.rnd)
			if got := next.Sub(now).Round(time.Minute); got != tt.want {
				t.Errorf("interval = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNextPollStops(t *testing.T) {
	ups := CalendarFor("ups", "")
	now := ts("2026-12-20 10:00")
	tests := []struct {
		name  string
		state PollState
	}{
		{"delivered is never polled", PollState{Stage: StageDelivered, LastEventAt: now}},
		{"returned is never polled", PollState{Stage: StageReturned, LastEventAt: now}},
		{"not found for 30 days expires", PollState{Stage: StagePacked, NotFound: true, CreatedAt: ts("2026-11-20 10:00")}},
		{"in transit silent for 30 days expires", PollState{Stage: StageInTransit, CreatedAt: ts("2026-11-10 10:00"), LastEventAt: ts("2026-11-20 10:00")}},
		{"tracked for 120 days expires", PollState{Stage: StageInTransit, CreatedAt: ts("2026-08-20 10:00"), LastEventAt: ts("2026-12-19 10:00")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, stop := NextPoll(tt.state, now, ups, noJitter); !stop {
				t.Errorf("NextPoll kept polling %+v", tt.state)
			}
		})
	}
}

func TestExpired(t *testing.T) {
	now := ts("2026-12-20 10:00")
	tests := []struct {
		name  string
		state PollState
		want  bool
	}{
		{"not found for 29 days is still tracked", PollState{Stage: StagePacked, NotFound: true, CreatedAt: ts("2026-11-21 10:00")}, false},
		{"not found for 30 days expires", PollState{Stage: StagePacked, NotFound: true, CreatedAt: ts("2026-11-20 10:00")}, true},
		{"in transit with a recent scan is tracked", PollState{Stage: StageInTransit, CreatedAt: ts("2026-11-01 10:00"), LastEventAt: ts("2026-12-10 10:00")}, false},
		{"in transit silent 30 days expires", PollState{Stage: StageInTransit, CreatedAt: ts("2026-11-01 10:00"), LastEventAt: ts("2026-11-20 10:00")}, true},
		{"delivered never expires", PollState{Stage: StageDelivered, CreatedAt: ts("2026-01-01 10:00")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Expired(tt.state, now); got != tt.want {
				t.Errorf("Expired = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFixedPolicy(t *testing.T) {
	ups := CalendarFor("ups", "")
	hourly := FixedPolicy(time.Hour)
	saturday := ts("2026-11-21 10:00")
	next, stop := hourly(PollState{Stage: StageInTransit}, saturday, ups, noJitter)
	if stop || !next.Equal(saturday.Add(time.Hour)) {
		t.Errorf("FixedPolicy on a Saturday = %s (stop %v), want one hour later", next, stop)
	}
	if _, stop := hourly(PollState{Stage: StageDelivered}, saturday, ups, noJitter); !stop {
		t.Error("FixedPolicy kept polling a delivered shipment")
	}
}

func TestAfterPushPollsOnlyAsASafetyNet(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"half a day later", time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), time.Date(2025, 3, 4, 21, 0, 0, 0, time.UTC)},
		{"over midnight, in UTC", time.Date(2025, 3, 4, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)), time.Date(2025, 3, 5, 13, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AfterPush(tt.now); !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Fatalf("AfterPush(%s) = %s; want %s UTC", tt.now, got, tt.want)
			}
		})
	}
}
