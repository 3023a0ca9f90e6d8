package usps

import "testing"

// wantStatus is written from Publication 199 independently of statusTable, as
// "stage/problem".
var wantStatus = map[string]string{
	"GX": "packed/", "MA": "packed/",
	"03": "shipped/", "TM": "shipped/", "PA": "shipped/",
	"06": "in_transit/", "07": "in_transit/", "10": "in_transit/", "PC": "in_transit/", "EF": "in_transit/",
	"SF": "in_transit/", "80": "in_transit/", "81": "in_transit/", "82": "in_transit/",
	"08": "in_transit/delayed", "71": "in_transit/delayed", "DX": "in_transit/delayed",
	"OF": "out_for_delivery/", "14": "available_for_pickup/", "16": "available_for_pickup/",
	"01": "delivered/", "17": "delivered/", "43": "delivered/",
	"02": "in_transit/failed_attempt", "30": "in_transit/failed_attempt", "51": "in_transit/failed_attempt",
	"52": "in_transit/failed_attempt", "53": "in_transit/failed_attempt", "54": "in_transit/failed_attempt",
	"55": "in_transit/failed_attempt", "56": "in_transit/failed_attempt",
	"04": "in_transit/exception", "05": "in_transit/action_required",
	"09": "returning/", "44": "returning/",
	"21": "returning/exception", "22": "returning/exception", "23": "returning/exception", "24": "returning/exception",
	"25": "returning/exception", "26": "returning/exception", "27": "returning/exception", "28": "returning/exception",
	"29": "returning/exception", "31": "returning/exception",
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
