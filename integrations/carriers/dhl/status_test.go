package dhl

import "testing"

// wantStatus is written from DHL's status-code article independently of
// statusTable, as "stage/problem".
var wantStatus = map[string]string{
	"pre-transit": "packed/", "transit": "in_transit/", "delivered": "delivered/",
	"failure": "in_transit/exception", "unknown": "in_transit/",
	"return:pre-transit": "returning/", "return:transit": "returning/", "return:delivered": "returned/",
	"return:failure": "returning/exception", "return:unknown": "returning/",
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
