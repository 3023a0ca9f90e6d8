package detect

import (
	"slices"
	"testing"
)

// TestSharedIMpbReturnsBothCarriers runs real IMpb numbers issued for a
// consolidator that hands the last mile to USPS: both carriers answer for
// them, so both are returned, the consolidator first when the barcode carries
// one of its known mailer ids or the store names it, USPS first otherwise.
// Numbers and labels: testdata/real_numbers.csv (origins in SOURCES.md).
func TestSharedIMpbReturnsBothCarriers(t *testing.T) {
	tests := []struct {
		name, number, company string
		wantFirst, wantMailer string
		wantAlso              []string
	}{
		{"FedEx SmartPost mailer id (jespern fedex.json)", "9261292700768711948021", "", "fedex", "927007687", []string{"usps"}},
		{"FedEx mailer id, STC 748 (bloodhound fedEx.js)", "9274899992136003821767", "", "fedex", "999921360", []string{"usps"}},
		{"FedEx mailer id (bloodhound fedEx.js)", "9261293148703201595357", "", "fedex", "931487032", []string{"usps"}},
		{"DHL eCommerce mailer id (stored-index 19258489860)", "9261299996349762041684", "", "dhl", "999963497", []string{"usps"}},
		{"DHL eCommerce with 420+ZIP (bloodhound dhl.js)", "420944019261299999877816190127", "", "dhl", "999998778", []string{"usps"}},
		{"unknown mailer id: USPS first (real USPS v3 answer)", "9261290289104185136058", "", "usps", "", []string{"fedex", "ups"}},
		{"unknown mailer id, store says FedEx Ground Economy", "9261290289104185136058", "FedEx Ground Economy", "fedex", "", []string{"usps"}},
		{"unknown mailer id, store says UPS Mail Innovations", "9261290289104185136058", "UPS Mail Innovations", "ups", "", []string{"usps"}},
		{"store says USPS: USPS first despite a FedEx mailer id", "9261292700768711948021", "USPS", "usps", "", []string{"fedex"}},
	}
	for _, tt := range tests {
		got := Detect(tt.number, tt.company)
		if len(got) == 0 {
			t.Errorf("%s: %s returned nothing", tt.name, tt.number)
			continue
		}
		if got[0].Carrier != tt.wantFirst || got[0].MailerID != tt.wantMailer {
			t.Errorf("%s: first is %s (mailer %q), want %s (mailer %q); all %+v", tt.name, got[0].Carrier, got[0].MailerID, tt.wantFirst, tt.wantMailer, got)
		}
		var carriers []string
		for _, c := range got {
			carriers = append(carriers, c.Carrier)
		}
		for _, w := range tt.wantAlso {
			if !slices.Contains(carriers, w) {
				t.Errorf("%s: %s misses %s among %v", tt.name, tt.number, w, carriers)
			}
		}
	}
}

func TestIMpbMailerID(t *testing.T) {
	tests := []struct{ serial, want string }{
		{"9261292700768711948021", "927007687"},     // 9-digit mailer id (starts with 9)
		{"9400111206206406260787", "112062"},        // 6-digit mailer id
		{"92748931507708513018050063", "931507708"}, // 26-digit IMpb
		{"1Z999AA10123456784", ""},                  // not an IMpb
		{"926129", ""},                              // too short
	}
	for _, tt := range tests {
		if got := impbMailerID(tt.serial); got != tt.want {
			t.Errorf("impbMailerID(%s) = %q, want %q", tt.serial, got, tt.want)
		}
	}
}
