package notify

import "strings"

// Encoding is how an SMS is encoded on the air.
type Encoding string

// The encodings. GSM-7 packs 160 characters in one message; anything outside
// its alphabet (most accented letters beyond é è ù ì ò à ñ ü, emoji, “smart
// quotes”) forces UCS-2, which fits only 70.
const (
	GSM7 Encoding = "GSM-7"
	UCS2 Encoding = "UCS-2"
)

// Segments is the length of an SMS as the carrier bills it.
type Segments struct {
	Encoding Encoding
	// Units is septets for GSM-7 (extension characters count two) and
	// UTF-16 code units for UCS-2 (emoji outside the BMP count two).
	Units int
	// Count is the number of messages sent: one up to 160 septets / 70
	// units, then 153 / 67 each because of the concatenation header.
	Count int
}

const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

const gsmExtension = "^{}\\[~]|€\f"

// CountSegments measures text as an SMS. A long message is split into
// parts of 153 septets (GSM-7) or 67 UTF-16 units (UCS-2), and a
// character is never split across two parts: an extension character's
// escape and its code (2 septets), or an emoji's surrogate pair (2 units),
// that would straddle the boundary moves whole to the next part.
func CountSegments(text string) Segments {
	gsm := true
	for _, r := range text {
		if !strings.ContainsRune(gsmBasic, r) && !strings.ContainsRune(gsmExtension, r) {
			gsm = false
			break
		}
	}
	if gsm {
		return count(text, GSM7, 160, 153, func(r rune) int {
			if strings.ContainsRune(gsmExtension, r) {
				return 2
			}
			return 1
		})
	}
	return count(text, UCS2, 70, 67, func(r rune) int {
		if r > 0xFFFF {
			return 2
		}
		return 1
	})
}

// count adds up the units of text and packs them into parts.
func count(text string, enc Encoding, single, multi int, width func(rune) int) Segments {
	units := 0
	for _, r := range text {
		units += width(r)
	}
	s := Segments{Encoding: enc, Units: units}
	switch {
	case units == 0:
		return s
	case units <= single:
		s.Count = 1
		return s
	}
	used := 0
	s.Count = 1
	for _, r := range text {
		w := width(r)
		if used+w > multi {
			s.Count, used = s.Count+1, 0
		}
		used += w
	}
	return s
}
