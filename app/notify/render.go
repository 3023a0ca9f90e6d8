package notify

import (
	"context"
	"errors"
	"fmt"
	"github.com/ordertrack/ordertrack/app/locale"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/app/notify/sandbox"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/templates"
)

// Limits on merchant templates. Templates are untrusted input rendered on
// our servers for every shipment; sandbox counts steps, memory and output
// while each one renders and stops it at the first step over a limit or
// past its deadline.
const (
	MaxTemplateBytes = 20 << 10 // source size accepted
	MaxOutputBytes   = 256 << 10
	RenderTimeout    = 2 * time.Second
)

// ErrOutputTooLarge means a render produced more than the output limit.
var ErrOutputTooLarge = sandbox.ErrOutputTooLarge

// ErrTooExpensive is wrapped by the error of a render stopped by a limit
// (steps, memory, output, value sizes, deadline), as opposed to a broken
// template.
var ErrTooExpensive = sandbox.ErrLimit

// TemplateError is a problem with a template, reported to the merchant in
// the editor: its source, or what it did with the data (Err then tells
// which, e.g. ErrTooExpensive). Line is 1-based; 0 when the problem is not on
// one line.
type TemplateError struct {
	Line    int
	Message string
	Err     error
}

func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

func (e *TemplateError) Unwrap() error { return e.Err }

// Template is one part of a message: its source and where it came from.
type Template struct {
	Name   string // for errors and logs, e.g. "fr/delayed.sms" or "shop 7 override"
	Part   Part
	Source string
}

// Renderer renders message templates in a sandbox: no file access (include
// and render are not defined), HTML escaping for email bodies, and every
// render bounded in steps, memory, output and time (see sandbox.Limits).
// The zero value uses the package limits; a Renderer must not be copied
// after first use.
type Renderer struct {
	// MaxOutput overrides MaxOutputBytes when positive.
	MaxOutput int
	// Timeout overrides RenderTimeout when positive.
	Timeout time.Duration

	// noPlans renders through the library alone, for tests that compare.
	noPlans bool

	once        sync.Once
	plain, html *sandbox.Engine
}

// engines are built once: the date and money filters read the shopper's
// locale and zone from each render's Env rather than closing over them.
func (r *Renderer) engine(part Part) *sandbox.Engine {
	r.once.Do(func() {
		lim := sandbox.DefaultLimits
		lim.Output, lim.Timeout = MaxOutputBytes, RenderTimeout
		if r.MaxOutput > 0 {
			lim.Output = r.MaxOutput
		}
		if r.Timeout > 0 {
			lim.Timeout = r.Timeout
		}
		cfg := sandbox.Config{Filters: messageFilters, Limits: lim, MaxSource: MaxTemplateBytes, NoPlans: r.noPlans}
		r.plain = sandbox.New(cfg)
		cfg.HTML = true
		r.html = sandbox.New(cfg)
	})
	if part.HTML() {
		return r.html
	}
	return r.plain
}

// messageFilters are the filters messages add to Liquid's; each render's
// Env is its shopper's dateFormatter.
func messageFilters(env func() any) map[string]any {
	df := func() dateFormatter { return env().(dateFormatter) }
	return map[string]any{
		"local_date": func(v any, style func(string) string) string {
			t, ok := toTime(v)
			if !ok {
				return ""
			}
			return df().format(t, style("long"))
		},
		"eta_window": func(v any, style func(string) string) string {
			m, ok := v.(map[string]any)
			if !ok {
				return ""
			}
			e, _ := toTime(m["earliest"])
			l, _ := toTime(m["latest"])
			return df().window(e, l, style("long"))
		},
		"money": func(v any, currency func(string) string) string {
			return locale.Money(df().tag, fmt.Sprint(v), currency(""))
		},
	}
}

// Render renders t for data. Errors in the template, and templates stopped
// by a limit (errors.Is ErrTooExpensive), come back as *TemplateError; when
// ctx ends first, ctx's error.
func (r *Renderer) Render(ctx context.Context, t Template, data Data) (string, error) {
	return r.render(ctx, t, data.Bindings(), data.formatter(), false)
}

