package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/render"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

// Limits on merchant templates. Templates are untrusted input rendered on
// our servers for every shipment, so they are bounded at save time (size,
// loops) and at render time (output size, deadline).
const (
	MaxTemplateBytes = 20 << 10 // source size accepted at save time
	MaxLoopRange     = 100      // largest literal (a..b) range in a for loop
	MaxLoopDepth     = 2        // deepest nesting of for/tablerow loops
	MaxOutputBytes   = 256 << 10
	RenderTimeout    = 2 * time.Second
)

// ErrOutputTooLarge means a render produced more than the output limit.
var ErrOutputTooLarge = errors.New("template output too large")

// TemplateError is a problem with a template's source, reported to the
// merchant in the editor. Line is 1-based; 0 when the problem is not on one line.
type TemplateError struct {
	Line    int
	Message string
}

func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

// Template is one part of a message: its source and where it came from.
type Template struct {
	Name   string // for errors and logs, e.g. "fr/delayed.sms" or "shop 7 override"
	Part   Part
	Source string
}

// Renderer renders message templates in a sandbox: no file access (include
// and render tags are removed), HTML escaping for email bodies, bounded output
// and time. The zero value uses the package limits.
type Renderer struct {
	// MaxOutput overrides MaxOutputBytes when positive.
	MaxOutput int
	// Timeout overrides RenderTimeout when positive.
	Timeout time.Duration
}

// newEngine builds an engine for one shopper: the date and money filters
// close over their locale and time zone, which is why engines are not shared.
// Rendering a handful of messages per shipment makes this cheap enough.
func newEngine(part Part, locale, timeZone string, strict bool) *liquid.Engine {
	e := liquid.NewEngine()
	e.UnregisterTag("include")
	e.UnregisterTag("render")
	if part.HTML() {
		e.SetAutoEscapeReplacer(render.HtmlEscaper)
	}
	if strict {
		e.StrictVariables()
	}
	limitGrowth(e)
	df := newDateFormatter(locale, timeZone)
	e.RegisterFilter("local_date", func(v any, style func(string) string) string {
		t, ok := toTime(v)
		if !ok {
			return ""
		}
		return df.format(t, style("long"))
	})
	e.RegisterFilter("eta_window", func(v any, style func(string) string) string {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		e, _ := toTime(m["earliest"])
		l, _ := toTime(m["latest"])
		return df.window(e, l, style("long"))
	})
	e.RegisterFilter("money", func(v any, currency func(string) string) string {
		return money(df.lang, fmt.Sprint(v), currency(""))
	})
	return e
}

// Render renders t for data. Errors in the template come back as
// *TemplateError; running past the deadline or ctx returns the context's
// error, and too much output ErrOutputTooLarge.
func (r *Renderer) Render(ctx context.Context, t Template, data Data) (string, error) {
	return r.render(ctx, t, data, false)
}

func (r *Renderer) render(ctx context.Context, t Template, data Data, strict bool) (string, error) {
	// Stored templates were validated when saved; checking again is cheap and
	// keeps a template written around the editor from running unbounded.
	if err := checkSource(t.Source); err != nil {
		return "", err
	}
	eng := newEngine(t.Part, data.Customer.Locale, data.Customer.TimeZone, strict)
	tpl, perr := eng.ParseTemplateLocation([]byte(t.Source), t.Name, 1)
	if perr != nil {
		return "", templateError(perr)
	}
	timeout := RenderTimeout
	if r.Timeout > 0 {
		timeout = r.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	limit := MaxOutputBytes
	if r.MaxOutput > 0 {
		limit = r.MaxOutput
	}
	w := &boundedWriter{ctx: ctx, max: limit}
	done := make(chan error, 1)
	bindings := data.Bindings()
	go func() {
		// The render may outlive this call when it times out; the writer
		// refuses further output so it stops at its next write.
		done <- renderSafely(tpl, w, bindings)
	}()
	select {
	case err := <-done:
		switch {
		case w.err != nil:
			return "", fmt.Errorf("render %s: %w", t.Name, w.err)
		case err != nil:
			return "", err
		}
		return w.buf.String(), nil
	case <-ctx.Done():
		return "", fmt.Errorf("render %s: %w", t.Name, ctx.Err())
	}
}

// renderSafely turns a panic inside the template engine into an error: a
// merchant's template must never take the worker down.
func renderSafely(tpl *liquid.Template, w *boundedWriter, b map[string]any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &TemplateError{Message: fmt.Sprint(p)}
		}
	}()
	if serr := tpl.FRender(w, b); serr != nil {
		return templateError(serr)
	}
	return nil
}

