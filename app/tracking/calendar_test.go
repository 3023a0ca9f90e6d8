package tracking

import (
	"testing"
	"time"
)

// ts parses a UTC test timestamp literal ("2026-11-20 15:00" or "2026-11-20").
func ts(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	panic("bad test timestamp " + s)
}

func TestCalendarWorkingDays(t *testing.T) {
	tests := []struct {
		name    string
		cal     Calendar
		day     string
		working bool
	}{
		{"ups works on a Friday", CalendarFor("ups", ""), "2026-11-20", true},
		{"ups does not work Saturday", CalendarFor("ups", ""), "2026-11-21", false},
		{"usps delivers Saturday", CalendarFor("usps", ""), "2026-11-21", true},
		{"usps does not work Sunday", CalendarFor("usps", ""), "2026-11-22", false},
		{"fedex home delivery works Saturday", CalendarFor("fedex", "FEDEX_HOME_DELIVERY"), "2026-11-21", true},
		{"fedex ground does not work Saturday", CalendarFor("FedEx", "FEDEX_GROUND"), "2026-11-21", false},
		{"ups closed on Thanksgiving", CalendarFor("ups", ""), "2026-11-26", false},
		{"ups open the day after Thanksgiving", CalendarFor("ups", ""), "2026-11-27", true},
		{"ups closed on Christmas", CalendarFor("ups", ""), "2026-12-25", false},
		{"ups closed on Memorial Day", CalendarFor("ups", ""), "2026-05-25", false},
		{"ups closed on Labor Day", CalendarFor("ups", ""), "2026-09-07", false},
		{"ups closed on observed Independence Day (Friday before a Saturday 4th)", CalendarFor("ups", ""), "2026-07-03", false},
		{"usps closed on a Saturday Independence Day", CalendarFor("usps", ""), "2026-07-04", false},
		{"usps closed on MLK Day", CalendarFor("usps", ""), "2026-01-19", false},
		{"ups open on MLK Day", CalendarFor("ups", ""), "2026-01-19", true},
		{"usps closed on observed New Year in the previous year", CalendarFor("usps", ""), "2027-12-31", false},
		{"dhl closed on Good Friday", CalendarFor("dhl", ""), "2026-04-03", false},
		{"dhl closed on Labour Day", CalendarFor("dhl", ""), "2026-05-01", false},
		{"dhl paket closed on German Unity Day", CalendarFor("dhl_paket", ""), "2026-10-03", false},
		{"dhl closed on Whit Monday", CalendarFor("dhl", ""), "2026-05-25", false},
		{"royal mail closed on summer bank holiday", CalendarFor("royal_mail", ""), "2026-08-31", false},
		{"royal mail closed on substitute Boxing Day", CalendarFor("royal_mail", ""), "2027-12-28", false},
		{"royal mail closed on substitute Christmas", CalendarFor("royal_mail", ""), "2027-12-27", false},
		{"colissimo closed on Bastille Day", CalendarFor("colissimo", ""), "2026-07-14", false},
		{"unknown carrier works weekdays", CalendarFor("acme", ""), "2026-11-26", true},
		{"unknown carrier rests on Sunday", CalendarFor("acme", ""), "2026-11-22", false},
		{"zero calendar works every day", Calendar{}, "2026-11-22", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.IsWorkingDay(ts(tt.day)); got != tt.working {
				t.Errorf("IsWorkingDay(%s) on %s = %v, want %v", tt.day, tt.cal.Name, got, tt.working)
			}
		})
	}
}

func TestAddBusinessDaysSkipsWeekendsAndHolidays(t *testing.T) {
	tests := []struct {
		name string
		cal  Calendar
		from string
		n    int
		want string
	}{
		{"friday plus one is monday", CalendarFor("ups", ""), "2026-11-20 15:00", 1, "2026-11-23 15:00"},
		{"saturday plus one is monday", CalendarFor("ups", ""), "2026-11-21 09:00", 1, "2026-11-23 09:00"},
		{"usps friday plus one is saturday", CalendarFor("usps", ""), "2026-11-20", 1, "2026-11-21"},
		{"thanksgiving is skipped", CalendarFor("ups", ""), "2026-11-25", 1, "2026-11-27"},
		{"christmas and the weekend are skipped", CalendarFor("ups", ""), "2026-12-24", 1, "2026-12-28"},
		{"zero days is the same time", CalendarFor("ups", ""), "2026-11-21 09:00", 0, "2026-11-21 09:00"},
		{"a week of business days", CalendarFor("ups", ""), "2026-11-16", 5, "2026-11-23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.AddBusinessDays(ts(tt.from), tt.n); !got.Equal(ts(tt.want)) {
				t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	ups := CalendarFor("ups", "")
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"friday to monday is one", "2026-11-20 18:00", "2026-11-23 08:00", 1},
		{"monday to friday is four", "2026-11-16", "2026-11-20", 4},
		{"same day is zero", "2026-11-20 01:00", "2026-11-20 23:00", 0},
		{"backwards is negative", "2026-11-23", "2026-11-20", -1},
		{"across thanksgiving", "2026-11-25", "2026-11-30", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ups.BusinessDaysBetween(ts(tt.a), ts(tt.b)); got != tt.want {
				t.Errorf("BusinessDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestBusinessDaysBetweenInvertsAddBusinessDays(t *testing.T) {
	for _, carrier := range []string{"ups", "usps", "dhl", "royal_mail", "colissimo"} {
		cal := CalendarFor(carrier, "")
		for start := ts("2026-12-20"); start.Before(ts("2027-01-10")); start = start.AddDate(0, 0, 1) {
			for n := range 8 {
				end := cal.AddBusinessDays(start, n)
				if got := cal.BusinessDaysBetween(start, end); got != n {
					t.Fatalf("%s: BusinessDaysBetween(%s, AddBusinessDays(%d)=%s) = %d", carrier, start, n, end, got)
				}
			}
		}
	}
}

func TestEasterSunday(t *testing.T) {
	for year, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28"} {
		if got := easterSunday(year); !got.Equal(ts(want)) {
			t.Errorf("easterSunday(%d) = %s, want %s", year, got.Format(time.DateOnly), want)
		}
	}
}

func TestNextWorkingMorningSkipsWeekend(t *testing.T) {
	ups := CalendarFor("ups", "")
	got := ups.NextWorkingMorning(ts("2026-11-20 22:00"))
	if want := ts("2026-11-23 13:00"); !got.Equal(want) {
		t.Errorf("NextWorkingMorning(Friday night) = %s, want %s", got, want)
	}
}
