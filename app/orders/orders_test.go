package orders

import "testing"

// The store's carrier wording wins over the number's format; without it the
// format decides, the destination country breaking ties between formats;
// an unknown wording becomes the carrier's name.
func TestResolveCarrier(t *testing.T) {
	tests := []struct {
		name, number, company, country, want string
	}{
		{"simulated parcel", "SIM0001", "UPS", "", "sim"},
		{"number format alone", "1Z999AA10123456784", "", "", "ups"},
		{"store's wording", "1Z999AA10123456784", "UPS", "", "ups"},
		{"a FedEx/DPD-shaped number to the US", "100000005487867", "", "US", "fedex"},
		{"the same number to Germany", "100000005487867", "", "DE", "dpd"},
		{"unknown wording, unknown format", "XQ42", "Acme  Freight ", "", "acme__freight"},
		{"nothing to go on", "XQ42", "", "", "unknown"},
	}
	for _, tc := range tests {
		if got, _ := resolveCarrier(tc.number, tc.company, tc.country); got != tc.want {
			t.Errorf("%s: resolveCarrier(%q, %q, %q) = %q; want %q", tc.name, tc.number, tc.company, tc.country, got, tc.want)
		}
	}
}
