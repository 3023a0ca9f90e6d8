package carrierhttp

import (
	"testing"
	"time"
)

func TestParseTimeKeepsZonelessTimesAsWallClock(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-25T09:30:00-05:00", time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)},
		{"2026-11-25T09:30:00Z", time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)},
		{"2026-11-25T09:30:00", time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)},
		{"2026-11-25", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{"", time.Time{}},
		{"25/11/2026", time.Time{}},
	}
	for _, tt := range tests {
		if got := ParseTime(tt.in); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
