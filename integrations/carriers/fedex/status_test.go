package fedex

import (
	"testing"

	"github.com/ordertrack/ordertrack/integrations/carriers/carriertest"
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
	"IT": "in_transit/", "IX": "in_transit/", "LO": "in_transit/", "OF": "in_transit/", "OW": "in_transit/", "AO": "in_transit/",
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
	carriertest.CheckStatusTable(t, statusTable, wantStatus)
}

// wantMovement is written from the same page: the codes that say the parcel
// is at a facility or has left one.
var wantMovement = map[string]string{
	"AR": "arrived", "AF": "arrived", "OF": "arrived", "FD": "arrived", "SF": "arrived",
	"AA": "arrived", "AC": "arrived", "AX": "arrived", "CP": "arrived",
	"DP": "departed", "LO": "departed", "EO": "departed", "PF": "departed", "IT": "departed", "OW": "departed",
}

func TestMovementsMarkArrivalsAndDepartures(t *testing.T) {
	carriertest.CheckMovements(t, movements, statusTable, wantMovement)
}
