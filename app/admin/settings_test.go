package admin

import (
	"net/url"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

func TestParseSettingsAcceptsQuietHours(t *testing.T) {
	for _, tc := range []struct{ name, start, end string }{
		{"evening to morning", "21:00", "08:00"},
		{"past midnight", "00:30", "06:45"},
		{"both empty keeps the default", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, errs := parseSettings(url.Values{"quiet_start": {tc.start}, "quiet_end": {tc.end}}, storage.Settings{})
			if msg, ok := errs["quiet"]; ok || st.QuietStart != tc.start || st.QuietEnd != tc.end {
				t.Errorf("quiet %q–%q: error %q, stored %q–%q; want no error and both kept", tc.start, tc.end, msg, st.QuietStart, st.QuietEnd)
			}
		})
	}
}

func TestParseSettingsRejectsQuietHours(t *testing.T) {
	for _, tc := range []struct{ name, start, end string }{
		{"hour past 23", "25:00", "08:00"},
		{"minute past 59", "21:60", "08:00"},
		{"single-digit hour", "7:30", "21:00"},
		{"end missing", "21:00", ""},
		{"start missing", "", "08:00"},
		{"not a time", "evening", "morning"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, errs := parseSettings(url.Values{"quiet_start": {tc.start}, "quiet_end": {tc.end}}, storage.Settings{}); errs["quiet"] == "" {
				t.Errorf("quiet %q–%q accepted; want the HH:MM error", tc.start, tc.end)
			}
		})
	}
}

func TestParseSettingsProcessingTime(t *testing.T) {
	tests := []struct {
		name, days, label string
		wantDays          int
		wantErr           string // field with an error, or ""
	}{
		{"two days, own word", "2", "Hand-stitching", 2, ""},
		{"unset", "", "", 0, ""},
		{"too long a wait", "31", "", 31, "processing_days"},
		{"not a number", "soon", "", 0, "processing_days"},
		{"markup in the label", "1", "<b>Now</b>", 1, "processing_label"},
	}
	alerts, errs := parseSettings(url.Values{"not_shipped_alert_days": {"3"}, "label_idle_alert_days": {"40"}}, storage.Settings{})
	if alerts.NotShippedAlertDays != 3 || errs["label_idle_alert_days"] == "" || errs["not_shipped_alert_days"] != "" {
		t.Errorf("alert switches: not shipped %d, errors %v; want 3 kept and 40 refused", alerts.NotShippedAlertDays, errs)
	}
	for _, tt := range tests {
		st, errs := parseSettings(url.Values{"processing_days": {tt.days}, "processing_label": {tt.label}}, storage.Settings{})
		if st.ProcessingDays != tt.wantDays || (tt.wantErr == "") != (len(errs) == 0) || (tt.wantErr != "" && errs[tt.wantErr] == "") {
			t.Errorf("%s: days %d, errors %v; want %d and an error on %q", tt.name, st.ProcessingDays, errs, tt.wantDays, tt.wantErr)
		}
	}
}
