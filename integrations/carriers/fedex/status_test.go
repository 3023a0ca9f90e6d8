package fedex

import (
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// wantStatus is written from FedEx's status-code page independently of
// statusTable, as "stage/problem".
var wantStatus = map[string]string{
	"OC": "packed/", "OX": "packed/", "EP": "packed/", "DS": "packed/", "DR": "packed/", "AP": "packed/",
	"PD": "packed/delayed", "CA": "packed/exception",
	"RP": "packed/", "LP": "packed/", "RG": "packed/", "RD": "packed/",
	"PU": "shipped/", "PX": "shipped/",
	"AA": "in_transit/", "AC": "in_transit/", "AF": "in_transit/", "AR": "in_transit/", "AX": "in_transit/",
	"CH": "in_transit/", "DP": "in_transit/", "EA": "in_transit/", "EO": "in_transit/", "FD": "in_transit/",
	"IT": "in_transit/", "IX": "in_transit/", "LO": "in_transit/", "OF": "in_transit/", "OW": "in_transit/",
	"PF": "in_transit/", "PL": "in_transit/", "PM": "in_transit/", "SF": "in_transit/", "SP": "in_transit/",
	"TR": "in_transit/", "CC": "in_transit/", "CP": "in_transit/", "RR": "in_transit/", "RM": "in_transit/",
	"RC": "in_transit/",
	"DY": "in_transit/delayed", "DD": "in_transit/delayed", "CD": "in_transit/delayed",
	"DE": "in_transit/failed_attempt", "SE": "in_transit/exception",
	"OD": "out_for_delivery/", "ED": "out_for_delivery/", "AD": "out_for_delivery/",
	"HL": "available_for_pickup/", "HP": "available_for_pickup/",
	"DL": "delivered/", "RS": "returning/",
}

func TestStatusTableMapsEveryDocumentedCode(t *testing.T) {
	for key, m := range statusTable {
		want, ok := wantStatus[key]
		if !ok {
			t.Errorf("%s is mapped but has no expectation", key)
			continue
		}
		if got := string(m.Stage) + "/" + string(m.Problem); got != want {
			t.Errorf("%s maps to %s, want %s", key, got, want)
		}
		if !m.Stage.Valid() {
			t.Errorf("%s maps to invalid stage %q", key, m.Stage)
		}
	}
	for key := range wantStatus {
		if _, ok := statusTable[key]; !ok {
			t.Errorf("%s is documented but missing from statusTable", key)
		}
	}
}

func TestSafeStageNeverRegressesAfterPickup(t *testing.T) {
	tests := []struct{ last, want tracking.Stage }{
		{"", tracking.StagePacked},
		{tracking.StagePacked, tracking.StagePacked},
		{tracking.StageShipped, tracking.StageInTransit},
		{tracking.StageOutForDelivery, tracking.StageOutForDelivery},
		{tracking.StageReturning, tracking.StageReturning},
	}
	for _, tt := range tests {
		if got := safeStage(tt.last); got != tt.want {
			t.Errorf("safeStage(%q) = %q, want %q", tt.last, got, tt.want)
		}
	}
}
