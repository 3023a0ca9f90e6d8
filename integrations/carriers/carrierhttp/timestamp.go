package carrierhttp

import "time"

// ParseTime reads an ISO 8601 time the way FedEx, DHL and AfterShip send
// them: with an offset it is converted to UTC; without one (the scan's local
// wall clock) or as a bare date it is kept as a UTC wall-clock value, because
// the carrier gives no zone to convert from. Anything else is the zero time.
func ParseTime(s string) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
