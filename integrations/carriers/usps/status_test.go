package usps

import (
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
)

// wantStatus is written from Publication 199 independently of statusTable, as
// "stage/problem".
var wantStatus = map[string]string{
	"GX": "packed/", "MA": "packed/", "89": "packed/", "GC": "packed/",
	"03": "shipped/", "TM": "shipped/", "PA": "shipped/", "OA": "shipped/", "UA": "shipped/",
	"NT": "in_transit/", "U1": "in_transit/", "L1": "in_transit/", "83": "in_transit/",
	"06": "in_transit/", "07": "in_transit/", "10": "in_transit/", "PC": "in_transit/", "EF": "in_transit/",
	"SF": "in_transit/", "80": "in_transit/", "81": "in_transit/", "82": "in_transit/",
	"42": "in_transit/", "19": "in_transit/", "41": "in_transit/",
	"A1": "in_transit/", "AD": "in_transit/", "T1": "in_transit/", "TL": "in_transit/",
	"15": "in_transit/delayed", "11": "in_transit/exception",
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
	carriertest.CheckStatusTable(t, statusTable, wantStatus)
}

// wantMovement is written from Publication 199: the codes that say the item
// is at a facility or has left one.
var wantMovement = map[string]string{
	"07": "arrived", "10": "arrived", "PC": "arrived",
	"EF": "departed", "SF": "departed",
	"A1": "arrived", "AD": "arrived", "19": "arrived", "41": "arrived", "T1": "departed", "TL": "departed",
	"NT": "departed", "U1": "arrived", "L1": "departed",
}

func TestMovementsMarkArrivalsAndDepartures(t *testing.T) {
	carriertest.CheckMovements(t, movements, statusTable, wantMovement)
}
