package tracking

import (
	"strings"
	"sync"
	"time"
)

// HolidaySet names a family of public holidays a carrier does not work on.
// Holidays are computed per year (fixed dates, nth-weekday rules, Easter), so
// a calendar never needs a yearly table update.
type HolidaySet string

// The holiday sets.
const (
	HolidaysNone HolidaySet = ""
	// HolidaysUSFederal is all eleven US federal holidays, observed the
	// federal way (Saturday → Friday, Sunday → Monday). USPS closes on these.
	HolidaysUSFederal HolidaySet = "us_federal"
	// HolidaysUSParcel is the six holidays UPS and FedEx close on: New Year,
	// Memorial Day, Independence Day, Labor Day, Thanksgiving, Christmas.
	HolidaysUSParcel HolidaySet = "us_parcel"
	HolidaysGB       HolidaySet = "gb" // England & Wales bank holidays
	HolidaysDE       HolidaySet = "de" // German national holidays
	HolidaysFR       HolidaySet = "fr" // French public holidays
)

// Calendar says on which days a carrier scans and delivers. Dates are read in
// the location of the time passed in; ordertrack stores UTC, which is close
// enough for day-level decisions.
type Calendar struct {
	Name string `json:"name"`
	// Workdays is indexed by time.Weekday.
	Workdays [7]bool    `json:"workdays"`
	Holidays HolidaySet `json:"holidays"`
	// MorningUTC is the hour (UTC) by which the carrier's overnight scans are
	// visible; polling that skipped a non-working day resumes then.
	MorningUTC int `json:"morning_utc"`
	// ScanFrom and ScanUntil bound the time of day (UTC, since midnight) in
	// which the carrier's facilities scan parcels, ScanFrom < ScanUntil; the
	// rest of the day is quiet, and NextPoll spends no polls there. Both
	// zero means around the clock, which is what big networks do and the
	// safe default.
	ScanFrom  time.Duration `json:"scan_from,omitempty"`
	ScanUntil time.Duration `json:"scan_until,omitempty"`
}

var (
	monFri = [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}
	monSat = [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true, time.Saturday: true}
)

// CalendarFor returns the working-day calendar of a carrier (its package
// name, e.g. "ups") and service. Unknown carriers get Monday–Friday without
// holidays: counting a holiday as a working day errs towards polling once
// more, never towards skipping a delivery day.
func CalendarFor(carrier, service string) Calendar {
	c := strings.ToLower(carrier)
	svc := strings.ToLower(service)
	switch c {
	case "usps":
		return Calendar{Name: "usps", Workdays: monSat, Holidays: HolidaysUSFederal, MorningUTC: 13}
	case "ups":
		return Calendar{Name: "ups", Workdays: monFri, Holidays: HolidaysUSParcel, MorningUTC: 13}
	case "fedex":
		// FedEx Home Delivery and Ground Economy deliver on Saturdays.
		if strings.Contains(svc, "home") || strings.Contains(svc, "economy") {
			return Calendar{Name: "fedex", Workdays: monSat, Holidays: HolidaysUSParcel, MorningUTC: 13}
		}
		return Calendar{Name: "fedex", Workdays: monFri, Holidays: HolidaysUSParcel, MorningUTC: 13}
	case "sim":
		// The simulated carrier keeps its clock in UTC: vans leave 07:00, and
		// its hubs scan from 00:30 to 22:00.
		return Calendar{Name: "sim", Workdays: monFri, Holidays: HolidaysUSParcel, MorningUTC: 7,
			ScanFrom: 30 * time.Minute, ScanUntil: 22 * time.Hour}
	case "dhl", "dhl_express":
		return Calendar{Name: "dhl", Workdays: monFri, Holidays: HolidaysDE, MorningUTC: 6}
	case "dhl_paket", "deutsche_post", "hermes":
		return Calendar{Name: c, Workdays: monSat, Holidays: HolidaysDE, MorningUTC: 6}
	case "royal_mail", "royalmail":
		return Calendar{Name: "royal_mail", Workdays: monSat, Holidays: HolidaysGB, MorningUTC: 7}
	case "evri", "parcelforce", "dpd_uk":
		return Calendar{Name: c, Workdays: monFri, Holidays: HolidaysGB, MorningUTC: 7}
	case "la_poste", "laposte", "colissimo", "chronopost":
		return Calendar{Name: c, Workdays: monFri, Holidays: HolidaysFR, MorningUTC: 6}
	}
	return Calendar{Name: "default", Workdays: monFri, Holidays: HolidaysNone, MorningUTC: 13}
}

