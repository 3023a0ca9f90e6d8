package trackpage

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

var update = flag.Bool("update", false, "rewrite the golden pages in testdata/")

// TestGoldenPages pins the rendered markup so every change to the templates,
// CSS or copy shows up as a reviewable diff. Run with -update to accept.
func TestGoldenPages(t *testing.T) {
	r := newRenderer(t)
	failed := inTransit(t)
	failed.Locale = "es"
	failed.Shipments[0].Stage = tracking.StageOutForDelivery
	failed.Shipments[0].Problem = tracking.ProblemFailedAttempt
	failed.Shipments[0].Actions = allActions(failed.Order.PlacedAt)

	pages := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"in-transit-en.html", func(b *bytes.Buffer) error { return r.Render(b, inTransit(t)) }},
		{"failed-attempt-es.html", func(b *bytes.Buffer) error { return r.Render(b, failed) }},
		{"multi-package-de-proxy.liquid", func(b *bytes.Buffer) error {
			v := bigOrder(t)
			v.Locale = "de"
			return r.RenderProxy(b, v)
		}},
		{"lookup-fr.html", func(b *bytes.Buffer) error {
			return r.RenderLookup(b, LookupView{Locale: "fr", Shop: shop(), FormAction: "/track", CSRF: "tok", NotFound: true})
		}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := p.render(&got); err != nil {
				t.Fatalf("render: %v", err)
			}
			path := filepath.Join("testdata", p.name)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatalf("create testdata: %v", err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatalf("write golden: %v", err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the golden file; run go test ./app/trackpage -run TestGoldenPages -update and review the diff", p.name)
			}
		})
	}
}
