package sandbox

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/osteele/liquid/values"
)

// TestBindingsReadAsPlainMaps renders property reads, indexes, sizes,
// comparisons and missing keys over the render's variables and over the
// same maps reached through a list (which the engine reads the library's
// way): both read the same.
func TestBindingsReadAsPlainMaps(t *testing.T) {
	shop := map[string]any{"name": "Maple & Co", "size": "XL", "tags": []any{"a", "b"},
		"eta": map[string]any{"earliest": "Tue", "latest": nil}, "count": 2, "none": nil}
	vars := map[string]any{"shop": shop, "via": []any{shop}, "empty": map[string]any{}}
	e := New(Config{})
	for _, expr := range []string{
		"{{ %s.name }}", "{{ %s['name'] }}", "{{ %s.size }}", "{{ %s.eta.earliest }}", "{{ %s.eta.latest }}",
		"{{ %s.missing }}", "{{ %s.eta.missing.deeper }}", "{{ %s.tags.size }}", "{{ %s.tags[1] }}", "{{ %s.count | plus: 1 }}",
		"{% if %s %}yes{% else %}no{% endif %}", "{% if %s.none %}yes{% else %}no{% endif %}",
		"{% if %s.eta %}yes{% else %}no{% endif %}", "{% if %s contains 'name' %}yes{% else %}no{% endif %}",
		"{% if %s.name == 'Maple & Co' %}yes{% endif %}", "{% if %s == empty %}same{% else %}differ{% endif %}",
		"{% for k in %s.tags %}{{ k }}{% endfor %}", "{{ %s.eta | size }}", "{% assign c = %s %}{{ c.name }}",
	} {
		direct := renderAs(t, e, expr, "shop", vars)
		listed := renderAs(t, e, expr, "via.first", vars)
		if direct != listed {
			t.Errorf("%s: %q as a variable, %q through a list; want the same", expr, direct, listed)
		}
	}
	if _, err := e.Render(context.Background(), "t", "{{ shop.missing }}", vars, Options{Strict: true}); err == nil {
		t.Error("a missing key in strict mode rendered; want an undefined-variable error")
	}
	if b := (binding{"a": 1}); !b.Equal(values.ValueOf(map[string]any{"a": 1})) || !b.Test() || !b.Contains(values.ValueOf("a")) {
		t.Errorf("binding %v does not compare, test and contain as its map", b)
	}
}

func renderAs(t *testing.T, e *Engine, expr, name string, vars map[string]any) string {
	t.Helper()
	out, err := e.Render(context.Background(), "t", strings.ReplaceAll(expr, "%s", name), vars, Options{})
	if err != nil {
		return "error: " + err.Error()
	}
	return out
}

// TestStyledFiltersTakeArgumentsAsTheLibraryDoes: a filter of the messages'
// shape (a value and an optional style) is called without reflection, and
// reads its arguments as the library's reflective call of the same filter
// does — no style, a string, a number, nil, one too many.
func TestStyledFiltersTakeArgumentsAsTheLibraryDoes(t *testing.T) {
	styled := func(v any, style func(string) string) string { return fmt.Sprint(v) + "/" + style("long") }
	e := New(Config{Filters: func(func() any) map[string]any {
		return map[string]any{
			"fast": styled,
			"slow": func(v any, style func(string) string) any { return styled(v, style) }, // not the fast shape
		}
	}})
	vars := map[string]any{"d": "day", "none": nil}
	for _, args := range []string{"", ": 'short'", ": 5", ": none", ": 'a', 'b'"} {
		fast := renderAs(t, e, "{{ d | fast"+args+" }}", "", vars)
		slow := renderAs(t, e, "{{ d | slow"+args+" }}", "", vars)
		if strings.ReplaceAll(slow, "slow", "fast") != fast {
			t.Errorf("filter args %q: %q without reflection, %q through the library; want the same", args, fast, slow)
		}
	}
}