// IsWorkingDay reports whether the carrier scans and delivers on t's date. A
// calendar without any workday (the zero value) works every day, so no
// caller can loop forever looking for a working day.
func (c Calendar) IsWorkingDay(t time.Time) bool {
	if c.Workdays == [7]bool{} {
		return !c.IsHoliday(t)
	}
	return c.Workdays[t.Weekday()] && !c.IsHoliday(t)
}

// IsHoliday reports whether t's date is one of the calendar's holidays.
func (c Calendar) IsHoliday(t time.Time) bool {
	if c.Holidays == HolidaysNone {
		return false
	}
	y, m, d := t.Date()
	return c.Holidays.mask(y).has(m, d)
}

// holidayMask holds a year's holidays as one bit per day of each month.
type holidayMask [13]uint32

func (hm holidayMask) has(m time.Month, d int) bool { return hm[m]&(1<<d) != 0 }

type maskKey struct {
	set  HolidaySet
	year int
}

// holidayMasks memoises HolidaySet.Dates per year: delay checks and replays
// ask about thousands of days, and the dates of a year never change.
var holidayMasks sync.Map // maskKey → holidayMask

func (h HolidaySet) mask(year int) holidayMask {
	key := maskKey{h, year}
	if v, ok := holidayMasks.Load(key); ok {
		return v.(holidayMask)
	}
	var hm holidayMask
	// Next year's list too: a New Year's Day on a Saturday is observed on
	// 31 December of this year.
	for _, t := range append(h.Dates(year), h.Dates(year+1)...) {
		if t.Year() == year {
			hm[t.Month()] |= 1 << t.Day()
		}
	}
	holidayMasks.Store(key, hm)
	return hm
}

// AddBusinessDays returns t moved forward by n of the carrier's working days,
// keeping the clock time: Friday + 1 is Monday, Saturday + 1 is Monday, and
// n ≤ 0 returns t unchanged.
func (c Calendar) AddBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkingDay(t) {
			n--
		}
	}
	return t
}

