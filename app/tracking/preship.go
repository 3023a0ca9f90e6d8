package tracking

import "time"

// storeWeek is the working week a store's processing time counts in.
var storeWeek = Calendar{Name: "store", Workdays: monFri}

// ShipBy is the day an order placed at placed should ship by, when the
// store takes processingDays working days (Monday to Friday) to prepare an
// order; zero without a processing time.
func ShipBy(placed time.Time, processingDays int) time.Time {
	if processingDays <= 0 || placed.IsZero() {
		return time.Time{}
	}
	d := storeWeek.AddBusinessDays(placed.UTC(), processingDays)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// WorkingDaysSince counts the store's working days from since to now.
func WorkingDaysSince(since, now time.Time) int {
	return storeWeek.BusinessDaysBetween(since.UTC(), now.UTC())
}

// Line is a quantity of one order line: what an order still has, or what a
// parcel carries.
type Line struct {
	ID       string
	Title    string
	Variant  string
	Quantity int
}

// Unshipped is what of the order's lines no parcel carries yet. Parcels
// that do not say what they carry leave nothing known to be unshipped: the
// page must not claim items are missing when the store never said. Lines
// match by ID, else by title and variant.
func Unshipped(order []Line, parcels [][]Line) []Line {
	if len(parcels) == 0 {
		return nil
	}
	shipped := map[string]int{}
	for _, p := range parcels {
		if len(p) == 0 {
			return nil
		}
		for _, l := range p {
			shipped[l.key()] += l.Quantity
		}
	}
	var out []Line
	for _, l := range order {
		k := l.key()
		left := l.Quantity - shipped[k]
		shipped[k] = max(0, -left)
		if left > 0 {
			l.Quantity = left
			out = append(out, l)
		}
	}
	return out
}

func (l Line) key() string {
	if l.ID != "" {
		return l.ID
	}
	return l.Title + "\x00" + l.Variant
}

// Overdue reports whether more than days of the store's working days have
// passed since since: the point a pre-shipment alert fires. Zero days is
// the merchant's switch off.
func Overdue(since, now time.Time, days int) bool {
	return days > 0 && WorkingDaysSince(since, now) >= days
}

// OverdueSince is the latest time something may have started and be
// overdue by now: the cutoff a query can use before Overdue decides.
func OverdueSince(now time.Time, days int) time.Time {
	return now.AddDate(0, 0, -days)
}
