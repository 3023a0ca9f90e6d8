package dhl

import (
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

// wantStatus is written from DHL's status-code article independently of
// statusTable, as "stage/problem".
var wantStatus = map[string]string{
	"pre-transit": "packed/", "transit": "in_transit/", "delivered": "delivered/",
	"failure": "in_transit/exception", "unknown": "in_transit/",
	"return:pre-transit": "returning/", "return:transit": "returning/", "return:delivered": "returned/",
	"return:failure": "returning/exception", "return:unknown": "returning/",
}

func TestStatusTableMapsEveryDocumentedCode(t *testing.T) {
	carriertest.CheckStatusTable(t, statusTable, wantStatus)
}
