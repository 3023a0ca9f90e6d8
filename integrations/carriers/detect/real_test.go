package detect

import (
	"encoding/csv"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

// realNumber is one tracking number from a public test suite or a recorded
// carrier answer (testdata/real_numbers.csv, origins in testdata/SOURCES.md).
type realNumber struct {
	number string
	// carriers are the carriers whose tracking answers for the number, the
	// preferred one first (an IMpb number of a consolidator is tracked by
	// USPS and by the consolidator).
	carriers []string
	// hint is the store's carrier wording, given only for numbers that
	// nothing but the wording can place (FedEx Freight PRO, DHL eCommerce ids).
	hint, source string
}

func loadRealNumbers(t *testing.T) []realNumber {
	t.Helper()
	f, err := os.Open("testdata/real_numbers.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []realNumber
	for _, r := range recs[1:] {
		out = append(out, realNumber{number: r[0], carriers: strings.Split(r[1], "|"), hint: r[2], source: r[3]})
	}
	return out
}

// TestDetectOnRealNumbers measures top-1 accuracy on real tracking numbers:
// the first candidate must be a carrier whose tracking answers for the
// number. The store's wording is given only where nothing else can decide.
func TestDetectOnRealNumbers(t *testing.T) {
	const target = 0.95
	type tally struct{ right, all int }
	per := map[string]*tally{}
	var total tally
	for _, n := range loadRealNumbers(t) {
		got := Detect(n.number, n.hint)
		ok := len(got) > 0 && slices.Contains(n.carriers, got[0].Carrier)
		k := n.carriers[0]
		if per[k] == nil {
			per[k] = &tally{}
		}
		per[k].all++
		total.all++
		if ok {
			per[k].right++
			total.right++
		} else {
			t.Logf("miss: %s (%s, hint %q) got %+v", n.number, strings.Join(n.carriers, "|"), n.hint, got)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(per)) {
		t.Logf("%-12s %3d/%3d", k, per[k].right, per[k].all)
	}
	rate := float64(total.right) / float64(total.all)
	t.Logf("top-1: %d/%d = %.1f%%", total.right, total.all, 100*rate)
	if rate < target {
		t.Errorf("top-1 rate %.1f%% is below %.0f%%", 100*rate, 100*target)
	}
	for _, k := range []string{"ups", "usps", "fedex", "dhl", "amazon"} {
		if r := float64(per[k].right) / float64(per[k].all); r < target {
			t.Errorf("%s top-1 rate %.1f%% is below %.0f%%", k, 100*r, 100*target)
		}
	}
}

// TestDetectFalseAcceptsOnCorruptedNumbers corrupts every real number that
// carries a check digit (each digit replaced by every other digit, each pair
// of neighbours swapped) and checks every candidate Detect claims
// check-digit valid against an independent implementation of that format's
// published rule. A claim the rule does not back is a false accept.
// Corruptions the carrier's own rule cannot see (UPS's doubled positions
// miss a change by 5) are logged, not counted: they satisfy the rule.
func TestDetectFalseAcceptsOnCorruptedNumbers(t *testing.T) {
	const limit = 0.01
	var claims, falseAccepts, corrupted, undetected int
	for _, n := range loadRealNumbers(t) {
		orig := Normalize(n.number)
		for _, bad := range corruptions(orig) {
			corrupted++
			for _, c := range Detect(bad, "") {
				if !c.CheckDigitValid {
					continue
				}
				claims++
				if !referenceValid(t, c.Format, bad) {
					falseAccepts++
					t.Errorf("false accept: %s (from %s) claimed valid %s", bad, orig, c.Format)
				}
				if slices.Contains(n.carriers, c.Carrier) {
					undetected++
				}
			}
		}
	}
	rate := float64(falseAccepts) / float64(corrupted)
	t.Logf("corrupted numbers %d, valid claims %d, false accepts %d (%.2f%%); still valid for the original carrier by its own rule: %d (%.1f%%)",
		corrupted, claims, falseAccepts, 100*rate, undetected, 100*float64(undetected)/float64(corrupted))
	if rate > limit {
		t.Errorf("false-accept rate %.2f%% is above %.0f%%", 100*rate, 100*limit)
	}
}

// corruptions returns every single-digit substitution and every adjacent
// transposition of distinct digits in n.
func corruptions(n string) []string {
	var out []string
	b := []byte(n)
	for i, c := range b {
		if c < '0' || c > '9' {
			continue
		}
		for d := byte('0'); d <= '9'; d++ {
			if d != c {
				b[i] = d
				out = append(out, string(b))
			}
		}
		b[i] = c
		if i+1 < len(b) && b[i+1] != c && b[i+1] >= '0' && b[i+1] <= '9' {
			b[i], b[i+1] = b[i+1], c
			out = append(out, string(b))
			b[i], b[i+1] = c, n[i+1]
		}
	}
	return out
}

// referenceValid recomputes a format's check digit for number with code
// written from the algorithms' published definitions, separately from
// checksum.go: GS1/USPS mod 10, UPS's doubled mod 10, DHL's mod 7, FedEx's
// weighted mod 11/10, UPU S10.
func referenceValid(t *testing.T, formatID, number string) bool {
	t.Helper()
	var f *format
	for _, x := range data.Formats {
		if x.ID == formatID {
			f = x
		}
	}
	if f == nil || f.Checksum == nil {
		t.Fatalf("format %s has no check digit", formatID)
	}
	g, ok := f.groups(Normalize(number))
	if !ok {
		return false
	}
	serial, check := g["serial"], g["check"]
	if f.Prepend != nil && !strings.HasPrefix(serial, f.Prepend.UnlessPrefix) {
		serial = f.Prepend.Content + serial
	}
	if len(check) != 1 {
		return false
	}
	want := int(check[0] - '0')
	digit := func(c byte) int {
		if c >= '0' && c <= '9' {
			return int(c - '0')
		}
		return (int(c-'A') + 2) % 10 // UPS folds A=2, B=3, … J=1 (mod 10)
	}
	ck := f.Checksum
	switch ck.Algorithm {
	case "mod10":
		sum := 0
		for i := range len(serial) {
			pos := i
			if ck.Reverse {
				pos = len(serial) - 1 - i
			}
			w := ck.Evens
			if pos%2 == 1 {
				w = ck.Odds
			}
			sum += digit(serial[i]) * w
		}
		return (10-sum%10)%10 == want
	case "mod7":
		v := 0
		for i := range len(serial) {
			v = (v*10 + digit(serial[i])) % 7
		}
		return v == want
	case "weighted":
		sum := 0
		for i := range len(serial) {
			sum += digit(serial[len(serial)-1-i]) * ck.Weights[(len(ck.Weights)-1-i%len(ck.Weights)+len(ck.Weights))%len(ck.Weights)]
		}
		return sum%ck.Modulo%ck.Modulo2 == want
	case "s10":
		sum := 0
		for i := range 8 {
			sum += digit(serial[i]) * []int{8, 6, 4, 2, 3, 5, 9, 7}[i]
		}
		c := 11 - sum%11
		switch c {
		case 10:
			c = 0
		case 11:
			c = 5
		}
		return c == want
	case "luhn":
		sum := 0
		for i := range len(serial) {
			d := digit(serial[len(serial)-1-i])
			if i%2 == 0 {
				d *= 2
				if d > 9 {
					d -= 9
				}
			}
			sum += d
		}
		return (10-sum%10)%10 == want
	case "mod37_36":
		const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		p := 36
		for i := range len(serial) {
			p = (p + strings.IndexByte(alphabet, serial[i])) % 36
			if p == 0 {
				p = 36
			}
			p = p * 2 % 37
		}
		return alphabet[(37-p)%36] == check[0]
	}
	t.Fatalf("no reference for %s (%s)", ck.Algorithm, formatID)
	return false
}
