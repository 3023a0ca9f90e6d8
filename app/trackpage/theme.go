package trackpage

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The default palette, used when the shop sets no (valid) colour.
const (
	defaultPrimary = "#1f3a5f"
	defaultAccent  = "#0f766e"
	lightText      = "#ffffff"
	darkText       = "#111111"
	blackText      = "#000000"
	pageBackground = "#ffffff"
	systemFonts    = `system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif`
)

// ReadableOn returns the text colour to use on the background colour hex
// ("#rrggbb" or "#rgb"): white or near-black, whichever contrasts more, and
// pure black for the few mid-tones where near-black would miss the WCAG AA
// ratio of 4.5:1. Some choice always reaches it. An unparseable colour is
// treated as the default brand colour.
func ReadableOn(hex string) string {
	bg, ok := parseHex(hex)
	if !ok {
		bg, _ = parseHex(defaultPrimary)
	}
	light, _ := parseHex(lightText)
	dark, _ := parseHex(darkText)
	black, _ := parseHex(blackText)
	onLight, onDark := contrast(bg, light), contrast(bg, dark)
	switch {
	case onLight >= onDark && onLight >= 4.5:
		return lightText
	case onDark >= 4.5:
		return darkText
	case onLight >= contrast(bg, black):
		return lightText
	}
	return blackText
}

// ContrastRatio is the WCAG 2 contrast ratio between two colours, from 1
// (same) to 21 (black on white). Invalid colours give 0.
func ContrastRatio(a, b string) float64 {
	ca, okA := parseHex(a)
	cb, okB := parseHex(b)
	if !okA || !okB {
		return 0
	}
	return contrast(ca, cb)
}

type rgb struct{ r, g, b uint8 }

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// parseHex reads "#rrggbb" or "#rgb" (the # optional).
func parseHex(s string) (rgb, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
}

// luminance is the WCAG relative luminance of c.
func luminance(c rgb) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// inkOn darkens c until it reaches AA contrast (4.5:1) as text on bg, so a
// pale brand colour can still colour links and headings.
func inkOn(c, bg rgb) rgb {
	for i := 0; i < 100 && contrast(c, bg) < 4.5; i++ {
		c = rgb{uint8(float64(c.r) * 0.9), uint8(float64(c.g) * 0.9), uint8(float64(c.b) * 0.9)}
	}
	return c
}

// themeCSS is the custom-property block the stylesheet reads. Every value is
// built from parsed colours or a filtered font list, so it is safe to mark as
// CSS.
func themeCSS(b Branding) template.CSS {
	primary, ok := parseHex(b.PrimaryColor)
	if !ok {
		primary, _ = parseHex(defaultPrimary)
	}
	accent, ok := parseHex(b.AccentColor)
	if !ok {
		accent, _ = parseHex(defaultAccent)
	}
	page, _ := parseHex(pageBackground)
	font := systemFonts
	if f := cleanFont(b.FontFamily); f != "" {
		font = f + ", " + systemFonts
	}
	return template.CSS(fmt.Sprintf(
		".ot{--ot-brand:%s;--ot-on-brand:%s;--ot-brand-ink:%s;--ot-accent:%s;--ot-on-accent:%s;--ot-accent-ink:%s;--ot-font:%s}",
		primary.hex(), ReadableOn(primary.hex()), inkOn(primary, page).hex(),
		accent.hex(), ReadableOn(accent.hex()), inkOn(accent, page).hex(), font))
}

// cleanFont keeps only characters that can appear in a font-family list, so
// merchant input cannot close the declaration or the style element.
func cleanFont(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == ' ', r == ',', r == '-', r == '"', r == '\'':
			b.WriteRune(r)
		}
	}
	out := strings.Trim(strings.TrimSpace(b.String()), ",")
	if strings.Count(out, `"`)%2 != 0 || strings.Count(out, `'`)%2 != 0 {
		out = strings.NewReplacer(`"`, "", `'`, "").Replace(out)
	}
	if len(out) > 200 {
		out = out[:200]
		out = strings.NewReplacer(`"`, "", `'`, "").Replace(out)
	}
	return strings.TrimSpace(out)
}
