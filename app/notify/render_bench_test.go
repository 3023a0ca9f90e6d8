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
// reads, replacers and money formatters once made it 1,300, rendering the
// shipped templates through the Liquid library rather than plans 366.
func TestComposeAllocatesLittle(t *testing.T) {
	var r Renderer
	data := SampleData("en")
	ctx := context.Background()
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := r.Compose(ctx, tracking.TriggerOutForDelivery, ChannelEmail, nil, data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 150 {
		t.Errorf("Compose allocates %.0f times per email; want at most 150", allocs)
	}
}

// TestTidyTextCollapsesBlankRuns pins what the plain-text parts look like
// after the tags' leftover whitespace is trimmed.
func TestTidyTextCollapsesBlankRuns(t *testing.T) {
	for in, want := range map[string]string{
		"Hi  \nthere\t\r\n":                 "Hi\nthere",
		"a\n\nb":                            "a\n\nb",
		"a\n  \n\t\n\nb":                    "a\n\nb",
		"\n\n  Hello\n\n\n\nTrack: x\n  \n": "Hello\n\nTrack: x",
		"one\ntwo\n\u00a0\nthree":           "one\ntwo\n\u00a0\nthree",
		"":                                  "",
	} {
		if got := tidyText(in); got != want {
			t.Errorf("tidyText(%q) = %q; want %q", in, got, want)
		}
	}
}
