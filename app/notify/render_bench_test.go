package notify

import (
	"context"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// BenchmarkComposeEmail composes the three parts of an email the way the
// send job does; `ordertrack bench -phases render` compares the same work
// with text/template.
func BenchmarkComposeEmail(b *testing.B) {
	var r Renderer
	data := SampleData("en")
	for b.Loop() {
		if _, err := r.Compose(context.Background(), tracking.TriggerOutForDelivery, ChannelEmail, nil, data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestComposeAllocatesLittle holds composing an email to a budget of
// allocations: every send job composes one, and per-call engines, template
// reads, replacers and money formatters once made it 1,300.
func TestComposeAllocatesLittle(t *testing.T) {
	var r Renderer
	data := SampleData("en")
	ctx := context.Background()
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := r.Compose(ctx, tracking.TriggerOutForDelivery, ChannelEmail, nil, data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 440 {
		t.Errorf("Compose allocates %.0f times per email; want at most 440", allocs)
	}
}
