package admin

import "testing"

func TestPlaceLabel(t *testing.T) {
	tests := []struct{ region, country, want string }{
		{"CA", "US", "CA, US"},
		{"US-IL", "US", "IL, US"},
		{"GB", "GB", "GB"},
		{"", "DE", "DE"},
		{"US-CA", "", "CA, US"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := placeLabel(tt.region, tt.country); got != tt.want {
			t.Errorf("placeLabel(%q, %q) = %q; want %q", tt.region, tt.country, got, tt.want)
		}
	}
}
