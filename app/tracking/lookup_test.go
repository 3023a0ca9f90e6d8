package tracking

import "testing"

func TestOrderNumberSpellingsShareMatchAndKey(t *testing.T) {
	tests := []struct{ typed, want string }{
		{"1001", "1001"},
		{"#1001", "1001"},
		{"##1001", "1001"},
		{" # # 1001 ", "1001"},
		{"＃１００１", "1001"}, // full-width
		{"#A-12", "A-12"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := OrderNumber(tt.typed); got != tt.want {
			t.Errorf("OrderNumber(%q) = %q; want %q", tt.typed, got, tt.want)
		}
		if got, want := OrderNumberKey(tt.typed), OrderNumberKey(tt.want); got != want {
			t.Errorf("OrderNumberKey(%q) = %q; want %q, the key of what it matches", tt.typed, got, want)
		}
	}
	if OrderNumberKey("#a-12") != OrderNumberKey("A-12") {
		t.Error("order number keys differ by case; want them to share a budget")
	}
}

func TestContactSpellingsThatMatchShareAKey(t *testing.T) {
	tests := []struct {
		name               string
		storedEmail, phone string
		typed              []string // each matches the stored contact
		nonMatching        []string
	}{
		{"email, case and long s", "shopper3@example.com", "", []string{
			"shopper3@example.com", "SHOPPER3@EXAMPLE.COM", "\u017fhopper3@example.com", "ſhopper3@example.com ", " Shopper3@Example.Com",
			"ｓhopper3@example.com", // full-width s, NFKC
			"shopper3＠example.com", // full-width @
		}, []string{"shopper4@example.com", "shopper3@example.co", "shopper3example.com"}},
		{"email with a Kelvin sign", "kim@example.com", "", []string{"kim@example.com", "\u212aim@example.com", "KIM@example.com"}, []string{"kin@example.com"}},
		{"phone", "", "+14155550100", []string{"+14155550100", "+1 (415) 555-0100", "4155550100", "555 0100", "0014155550100", "４１５５５５０１００"}, []string{"4155550101", "555010", "shopper@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := ContactKey(tt.typed[0])
			for _, typed := range tt.typed {
				if !SameContact(tt.storedEmail, tt.phone, typed) {
					t.Errorf("%q does not match %q/%q; want it to", typed, tt.storedEmail, tt.phone)
				}
				if got := ContactKey(typed); got != key {
					t.Errorf("ContactKey(%q) = %q; want %q, the key of every spelling that matches", typed, got, key)
				}
			}
			for _, typed := range tt.nonMatching {
				if SameContact(tt.storedEmail, tt.phone, typed) {
					t.Errorf("%q matches %q/%q; want it not to", typed, tt.storedEmail, tt.phone)
				}
			}
		})
	}
}