// render renders t with vars, data's bindings, and env, its shopper's
// dateFormatter (Compose builds both once for every part of a message).
func (r *Renderer) render(ctx context.Context, t Template, vars map[string]any, env any, strict bool) (string, error) {
	out, err := r.engine(t.Part).Render(ctx, t.Name, t.Source, vars, sandbox.Options{Strict: strict, Env: env})
	var se *sandbox.Error
	switch {
	case errors.As(err, &se):
		return "", &TemplateError{Line: se.Line, Message: se.Message, Err: se.Err}
	case err != nil:
		return "", fmt.Errorf("render %s: %w", t.Name, err)
	}
	return out, nil
}

// Validate checks a template a merchant is saving: size, syntax, and a
// render against SampleData in locale with strict variables so an unknown
// variable or filter, or a template too expensive to render, is caught now
// rather than at 3 a.m. on a real shipment. Problems are returned as
// *TemplateError.
func (r *Renderer) Validate(ctx context.Context, part Part, locale, src string) error {
	data := SampleData(locale)
	_, err := r.render(ctx, Template{Name: "template", Part: part, Source: src}, data.Bindings(), data.formatter(), true)
	var te *TemplateError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return te
	default:
		return &TemplateError{Message: fmt.Sprintf("template did not finish rendering: %v", err), Err: err}
	}
}

// DefaultTemplate returns the shipped template for a trigger and part in the
// shopper's language, falling back to English.
func DefaultTemplate(locale string, trigger tracking.Trigger, part Part) (Template, error) {
	key := defaultKey{Language(locale), trigger, part}
	if t, ok := defaults.Load(key); ok {
		return t.(Template), nil
	}
	for _, lang := range []string{key.lang, "en"} {
		name := fmt.Sprintf("%s/%s.%s", lang, trigger, part)
		b, err := fs.ReadFile(templates.Messages, "messages/"+name+".liquid")
		if err == nil {
			t := Template{Name: name, Part: part, Source: string(b)}
			defaults.Store(key, t)
			return t, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return Template{}, fmt.Errorf("read default template %s: %w", name, err)
		}
	}
	return Template{}, fmt.Errorf("no default template for %s %s: %w", trigger, part, fs.ErrNotExist)
}

// defaults keeps the shipped templates read so far; they are embedded, so
// the map is bounded by languages × triggers × parts.
var defaults sync.Map // defaultKey → Template

type defaultKey struct {
	lang    string
	trigger tracking.Trigger
	part    Part
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
	// FromName and ReplyTo sign a shopper email as the shop: its name as
	// the display name, replies to the merchant's address. FromEmail, when
	// set, is the merchant's own From address (on a domain authenticated
	// with the email provider); empty is the platform's sender.
	FromName, ReplyTo, FromEmail string
	// ContentSID, when set, sends a WhatsApp message as that approved
	// template (outside WhatsApp's 24 h session window) filled with
	// ContentVariables ("1", "2", …) instead of Text.
	ContentSID       string
	ContentVariables map[string]string
}

// Compose renders every part of a channel's message. overrides holds the
// merchant's templates by part (missing or blank parts use the defaults).
func (r *Renderer) Compose(ctx context.Context, trigger tracking.Trigger, ch Channel, overrides map[Part]string, data Data) (Message, error) {
	msg := Message{Channel: ch, Locale: data.Customer.Locale, UnsubscribeURL: data.UnsubscribeURL}
	vars, env := data.Bindings(), data.formatter()
	for _, part := range ch.Parts() {
		t, err := Lookup(overrides[part], data.Customer.Locale, trigger, part)
		if err != nil {
			return Message{}, err
		}
		out, err := r.render(ctx, t, vars, env, false)
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
		msg.Text = smsGSM.Replace(msg.Text)
		msg.Segments = CountSegments(msg.Text)
	}
	return msg, nil
}

// smsGSM swaps the en and em dashes of date ranges ("Thu, Mar 5 – Fri, Mar
// 6") and copy for a hyphen, and the no-break spaces CLDR puts in amounts
// ("89,50 €", "1 234,50 €") for a space: none is in the GSM-7 alphabet, so
// one would make the whole SMS UCS-2 and cost two or three times as much.
var smsGSM = strings.NewReplacer("–", "-", "—", "-", "\u00a0", " ", "\u202f", " ")

// tidyText trims the whitespace Liquid tags leave behind in plain-text
// output: trailing spaces, and runs of blank lines collapsed to one.
func tidyText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n"[:1+min(blank, 1)])
		}
		blank = 0
		b.WriteString(line)
	}
	return strings.TrimSpace(b.String())
}
