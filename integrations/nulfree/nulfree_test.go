package nulfree

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestUnmarshalDropsNULFromStrings(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
	}{
		{"no escape", `{"a":"b"}`, map[string]string{"a": "b"}},
		{"one NUL", `{"note":"gift\u0000 wrap"}`, map[string]string{"note": "gift wrap"}},
		{"only NULs", `{"note":"\u0000\u0000"}`, map[string]string{"note": ""}},
		{"in a key", `{"no\u0000te":"x"}`, map[string]string{"note": "x"}},
		{"escaped backslash is text", `{"path":"C:\\u0000"}`, map[string]string{"path": `C:\u0000`}},
		{"backslash then NUL", `{"p":"\\\u0000"}`, map[string]string{"p": `\`}},
		{"escaped quote keeps the string open", `{"q":"say \"\u0000hi\""}`, map[string]string{"q": `say "hi"`}},
		{"other escapes stay", `{"t":"\u00e9\n\u0001\u0000"}`, map[string]string{"t": "é\n\x01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string]string
			if err := Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Unmarshal(%s) = %q; want %q", tt.in, got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("Unmarshal(%s)[%q] = %q; want %q", tt.in, k, got[k], v)
				}
			}
		})
	}
}

func TestUnmarshalStillRejectsBadJSON(t *testing.T) {
	tests := []string{
		"{\"a\":\"raw \x00 byte\"}",
		`{"a":"\u0000`,
		`\u0000`,
	}
	for _, in := range tests {
		var v map[string]string
		var syntax *json.SyntaxError
		if err := Unmarshal([]byte(in), &v); !errors.As(err, &syntax) {
			t.Errorf("Unmarshal(%q) error = %v; want a JSON syntax error", in, err)
		}
	}
}
