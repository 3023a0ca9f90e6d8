package sandbox

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/templates"
)

// TestPlansRenderAsTheLibrary renders templates a plan handles, and some
// it gives up on while rendering, with plans and through the library
// alone, and wants the same output or the same error.
func TestPlansRenderAsTheLibrary(t *testing.T) {
	for _, src := range []string{
		`Hi {{ shop.name }}, order {{ order.name }} ({{ order.number }})`,
		`{{ missing }}{{ shop.missing.deeper }}{{ order.line_items.size }} {{ shop.size }}`,
		`{{ order.line_items.first.title }} {{ order.line_items.last.quantity }} {{ big.size }}`,
		`{% if shop.name != "" %}a{% elsif order %}b{% else %}c{% endif %}`,
		`{% if shop.name == "Maple & Co" and order.number > 1000 %}yes{% endif %}`,
		`{% if missing or order.number < 5 or shop %}1{% endif %}{% if missing and shop or order %}2{% endif %}`,
		`{% if order.number >= 1042 %}ge{% endif %}{% if order.number <= 1041 %}le{% endif %}`,
		`{% unless missing %}u{% else %}e{% endunless %}{% unless shop %}u{% else %}e{% endunless %}`,
		`{% if order.line_items.size > 0 %}{% if true_ish %}x{% else %}{{ shop.name | upcase }}{% endif %}{% endif %}`,
		`{{ shop.name | append: ' & ' | append: order.name | downcase }}`,
		`{{ order.number | plus: 1 }} {{ "<b>" | append: '</b>' }}`,
		`{{ order.line_items | map: "title" | join: ", " }}`,
		`{% for i in order.line_items %}{{ forloop.index }}/{{ forloop.length }} {{ i.title }}{% if forloop.last %}.{% else %}, {% endif %}{% endfor %}`,
		`{% for i in order.line_items %}{% for j in order.line_items %}{{ i.title }}{{ j.quantity }}{{ forloop.rindex }}{% endfor %}{{ forloop.index0 }}{% endfor %}{{ i }}{{ forloop }}`,
		`{% for i in missing %}x{% else %}none{% endfor %}{% for shop in order.line_items %}{{ shop.title }}{% endfor %}{{ shop.name }}`,
		`{% for i in shop %}{{ i }}{% endfor %}{% for c in shop.name %}{{ c }}{% endfor %}`,
		`{% for i in order.line_items %}{{ forloop }}{% endfor %}`,
		`{{ shop | upcase }}`,
		`{{ order.number | divided_by: 0 }}`,
		`{{ shop.name | nonesuch }}`,
	} {
		for _, html := range []bool{false, true} {
			plans, library := New(Config{HTML: html}), New(Config{HTML: html, NoPlans: true})
			want, wantErr := library.Render(context.Background(), "t", src, vars(), Options{})
			got, err := plans.Render(context.Background(), "t", src, vars(), Options{})
			if got != want || !sameError(err, wantErr) {
				t.Errorf("%s (html %v): plans rendered %q, %v; the library %q, %v", src, html, got, err, want, wantErr)
			}
		}
	}
}

func sameError(a, b error) bool {
	var ea, eb *Error
	if errors.As(a, &ea) && errors.As(b, &eb) {
		return ea.Line == eb.Line && ea.Message == eb.Message
	}
	return a == nil && b == nil
}

