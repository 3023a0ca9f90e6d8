package notify

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func TestValidateReportsErrorLine(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{"unclosed if on line 3", "Hello\n{{ shop.name }}\n{% if shipment.eta %}\nno end", 3, "unterminated"},
		{"unknown variable on line 2", "Hi {{ customer.first_name }}\nYour {{ order.nmae }}\n", 2, "undefined variable"},
		{"unknown top-level variable on line 4", "a\nb\nc\n{{ shopper.name }}", 4, "undefined variable"},
		{"unknown filter on line 2", "ok\n{{ order.total | monee: order.currency }}", 2, "monee"},
		{"include tag is not available", "line one\n{% include 'secrets' %}", 2, "include"},
		{"render tag is not available", "{% render 'other' %}", 1, "render"},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Validate(context.Background(), PartSMS, "en", tt.src)
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("Validate(%q) = %v, want a *TemplateError", tt.src, err)
			}
			if te.Line != tt.wantLine || !strings.Contains(te.Message, tt.wantMsg) {
				t.Errorf("got line %d %q, want line %d containing %q", te.Line, te.Message, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

// TestValidateRejectsExpensiveTemplates renders templates that exhaust CPU
// or memory on the sample order, including the ones that got past the old
// checks of the source text ({% endfor %} hidden in a comment, loops over
// split lists, renders that only assign): each is rejected on the line
// where it ran over a limit, allocating at most 64 MB, and leaves no render
// running once Validate has returned.
func TestValidateRejectsExpensiveTemplates(t *testing.T) {
	xs := strings.TrimSuffix(strings.Repeat("x,", 1000), ",")
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{"huge literal range", "x\n{% for i in (1..1000000) %}{% endfor %}", 2, "steps"},
		{"endfor hidden in a comment", "{% for a in (1..100) %}{% comment %}{% endfor %}{% endcomment %}\n{% for b in (1..100) %}{% comment %}{% endfor %}{% endcomment %}{% for c in (1..100) %}{% for d in (1..100) %}{% assign k = d %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}", 2, "steps"},
		{"loops over split lists", "{% assign xs = '" + xs + "' | split: ',' %}\n{% for a in xs %}{% for b in xs %}{% assign k = b %}{% endfor %}{% endfor %}", 2, "steps"},
		{"url_encode growth", "{% assign s = '%%%%%%%%' %}" + strings.Repeat("\n{% assign s = s | url_encode | replace: '2', '%' | replace: '5', '%' %}", 20), 9, "too large"},
		{"split and sort a long string", "{% assign s = order.name | append: '0123456789' %}" + strings.Repeat("{% assign s = s | append: s %}", 10) + "\n{{ s | split: '' | sort | join: '' }}", 2, "list too large"},
		{"oversized source", strings.Repeat("a", MaxTemplateBytes+1), 0, "limit"},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			alloc, left := measureRender(func() { err = r.Validate(context.Background(), PartEmailText, "en", tt.src) })
			var te *TemplateError
			if !errors.As(err, &te) || !errors.Is(err, ErrTooExpensive) {
				t.Fatalf("Validate = %v, want a *TemplateError for a template too expensive", err)
			}
			if te.Line != tt.wantLine || !strings.Contains(te.Message, tt.wantMsg) {
				t.Errorf("got line %d %q, want line %d containing %q", te.Line, te.Message, tt.wantLine, tt.wantMsg)
			}
			if alloc > 64<<20 {
				t.Errorf("Validate allocated %d MB, want at most 64 MB", alloc>>20)
			}
			if left != 0 {
				t.Errorf("%d renders still running after Validate returned, want 0", left)
			}
		})
	}
}

// measureRender runs f and returns the bytes allocated meanwhile and the
// goroutines still running the template engine once it has returned.
func measureRender(f func()) (alloc uint64, rendering int) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i > 0 && strings.Contains(g, "github.com/osteele/liquid/") {
			rendering++
		}
	}
	return after.TotalAlloc - before.TotalAlloc, rendering
}

