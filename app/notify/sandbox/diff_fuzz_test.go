package sandbox

import (
	"context"
	"testing"
)

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
	} {
		f.Add(src)
	}
	engines := map[bool][2]*Engine{}
	for _, html := range []bool{false, true} {
		engines[html] = [2]*Engine{New(Config{HTML: html}), New(Config{HTML: html, NoPlans: true})}
	}
	f.Fuzz(func(t *testing.T, src string) {
		for html, e := range engines {
			got, err := e[0].Render(context.Background(), "t", src, vars(), Options{})
			want, wantErr := e[1].Render(context.Background(), "t", src, vars(), Options{})
			if got != want || !sameError(err, wantErr) {
				t.Errorf("%q (html %v): plans rendered %q, %v; the library %q, %v", src, html, got, err, want, wantErr)
			}
		}
	})
}
