package detect

import (
	"fmt"
	"strings"
)

// checksum describes a check-digit algorithm as tracking_number_data does.
type checksum struct {
	Algorithm string `json:"algorithm"` // mod10, weighted, mod7, luhn, s10, mod37_36
	Evens     int    `json:"evens"`     // mod10: multiplier at even 0-based positions
	Odds      int    `json:"odds"`      // mod10: multiplier at odd 0-based positions
	Reverse   bool   `json:"reverse"`   // mod10: count positions from the right
	Weights   []int  `json:"weights"`   // weighted, s10
	Modulo    int    `json:"modulo"`    // weighted: first modulus
	Modulo2   int    `json:"modulo2"`   // weighted: second modulus
}

func (c *checksum) check() error {
	switch c.Algorithm {
	case "mod10", "mod7", "luhn", "mod37_36":
		return nil
	case "weighted", "s10":
		if len(c.Weights) == 0 {
			return fmt.Errorf("checksum %s needs weights", c.Algorithm)
		}
		if c.Algorithm == "weighted" && (c.Modulo == 0 || c.Modulo2 == 0) {
			return fmt.Errorf("checksum weighted needs modulo and modulo2")
		}
		return nil
	}
	return fmt.Errorf("unknown checksum algorithm %q", c.Algorithm)
}

// value maps a character to its numeric weight: digits as themselves,
// letters the way UPS folds them into 0-9.
func value(r byte) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	return (int(r) - 3) % 10
}

func (c *checksum) valid(serial, check string) bool {
	if serial == "" || check == "" {
		return false
	}
	switch c.Algorithm {
	case "mod10":
		return c.mod10(serial) == check
	case "weighted":
		return weighted(serial, c.Weights, c.Modulo, c.Modulo2) == check
	case "mod7":
		return mod7(serial) == check
	case "luhn":
		return luhn(serial) == check
	case "s10":
		return s10(serial, c.Weights) == check
	case "mod37_36":
		return mod3736(serial) == check
	}
	return false
}

func (c *checksum) mod10(serial string) string {
	total := 0
	n := len(serial)
	for i := range n {
		ch := serial[i]
		if c.Reverse {
			ch = serial[n-1-i]
		}
		x := value(ch)
		if i%2 == 1 && c.Odds != 0 {
			x *= c.Odds
		} else if i%2 == 0 && c.Evens != 0 {
			x *= c.Evens
		}
		total += x
	}
	return digit((10 - total%10) % 10)
}

func weighted(serial string, weights []int, m1, m2 int) string {
	if len(serial) != len(weights) {
		return ""
	}
	total := 0
	for i := range len(serial) {
		total += value(serial[i]) * weights[i]
	}
	return digit(total % m1 % m2)
}

// mod7 is DHL Express: the serial as a number, modulo 7.
func mod7(serial string) string {
	r := 0
	for i := range len(serial) {
		r = (r*10 + value(serial[i])) % 7
	}
	return digit(r)
}

func luhn(serial string) string {
	total := 0
	for i := range len(serial) {
		x := value(serial[len(serial)-1-i])
		if i%2 == 0 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		total += x
	}
	return digit((10 - total%10) % 10)
}

// s10 is the UPU S10 check digit over the eight serial digits.
func s10(serial string, weights []int) string {
	if len(serial) != len(weights) {
		return ""
	}
	total := 0
	for i := range len(serial) {
		total += value(serial[i]) * weights[i]
	}
	switch d := 11 - total%11; d {
	case 10:
		return "0"
	case 11:
		return "5"
	default:
		return digit(d)
	}
}

const alphabet36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// mod3736 is ISO/IEC 7064 MOD 37,36 (DPD parcel numbers).
func mod3736(serial string) string {
	const m = 36
	p := m
	for i := range len(serial) {
		v := strings.IndexByte(alphabet36, serial[i])
		if v < 0 {
			return ""
		}
		s := (p + v) % m
		if s == 0 {
			s = m
		}
		p = (2 * s) % (m + 1)
	}
	return string(alphabet36[(m+1-p)%m])
}

func digit(d int) string { return string(rune('0' + d)) }
