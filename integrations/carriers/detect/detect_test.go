package detect

import (
	"fmt"
	"slices"
	"testing"
)

func carriers(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Carrier
	}
	return out
}

func TestDetectRanksIssuingCarrierFirst(t *testing.T) {
	tests := []struct {
		number  string
		carrier string
		service string
	}{
		{"1Z5R89390357567127", "ups", "UPS United States Ground"},
		{"1zxx3150yw44070023", "ups", "UPS SurePost - Delivered by the USPS"},
		{"K2479825491", "ups", "UPS Ground"},
		{"986578788855", "fedex", "FedEx Express (12)"},
		{"5682 8361 0012 734", "fedex", "FedEx Ground"},
		{"9611020987654312345672", "fedex", "FedEx Ground 96 (22)"},
		{"1001921334250001000300779017972697", "fedex", "FedEx Express (34)"},
		{"9622001560001234567100794808390594", "fedex", "FedEx Ground GSN"},
		{"9400 1112 0108 0805 4830 16", "usps", "USPS IMpb N"},
		{"420787459400111206206406260787", "usps", "USPS IMpb N"},
		{"4201028200009261290113185417468510", "usps", "Parcel Select"},
		{"9505 5110 6960 5048 6006 24", "usps", "USPS IMpb C"},
		{"0307 1790 0005 2348 3741", "usps", "Delivery Confirmation"},
		{"3318810025", "dhl", "DHL Express"},
		{"JJD0099999999", "dhl", "DHL Express (Piece ID)"},
		{"GM2951173225174494", "dhl", "DHL E-Commerce"},
		{"RR123456785GB", "royal_mail", "Letter Post Registered"},
		{"RB123456785US", "usps", "Letter Post Registered"},
		{"CP123456785CA", "canada_post", "Parcel Post"},
		{"RR123456785DE", "deutsche_post", "Letter Post Registered"},
		{"EE123456785FR", "la_poste", "EMS"},
		{"0073938000549297", "canada_post", "Canada Post (16)"},
		{"TBA000000000000", "amazon", "Amazon Logistics"},
		{"C11031500001879", "ontrac", "OnTrac"},
		{"LX17635036", "lasership", "LaserShip LX"},
		{"0081 827 0998 0000 0200 45 327 276 N", "dpd", "DPD (28)"},
		{"YT2229521272164446", "yunexpress", "YunExpress"},
		{"SIM000000000001", "sim", "Simulated carrier"},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			got := Detect(tt.number, "")
			if len(got) == 0 || got[0].Carrier != tt.carrier || got[0].Service != tt.service {
				t.Fatalf("Detect(%q) = %+v; want %s (%s) first", tt.number, got, tt.carrier, tt.service)
			}
		})
	}
}

func TestDetectMarksVerifiedCheckDigits(t *testing.T) {
	tests := []struct {
		number string
		valid  bool
	}{
		{"1Z5R89390357567127", true},
		{"RR123456785GB", true},
		{"9400111206206406260787", true},
		{"TBA000000000000", false}, // no check digit in the format
		{"LX17635036", false},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			got := Detect(tt.number, "")
			if len(got) == 0 || got[0].CheckDigitValid != tt.valid {
				t.Fatalf("Detect(%q) = %+v; want first candidate check_digit_valid=%v", tt.number, got, tt.valid)
			}
		})
	}
}

func TestDetectDropsWrongCheckDigitOfPlainNumbers(t *testing.T) {
	tests := []struct {
		number  string
		carrier string
	}{
		{"996578788855", "fedex"},
		{"RB123456785XX", "usps"},
		{"0073938000549292", "canada_post"},
		{"C11031500001889", "ontrac"},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			got := Detect(tt.number, "")
			if slices.Contains(carriers(got), tt.carrier) {
				t.Fatalf("Detect(%q) = %+v; want no %s candidate for a wrong check digit", tt.number, got, tt.carrier)
			}
		})
	}
}

