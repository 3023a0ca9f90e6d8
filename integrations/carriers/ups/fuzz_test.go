package ups

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzResult feeds arbitrary Track API bodies through the same decode and
// normalisation Track uses: whatever UPS answers, the result names the asked
// number, every event has a known stage, and events come oldest first (Merge
// and the trigger logic rely on both).
func FuzzResult(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		body, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`{"trackResponse":{"shipment":[{"package":[{"trackingNumber":"X","activity":[{"status":{"type":"Q"},"date":"2026","time":"99"}]}]}]}}`))
	c := New(Config{})
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp trackResponse
		if json.Unmarshal(body, &resp) != nil {
			return
		}
		const number = "1Z999AA10123456784"
		res := c.result(number, resp)
		if res.Number != number || res.Carrier != "ups" {
			t.Fatalf("result is for %s %s; want ups %s", res.Carrier, res.Number, number)
		}
		for i, e := range res.Events {
			if !e.Stage.Valid() {
				t.Fatalf("event %d has unknown stage %q", i, e.Stage)
			}
			if i > 0 && e.Time.Before(res.Events[i-1].Time) {
				t.Fatalf("event %d at %v precedes event %d at %v", i, e.Time, i-1, res.Events[i-1].Time)
			}
		}
		if res.NotFound && len(res.Events) > 0 {
			t.Fatalf("result is not found yet carries %d events", len(res.Events))
		}
	})
}
