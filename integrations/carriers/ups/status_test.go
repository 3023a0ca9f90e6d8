package ups

import (
	"fmt"
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

// documentedStatusCodes are the activity status codes of UPS's Tracking API
// code table (see statusTable): 000, 003, 005–007, 010–014, 016–030, 032–149
// and 153–169.
func documentedStatusCodes() []string {
	var out []string
	add := func(from, to int) {
		for c := from; c <= to; c++ {
			out = append(out, fmt.Sprintf("statusCode:%03d", c))
		}
	}
	add(0, 0)
	add(3, 3)
	add(5, 7)
	add(10, 14)
	add(16, 30)
	add(32, 149)
	add(153, 169)
	return append(out, "code:DP", "code:MP", "code:RD", "code:VP", "code:PX", "code:UP", "code:UT", "code:RS",
		"type:M", "type:MV", "type:P", "type:I", "type:X", "type:D", "type:DO", "type:DD", "type:W", "type:NA", "type:U")
}

// wantStatus is written from UPS's descriptions independently of statusTable,
// as "stage/problem", for a representative code of every kind.
var wantStatus = map[string]string{
	"statusCode:003": "packed/", "statusCode:007": "packed/exception", "statusCode:000": "packed/",
	"statusCode:065": "packed/delayed", "statusCode:157": "packed/",
	"statusCode:038": "shipped/", "statusCode:160": "shipped/", "statusCode:167": "shipped/",
	"statusCode:005": "in_transit/", "statusCode:012": "in_transit/", "statusCode:014": "in_transit/",
	"statusCode:134": "in_transit/", "statusCode:097": "in_transit/", "statusCode:154": "in_transit/",
	"statusCode:006": "out_for_delivery/", "statusCode:072": "out_for_delivery/", "statusCode:078": "out_for_delivery/",
	"statusCode:011": "delivered/", "statusCode:026": "delivered/", "statusCode:155": "delivered/",
	"statusCode:017": "available_for_pickup/", "statusCode:040": "available_for_pickup/", "statusCode:161": "available_for_pickup/",
	"statusCode:013": "in_transit/exception", "statusCode:064": "in_transit/exception", "statusCode:147": "in_transit/exception",
	"statusCode:029": "in_transit/action_required", "statusCode:050": "in_transit/action_required",
	"statusCode:058": "in_transit/action_required", "statusCode:085": "in_transit/action_required",
	"statusCode:022": "in_transit/failed_attempt", "statusCode:060": "in_transit/failed_attempt", "statusCode:145": "in_transit/failed_attempt",
	"statusCode:032": "in_transit/delayed", "statusCode:126": "in_transit/delayed", "statusCode:132": "in_transit/delayed",
	"statusCode:033": "returning/", "statusCode:118": "returning/", "statusCode:081": "returning/exception",
	"statusCode:034": "returned/", "statusCode:067": "returned/",
	"code:DP": "packed/", "code:MP": "packed/", "code:RD": "packed/", "code:VP": "packed/exception",
	"code:PX": "in_transit/", "code:UP": "in_transit/", "code:UT": "in_transit/", "code:RS": "returning/",
	"type:M": "packed/", "type:MV": "packed/exception", "type:P": "shipped/", "type:I": "in_transit/",
	"type:X": "in_transit/exception", "type:D": "delivered/", "type:DO": "in_transit/", "type:DD": "in_transit/",
	"type:W": "in_transit/", "type:NA": "packed/", "type:U": "in_transit/",
}

func TestStatusTableMapsEveryDocumentedCode(t *testing.T) {
	carriertest.CheckStatusSample(t, statusTable, documentedStatusCodes(), wantStatus)
}

func TestStatusTableHoldsOnlyDocumentedCodes(t *testing.T) {
	documented := map[string]bool{}
	for _, k := range documentedStatusCodes() {
		documented[k] = true
	}
	for key := range statusTable {
		if !documented[key] {
			t.Errorf("%s is mapped but not in UPS's code table", key)
		}
	}
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
