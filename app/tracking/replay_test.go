package tracking

import (
	"math/rand/v2"
	"testing"
	"time"
)

// onTimeThursday ships Thursday, scans Friday, is silent over the weekend and
// is delivered Tuesday, inside its promised Monday–Tuesday window.
func onTimeThursday() ReplayShipment {
	return ReplayShipment{
		ShippedAt: ts("2026-11-19 09:00"),
		Promised:  Window{Earliest: ts("2026-11-23"), Latest: ts("2026-11-24")},
		Calendar:  CalendarFor("ups", ""),
		Events: []Event{
			ev("2026-11-19 10:00", StageShipped, ProblemNone, "PU"),
			ev("2026-11-20 15:00", StageInTransit, ProblemNone, "DP"),
			ev("2026-11-23 08:00", StageInTransit, ProblemNone, "AR"),
			ev("2026-11-24 08:00", StageOutForDelivery, ProblemNone, "OFD"),
			ev("2026-11-24 14:00", StageDelivered, ProblemNone, "DL"),
		},
	}
}

// lateMonday was promised for Monday and arrives on Wednesday.
func lateMonday() ReplayShipment {
	return ReplayShipment{
		ShippedAt: ts("2026-11-19 09:00"),
		Promised:  oneDay("2026-11-23"),
		Calendar:  CalendarFor("ups", ""),
		Events: []Event{
			ev("2026-11-19 10:00", StageShipped, ProblemNone, "PU"),
			ev("2026-11-23 09:00", StageOutForDelivery, ProblemNone, "OFD"),
			ev("2026-11-23 16:00", StageOutForDelivery, ProblemFailedAttempt, "NA"),
			ev("2026-11-25 08:00", StageOutForDelivery, ProblemNone, "OFD"),
			ev("2026-11-25 11:00", StageDelivered, ProblemNone, "DL"),
		},
	}
}

func TestReplayFixedHourly(t *testing.T) {
	rep := Replay([]ReplayShipment{onTimeThursday()}, FixedPolicy(time.Hour), ReplayOptions{})
	// Thursday 09:00 to Tuesday 14:00 is 125 hours: 126 polls, the last one
	// sees the delivery and stops.
	if rep.Calls != 126 {
		t.Errorf("Calls = %d, want 126", rep.Calls)
	}
	for _, k := range []Trigger{TriggerOutForDelivery, TriggerDelivered} {
		if got := rep.Detection[k]; got.N != 1 || got.P50 != 0 {
			t.Errorf("%s detection = %+v, want seen once at once (scans fall on the hour)", k, got)
		}
	}
	if rep.NaiveFalseDelaysPer1000 != 1000 {
		t.Errorf("naive false delays = %v per 1000, want 1000: the weekend gap is over 48 h", rep.NaiveFalseDelaysPer1000)
	}
	if rep.FalseDelaysPer1000 != 0 {
		t.Errorf("adaptive false delays = %v per 1000, want 0: the weekend is not silence", rep.FalseDelaysPer1000)
	}
}

func TestReplayAdaptiveCallsLessAndStillSeesDelivery(t *testing.T) {
	ships := []ReplayShipment{onTimeThursday()}
	fixed := Replay(ships, FixedPolicy(time.Hour), ReplayOptions{})
	adaptive := Replay(ships, NextPoll, ReplayOptions{})
	if adaptive.Calls*10 > fixed.Calls*4 { // the target: at most 40 % of hourly polling
		t.Errorf("adaptive calls = %d, want at most 40%% of hourly's %d", adaptive.Calls, fixed.Calls)
	}
	got := adaptive.Detection[TriggerDelivered]
	if got.N != 1 || got.P50 > time.Hour {
		t.Errorf("delivered detection = %+v, want seen within the 1 h ETA-day cadence", got)
	}
	if ofd := adaptive.Detection[TriggerOutForDelivery]; ofd.N+ofd.Missed != 1 {
		t.Errorf("out-for-delivery = %+v, want it either seen or counted missed", ofd)
	}
}

// damagedAtHub arrives at a hub on Tuesday morning and is found damaged
// there in the afternoon; the arrival says whether the carrier marks it.
func damagedAtHub(arrival Movement) ReplayShipment {
	return ReplayShipment{
		ShippedAt: ts("2026-11-16 15:00"),
		Promised:  oneDay("2026-11-19"),
		Calendar:  CalendarFor("ups", ""),
		Events: []Event{
			ev("2026-11-16 20:00", StageShipped, ProblemNone, "PU"),
			{Time: ts("2026-11-17 06:10"), Stage: StageInTransit, Movement: arrival, Code: "AR", Location: Location{City: "Louisville"}},
			ev("2026-11-17 14:35", StageInTransit, ProblemException, "EX"),
		},
	}
}

func TestReplayAdaptiveSeesExceptionsAtAFacilitySoon(t *testing.T) {
	tests := []struct {
		name    string
		arrival Movement
		within  time.Duration
	}{
		{"an arrival the carrier marks is watched every 50 min", MovementArrived, 50 * time.Minute},
		{"an unmarked scan is watched as moving, every 1 h 45", MovementNone, 105 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Replay([]ReplayShipment{damagedAtHub(tt.arrival)}, NextPoll, ReplayOptions{})
			got := rep.Detection[TriggerException]
			if got.N != 1 || got.P50 > tt.within {
				t.Errorf("exception detection = %+v, want seen once, within %s of the scan", got, tt.within)
			}
		})
	}
}