// TestPlansCoverMessageShapes names templates that must render without the
// library, so a plan that silently stops applying is seen.
func TestPlansCoverMessageShapes(t *testing.T) {
	for src, want := range map[string]bool{
		`Hi {{ shop.name }}{% if order.number != "" and order %}!{% endif %}`: true,
		`{{ order.total | money: order.currency }} {{ x | f: 'phrase', 2 }}`:  true,
		`{% unless a %}{% else %}{% endunless %}`:                             true,
		`{% for i in order.line_items %}{{ i.title }}{% else %}-{% endfor %}`: true,
		`{% for i in order.line_items limit: 1 %}{{ i.title }}{% endfor %}`:   false,
		`{% for i in (1..3) %}{{ i }}{% endfor %}`:                            false,
		`{% assign x = 1 %}{{ x }}`:                                           false,
		`{{- shop.name -}}`:                                                   false,
		`{{ order.line_items[0] }}`:                                           false,
		`{{ shop.name | default: "x", allow_false: true }}`:                   false,
		`{% if a contains "b" %}{% endif %}`:                                  false,
		`{% if empty %}{% endif %}`:                                           false,
	} {
		e := New(Config{})
		c, err := e.compile(e.newInstance(), "t", src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := c.plan != nil; got != want {
			t.Errorf("%s has a plan: %v; want %v", src, got, want)
		}
	}
}

// TestShippedTemplatesHavePlans: every shipped message template renders
// through a plan, so a template edited into a shape plans do not cover is
// seen here rather than as a slower send job.
func TestShippedTemplatesHavePlans(t *testing.T) {
	e := New(Config{HTML: true})
	n := 0
	err := fs.WalkDir(templates.Messages, "messages", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templates.Messages, path)
		if err != nil {
			return err
		}
		c, err := e.compile(e.newInstance(), path, string(src))
		if err != nil {
			return err
		}
		if c.plan == nil {
			t.Errorf("%s has no plan", path)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walked %d shipped templates: %v", n, err)
	}
}

// TestPlanLimitErrorsNameTheLineOnce: a plan stopped by a limit names the
// line of the step that ran into it, as the library does, and is not
// rendered again by the library, which would spend the limits twice.
func TestPlanLimitErrorsNameTheLineOnce(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		line      int
		want      string
	}{
		{"values", "a\n" + strings.Repeat(`{% if big != "" %}{{ big | slice: 0, 5 }}{% endif %}`, 300), 2, "8 MB of values"},
		{"output", "a\nb\n{{ big }}{{ big }}\n" + strings.Repeat("{{ big }}\n", 10), 10, "output too large"},
		{"steps", "a\n{% for i in order.line_items %}" + strings.Repeat(`{% if i %}{% endif %}`, 5000) + "{% endfor %}", 2, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := New(Config{Limits: Limits{Timeout: time.Minute, Steps: 9000}})
			alloc, _, err := measured(context.Background(), t, e, tt.src)
			var se *Error
			if !errors.As(err, &se) || se.Line != tt.line || !errors.Is(err, ErrLimit) || !strings.Contains(se.Message, tt.want) {
				t.Fatalf("Render = %v, want a limit error on line %d saying %q", err, tt.line, tt.want)
			}
			if alloc > 48<<20 {
				t.Errorf("the render allocated %d MB; one render's limits allow about 34", alloc>>20)
			}
		})
	}
}

// TestPlanGivingUpSpendsTheLimitsOnce: a plan that gives up late (here on
// a list it cannot write) leaves the library what the plan did not spend,
// so a template cannot spend each limit once in its plan and again in the
// library: this one builds about 6 MB of values before the plan gives up,
// and as much again in the library, over the 8 MB one render may build.
func TestPlanGivingUpSpendsTheLimitsOnce(t *testing.T) {
	src := strings.Repeat(`{% if big != "" %}{{ big | slice: 0, 5 }}{% endif %}`, 200) + "\n{{ order.line_items }}"
	alone, _, err := measured(context.Background(), t, New(Config{NoPlans: true}), src)
	if err != nil {
		t.Fatalf("the library alone: %v", err)
	}
	alloc, _, err := measured(context.Background(), t, New(Config{}), src)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "8 MB of values") {
		t.Errorf("Render = %v, want the values limit", err)
	}
	if alloc > alone*3/2 {
		t.Errorf("the render allocated %d MB, the library alone %d MB", alloc>>20, alone>>20)
	}
}
