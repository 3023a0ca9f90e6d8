package trackpage

import (
	"fmt"
	"strings"
	"testing"
)

func TestReadableOnPicksTheHigherContrastText(t *testing.T) {
	tests := []struct {
		name, bg, want string
	}{
		{"white background takes dark text", "#ffffff", "#111111"},
		{"black background takes white text", "#000000", "#ffffff"},
		{"dark green brand takes white text", "#2d6a4f", "#ffffff"},
		{"pale orange brand takes dark text", "#f4a261", "#111111"},
		{"yellow takes dark text", "#ffff00", "#111111"},
		{"short form is expanded", "#fff", "#111111"},
		{"hash is optional", "1f3a5f", "#ffffff"},
		{"upper case hex parses", "#FFEE00", "#111111"},
		{"mid-tone where near-black misses AA takes pure black", "#877850", "#000000"},
		{"invalid colour falls back to the default brand", "red;}</style>", "#ffffff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadableOn(tt.bg); got != tt.want {
				t.Errorf("ReadableOn(%q) = %q, want %q", tt.bg, got, tt.want)
			}
		})
	}
}

func TestReadableOnAlwaysMeetsAA(t *testing.T) {
	for r := 0; r < 256; r += 15 {
		for g := 0; g < 256; g += 15 {
			for b := 0; b < 256; b += 15 {
				bg := fmt.Sprintf("#%02x%02x%02x", r, g, b)
				if ratio := ContrastRatio(ReadableOn(bg), bg); ratio < 4.5 {
					t.Fatalf("ReadableOn(%s) = %s with contrast %.2f, want at least 4.5", bg, ReadableOn(bg), ratio)
				}
			}
		}
	}
}

func TestContrastRatioMatchesWCAGReferenceValues(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes AA on white
		{"#777777", "#ffffff", 4.48},
		{"nonsense", "#ffffff", 0},
	}
	for _, tt := range tests {
		t.Run(tt.a+" on "+tt.b, func(t *testing.T) {
			got := ContrastRatio(tt.a, tt.b)
			if got < tt.want-0.01 || got > tt.want+0.01 {
				t.Errorf("ContrastRatio(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestThemeDarkensPaleBrandColoursForText(t *testing.T) {
	for _, brand := range []string{"#ffff00", "#f4a261", "#a0e0ff", "#ffffff", "#2d6a4f"} {
		t.Run(brand, func(t *testing.T) {
			css := string(themeCSS(Branding{PrimaryColor: brand, AccentColor: brand}))
			for _, prop := range []string{"--ot-brand-ink:", "--ot-accent-ink:"} {
				ink := cssValue(t, css, prop)
				if ratio := ContrastRatio(ink, pageBackground); ratio < 4.5 {
					t.Errorf("%s%s has contrast %.2f on the page, want at least 4.5", prop, ink, ratio)
				}
			}
			if got, want := cssValue(t, css, "--ot-on-brand:"), ReadableOn(brand); got != want {
				t.Errorf("--ot-on-brand = %s, want %s", got, want)
			}
		})
	}
}

func TestThemeRejectsCSSInjection(t *testing.T) {
	css := string(themeCSS(Branding{
		PrimaryColor: "red;}</style><script>alert(1)</script>",
		AccentColor:  "#12345g",
		FontFamily:   `"Inter"; } body { display:none } </style><script>x()</script>`,
	}))
	if strings.Count(css, "{") != 1 || strings.Count(css, "}") != 1 || strings.ContainsAny(css, "<>()") {
		t.Errorf("merchant input escaped the custom-property block: %s", css)
	}
	if font := cssValue(t, css, "--ot-font:"); strings.ContainsAny(font, ":;/") {
		t.Errorf("--ot-font = %s, want only a font-family list", font)
	}
	if got := cssValue(t, css, "--ot-brand:"); got != defaultPrimary {
		t.Errorf("invalid primary colour gave --ot-brand %s, want the default %s", got, defaultPrimary)
	}
	if got := cssValue(t, css, "--ot-accent:"); got != defaultAccent {
		t.Errorf("invalid accent colour gave --ot-accent %s, want the default %s", got, defaultAccent)
	}
}

func TestThemeKeepsMerchantFontWithSystemFallback(t *testing.T) {
	css := string(themeCSS(Branding{FontFamily: `"Helvetica Neue", Arial`}))
	want := `--ot-font:"Helvetica Neue", Arial, system-ui`
	if !strings.Contains(css, want) {
		t.Errorf("theme CSS = %s, want it to contain %s", css, want)
	}
}

// cssValue reads one custom property's value out of the theme block.
func cssValue(t *testing.T, css, prop string) string {
	t.Helper()
	_, rest, ok := strings.Cut(css, prop)
	if !ok {
		t.Fatalf("theme CSS has no %s: %s", prop, css)
	}
	end := strings.IndexAny(rest, ";}")
	if end < 0 {
		t.Fatalf("theme CSS property %s is not terminated: %s", prop, css)
	}
	return rest[:end]
}