func TestReplayCountsTrueDelayAsNotFalse(t *testing.T) {
	rep := Replay([]ReplayShipment{lateMonday()}, FixedPolicy(time.Hour), ReplayOptions{})
	if rep.DelayAlerts != 1 || rep.FalseDelaysPer1000 != 0 {
		t.Errorf("alerts = %d, false = %v per 1000; want 1 true alert for a late parcel", rep.DelayAlerts, rep.FalseDelaysPer1000)
	}
	if got := rep.Detection[TriggerFailedAttempt]; got.N != 1 || got.P50 != 0 {
		t.Errorf("failed attempt detection = %+v, want seen once at once", got)
	}
	if got := rep.Detection[TriggerOutForDelivery]; got.N != 1 {
		t.Errorf("out-for-delivery detection = %+v: the first attempt is superseded by the failure, the second must fire", got)
	}
}

// generateShipments builds n UPS-like timelines: scans only on working days,
// 1–5 business days of transit, 10% failed first attempts, 3% exceptions and
// 8% parcels that arrive a day or two after the promise.
func generateShipments(n int, seed uint64) []ReplayShipment {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	cal := CalendarFor("ups", "")
	start := ts("2026-11-02")
	// Hours are US Eastern local time, stored as UTC (+5 h); no scan is
	// later than 18:00 local, so every scan stays on its local date.
	const eastern = 5 * time.Hour
	at := func(day time.Time, fromHour, toHour int) time.Time {
		return dayStart(day).Add(eastern + time.Duration(fromHour)*time.Hour + time.Duration(r.IntN((toHour-fromHour)*60))*time.Minute)
	}
	ships := make([]ReplayShipment, 0, n)
	for range n {
		shipped := at(start.AddDate(0, 0, r.IntN(42)), 8, 17)
		planned := 1 + r.IntN(5)
		pickupDay := shipped
		if !cal.IsWorkingDay(pickupDay) {
			pickupDay = cal.AddBusinessDays(pickupDay, 1)
		}
		promised := cal.AddBusinessDays(dayStart(pickupDay), planned)
		actual := planned
		if r.Float64() < 0.08 {
			actual += 1 + r.IntN(2)
		}
		deliveryDay := cal.AddBusinessDays(dayStart(pickupDay), actual)

		pickupAt := at(pickupDay, 12, 18)
		if pickupAt.Before(shipped) {
			pickupAt = shipped.Add(time.Hour)
		}
		events := []Event{{Time: pickupAt, Stage: StageShipped, Code: "PU"}}
		exceptionDay := time.Time{}
		if r.Float64() < 0.03 && actual > 1 {
			exceptionDay = cal.AddBusinessDays(dayStart(pickupDay), 1)
		}
		for d := cal.AddBusinessDays(dayStart(pickupDay), 1); d.Before(deliveryDay); d = cal.AddBusinessDays(d, 1) {
			events = append(events, Event{Time: at(d, 0, 6), Stage: StageInTransit, Movement: MovementArrived, Code: "AR"})
			if d.Equal(exceptionDay) {
				events = append(events, Event{Time: at(d, 9, 12), Stage: StageInTransit, Problem: ProblemException, Code: "WX"})
			}
			events = append(events, Event{Time: at(d, 13, 18), Stage: StageInTransit, Movement: MovementDeparted, Code: "DP"})
		}
		if r.Float64() < 0.10 {
			events = append(events,
				Event{Time: at(deliveryDay, 7, 9), Stage: StageOutForDelivery, Code: "OFD"},
				Event{Time: at(deliveryDay, 12, 18), Stage: StageOutForDelivery, Problem: ProblemFailedAttempt, Code: "NA"})
			deliveryDay = cal.AddBusinessDays(deliveryDay, 1)
		}
		events = append(events,
			Event{Time: at(deliveryDay, 7, 9), Stage: StageOutForDelivery, Code: "OFD"},
			Event{Time: at(deliveryDay, 10, 18), Stage: StageDelivered, Code: "DL"})
		ships = append(ships, ReplayShipment{
			ShippedAt: shipped, Calendar: cal, Events: events,
			Promised: Window{Earliest: promised, Latest: promised},
		})
	}
	return ships
}

func TestGeneratedShipmentsScanOnlyOnWorkingDays(t *testing.T) {
	for i, sh := range generateShipments(200, 7) {
		for _, e := range sh.Events {
			if !sh.Calendar.IsWorkingDay(e.Time) {
				t.Fatalf("shipment %d has a %s scan on %s, a non-working day", i, e.Code, e.Time.Format("Mon 2006-01-02"))
			}
		}
	}
}

// BenchmarkReplay compares hourly polling with the adaptive policy on the
// same generated shipments and reports the benchmark table's numbers.
func BenchmarkReplay(b *testing.B) {
	ships := generateShipments(500, 1)
	policies := []struct {
		name   string
		policy Policy
	}{
		{"fixed-1h", FixedPolicy(time.Hour)},
		{"adaptive", NextPoll},
	}
	for _, p := range policies {
		b.Run(p.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, 4))
			var rep ReplayReport
			for b.Loop() {
				rep = Replay(ships, p.policy, ReplayOptions{Rand: r.Float64})
			}
			b.ReportMetric(rep.CallsPerShipment, "calls/shipment")
			for _, k := range replayKinds {
				d := rep.Detection[k]
				b.ReportMetric(d.P50.Minutes(), string(k)+"-p50-min")
				b.ReportMetric(d.P95.Minutes(), string(k)+"-p95-min")
				b.ReportMetric(float64(d.Missed), string(k)+"-missed")
			}
			b.ReportMetric(float64(rep.DelayAlerts)*1000/float64(rep.Shipments), "delay-alerts/1000")
			b.ReportMetric(float64(rep.NaiveDelayAlerts)*1000/float64(rep.Shipments), "naive-delay-alerts/1000")
			b.ReportMetric(rep.FalseDelaysPer1000, "false-delays/1000")
			b.ReportMetric(rep.NaiveFalseDelaysPer1000, "naive-false-delays/1000")
		})
	}
}
