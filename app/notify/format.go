package notify

import (
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
)

// Language reduces a BCP 47 locale ("fr-CA", "es_MX") to one of Locales,
// falling back to English, as the copy catalog does.
func Language(tag string) string { return locale.ForLocale(tag).Lang() }

// dateFormatter writes times in one shopper's language and time zone.
type dateFormatter struct {
	c   *locale.Catalog
	loc *time.Location
	tag string // the shopper's full locale ("es-MX"), for money
}

func newDateFormatter(tag, timeZone string) dateFormatter {
	loc, err := loadZone(timeZone)
	if err != nil || timeZone == "" {
		loc = time.UTC
	}
	return dateFormatter{c: locale.ForLocale(tag), loc: loc, tag: tag}
}

// formatter is the dateFormatter of d's shopper, boxed once for every
// part of a message.
func (d Data) formatter() any { return newDateFormatter(d.Customer.Locale, d.Customer.TimeZone) }

// zones caches the time zones messages were rendered in: loading one reads
// and parses the zone database, which cost more than rendering the message.
// Only zones that exist are kept, so the cache is bounded by the database.
var zones sync.Map // name → *time.Location

func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// format renders t in one of the named styles; unknown styles are the long date.
func (f dateFormatter) format(t time.Time, style string) string {
	t = t.In(f.loc)
	switch style {
	case "short":
		return f.c.ShortDate(t)
	case "time":
		return f.c.Clock(t)
	case "weekday":
		return f.c.Weekday(t)
	case "datetime":
		return f.c.DateTime(t)
	default:
		return f.c.Date(t)
	}
}

// windowStyles are eta_window's style arguments; anything else is "long".
// "long" and "short" stand alone ("Tue, Mar 3 – Thu, Mar 5"); "phrase" and
// "short_phrase" fit inside a sentence ("between Tuesday, March 3 and …").
var windowStyles = map[string]locale.WindowStyle{
	"long": locale.WindowLong, "short": locale.WindowShort,
	"phrase": locale.WindowPhrase, "short_phrase": locale.WindowShortPhrase,
}

// window renders a delivery estimate: one day, one day with hours (a carrier's
// delivery window on the day), or a range of days.
func (f dateFormatter) window(earliest, latest time.Time, style string) string {
	return f.c.Window(earliest, latest, f.loc, windowStyles[style])
}

// toTime accepts what a binding may hold for a time: time.Time, a pointer to
// one, or an RFC 3339 string (a merchant's {% assign %}).
func toTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t == nil {
			return time.Time{}, false
		}
		return *t, !t.IsZero()
	case string:
		p, err := time.Parse(time.RFC3339, t)
		return p, err == nil
	}
	return time.Time{}, false
}