// TestValidateAcceptsWhatTheLimitsAllow: what the old checks of the source
// text refused without need (capture, a range bound from a variable, three
// nested loops) is accepted when it renders within the limits.
func TestValidateAcceptsWhatTheLimitsAllow(t *testing.T) {
	tests := []struct{ name, src string }{
		{"range bound from a variable", "{% assign n = order.line_items | size %}{% for i in (1..n) %}{{ i }}{% endfor %}"},
		{"loops nested three deep", "{% for a in (1..5) %}{% for b in (1..5) %}{% for c in (1..5) %}{{ c }}{% endfor %}{% endfor %}{% endfor %}"},
		{"capture", "{% capture s %}{{ shop.name }} {{ order.name }}{% endcapture %}{{ s | upcase }}"},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := r.Validate(context.Background(), PartEmailText, "en", tt.src); err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
}

// TestValidateRejectsValuesThatGrowWithoutOutput covers templates that would
// exhaust memory without writing a byte: doubling a string or list with
// assign or capture.
func TestValidateRejectsValuesThatGrowWithoutOutput(t *testing.T) {
	double := func(stmt string) string { return strings.Repeat(stmt+"\n", 40) }
	tests := []struct {
		name string
		src  string
	}{
		{"append doubling", "{% assign s = 'xxxxxxxx' %}" + double("{% assign s = s | append: s %}")},
		{"prepend doubling", "{% assign s = 'xxxxxxxx' %}" + double("{% assign s = s | prepend: s %}")},
		{"replace growth", "{% assign s = 'xxxxxxxx' %}" + double("{% assign s = s | replace: 'x', 'xx' %}")},
		{"concat doubling", "{% assign a = 'x,y' | split: ',' %}" + double("{% assign a = a | concat: a %}")},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Validate(context.Background(), PartEmailText, "en", tt.src)
			var te *TemplateError
			if !errors.As(err, &te) || !strings.Contains(te.Message, "too large") {
				t.Fatalf("Validate = %v, want a TemplateError saying the value is too large", err)
			}
		})
	}
}

