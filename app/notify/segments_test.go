package notify

import (
	"strings"
	"testing"
)

func TestCountSegments(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Segments
	}{
		{"empty", "", Segments{GSM7, 0, 0}},
		{"160 GSM characters fit one message", strings.Repeat("a", 160), Segments{GSM7, 160, 1}},
		{"161 GSM characters need two", strings.Repeat("a", 161), Segments{GSM7, 161, 2}},
		{"306 GSM characters fit two", strings.Repeat("a", 306), Segments{GSM7, 306, 2}},
		{"307 GSM characters need three", strings.Repeat("a", 307), Segments{GSM7, 307, 3}},
		{"euro sign counts two septets", strings.Repeat("a", 158) + "€", Segments{GSM7, 160, 1}},
		{"extension character tips over", strings.Repeat("a", 159) + "€", Segments{GSM7, 161, 2}},
		{"a euro sign on a part boundary moves to the next part", strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), Segments{GSM7, 306, 3}},
		{"the same length without extension characters fits two", strings.Repeat("a", 306), Segments{GSM7, 306, 2}},
		{"a caret and braces count two septets each", "^{}" + strings.Repeat("a", 154), Segments{GSM7, 160, 1}},
		{"an emoji on a part boundary moves to the next part", strings.Repeat("á", 66) + "📦" + strings.Repeat("á", 66), Segments{UCS2, 134, 3}},
		{"accents in the GSM alphabet stay GSM", "éèùìòàñüÑÜÇ", Segments{GSM7, 11, 1}},
		{"lowercase ç forces UCS-2", "Ça va, ça", Segments{UCS2, 9, 1}},
		{"ó forces UCS-2", "Próximo", Segments{UCS2, 7, 1}},
		{"70 UCS-2 characters fit one", strings.Repeat("á", 70), Segments{UCS2, 70, 1}},
		{"71 UCS-2 characters need two", strings.Repeat("á", 71), Segments{UCS2, 71, 2}},
		{"134 UCS-2 characters fit two", strings.Repeat("ó", 134), Segments{UCS2, 134, 2}},
		{"emoji count two UTF-16 units", strings.Repeat("a", 68) + "📦", Segments{UCS2, 70, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountSegments(tt.text); got != tt.want {
				t.Errorf("CountSegments(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}
