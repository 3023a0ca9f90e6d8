package tracking

import (
	"testing"
	"time"
)

func TestDestinationZone(t *testing.T) {
	tests := []struct {
		country, region, want string
	}{
		{"US", "CA", "America/Los_Angeles"},
		{"US", "US-NY", "America/New_York"},
		{"us", "tx", "America/Chicago"},
		{"US", "AZ", "America/Phoenix"},
		{"US", "", "America/New_York"},
		{"CA", "BC", "America/Vancouver"},
		{"AU", "WA", "Australia/Perth"},
		{"MX", "ROO", "America/Cancun"},
		{"MX", "JAL", "America/Mexico_City"},
		{"DE", "BY", "Europe/Berlin"},
		{"GB", "", "Europe/London"},
		{"JP", "13", "Asia/Tokyo"},
		{"RU", "MOW", ""}, // eleven zones and no table: the caller decides
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := DestinationZone(tt.country, tt.region); got != tt.want {
			t.Errorf("DestinationZone(%q, %q) = %q; want %q", tt.country, tt.region, got, tt.want)
		}
	}
}

func TestEveryDestinationZoneLoads(t *testing.T) {
	zones := map[string]bool{}
	for _, z := range countryZones {
		zones[z] = true
	}
	for _, m := range regionZones {
		for _, z := range m {
			zones[z] = true
		}
	}
	for z := range zones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("zone %q does not load: %v", z, err)
		}
	}
}
