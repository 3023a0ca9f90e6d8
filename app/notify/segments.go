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

// CountSegments measures text as an SMS.
func CountSegments(text string) Segments {
	septets, gsm := 0, true
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			septets++
		case strings.ContainsRune(gsmExtension, r):
			septets += 2
		default:
			gsm = false
		}
		if !gsm {
			break
		}
	}
	if gsm {
		return Segments{Encoding: GSM7, Units: septets, Count: segmentCount(septets, 160, 153)}
	}
	units := 0
	for _, r := range text {
		if r > 0xFFFF {
			units += 2
		} else {
			units++
		}
	}
	return Segments{Encoding: UCS2, Units: units, Count: segmentCount(units, 70, 67)}
}

func segmentCount(units, single, multi int) int {
	switch {
	case units == 0:
		return 0
	case units <= single:
		return 1
	}
	return (units + multi - 1) / multi
}
