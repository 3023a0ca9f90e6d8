package messaging

import (
	"time"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// ShopRules applies the merchant's settings over the default message rules.
func ShopRules(s *storage.Shop) notify.Rules {
	r := notify.DefaultRules()
	st := s.Settings.V
	for trig, chans := range st.Channels {
		route := notify.Route{}
		for _, c := range chans {
			route.Channels = append(route.Channels, notify.Channel(c))
		}
		r.Routes[tracking.Trigger(trig)] = route
	}
	if st.DailyCap > 0 {
		r.MaxPer24h = st.DailyCap
	}
	if st.CallsPerWeek > 0 {
		r.MaxCallsPerWeek = st.CallsPerWeek
	}
	if start, ok := ParseClock(st.QuietStart); ok {
		if end, ok := ParseClock(st.QuietEnd); ok {
			r.Quiet = notify.QuietHours{Start: start, End: end}
		}
	}
	return r
}

// ParseClock reads a "15:04" time of day, as quiet hours are set, as the
// time since midnight; ok is false for anything else.
func ParseClock(s string) (d time.Duration, ok bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
}
