package shopify

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

func TestTrackingInfoResultReadsTheDocumentedResponse(t *testing.T) {
	b, err := os.ReadFile("testdata/fulfillment_tracking_info_update.json")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Data trackingInfoResult `json:"data"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	if err := body.Data.check("gid://shopify/Fulfillment/255858046"); err != nil {
		t.Fatalf("documented success read as %v", err)
	}
	body.Data.Result.UserErrors = UserErrors{{Field: []string{"fulfillmentId"}, Message: "Fulfillment does not exist."}}
	var ue UserErrors
	if err := body.Data.check("x"); !errors.As(err, &ue) {
		t.Fatalf("userErrors read as %v; want UserErrors", err)
	}
}
