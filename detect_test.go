package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestDetectPrintsCandidatesAsJSON(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		wantCarrier string
		wantValid   bool
	}{
		{"ups number", []string{"1Z999AA10123456784"}, "ups", true},
		{"company flag after the number", []string{"123456789012", "--company", "FedEx Express"}, "fedex", true},
		{"company flag before the number", []string{"--company", "FedEx Express", "123456789012"}, "fedex", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := runDetect(tt.args, &out); err != nil {
				t.Fatal(err)
			}
			var got []struct {
				Carrier         string  `json:"carrier"`
				Service         string  `json:"service"`
				CheckDigitValid bool    `json:"check_digit_valid"`
				Score           float64 `json:"score"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output is not a JSON array: %v\n%s", err, out.String())
			}
			if len(got) == 0 || got[0].Carrier != tt.wantCarrier || got[0].CheckDigitValid != tt.wantValid || got[0].Score <= 0 {
				t.Fatalf("best candidate = %+v; want %s with check digit valid=%v and a score", got, tt.wantCarrier, tt.wantValid)
			}
		})
	}
}

func TestDetectPrintsEmptyArrayForNonsense(t *testing.T) {
	var out bytes.Buffer
	if err := runDetect([]string{"hello"}, &out); err != nil {
		t.Fatal(err)
	}
	if got := bytes.TrimSpace(out.Bytes()); string(got) != "[]" {
		t.Fatalf("output = %s; want []", got)
	}
}

func TestDetectRejectsMissingOrExtraNumbers(t *testing.T) {
	for _, args := range [][]string{nil, {"1Z999AA10123456784", "1Z999AA10123456784"}} {
		if err := runDetect(args, &bytes.Buffer{}); err == nil {
			t.Errorf("detect %q succeeded; want an error", args)
		}
	}
}