// A number whose shape names its carrier stays that carrier's candidate when
// its check digit fails (a typo, or UPS's sandbox numbers), flagged and
// ranked after every candidate whose check digit verified.
func TestDetectFlagsWrongCheckDigitOfDistinctiveNumbers(t *testing.T) {
	tests := []struct {
		number  string
		carrier string
	}{
		{"1Z5R89390357567128", "ups"},
		{"1Z12345E0305271640", "ups"}, // UPS sandbox
		{"9434611206206407667131", "usps"},
		{"RR123456786GB", "royal_mail"},
		{"00340434161094042558", "dhl"},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			got := Detect(tt.number, "")
			i := slices.Index(carriers(got), tt.carrier)
			if i < 0 || got[i].CheckDigitValid {
				t.Fatalf("Detect(%q) = %+v; want %s flagged check_digit_valid=false", tt.number, got, tt.carrier)
			}
			for _, c := range got[i+1:] {
				if c.CheckDigitValid {
					t.Errorf("Detect(%q) = %+v; a verified candidate ranks after the failed %s", tt.number, got, tt.carrier)
				}
			}
		})
	}
}

func TestDetectKeepsWrongCheckDigitWhenCompanyNamesCarrier(t *testing.T) {
	got := Detect("1Z5R89390357567128", "UPS")
	if len(got) == 0 || got[0].Carrier != "ups" || got[0].Format != "ups" || got[0].CheckDigitValid {
		t.Fatalf("Detect = %+v; want ups from the 1Z format flagged check_digit_valid=false", got)
	}
	valid := Detect("1Z5R89390357567127", "UPS")
	if got[0].Score >= valid[0].Score {
		t.Errorf("wrong check digit scored %v, right one %v; want it lower", got[0].Score, valid[0].Score)
	}
}

func TestDetectCompanyHintReordersAmbiguousNumbers(t *testing.T) {
	tests := []struct {
		number  string
		company string
		first   string
	}{
		// Valid FedEx Ground (mod 10) and DPD (MOD 37,36) at once.
		{"100000005487867", "", "fedex"},
		{"100000005487867", "FedEx Ground", "fedex"},
		{"100000005487867", "DPD UK", "dpd"},
		// Valid FedEx Express (mod 11) and Purolator (Luhn) at once.
		{"300001330392", "", "fedex"},
		{"300001330392", "Purolator", "purolator"},
		// A GB S10 number stays Royal Mail's even when the store names
		// another post: the suffix names the issuer.
		{"RR123456785GB", "La Poste", "royal_mail"},
	}
	for _, tt := range tests {
		t.Run(tt.number+"/"+tt.company, func(t *testing.T) {
			got := Detect(tt.number, tt.company)
			if len(got) < 2 || got[0].Carrier != tt.first {
				t.Fatalf("Detect(%q, %q) = %+v; want %s first of several", tt.number, tt.company, got, tt.first)
			}
		})
	}
}

func TestDetectWithCountryBreaksTies(t *testing.T) {
	tests := []struct {
		number, country, first string
	}{
		{"100000005487867", "", "fedex"},
		{"100000005487867", "US", "fedex"},
		{"100000005487867", "de", "dpd"},
	}
	for _, tt := range tests {
		got := DetectWith(tt.number, Hints{Country: tt.country})
		if len(got) < 2 || got[0].Carrier != tt.first {
			t.Errorf("DetectWith(%q, country %q) = %+v; want %s first", tt.number, tt.country, got, tt.first)
		}
	}
}

func TestDetectOffersNamedCarrierForUnknownFormat(t *testing.T) {
	tests := []struct {
		number, company, carrier string
	}{
		{"6A12345678901", "Colissimo", "la_poste"},
		{"AB1234567890", "Royal Mail", "royal_mail"},
		{"ZZZ123456", "Australia Post", "australia_post"},
	}
	for _, tt := range tests {
		t.Run(tt.company, func(t *testing.T) {
			got := Detect(tt.number, tt.company)
			if len(got) == 0 || got[0].Carrier != tt.carrier || got[0].Format != FormatCompany {
				t.Fatalf("Detect(%q, %q) = %+v; want %s from the company name", tt.number, tt.company, got, tt.carrier)
			}
		})
	}
}