// boundedWriter collects output until it passes max bytes or ctx ends, then
// fails every write so the engine stops.
type boundedWriter struct {
	ctx context.Context
	max int
	buf bytes.Buffer
	err error
}

func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if err := w.ctx.Err(); err != nil {
		w.err = err
		return 0, err
	}
	if w.buf.Len()+len(p) > w.max {
		w.err = ErrOutputTooLarge
		return 0, w.err
	}
	return w.buf.Write(p)
}

var liquidFraming = regexp.MustCompile(`^Liquid error(?: \(line \d+\))?: `)

// templateError converts the engine's error into a TemplateError with the
// message a merchant can act on, without the engine's framing.
func templateError(err liquid.SourceError) *TemplateError {
	msg := err.Error()
	if c := err.Cause(); c != nil {
		msg = c.Error()
	}
	msg = liquidFraming.ReplaceAllString(msg, "")
	if p := err.Path(); p != "" {
		msg = strings.TrimSuffix(msg, " in "+p)
	}
	return &TemplateError{Line: err.LineNumber(), Message: msg}
}

var (
	tagRE   = regexp.MustCompile(`\{%-?\s*(\w+)([^%]*?)-?%\}`)
	rangeRE = regexp.MustCompile(`\(([^()]*?)\.\.([^()]*)\)`)
)

// Validate checks a template a merchant is saving: size, loop bounds, syntax,
// and a render against SampleData in locale with strict variables so an
// unknown variable or filter is caught now rather than at 3 a.m. on a real
// shipment. Problems are returned as *TemplateError.
func (r *Renderer) Validate(ctx context.Context, part Part, locale, src string) error {
	_, err := r.render(ctx, Template{Name: "template", Part: part, Source: src}, SampleData(locale), true)
	var te *TemplateError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return te
	case errors.Is(err, ErrOutputTooLarge):
		return &TemplateError{Message: "template output is too large"}
	default:
		return &TemplateError{Message: fmt.Sprintf("template did not finish rendering: %v", err)}
	}
}

