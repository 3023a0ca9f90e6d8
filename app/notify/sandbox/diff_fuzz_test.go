package sandbox

import (
	"context"
	"testing"
	"time"
)

// diffVars are vars() and values of every kind a plan handles or gives up
// on: false, nil, empty values, times, lists of mixed items, HTML.
func diffVars() map[string]any {
	v := vars()
	for k, x := range map[string]any{
		"f": false, "t": true, "n": nil, "e": []any{}, "s": "", "z": 0, "neg": -3, "num": "10",
		"tm":   time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"m":    map[string]any{"size": 7, "first": "x", "f": false, "l": []any{1, "2", nil, false, map[string]any{"a": "<b>"}}},
		"lst":  []any{1, "2", nil, false, map[string]any{"a": "<b>\"'&"}, []any{"x"}},
		"html": "<script>alert(1)</script>",
	} {
		v[k] = x
	}
	return v
}

// FuzzPlansRenderAsTheLibrary renders arbitrary sources with plans and
// through the library alone, as text and as HTML, and wants the same output
// or the same error: a plan is only a faster way to the library's result.
func FuzzPlansRenderAsTheLibrary(f *testing.F) {
	for _, src := range []string{
		`Hi {{ shop.name }}, order {{ order.name }} ({{ order.number }})`,
		`{% if shop.name == "Maple & Co" and order.number > 1000 %}yes{% endif %}`,
		`{% if missing or order.number < 5 or shop %}1{% endif %}`,
		`{% unless missing %}u{% else %}e{% endunless %}`,
		`{{ shop.name | append: ' & ' | append: order.name | downcase }}`,
		`{% for i in order.line_items %}{{ forloop.index }} {{ i.title | escape }}{% else %}-{% endfor %}`,
		`{% if order.number == "1042" %}s{% endif %}{% if order.line_items > 1 %}g{% endif %}`,
		`{{ shop.name | split: " " | first }}{{ big.size }}{{ order.line_items.first.title.size }}`,
		`{% if order.number >= big %}x{% endif %}{{ shop.name | safe }}{{ "<" | escape }}`,
		`{% if f == false %}a{% endif %}{% if n == nosuch %}b{% endif %}{% if e == s %}c{% endif %}{% if z == f %}d{% endif %}`,
		`{% if num > 9 %}a{% endif %}{% if neg < z %}c{% endif %}{% if s < z %}d{% endif %}{% if n >= n %}f{% endif %}{% if tm > z %}g{% endif %}`,
		`{{ m.size }} {{ m.first }} {{ m.l.size }} {{ m.l.last.a }} {{ lst.last.first }} {{ html.size }}`,
		`{% for x in lst %}[{{ x }}|{{ x.a }}|{{ x.size }}]{% if x > 0 %}p{% endif %}{% endfor %}{{ html }}{{ tm }}`,
		`{% if f or t and f %}x{% else %}y{% endif %}{{ s | default: "<d>" }}{{ n | default: html }}`,
	} {
		f.Add(src)
	}
	engines := map[bool][2]*Engine{}
	for _, html := range []bool{false, true} {
		engines[html] = [2]*Engine{New(Config{HTML: html}), New(Config{HTML: html, NoPlans: true})}
	}
	f.Fuzz(func(t *testing.T, src string) {
		for html, e := range engines {
			got, err := e[0].Render(context.Background(), "t", src, diffVars(), Options{})
			want, wantErr := e[1].Render(context.Background(), "t", src, diffVars(), Options{})
			if got != want || !sameError(err, wantErr) {
				t.Errorf("%q (html %v): plans rendered %q, %v; the library %q, %v", src, html, got, err, want, wantErr)
			}
		}
	})
}