// BusinessDaysBetween counts the working days after a's date up to and
// including b's date, so BusinessDaysBetween(t, AddBusinessDays(t, n)) == n.
// It is negative when b is before a.
func (c Calendar) BusinessDaysBetween(a, b time.Time) int {
	da, db := dayStart(a), dayStart(b.In(a.Location()))
	if db.Before(da) {
		return -c.BusinessDaysBetween(b, a)
	}
	n := 0
	for d := da.AddDate(0, 0, 1); !d.After(db); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// quiet reports whether t falls outside the calendar's scan hours and, if
// so, when that quiet spell began and when scanning resumes. It ignores
// working days: a weekend's quiet spells are quiet too, and NextPoll skips
// non-working days separately.
func (c Calendar) quiet(t time.Time) (began, resumes time.Time, ok bool) {
	if c.ScanUntil <= c.ScanFrom {
		return time.Time{}, time.Time{}, false
	}
	day := dayStart(t.UTC())
	switch since := t.UTC().Sub(day); {
	case since >= c.ScanUntil:
		return day.Add(c.ScanUntil), day.AddDate(0, 0, 1).Add(c.ScanFrom), true
	case since < c.ScanFrom:
		return day.AddDate(0, 0, -1).Add(c.ScanUntil), day.Add(c.ScanFrom), true
	}
	return time.Time{}, time.Time{}, false
}

// NextWorkingMorning returns the first working day strictly after t's date at
// the calendar's morning hour (UTC).
func (c Calendar) NextWorkingMorning(t time.Time) time.Time {
	d := dayStart(t.UTC()).AddDate(0, 0, 1)
	for !c.IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d.Add(time.Duration(c.MorningUTC) * time.Hour)
}

// Dates lists the set's holidays in a year, observed dates included.
func (h HolidaySet) Dates(year int) []time.Time {
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	easter := easterSunday(year)
	switch h {
	case HolidaysUSFederal:
		return withUSObserved([]time.Time{
			day(time.January, 1),
			nthWeekday(year, time.January, time.Monday, 3),  // Martin Luther King Jr. Day
			nthWeekday(year, time.February, time.Monday, 3), // Washington's Birthday
			lastWeekday(year, time.May, time.Monday),        // Memorial Day
			day(time.June, 19),                              // Juneteenth
			day(time.July, 4),
			nthWeekday(year, time.September, time.Monday, 1),  // Labor Day
			nthWeekday(year, time.October, time.Monday, 2),    // Columbus Day
			day(time.November, 11),                            // Veterans Day
			nthWeekday(year, time.November, time.Thursday, 4), // Thanksgiving
			day(time.December, 25),
		})
	case HolidaysUSParcel:
		return withUSObserved([]time.Time{
			day(time.January, 1),
			lastWeekday(year, time.May, time.Monday),
			day(time.July, 4),
			nthWeekday(year, time.September, time.Monday, 1),
			nthWeekday(year, time.November, time.Thursday, 4),
			day(time.December, 25),
		})
	case HolidaysGB:
		out := withGBSubstitutes([]time.Time{day(time.January, 1)})
		out = append(out,
			easter.AddDate(0, 0, -2), easter.AddDate(0, 0, 1),
			nthWeekday(year, time.May, time.Monday, 1), lastWeekday(year, time.May, time.Monday),
			lastWeekday(year, time.August, time.Monday))
		return append(out, withGBSubstitutes([]time.Time{day(time.December, 25), day(time.December, 26)})...)
	case HolidaysDE:
		return []time.Time{
			day(time.January, 1), easter.AddDate(0, 0, -2), easter.AddDate(0, 0, 1), day(time.May, 1),
			easter.AddDate(0, 0, 39), easter.AddDate(0, 0, 50), day(time.October, 3),
			day(time.December, 25), day(time.December, 26),
		}
	case HolidaysFR:
		return []time.Time{
			day(time.January, 1), easter.AddDate(0, 0, 1), day(time.May, 1), day(time.May, 8),
			easter.AddDate(0, 0, 39), easter.AddDate(0, 0, 50), day(time.July, 14), day(time.August, 15),
			day(time.November, 1), day(time.November, 11), day(time.December, 25),
		}
	}
	return nil
}

// withUSObserved adds the federal observed day of each holiday that falls on a
// weekend (Saturday → Friday before, Sunday → Monday after); the actual date
// stays in the list because six-day carriers close on it too.
func withUSObserved(days []time.Time) []time.Time {
	out := append([]time.Time(nil), days...)
	for _, d := range days {
		switch d.Weekday() {
		case time.Saturday:
			out = append(out, d.AddDate(0, 0, -1))
		case time.Sunday:
			out = append(out, d.AddDate(0, 0, 1))
		}
	}
	return out
}

// withGBSubstitutes adds the substitute weekday for each bank holiday that
// falls on a weekend, taking the next weekday no other holiday in the group
// already uses (Christmas on Saturday → Monday 27th, Boxing Day → Tuesday 28th).
func withGBSubstitutes(days []time.Time) []time.Time {
	out := append([]time.Time(nil), days...)
	taken := map[time.Time]bool{}
	for _, d := range days {
		taken[d] = true
	}
	for _, d := range days {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			continue
		}
		s := d.AddDate(0, 0, 1)
		for s.Weekday() == time.Saturday || s.Weekday() == time.Sunday || taken[s] {
			s = s.AddDate(0, 0, 1)
		}
		taken[s] = true
		out = append(out, s)
	}
	return out
}

// easterSunday computes Western Easter with the anonymous Gregorian algorithm.
func easterSunday(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	d := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, (int(wd)-int(d.Weekday())+7)%7)
	return d.AddDate(0, 0, 7*(n-1))
}

func lastWeekday(y int, m time.Month, wd time.Weekday) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) - int(wd) + 7) % 7))
}

// dayStart truncates t to midnight in its own location.
func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// dayKey renders t's UTC date, the form used in trigger keys.
func dayKey(t time.Time) string { return t.UTC().Format(time.DateOnly) }
