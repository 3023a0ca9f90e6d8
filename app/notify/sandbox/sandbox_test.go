package sandbox

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// maxHostileAlloc is what one hostile render may allocate: two of them at
// once must fit, with the app, in the 512 MB machine of fly.toml.
const maxHostileAlloc = 64 << 20

func vars() map[string]any {
	return map[string]any{
		"shop": map[string]any{"name": "Maple & Co"},
		"order": map[string]any{"name": "#1042", "number": 1042, "line_items": []any{
			map[string]any{"title": "Mug", "quantity": 2}, map[string]any{"title": "Tea", "quantity": 1},
		}},
		"big": strings.Repeat("abcdefghij", 3000), // 30 KB, under the value limit
	}
}

// measured renders src and reports the bytes allocated meanwhile and the
// goroutines still running the template engine once it has returned.
func measured(ctx context.Context, t *testing.T, e *Engine, src string) (alloc uint64, rendering int, err error) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = e.Render(ctx, "hostile", src, vars(), Options{})
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, renderingGoroutines(), err
}

// renderingGoroutines counts the goroutines, other than the caller, with the
// template engine on their stack. Counting all goroutines would also count
// the runtime's own, such as the one a context's timer starts to cancel it.
func renderingGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i > 0 && strings.Contains(g, "github.com/osteele/liquid/") {
			n++
		}
	}
	return n
}

// hostile is a template built to exhaust memory or CPU, and the limit it
// must run into.
type hostile struct{ name, src, want string }

func hostileTemplates() []hostile {
	double := func(stmt string, n int) string { return strings.Repeat(stmt, n) }
	items := strings.TrimSuffix(strings.Repeat("x,", 999), ",")
	return []hostile{
		{"url_encode growth", `{% assign s = "%%%%%%%%" %}` + double(`{% assign s = s | url_encode | replace: "2", "%" | replace: "5", "%" %}`, 20), "value too large"},
		{"split into a huge list", `{{ big | split: "" | sort | join: "" }}`, "list too large"},
		{"split, sort and encode in a loop", `{% assign s = big | slice: 0, 900 %}{% for i in (1..100000) %}{% assign a = s | split: "" | sort | join: "%" | url_encode %}{% endfor %}`, "steps"},
		{"string filters in a loop", `{% for i in (1..100000) %}{% assign a = big | slice: 0, 10000 | url_encode | upcase | downcase %}{% endfor %}`, "MB of values"},
		{"endfor hidden in a comment", `{% for a in (1..1000) %}{% comment %}{% endfor %}{% endcomment %}{% for b in (1..1000) %}{% for c in (1..1000) %}{% assign k = c %}{% endfor %}{% endfor %}{% endfor %}`, "steps"},
		{"loops over split lists", `{% assign xs = "` + items + `" | split: "," %}{% for a in xs %}{% for b in xs %}{% for c in xs %}{% assign k = c %}{% endfor %}{% endfor %}{% endfor %}`, "steps"},
		{"render that only assigns", `{% for i in (1..100000000) %}{% assign k = i %}{% endfor %}`, "steps"},
		{"empty loop body", `{% for i in (1..100000000) %}{% endfor %}`, "steps"},
		{"huge times as a range bound", `{% assign n = 100000 | times: 100000 | floor %}{% for i in (1..n) %}{% if i == 0 %}{% endif %}{% endfor %}`, "steps"},
		{"huge times range into a filter", `{% assign n = 100000 | times: 100000 | floor %}{{ (1..n) | join: "," }}`, "list too large"},
		{"sort of a huge range", `{{ (1..10000000) | sort | first }}`, "list too large"},
		{"sort of a doubled list", `{% assign a = "x,y" | split: "," %}` + double(`{% assign a = a | concat: a %}`, 20) + `{{ a | sort | size }}`, "list too large"},
		{"list of long strings joined", `{% assign a = big | split: "," %}` + double(`{% assign a = a | concat: a %}`, 12) + `{{ a | join: big }}`, "list too large"},
		{"append doubling", `{% assign s = "xxxxxxxx" %}` + double(`{% assign s = s | append: s %}`, 40), "value too large"},
		{"prepend doubling", `{% assign s = "xxxxxxxx" %}` + double(`{% assign s = s | prepend: s %}`, 40), "value too large"},
		{"replace multiplying", `{{ big | replace: "", big }}`, "value too large"},
		{"capture doubling", `{% assign s = "xxxxxxxx" %}` + double(`{% capture s %}{{ s }}{{ s }}{% endcapture %}`, 40), "value too large"},
		{"nested captures in loops", `{% for i in (1..1000) %}{% capture a %}{% for j in (1..100) %}{% capture b %}{{ big }}{% endcapture %}{% endfor %}{% endcapture %}{% endfor %}`, "MB of values"},
		{"output flood", `{% for i in (1..100000) %}{{ big }}{% endfor %}`, "output too large"},
		{"tablerow flood", `{% tablerow i in (1..100000000) cols:3 %}{% cycle "a", "b" %}{% endtablerow %}`, "output too large"},
		{"json of a long list", `{% assign a = big | split: "," %}` + double(`{% assign a = a | concat: a %}`, 5) + `{{ a | json }}`, "too large"},
		{"upcase of a long list", `{% assign a = big | split: "," %}` + double(`{% assign a = a | concat: a %}`, 12) + `{{ a | upcase }}`, "list too large"},
	}
}

