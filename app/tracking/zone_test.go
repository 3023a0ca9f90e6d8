package tracking

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones load as in the binary, whatever the machine has
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
		{"RU", "MOW", "Europe/Moscow"},
		{"RU", "", "Europe/Moscow"},
		{"RU", "RU-PRI", "Asia/Vladivostok"},
		{"RU", "KAM", "Asia/Kamchatka"},
		{"RU", "KGD", "Europe/Kaliningrad"},
		{"ID", "ID-PA", "Asia/Jayapura"},
		{"ID", "BA", "Asia/Makassar"},
		{"ID", "JK", "Asia/Jakarta"},
		{"ES", "ES-CN", "Atlantic/Canary"},
		{"ES", "M", "Europe/Madrid"},
		{"PT", "PT-20", "Atlantic/Azores"},
		{"PT", "30", "Atlantic/Madeira"},
		{"PT", "11", "Europe/Lisbon"},
		{"KZ", "ZAP", "Asia/Oral"},
		{"KZ", "KZ-27", "Asia/Oral"},
		{"NZ", "CIT", "Pacific/Chatham"},
		{"NZ", "AUK", "Pacific/Auckland"},
		{"EC", "W", "Pacific/Galapagos"},
		{"CD", "KN", "Africa/Kinshasa"},
		{"CD", "", "Africa/Kinshasa"},
		{"CD", "NK", "Africa/Lubumbashi"},
		{"SH", "", "Atlantic/St_Helena"},
		{"pn", "", "Pacific/Pitcairn"},
		{"FO", "", "Atlantic/Faroe"},
		{"NF", "", "Pacific/Norfolk"},
		{"AR", "X", "America/Argentina/Buenos_Aires"},
		{"AQ", "", ""}, // Antarctica's stations keep no one time
		{"BV", "", ""}, // uninhabited, no civil time
		{"XX", "", ""},
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

// A country in both tables would have its countryZones entry never read.
func TestCountryInOneTable(t *testing.T) {
	for c := range regionZones {
		if z, ok := countryZones[c]; ok {
			t.Errorf("%s is in regionZones and countryZones (%q)", c, z)
		}
	}
	for c, m := range regionZones {
		if m[""] == "" {
			t.Errorf("%s has no fallback zone", c)
		}
	}
}

func TestZoneOfTakesTheFirstKnownZone(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  string
	}{
		{"first known", []string{"Europe/Paris", "America/New_York"}, "Europe/Paris"},
		{"empty skipped", []string{"", "America/New_York"}, "America/New_York"},
		{"unknown skipped", []string{"Mars/Olympus", "Asia/Tokyo"}, "Asia/Tokyo"},
		{"machine zone is not a place", []string{"Local"}, "UTC"},
		{"none", nil, "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ZoneOf(tt.names...).String(); got != tt.want {
				t.Errorf("ZoneOf(%q) = %s; want %s", tt.names, got, tt.want)
			}
		})
	}
}

func TestShopperZonePrefersTheOrdersZone(t *testing.T) {
	tests := []struct{ order, shop, want string }{
		{"America/Chicago", "Europe/Berlin", "America/Chicago"},
		{"", "Europe/Berlin", "Europe/Berlin"},
		{"", "", "UTC"},
	}
	for _, tt := range tests {
		if got := ShopperZone(tt.order, tt.shop).String(); got != tt.want {
			t.Errorf("ShopperZone(%q, %q) = %s; want %s", tt.order, tt.shop, got, tt.want)
		}
	}
}

func TestRegionKeysALane(t *testing.T) {
	tests := []struct{ country, province, want string }{
		{"US", "CA", "US-CA"},
		{"DE", "", "DE"},
	}
	for _, tt := range tests {
		if got := Region(tt.country, tt.province); got != tt.want {
			t.Errorf("Region(%q, %q) = %q; want %q", tt.country, tt.province, got, tt.want)
		}
	}
}
