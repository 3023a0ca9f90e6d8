package phone

import (
	"errors"
	"testing"
)

func TestE164UsesTheShippingCountryForLocalNumbers(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		{"(415) 555-0199", "US", "+14155550199"}, // the example, typed as on a US checkout
		{"+1 415 555 0199", "DE", "+14155550199"},
		{"030 1234567", "DE", "+49301234567"},
		{"0151 12345678", "de", "+4915112345678"},
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"612 345 678", "ES", "+34612345678"},
		{"whatsapp:+34612345678", "", "+34612345678"},
		{"0044 20 7946 0958", "FR", "+442079460958"}, // international prefix from France
	}
	for _, tt := range tests {
		got, err := E164(tt.raw, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("E164(%q, %q) = %q, %v; want %q", tt.raw, tt.region, got, err, tt.want)
		}
	}
}

func TestE164RefusesNumbersThatCannotBeDialled(t *testing.T) {
	tests := []struct{ raw, region string }{
		{"", "US"},
		{"555-01", "US"},
		{"(415) 555-0199", ""}, // local number, country unknown
		{"call me", "DE"},
		{"+999 1234 5678", "US"},
	}
	for _, tt := range tests {
		if got, err := E164(tt.raw, tt.region); !errors.Is(err, ErrInvalid) {
			t.Errorf("E164(%q, %q) = %q, %v; want ErrInvalid", tt.raw, tt.region, got, err)
		}
	}
}

func TestRegionOfANumber(t *testing.T) {
	tests := []struct{ e164, want string }{{"+4915112345678", "DE"}, {"+14155550199", "US"}, {"+33612345678", "FR"}, {"nope", ""}}
	for _, tt := range tests {
		if got := Region(tt.e164); got != tt.want {
			t.Errorf("Region(%q) = %q; want %q", tt.e164, got, tt.want)
		}
	}
}