func TestDetectFindsNothingImplausible(t *testing.T) {
	for _, n := range []string{"", "   ", "hello", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12", "1234567890123456789012345678901234567890123456789"} {
		t.Run(n, func(t *testing.T) {
			if got := Detect(n, ""); len(got) != 0 {
				t.Fatalf("Detect(%q) = %+v; want nothing", n, got)
			}
		})
	}
	if got := Detect("12", "UPS"); len(got) != 0 {
		t.Errorf("Detect(12, UPS) = %+v; want nothing for a number too short to track", got)
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		" 1 z 8 v 9 2 ":      "1Z8V92",
		"1LS7119013618127-1": "1LS71190136181271",
		"rr-123.456/785gb":   "RR123456785GB",
		"Ä1ß2":               "12",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestCarrierFromCompany(t *testing.T) {
	tests := []struct {
		company string
		carrier string
	}{
		{"UPS", "ups"},
		{"ups®", "ups"},
		{"United Parcel Service", "ups"},
		{"Fedex Ground", "fedex"},
		{"FedEx SmartPost", "fedex"},
		{"Fed Ex", "fedex"},
		{"USPS", "usps"},
		{"United States Postal Service", "usps"},
		{"DHL Express", "dhl"},
		{"DHL eCommerce", "dhl"},
		{"DHL eCommerce Asia", "dhl"},
		{"Deutsche Post DHL", "deutsche_post"},
		{"Royal Mail", "royal_mail"},
		{"royal-mail", "royal_mail"},
		{"Canada Post", "canada_post"},
		{"La Poste", "la_poste"},
		{"Colissimo", "la_poste"},
		{"Australia Post", "australia_post"},
		{"PostNL", "postnl"},
		{"DPD UK", "dpd"},
		{"Amazon Logistics US", "amazon"},
		{"OnTrac", "ontrac"},
		{"LaserShip", "lasership"},
	}
	for _, tt := range tests {
		t.Run(tt.company, func(t *testing.T) {
			got, ok := CarrierFromCompany(tt.company)
			if !ok || got != tt.carrier {
				t.Fatalf("CarrierFromCompany(%q) = %q, %v; want %q", tt.company, got, ok, tt.carrier)
			}
		})
	}
}

func TestCarrierFromCompanyRejectsUnknownNames(t *testing.T) {
	for _, c := range []string{"", "  ", "Other", "My own van", "upside"} {
		if got, ok := CarrierFromCompany(c); ok {
			t.Errorf("CarrierFromCompany(%q) = %q; want no carrier", c, got)
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, fm := range data.Formats {
		for _, n := range append(slices.Clone(fm.Valid), fm.Invalid...) {
			f.Add(n, fm.Carrier)
		}
	}
	f.Add("", "")
	f.Add("\xff\xfe", "ÜPS")
	f.Fuzz(func(t *testing.T, number, company string) {
		got := Detect(number, company)
		seen := map[string]bool{}
		failed := func(c Candidate) bool { return !c.CheckDigitValid && checked(c.Format) }
		for i, c := range got {
			if i > 0 && (failed(got[i-1]) && !failed(c) || failed(got[i-1]) == failed(c) && c.Score > got[i-1].Score) {
				t.Fatalf("Detect(%q, %q) not ranked verified first, then by score: %+v", number, company, got)
			}
			if seen[c.Carrier] {
				t.Fatalf("Detect(%q, %q) lists %s twice: %+v", number, company, c.Carrier, got)
			}
			seen[c.Carrier] = true
			if c.Carrier == "" || c.Score <= 0 {
				t.Fatalf("Detect(%q, %q) gave an empty or unscored candidate: %+v", number, company, got)
			}
		}
	})
}

// checked reports whether the format carries a check digit.
func checked(formatID string) bool {
	for _, f := range data.Formats {
		if f.ID == formatID {
			return f.Checksum != nil
		}
	}
	return false
}

func ExampleDetect() {
	for _, c := range Detect("1Z 5R8 939 0357 5671 27", "UPS") {
		fmt.Printf("%s %q check_digit_valid=%v\n", c.Carrier, c.Service, c.CheckDigitValid)
	}
	for _, c := range Detect("RR123456785GB", "") {
		fmt.Printf("%s %q check_digit_valid=%v\n", c.Carrier, c.Service, c.CheckDigitValid)
	}
	// Output:
	// ups "UPS United States Ground" check_digit_valid=true
	// royal_mail "Letter Post Registered" check_digit_valid=true
}
