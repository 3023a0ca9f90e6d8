package sandbox

import (
	"context"
	"runtime"
	"testing"
)

// FuzzRenderStaysWithinLimits renders arbitrary sources, seeded with the
// hostile templates and the tag examples: whatever the source, no panic
// escapes, the output stays within its limit, the render allocates at most
// 64 MB and no goroutine is left running it.
func FuzzRenderStaysWithinLimits(f *testing.F) {
	for _, h := range hostileTemplates() {
		f.Add(h.src)
	}
	for _, tt := range tagExamples() {
		f.Add(tt.src)
	}
	e := New(Config{})
	f.Fuzz(func(t *testing.T, src string) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out, _ := e.Render(context.Background(), "fuzz", src, vars(), Options{})
		runtime.ReadMemStats(&after)
		if len(out) > DefaultLimits.Output {
			t.Errorf("output is %d bytes, over the %d limit", len(out), DefaultLimits.Output)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxHostileAlloc {
			t.Errorf("render allocated %d MB, want at most %d MB", alloc>>20, maxHostileAlloc>>20)
		}
		if n := renderingGoroutines(); n != 0 {
			t.Errorf("%d goroutines still rendering after Render returned", n)
		}
	})
}