// TestHostileTemplatesStopAtALimit renders templates built to exhaust
// memory or CPU, each through a different path, and checks that each stops
// with a limit error, allocates at most 64 MB meanwhile, and leaves no
// goroutine behind. Without the limits these ran for seconds and took
// hundreds of megabytes (the first one 400 MB, the loops 15 s and more).
func TestHostileTemplatesStopAtALimit(t *testing.T) {
	tests := hostileTemplates()
	// A minute, not the default 2 s: the limit that stops each template is
	// what this test checks, and a busy machine must not reach the deadline
	// first (TestRenderStopsAtItsDeadline checks the deadline).
	e := New(Config{Limits: Limits{Timeout: time.Minute}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alloc, leftover, err := measured(context.Background(), t, e, tt.src)
			t.Logf("%d bytes of source, %.1f MB allocated: %v", len(tt.src), float64(alloc)/(1<<20), err)
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Render = %v, want a limit error saying %q", err, tt.want)
			}
			if alloc > maxHostileAlloc {
				t.Errorf("render allocated %d MB, want at most %d MB", alloc>>20, maxHostileAlloc>>20)
			}
			if leftover != 0 {
				t.Errorf("%d goroutines still rendering after Render returned, want 0", leftover)
			}
		})
	}
}

// TestConcurrentRendersKeepTheirOwnBudgets renders hostile and ordinary
// templates at once through one engine: each render is charged to its own
// budget (an engine instance serves one render at a time), so the hostile
// ones fail and the ordinary ones are untouched.
func TestConcurrentRendersKeepTheirOwnBudgets(t *testing.T) {
	e := New(Config{})
	const ok = `{% for li in order.line_items %}{% cycle "a", "b" %}{{ li.title | upcase }}{% endfor %}`
	const hostile = `{% for i in (1..100000000) %}{% assign k = i | plus: 1 %}{% endfor %}`
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			if i%2 == 0 {
				out, err := e.Render(context.Background(), "ok", ok, vars(), Options{})
				if err == nil && out != "aMUGbTEA" {
					err = errors.New("ordinary render gave " + out)
				}
				errs <- err
				return
			}
			_, err := e.Render(context.Background(), "hostile", hostile, vars(), Options{})
			if !errors.Is(err, ErrLimit) {
				err = errors.New("hostile render was not stopped")
			} else {
				err = nil
			}
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestLimitErrorsNameTheLine checks that a template stopped by a limit says
// where: the merchant fixes that line.
func TestLimitErrorsNameTheLine(t *testing.T) {
	e := New(Config{})
	_, err := e.Render(context.Background(), "t", "Hello\n{{ shop.name }}\n{% for i in (1..10000000) %}{% endfor %}", vars(), Options{})
	var se *Error
	if !errors.As(err, &se) || se.Line != 3 || !errors.Is(err, ErrLimit) {
		t.Fatalf("Render = %#v, want a limit *Error on line 3", err)
	}
}

// TestRenderStopsWhenTheCallerCancels cancels the caller's context from
// inside the tenth iteration of an endless loop: the render stops at its
// next step, on the caller's goroutine, with the caller's error.
func TestRenderStopsWhenTheCallerCancels(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	e := New(Config{Filters: func(func() any) map[string]any {
		return map[string]any{"tick": func(v any) any {
			if calls++; calls == 10 {
				cancel()
			}
			return v
		}}
	}})
	_, err := e.Render(ctx, "t", `{% for i in (1..100000000) %}{% assign k = i | tick %}{% endfor %}`, nil, Options{})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrLimit) {
		t.Fatalf("Render = %v, want context.Canceled", err)
	}
	if calls != 10 {
		t.Errorf("the filter ran %d times, want 10: the render went on after the cancel", calls)
	}
	if n := renderingGoroutines(); n != 0 {
		t.Errorf("%d goroutines still rendering after Render returned, want 0", n)
	}
}