func TestGrowthFiltersKeepStandardBehaviour(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{{ 'a' | append: 'b' | prepend: 'c' }}", "cab"},
		{"{{ 'a-b-a' | replace: 'a', 'x' }} {{ 'a-b-a' | replace_first: 'a', 'x' }} {{ 'a-b-a' | replace_last: 'a', 'x' }}", "x-b-x x-b-a a-b-x"},
		{"{% assign l = 'a,b' | split: ',' %}{{ l | concat: l | join: '+' }} {{ l | join }}", "a+b+a+b a b"},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := r.Render(context.Background(), Template{Name: "t", Part: PartSMS, Source: tt.src}, SampleData("en"))
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestValidateAcceptsBoundedLoops(t *testing.T) {
	src := "{% for i in (1..100) %}{% for item in order.line_items %}{{ item.title }}{% endfor %}{% endfor %}\n" +
		"{% for item in order.line_items %}{{ item.quantity }}{% endfor %}"
	var r Renderer
	if err := r.Validate(context.Background(), PartEmailText, "en", src); err != nil {
		t.Fatalf("Validate rejected a bounded template: %v", err)
	}
}

func TestRenderStopsAtOutputLimit(t *testing.T) {
	r := Renderer{MaxOutput: 1000}
	src := "{% for i in (1..100) %}{% for j in (1..100) %}0123456789{% endfor %}{% endfor %}"
	_, err := r.Render(context.Background(), Template{Name: "big", Part: PartSMS, Source: src}, SampleData("en"))
	if !errors.Is(err, ErrOutputTooLarge) {
		t.Fatalf("Render = %v, want ErrOutputTooLarge", err)
	}
}

func TestRenderStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var r Renderer
	_, err := r.Render(ctx, Template{Name: "t", Part: PartSMS, Source: "{{ shop.name }}"}, SampleData("en"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Render with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestRenderEscapesHTMLOnlyInEmailHTML(t *testing.T) {
	data := SampleData("en")
	data.Shop.Name = `<script>alert("x")</script> & Co`
	tests := []struct {
		part Part
		want string
	}{
		{PartEmailHTML, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co"},
		{PartEmailText, `<script>alert("x")</script> & Co`},
		{PartSMS, `<script>alert("x")</script> & Co`},
		{PartWhatsApp, `<script>alert("x")</script> & Co`},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(string(tt.part), func(t *testing.T) {
			got, err := r.Render(context.Background(), Template{Name: "t", Part: tt.part, Source: "[{{ shop.name }}]"}, data)
			if err != nil {
				t.Fatal(err)
			}
			if got != "["+tt.want+"]" {
				t.Errorf("got %q, want %q", got, "["+tt.want+"]")
			}
		})
	}
}

func TestDefaultEmailHTMLEscapesShopperData(t *testing.T) {
	data := SampleData("en")
	data.Customer.FirstName = `<img src=x onerror=alert(1)>`
	var r Renderer
	msg, err := r.Compose(context.Background(), tracking.TriggerShipped, ChannelEmail, nil, data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(msg.HTML, "<img src=x") || !strings.Contains(msg.HTML, "&lt;img src=x") {
		t.Errorf("email HTML did not escape the shopper's name:\n%s", msg.HTML)
	}
	if !strings.Contains(msg.Text, "<img src=x") {
		t.Errorf("plain-text email should keep the name verbatim:\n%s", msg.Text)
	}
}

func TestLookupPrefersOverrideThenLocaleThenEnglish(t *testing.T) {
	tests := []struct {
		name, override, locale, wantName string
	}{
		{"override wins", "Custom {{ shop.name }}", "fr", "custom delayed.sms"},
		{"blank override uses default", "  \n", "fr-CA", "fr/delayed.sms"},
		{"region is ignored", "", "de-AT", "de/delayed.sms"},
		{"unknown language falls back to English", "", "sv-SE", "en/delayed.sms"},
		{"a language with SMS only", "", "pt-BR", "pt/delayed.sms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Lookup(tt.override, tt.locale, tracking.TriggerDelayed, PartSMS)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.wantName {
				t.Errorf("got %q, want %q", got.Name, tt.wantName)
			}
		})
	}
}

func TestFiltersWriteDatesAndMoneyInShopperLocaleAndZone(t *testing.T) {
	// 2026-03-05 23:30 UTC is still Thursday in New York, already Friday in Berlin.
	at := time.Date(2026, time.March, 5, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		locale, zone, src, want string
	}{
		{"en", "America/New_York", "{{ shipment.delivered_at | local_date }}", "Thursday, March 5"},
		{"de", "Europe/Berlin", "{{ shipment.delivered_at | local_date }}", "Freitag, 6. März"},
		{"fr", "Europe/Paris", "{{ shipment.delivered_at | local_date: 'time' }}", "0 h 30"},
		{"es", "Europe/Madrid", "{{ shipment.delivered_at | local_date: 'short' }}", "vie, 6 mar"},
		{"en", "America/New_York", "{{ order.total | money: order.currency }}", "$1,234.50"},
		{"de", "Europe/Berlin", "{{ order.total | money: order.currency }}", "1.234,50\u00a0€"},
		{"fr", "Europe/Paris", "{{ order.total | money: order.currency }}", "1\u202f234,50\u00a0€"},
		{"en", "America/New_York", "{{ shipment.eta | eta_window }}", "Thursday, March 5, 9:00 AM – 1:00 PM"},
		{"es", "Europe/Madrid", "{{ shipment.eta | eta_window: 'phrase' }}", "el viernes, 6 de marzo, entre las 9:00 y las 13:00"},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.src, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			d := SampleData(tt.locale)
			d.Customer.TimeZone = tt.zone
			d.Shipment.DeliveredAt = at
			d.Order.Total, d.Order.Currency = "1234.5", map[string]string{"en": "USD"}[tt.locale]
			if d.Order.Currency == "" {
				d.Order.Currency = "EUR"
			}
			day := time.Date(2026, time.March, 5, 0, 0, 0, 0, loc)
			if tt.locale == "es" {
				day = day.AddDate(0, 0, 1)
			}
			d.Shipment.ETA = ETA{Window: tracking.Window{Earliest: day.Add(9 * time.Hour), Latest: day.Add(13 * time.Hour)}}
			got, err := r.Render(context.Background(), Template{Name: "t", Part: PartSMS, Source: tt.src}, d)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A date-only estimate is stored as midnight UTC of its day: it reads as
// that day on both sides of UTC, not the day before west of it.
func TestDateOnlyEstimatesKeepTheirDayInEveryZone(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.December, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		zone string
		eta  tracking.Window
		src  string
		want string
	}{
		{"America/Los_Angeles", tracking.Window{Earliest: day(8), Latest: day(8)}, "{{ shipment.eta | eta_window }}", "Tuesday, December 8"},
		{"Asia/Tokyo", tracking.Window{Earliest: day(8), Latest: day(8)}, "{{ shipment.eta | eta_window }}", "Tuesday, December 8"},
		{"America/Los_Angeles", tracking.Window{Earliest: day(4), Latest: day(8)}, "{{ shipment.eta | eta_window }}", "Friday, December 4 – Tuesday, December 8"},
		{"Pacific/Honolulu", tracking.Window{Earliest: day(4), Latest: day(8)}, "{{ shipment.eta | eta_window: 'phrase' }}", "between Friday, December 4 and Tuesday, December 8"},
	}
	var r Renderer
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.src, func(t *testing.T) {
			d := SampleData("en")
			d.Customer.TimeZone = tt.zone
			d.Shipment.ETA = ETA{Window: tt.eta}
			got, err := r.Render(context.Background(), Template{Name: "t", Part: PartSMS, Source: tt.src}, d)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDefaultSMSStaysShort keeps the shipped SMS copy within three segments
// for the sample data in every language, the stop hint that closes a
// number's first SMS included, so a default message never costs more than
// that per shopper.
func TestDefaultSMSStaysShort(t *testing.T) {
	var r Renderer
	for _, lang := range Locales {
		for _, trig := range tracking.Triggers {
			t.Run(lang+"/"+string(trig), func(t *testing.T) {
				msg, err := r.Compose(context.Background(), trig, ChannelSMS, nil, SampleData(lang))
				if err != nil {
					t.Fatal(err)
				}
				first := msg.Text + " " + Replies(lang).StopHint
				for _, text := range []string{msg.Text, first} {
					if n := CountSegments(text); n.Count > 3 || n.Count < 1 {
						t.Errorf("SMS is %d segments (%s, %d units), want 1–3:\n%s", n.Count, n.Encoding, n.Units, text)
					}
				}
				t.Logf("%d segments (%s), %d with the stop hint", msg.Segments.Count, msg.Segments.Encoding, CountSegments(first).Count)
			})
		}
	}
}

// TestVoiceScriptsOfferTheDocumentedKeys checks that each default voice script
// says every digit VoiceOptions maps, in every language.
func TestVoiceScriptsOfferTheDocumentedKeys(t *testing.T) {
	var r Renderer
	for _, lang := range Locales {
		for _, trig := range tracking.Triggers {
			t.Run(lang+"/"+string(trig), func(t *testing.T) {
				msg, err := r.Compose(context.Background(), trig, ChannelVoice, nil, SampleData(lang))
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range VoiceOptions(trig) {
					// "… press 3." in most languages, "… 3 を押してください" in Japanese.
					if !strings.Contains(msg.Text, " "+o.Digit+".") && !strings.Contains(msg.Text, " "+o.Digit+" を") {
						t.Errorf("voice script does not offer %s (%s):\n%s", o.Digit, o.Action, msg.Text)
					}
				}
			})
		}
	}
}
