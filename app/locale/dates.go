package locale

import (
	"strconv"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Date formats t's calendar day in the language's long form ("Tuesday,
// May 5", "martes, 5 de mayo").
func (c *Catalog) Date(t time.Time) string {
	return c.days.get(dayLong, t, c.date)
}

func (c *Catalog) date(t time.Time) string {
	return c.T("date.long",
		"weekday", c.Weekday(t),
		"wd", c.T(wdKeys[t.Weekday()]),
		"month", c.T(monthKeys[t.Month()]),
		"mon", c.T(monKeys[t.Month()]),
		"day", c.day(t),
		"year", strconv.Itoa(t.Year()))
}

// ShortDate formats t's day compactly ("Tue, May 5"), for timelines and
// SMS.
func (c *Catalog) ShortDate(t time.Time) string {
	return c.days.get(dayShort, t, c.shortDate)
}

func (c *Catalog) shortDate(t time.Time) string {
	return c.T("date.short",
		"wd", c.T(wdKeys[t.Weekday()]),
		"mon", c.T(monKeys[t.Month()]),
		"day", c.day(t),
		"year", strconv.Itoa(t.Year()))
}

// YearDate formats t's day with the year ("May 5, 2026"), for the order
// date.
func (c *Catalog) YearDate(t time.Time) string {
	return c.T("date.year",
		"month", c.T(monthKeys[t.Month()]),
		"day", c.day(t),
		"year", strconv.Itoa(t.Year()))
}

// Weekday names t's day of the week ("Tuesday").
func (c *Catalog) Weekday(t time.Time) string {
	return c.T(weekdayKeys[t.Weekday()])
}

// Clock formats t's time of day in the language's one clock style: "3:04 PM",
// "15:04", "15 h 04", "15:04 Uhr".
func (c *Catalog) Clock(t time.Time) string {
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	return c.T("time",
		"H", strconv.Itoa(t.Hour()),
		"h", strconv.Itoa(h12),
		"mm", t.Format("04"),
		"ampm", t.Format("PM"))
}

// DateTime is the long date and the clock ("Tuesday, May 5, 3:04 PM").
func (c *Catalog) DateTime(t time.Time) string { return c.Date(t) + ", " + c.Clock(t) }

// day is the day of the month, with the language's form for the 1st where
// it has one (French "1er").
func (c *Catalog) day(t time.Time) string {
	if s, ok := c.lookup(dayKeys[t.Day()]); ok {
		return s
	}
	return strconv.Itoa(t.Day())
}

// dayMemo keeps a catalog's recently written days: every message and page
// writes the same few (today, the estimate's), each costing a dozen
// lookups. It starts over past maxDays entries.
type dayMemo struct {
	mu sync.Mutex
	m  map[int64]string
}

const (
	dayLong = iota
	dayShort
	maxDays = 4096
)

func (d *dayMemo) get(style int64, t time.Time, write func(time.Time) string) string {
	y, m, day := t.Date()
	key := style<<40 | int64(y)<<16 | int64(m)<<8 | int64(day)
	d.mu.Lock()
	s, ok := d.m[key]
	d.mu.Unlock()
	if ok {
		return s
	}
	s = write(t)
	d.mu.Lock()
	if d.m == nil || len(d.m) >= maxDays {
		d.m = make(map[int64]string)
	}
	d.m[key] = s
	d.mu.Unlock()
	return s
}

// The catalog keys of weekdays, months and days, by number, so formatting a
// date builds no key.
var (
	weekdayKeys = numbered("weekday.", 0, 6)
	wdKeys      = numbered("wd.", 0, 6)
	monthKeys   = numbered("month.", 0, 12) // [0] unused: months count from 1
	monKeys     = numbered("mon.", 0, 12)
	dayKeys     = numbered("day.", 0, 31)
)

func numbered(prefix string, from, to int) []string {
	out := make([]string, to+1)
	for i := from; i <= to; i++ {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

// WindowStyle chooses how Window writes a delivery estimate.
type WindowStyle int

const (
	// WindowLong stands alone with long dates: "Tuesday, March 3 – Thursday,
	// March 5"; a window within one day shows its hours.
	WindowLong WindowStyle = iota
	// WindowShort is WindowLong with short dates ("Tue, Mar 3 – Thu, Mar 5").
	WindowShort
	// WindowPhrase fits inside a sentence: "on Tuesday, March 3", "between
	// Tuesday, March 3 and Thursday, March 5".
	WindowPhrase
	// WindowShortPhrase is WindowPhrase with short dates.
	WindowShortPhrase
	// WindowDays names days only, long: a window within one day is that day.
	// The tracking page uses it, where the hours would promise too much.
	WindowDays
)

// Window renders a delivery estimate in loc: one day, one day with hours (a
// carrier's window on the day), or a range of days. Either end may be zero
// (the other is used); both zero is "".
func (c *Catalog) Window(earliest, latest time.Time, loc *time.Location, style WindowStyle) string {
	if earliest.IsZero() {
		earliest = latest
	}
	if latest.IsZero() {
		latest = earliest
	}
	if earliest.IsZero() {
		return ""
	}
	day := c.Date
	if style == WindowShort || style == WindowShortPhrase {
		day = c.ShortDate
	}
	phrase := style == WindowPhrase || style == WindowShortPhrase
	e, l := tracking.EstimateIn(earliest, loc), tracking.EstimateIn(latest, loc)
	sameDay := e.Year() == l.Year() && e.YearDay() == l.YearDay()
	wholeDay := style == WindowDays || e.Equal(l) ||
		atMidnight(e) && (atMidnight(l) || l.Hour() == 23 && l.Minute() == 59)
	switch {
	case sameDay && wholeDay && phrase:
		return c.T("window.on", "day", day(e))
	case sameDay && wholeDay:
		return day(e)
	case sameDay && phrase:
		return c.T("window.on_hours", "day", day(e), "from", c.Clock(e), "to", c.Clock(l))
	case sameDay:
		return c.T("window.hours", "day", day(e), "from", c.Clock(e), "to", c.Clock(l))
	case phrase:
		return c.T("window.between", "from", day(e), "to", day(l))
	}
	return c.T("window.range", "from", day(e), "to", day(l))
}

func atMidnight(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 }