// TestRenderStopsAtItsDeadline makes the first step outlast the timeout:
// the render stops at the next step with a limit error, without waiting for
// the loop or leaving a goroutine running it.
func TestRenderStopsAtItsDeadline(t *testing.T) {
	calls := 0
	lim := DefaultLimits
	lim.Timeout = time.Millisecond
	e := New(Config{Limits: lim, Filters: func(func() any) map[string]any {
		return map[string]any{"slow": func(v any) any {
			calls++
			time.Sleep(5 * time.Millisecond)
			return v
		}}
	}})
	_, err := e.Render(context.Background(), "t", `{% for i in (1..100000000) %}{% assign k = i | slow %}{% endfor %}`, nil, Options{})
	if !errors.Is(err, ErrLimit) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("Render = %v, want a deadline limit error", err)
	}
	if calls != 1 {
		t.Errorf("the filter ran %d times, want 1: the render went on past its deadline", calls)
	}
	if n := renderingGoroutines(); n != 0 {
		t.Errorf("%d goroutines still rendering after Render returned, want 0", n)
	}
}

// TestTagsBehaveAsLiquid covers the tags this package defines in place of
// the library's.
func TestTagsBehaveAsLiquid(t *testing.T) {
	e := New(Config{})
	for _, tt := range tagExamples() {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Render(context.Background(), "t", tt.src, vars(), Options{})
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func tagExamples() []struct{ name, src, want string } {
	return []struct{ name, src, want string }{
		{"for over a list", `{% for li in order.line_items %}{{ li.quantity }}×{{ li.title }};{% endfor %}`, "2×Mug;1×Tea;"},
		{"forloop variables", `{% for i in (1..3) %}{{ forloop.index }}{{ forloop.index0 }}{{ forloop.rindex }}{{ forloop.rindex0 }}{{ forloop.first }}{{ forloop.last }}{{ forloop.length }} {% endfor %}`, "1032truefalse3 2121falsefalse3 3210falsetrue3 "},
		{"else on an empty list", `{% for x in order.nothing %}x{% else %}none{% endfor %}`, "none"},
		{"limit and offset", `{% for i in (1..9) limit:3 offset:2 %}{{ i }}{% endfor %}`, "345"},
		{"reversed after offset and limit", `{% for i in (1..9) reversed offset:2 limit:3 %}{{ i }}{% endfor %}`, "543"},
		{"break and continue", `{% for i in (1..9) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}`, "134"},
		{"loop variable restored", `{% assign i = "x" %}{% for i in (1..2) %}{{ i }}{% endfor %}{{ i }}`, "12x"},
		{"nested loops", `{% for a in (1..2) %}{% for b in (1..2) %}{{ a }}{{ b }} {% endfor %}{% endfor %}`, "11 12 21 22 "},
		{"cycle", `{% for i in (1..4) %}{% cycle "a", "b", "c" %}{% endfor %}`, "abca"},
		{"named cycles", `{% for i in (1..3) %}{% cycle "x": "1", "2" %}{% cycle "y": "1", "2" %}{% endfor %}`, "112211"},
		{"tablerow", `{% tablerow i in (1..3) cols:2 %}{{ i }}{% endtablerow %}`, `<tr class="row1"><td class="col1">1</td><td class="col2">2</td></tr><tr class="row2"><td class="col1">3</td></tr>`},
		{"capture", `{% capture s %}{{ shop.name }} #{{ order.number }}{% endcapture %}[{{ s }}]`, "[Maple & Co #1042]"},
		{"if elsif else", `{% if order.number > 2000 %}a{% elsif order.number > 1000 %}b{% else %}c{% endif %}`, "b"},
		{"unless else", `{% unless order.cod %}prepaid{% else %}cod{% endunless %}`, "prepaid"},
		{"case when else", `{% case order.name %}{% when "#1", "#1042" %}hit{% else %}miss{% endcase %}{% case 3 %}{% when 1 %}one{% else %}other{% endcase %}`, "hitother"},
		{"comment and raw", `a{% comment %}{% for %}{% endcomment %}b{% raw %}{{ x }}{% endraw %}`, "ab{{ x }}"},
		{"whitespace control", "{%- assign x = 1 -%}\n  [ {{- x -}} ]  ", "[1]  "},
		{"map over a hash", `{% for p in shop %}{{ p[0] }}={{ p[1] }}{% endfor %}`, "name=Maple & Co"},
		{"filters within limits", `{{ "a,b,a" | split: "," | uniq | sort | reverse | join: "-" | upcase | append: "!" }}`, "B-A!"},
	}
}

// TestTemplateErrorsKeepTheirLine checks errors a merchant makes, now
// reported by this package's tags.
func TestTemplateErrorsKeepTheirLine(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"include is undefined", "a\n{% include 'secrets' %}", 2, "include"},
		{"render is undefined", "{% render 'x' %}", 1, "render"},
		{"break outside a loop", "a\nb\n{% break %}", 3, "break outside a loop"},
		{"cycle outside a loop", "{% cycle 'a', 'b' %}", 1, "cycle must be within a for loop"},
		{"bad capture name", "\n{% capture a b %}{% endcapture %}", 2, "capture takes one variable name"},
		{"dotted assign", "{% assign a.b = 1 %}", 1, "no dots"},
		{"non-integer limit", "\n\n{% for i in (1..3) limit: 'x' %}{% endfor %}", 3, "limit must be an integer"},
		{"undefined variable when strict", "ok\n{{ nope }}", 2, "undefined variable"},
		{"unknown filter", "{{ 1 | nofilter }}", 1, "nofilter"},
	}
	e := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Render(context.Background(), "t", tt.src, vars(), Options{Strict: true})
			var se *Error
			if !errors.As(err, &se) || se.Line != tt.line || !strings.Contains(se.Message, tt.want) {
				t.Errorf("Render = %#v, want line %d saying %q", err, tt.line, tt.want)
			}
		})
	}
}

// TestCompiledTemplatesStayWithinTheCacheBound previews a hundred distinct
// 20 KB templates, as merchants typing in the editor would: the cache of
// compiled templates keeps at most maxCached bytes of source.
func TestCompiledTemplatesStayWithinTheCacheBound(t *testing.T) {
	e := New(Config{})
	for i := range 100 {
		src := fmt.Sprintf("%d %s", i, strings.Repeat("{{ shop.name }}", 20<<10/15))
		if _, err := e.Render(context.Background(), "t", src, vars(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for k := range e.cache {
		total += len(k.name) + len(k.src)
	}
	if total != e.cached || total > maxCached || len(e.cache) == 0 {
		t.Errorf("cache holds %d templates, %d bytes of source (counted %d); want some, at most %d bytes", len(e.cache), total, e.cached, maxCached)
	}
}