// checkSource rejects what could burn CPU or memory without writing output,
// which the render deadline and output cap cannot interrupt: sources over
// MaxTemplateBytes, ranges over more than MaxLoopRange numbers or with bounds
// that are not literal numbers, loops nested deeper than MaxLoopDepth, and
// {% capture %} (use assign with append instead; see limitGrowth).
func checkSource(src string) error {
	if len(src) > MaxTemplateBytes {
		return &TemplateError{Message: fmt.Sprintf("template is %d bytes; the limit is %d", len(src), MaxTemplateBytes)}
	}
	depth := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(src, -1) {
		name := src[m[2]:m[3]]
		args := src[m[4]:m[5]]
		line := 1 + strings.Count(src[:m[0]], "\n")
		switch name {
		case "capture":
			return &TemplateError{Line: line, Message: "capture is not available; use {% assign %} with the append filter"}
		case "for", "tablerow":
			depth++
			if depth > MaxLoopDepth {
				return &TemplateError{Line: line, Message: fmt.Sprintf("loops may be nested at most %d deep", MaxLoopDepth)}
			}
			if rm := rangeRE.FindStringSubmatch(args); rm != nil {
				lo, err1 := strconv.Atoi(strings.TrimSpace(rm[1]))
				hi, err2 := strconv.Atoi(strings.TrimSpace(rm[2]))
				if err1 != nil || err2 != nil {
					return &TemplateError{Line: line, Message: "loop ranges must use numbers, e.g. (1..5)"}
				}
				if hi-lo+1 > MaxLoopRange {
					return &TemplateError{Line: line, Message: fmt.Sprintf("loop range (%d..%d) is larger than %d", lo, hi, MaxLoopRange)}
				}
			}
		case "endfor", "endtablerow":
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// DefaultTemplate returns the shipped template for a trigger and part in the
// shopper's language, falling back to English.
func DefaultTemplate(locale string, trigger tracking.Trigger, part Part) (Template, error) {
	for _, lang := range []string{Language(locale), "en"} {
		name := fmt.Sprintf("%s/%s.%s", lang, trigger, part)
		b, err := fs.ReadFile(templates.Messages, "messages/"+name+".liquid")
		if err == nil {
			return Template{Name: name, Part: part, Source: string(b)}, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return Template{}, fmt.Errorf("read default template %s: %w", name, err)
		}
	}
	return Template{}, fmt.Errorf("no default template for %s %s: %w", trigger, part, fs.ErrNotExist)
}

// Lookup picks the template to render: the merchant's override when it is
// not blank, else the default for the shopper's language.
func Lookup(override string, locale string, trigger tracking.Trigger, part Part) (Template, error) {
	if strings.TrimSpace(override) != "" {
		return Template{Name: fmt.Sprintf("custom %s.%s", trigger, part), Part: part, Source: override}, nil
	}
	return DefaultTemplate(locale, trigger, part)
}

// Message is a rendered message for one channel. Email fills Subject, HTML
// and Text; other channels fill Text only. Segments is set for SMS.
type Message struct {
	Channel Channel
	// Locale is the shopper's locale the message was written for.
	Locale   string
	Subject  string
	HTML     string
	Text     string
	Segments Segments
	// UnsubscribeURL stops this channel's updates (Data.UnsubscribeURL);
	// an email carries it in its List-Unsubscribe header.
	UnsubscribeURL string
}

// Compose renders every part of a channel's message. overrides holds the
// merchant's templates by part (missing or blank parts use the defaults).
func (r *Renderer) Compose(ctx context.Context, trigger tracking.Trigger, ch Channel, overrides map[Part]string, data Data) (Message, error) {
	msg := Message{Channel: ch, Locale: data.Customer.Locale, UnsubscribeURL: data.UnsubscribeURL}
	for _, part := range ch.Parts() {
		t, err := Lookup(overrides[part], data.Customer.Locale, trigger, part)
		if err != nil {
			return Message{}, err
		}
		out, err := r.Render(ctx, t, data)
		if err != nil {
			return Message{}, fmt.Errorf("compose %s %s: %w", trigger, part, err)
		}
		switch part {
		case PartEmailSubject:
			msg.Subject = strings.Join(strings.Fields(out), " ")
		case PartEmailHTML:
			msg.HTML = out
		default:
			msg.Text = tidyText(out)
		}
	}
	if ch == ChannelSMS {
		msg.Text = smsDashes.Replace(msg.Text)
		msg.Segments = CountSegments(msg.Text)
	}
	return msg, nil
}

// smsDashes swaps the en and em dashes of date ranges ("Thu, Mar 5 – Fri, Mar
// 6") and copy for a hyphen: neither is in the GSM-7 alphabet, so one dash
// would make the whole SMS UCS-2 and cost two or three times as much.
var smsDashes = strings.NewReplacer("–", "-", "—", "-")

var blankLines = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+\n`)

// tidyText trims the whitespace Liquid tags leave behind in plain-text
// output: trailing spaces, and runs of blank lines collapsed to one.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	s = strings.Join(lines, "\n")
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}
