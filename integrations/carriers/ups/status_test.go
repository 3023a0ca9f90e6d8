package ups

import (
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

// wantStatus is written from the UPS appendix independently of statusTable, as
// "stage/problem", so a slip in either table shows up as a difference.
var wantStatus = map[string]string{
	"statusCode:003": "packed/", "statusCode:007": "packed/exception", "statusCode:000": "packed/",
	"statusCode:038": "shipped/",
	"statusCode:005": "in_transit/", "statusCode:010": "in_transit/", "statusCode:025": "in_transit/",
	"statusCode:039": "in_transit/", "statusCode:047": "in_transit/", "statusCode:087": "in_transit/",
	"statusCode:012": "in_transit/", "statusCode:092": "in_transit/", "statusCode:014": "in_transit/",
	"statusCode:084": "in_transit/", "statusCode:134": "in_transit/",
	"statusCode:006": "out_for_delivery/", "statusCode:021": "out_for_delivery/", "statusCode:037": "out_for_delivery/",
	"statusCode:089": "out_for_delivery/", "statusCode:091": "out_for_delivery/", "statusCode:072": "out_for_delivery/",
	"statusCode:078": "out_for_delivery/",
	"statusCode:011": "delivered/", "statusCode:026": "delivered/",
	"statusCode:017": "available_for_pickup/", "statusCode:040": "available_for_pickup/",
	"statusCode:013": "in_transit/exception", "statusCode:064": "in_transit/exception", "statusCode:069": "in_transit/exception",
	"statusCode:059": "in_transit/exception", "statusCode:068": "in_transit/exception",
	"statusCode:029": "in_transit/action_required", "statusCode:050": "in_transit/action_required",
	"statusCode:058": "in_transit/action_required", "statusCode:062": "in_transit/action_required",
	"statusCode:049": "in_transit/action_required",
	"statusCode:022": "in_transit/failed_attempt", "statusCode:023": "in_transit/failed_attempt",
	"statusCode:024": "in_transit/failed_attempt", "statusCode:060": "in_transit/failed_attempt",
	"statusCode:061": "in_transit/failed_attempt",
	"statusCode:032": "in_transit/delayed", "statusCode:046": "in_transit/delayed", "statusCode:048": "in_transit/delayed",
	"statusCode:086": "in_transit/delayed", "statusCode:090": "in_transit/delayed", "statusCode:051": "in_transit/delayed",
	"statusCode:052": "in_transit/delayed", "statusCode:053": "in_transit/delayed", "statusCode:055": "in_transit/delayed",
	"statusCode:033": "returning/", "statusCode:035": "returning/", "statusCode:036": "returning/",
	"statusCode:034": "returned/", "statusCode:067": "returned/",
	"code:DP": "packed/", "code:MP": "packed/", "code:RD": "packed/", "code:VP": "packed/exception",
	"code:PX": "in_transit/", "code:UP": "in_transit/", "code:UT": "in_transit/", "code:RS": "returning/",
	"type:M": "packed/", "type:MV": "packed/exception", "type:P": "shipped/", "type:I": "in_transit/",
	"type:X": "in_transit/exception", "type:D": "delivered/", "type:DO": "in_transit/", "type:DD": "in_transit/",
	"type:W": "in_transit/", "type:NA": "packed/", "type:U": "in_transit/",
}

func TestStatusTableMapsEveryDocumentedCode(t *testing.T) {
	carriertest.CheckStatusTable(t, statusTable, wantStatus)
}

func TestLookupPrefersStatusCodeThenCodeThenType(t *testing.T) {
	tests := []struct {
		name    string
		status  activityStatus
		wantKey string
	}{
		{"status code wins", activityStatus{Type: "I", Code: "DP", StatusCode: "011"}, "statusCode:011"},
		{"activity code next", activityStatus{Type: "I", Code: "MP", StatusCode: "999"}, "code:MP"},
		{"type last", activityStatus{Type: "X", Code: "ZZ", StatusCode: "999"}, "type:X"},
	}
	for _, tt := range tests {
		if _, key, ok := lookup(tt.status); !ok || key != tt.wantKey {
			t.Errorf("%s: lookup used %q (ok=%v), want %q", tt.name, key, ok, tt.wantKey)
		}
	}
}
