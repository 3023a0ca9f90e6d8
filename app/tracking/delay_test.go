package tracking

import (
	"testing"
	"time"
)

func TestDetectDelay(t *testing.T) {
	losAngeles, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	ups := CalendarFor("ups", "")
	carrierETA := func(latest string) ETA {
		return ETA{Window: Window{Earliest: ts(latest), Latest: ts(latest)}, Source: SourceCarrier}
	}
	priorETA := ETA{Window: Window{Earliest: ts("2026-11-23"), Latest: ts("2026-11-24")}, Source: SourcePrior}
	transit := func(lastScan string) State {
		return State{Stage: StageInTransit, LastEventAt: ts(lastScan)}
	}
	tests := []struct {
		name  string
		state State
		eta   ETA
		now   string
		dest  *time.Location
		want  Delay
	}{
		{
			name:  "friday scan then quiet weekend is not delayed",
			state: transit("2026-11-20 15:00"), eta: carrierETA("2026-11-27"), now: "2026-11-23 10:00",
			want: Delay{},
		},
		{
			name:  "one silent working day is not delayed",
			state: transit("2026-11-20 15:00"), eta: carrierETA("2026-11-27"), now: "2026-11-24 23:00",
			want: Delay{},
		},
		{
			name:  "two full silent working days is delayed",
			state: transit("2026-11-20 15:00"), eta: carrierETA("2026-11-27"), now: "2026-11-25 01:00",
			want: Delay{Delayed: true, Reason: DelaySilent, Since: ts("2026-11-25")},
		},
		{
			name:  "thanksgiving and the weekend are not silence",
			state: transit("2026-11-25 18:00"), eta: carrierETA("2026-11-30"), now: "2026-11-30 10:00",
			want: Delay{},
		},
		{
			name:  "still within the estimate day is not delayed",
			state: transit("2026-11-24 08:00"), eta: carrierETA("2026-11-24"), now: "2026-11-24 20:00",
			want: Delay{},
		},
		{
			name:  "the day after the estimate is delayed",
			state: transit("2026-11-24 08:00"), eta: carrierETA("2026-11-24"), now: "2026-11-25 00:30",
			want: Delay{Delayed: true, Reason: DelayETAPassed, Since: ts("2026-11-25")},
		},
		{
			name:  "in Los Angeles the estimate day lasts until local midnight",
			state: transit("2026-11-24 08:00"), eta: carrierETA("2026-11-24"), now: "2026-11-25 07:30", dest: losAngeles,
			want: Delay{},
		},
		{
			name:  "in Los Angeles the estimate is missed at local midnight",
			state: transit("2026-11-24 08:00"), eta: carrierETA("2026-11-24"), now: "2026-11-25 08:30", dest: losAngeles,
			want: Delay{Delayed: true, Reason: DelayETAPassed, Since: ts("2026-11-25 08:00")},
		},
		{
			name:  "in Tokyo the estimate is missed before UTC's day ends",
			state: transit("2026-11-24 08:00"), eta: carrierETA("2026-11-24"), now: "2026-11-24 16:00", dest: tokyo,
			want: Delay{Delayed: true, Reason: DelayETAPassed, Since: ts("2026-11-24 15:00")},
		},
		{
			name:  "a prior-only estimate gets two working days of grace",
			state: transit("2026-11-25 09:00"), eta: priorETA, now: "2026-11-27 20:00",
			want: Delay{},
		},
		{
			name:  "a prior-only estimate past its grace is delayed",
			state: transit("2026-11-25 09:00"), eta: priorETA, now: "2026-11-28 01:00",
			want: Delay{Delayed: true, Reason: DelayETAPassed, Since: ts("2026-11-28")},
		},
		{
			name:  "the earlier reason wins",
			state: transit("2026-11-16 09:00"), eta: carrierETA("2026-11-24"), now: "2026-11-26 09:00",
			want: Delay{Delayed: true, Reason: DelaySilent, Since: ts("2026-11-19")},
		},
		{
			name:  "a label never scanned is delayed once its estimate passed",
			state: State{Stage: StagePacked}, eta: carrierETA("2026-11-24"), now: "2026-11-26 09:00",
			want: Delay{Delayed: true, Reason: DelayETAPassed, Since: ts("2026-11-25")},
		},
		{
			name:  "a label never scanned without an estimate is not delayed",
			state: State{Stage: StagePacked}, now: "2026-12-26 09:00",
			want: Delay{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DetectDelay(tt.state, tt.eta, ts(tt.now), ups, DefaultSilenceLimit, tt.dest)
			if got != tt.want {
				t.Errorf("DetectDelay = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDetectDelayNeverFlagsFinishedOrWaitingShipments(t *testing.T) {
	ups := CalendarFor("ups", "")
	passed := ETA{Window: Window{Earliest: ts("2026-11-10"), Latest: ts("2026-11-10")}, Source: SourceCarrier}
	for _, stage := range []Stage{StageDelivered, StageReturned, StageReturning, StageAvailableForPickup} {
		s := State{Stage: stage, LastEventAt: ts("2026-11-09 10:00")}
		if got := DetectDelay(s, passed, ts("2026-11-30 10:00"), ups, DefaultSilenceLimit, nil); got.Delayed {
			t.Errorf("stage %s: DetectDelay = %+v, want not delayed", stage, got)
		}
	}
}

func TestNaiveStalled(t *testing.T) {
	friday := ts("2026-11-20 15:00")
	tests := []struct {
		name     string
		lastScan time.Time
		now      time.Time
		want     bool
	}{
		{"under the limit", friday, friday.Add(47 * time.Hour), false},
		{"over the limit, even on a weekend", friday, friday.Add(49 * time.Hour), true},
		{"no scan yet is not stalled", time.Time{}, friday, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NaiveStalled(tt.lastScan, tt.now, 48*time.Hour); got != tt.want {
				t.Errorf("NaiveStalled = %v, want %v", got, tt.want)
			}
		})
	}
}
