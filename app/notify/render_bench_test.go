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
