package messaging

import (
	"slices"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

func TestParseClockReadsHoursAndMinutes(t *testing.T) {
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"21:30", 21*time.Hour + 30*time.Minute, true},
		{"00:00", 0, true},
		{"07:05", 7*time.Hour + 5*time.Minute, true},
		{"", 0, false},
		{"25:00", 0, false},
		{"9pm", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseClock(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseClock(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// The merchant's settings replace the defaults they name and keep the rest.
func TestShopRulesApplyTheMerchantsSettings(t *testing.T) {
	def := notify.DefaultRules()
	tests := []struct {
		name      string
		settings  storage.Settings
		wantQuiet notify.QuietHours
		wantCap   int
		wantRoute []notify.Channel // of the shipped trigger
	}{
		{"defaults", storage.Settings{}, def.Quiet, def.MaxPer24h, def.Routes[tracking.TriggerShipped].Channels},
		{"quiet hours and cap", storage.Settings{QuietStart: "22:00", QuietEnd: "07:30", DailyCap: 2},
			notify.QuietHours{Start: 22 * time.Hour, End: 7*time.Hour + 30*time.Minute}, 2, def.Routes[tracking.TriggerShipped].Channels},
		{"half a quiet window keeps the default", storage.Settings{QuietStart: "22:00"}, def.Quiet, def.MaxPer24h, def.Routes[tracking.TriggerShipped].Channels},
		{"shipped by SMS only", storage.Settings{Channels: map[string][]string{string(tracking.TriggerShipped): {"sms"}}},
			def.Quiet, def.MaxPer24h, []notify.Channel{notify.ChannelSMS}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ShopRules(&storage.Shop{Settings: storage.JSON[storage.Settings]{V: tt.settings}})
			if r.Quiet != tt.wantQuiet {
				t.Errorf("quiet hours %+v; want %+v", r.Quiet, tt.wantQuiet)
			}
			if r.MaxPer24h != tt.wantCap {
				t.Errorf("daily cap %d; want %d", r.MaxPer24h, tt.wantCap)
			}
			if got := r.Routes[tracking.TriggerShipped].Channels; !slices.Equal(got, tt.wantRoute) {
				t.Errorf("shipped goes to %v; want %v", got, tt.wantRoute)
			}
		})
	}
}
