package trackpage

import (
	"io"
	"testing"
)

// BenchmarkRender renders a one-parcel page in transit, the page every
// first view builds; BenchmarkRenderBaseline writes the same bytes, so the
// ratio is the template's cost over a write.
func BenchmarkRender(b *testing.B) {
	r, v := newRenderer(b), inTransit(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Render(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}
