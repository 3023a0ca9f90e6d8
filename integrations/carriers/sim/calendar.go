package sim

import "time"

// WorkingDay reports whether the simulated carrier scans parcels on t's date
// (in UTC): Monday to Friday, except the holidays below. Parcels sit still
// over weekends and holidays, so a "no scan for 48 hours" rule fires falsely
// on every long weekend; the simulation reproduces exactly that.
func WorkingDay(t time.Time) bool {
	t = t.UTC()
	switch t.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !holiday(t)
}

// holiday covers the US federal holidays parcel carriers observe plus
// Boxing Day: New Year, Memorial Day, Independence Day, Labor Day,
// Thanksgiving, Christmas.
func holiday(t time.Time) bool {
	m, d := t.Month(), t.Day()
	switch {
	case m == time.January && d == 1,
		m == time.July && d == 4,
		m == time.December && (d == 25 || d == 26):
		return true
	case m == time.May && t.Weekday() == time.Monday && d > 24: // last Monday
		return true
	case m == time.September && t.Weekday() == time.Monday && d <= 7: // first Monday
		return true
	case m == time.November && t.Weekday() == time.Thursday && d >= 22 && d <= 28: // fourth Thursday
		return true
	}
	return false
}

// day truncates t to midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addWorkingDays returns the n-th working day after d (n >= 1), or d itself
// when n is 0.
func addWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if WorkingDay(d) {
			n--
		}
	}
	return d
}
