package aftership

import (
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

// wantStatus is written from AfterShip's delivery status and sub-status pages
// independently of statusTable, as "stage/problem".
var wantStatus = map[string]string{
	"Pending": "packed/", "Pending_001": "packed/", "Pending_002": "packed/", "Pending_003": "packed/",
	"Pending_004": "packed/", "Pending_005": "packed/", "Pending_006": "packed/",
	"InfoReceived": "packed/", "InfoReceived_001": "packed/",
	"InTransit": "in_transit/", "InTransit_001": "in_transit/", "InTransit_002": "shipped/",
	"InTransit_003": "in_transit/", "InTransit_004": "in_transit/", "InTransit_005": "in_transit/",
	"InTransit_006": "in_transit/", "InTransit_007": "in_transit/", "InTransit_008": "in_transit/",
	"InTransit_009":  "in_transit/",
	"OutForDelivery": "out_for_delivery/", "OutForDelivery_001": "out_for_delivery/",
	"OutForDelivery_003": "out_for_delivery/", "OutForDelivery_004": "out_for_delivery/",
	"AttemptFail": "in_transit/failed_attempt", "AttemptFail_001": "in_transit/failed_attempt",
	"AttemptFail_002": "in_transit/failed_attempt", "AttemptFail_003": "in_transit/failed_attempt",
	"Delivered": "delivered/", "Delivered_001": "delivered/", "Delivered_002": "delivered/",
	"Delivered_003": "delivered/", "Delivered_004": "delivered/", "Delivered_005": "delivered/",
	"AvailableForPickup": "available_for_pickup/", "AvailableForPickup_001": "available_for_pickup/",
	"Exception": "in_transit/exception", "Exception_001": "in_transit/exception",
	"Exception_002": "in_transit/action_required", "Exception_003": "in_transit/exception",
	"Exception_004": "in_transit/delayed", "Exception_005": "in_transit/delayed",
	"Exception_006": "in_transit/action_required", "Exception_007": "in_transit/action_required",
	"Exception_008": "in_transit/exception", "Exception_009": "in_transit/exception",
	"Exception_010": "returning/", "Exception_011": "returned/",
	"Exception_012": "in_transit/exception", "Exception_013": "in_transit/exception",
	"Exception_016": "in_transit/delayed", "Exception_017": "in_transit/delayed",
	"Exception_018": "in_transit/action_required",
	"Expired":       "packed/exception", "Expired_001": "packed/exception",
}

func TestStatusTableMapsEveryDocumentedCode(t *testing.T) {
	carriertest.CheckStatusTable(t, statusTable, wantStatus)
}

// wantMovement is written from the sub-status page: the subtags that say the
// parcel is at a hub, gateway or customs, or has left one.
var wantMovement = map[string]string{
	"InTransit_003": "arrived", "InTransit_004": "arrived", "InTransit_006": "arrived",
	"InTransit_007": "departed",
}

func TestMovementsMarkArrivalsAndDepartures(t *testing.T) {
	carriertest.CheckMovements(t, movements, statusTable, wantMovement)
}
