// Package sandbox renders untrusted Liquid templates within limits: steps,
// memory, output size and time are counted while the template runs, and the
// render stops at the first step over a limit, on the caller's goroutine.
//
// It builds on github.com/osteele/liquid's parser, expressions and standard
// filters, but defines every tag itself and wraps every filter: the library
// passes filters no context, so each engine instance is bound to one render
// at a time and instances are pooled.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/osteele/liquid/filters"
	"github.com/osteele/liquid/parser"
	"github.com/osteele/liquid/render"
)

// Error is a problem with a template: its source, or what it did when
// rendered (Err then says which, e.g. ErrLimit). Line is 1-based, 0 when the
// problem is not on one line.
type Error struct {
	Line    int
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Config sets up an Engine.
type Config struct {
	// HTML escapes the output of {{ }} for HTML (the safe filter opts out).
	HTML bool
	// Filters returns filters to add to the standard ones, given a function
	// that returns the Env of the render in progress: filters are built once
	// per pooled instance and may only use the Env while they run.
	Filters func(env func() any) map[string]any
	// Limits bound each render; zero fields take DefaultLimits.
	Limits Limits
	// MaxSource is the largest source accepted; 0 means no limit.
	MaxSource int
	// NoPlans renders every template through the library, for tests that
	// hold plans to the library's output.
	NoPlans bool
}

// Engine compiles and renders templates. It is safe for concurrent use:
// compiled templates are shared, and each render borrows an instance of
// the engine that serves no other render until it is done.
type Engine struct {
	cfg    Config
	lim    Limits
	pool   sync.Pool
	mu     sync.Mutex
	cache  map[sourceKey]compiled
	cached int // bytes of source in cache
}

// maxCached bounds the source of the compiled templates kept: compiled,
// the 270 KB of shipped templates take 2 MB, so the cache stays under about
// 8 MB however many merchants edit templates.
const maxCached = 1 << 20

// New returns an Engine.
func New(cfg Config) *Engine {
	e := &Engine{cfg: cfg, lim: withDefaults(cfg.Limits), cache: map[sourceKey]compiled{}}
	e.pool.New = func() any { return e.newInstance() }
	return e
}

func withDefaults(l Limits) Limits {
	d := DefaultLimits
	for _, f := range []struct{ v, def *int }{
		{&l.Steps, &d.Steps}, {&l.Bytes, &d.Bytes}, {&l.Output, &d.Output},
		{&l.Value, &d.Value}, {&l.Items, &d.Items}, {&l.ListBytes, &d.ListBytes},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// instance is one configured grammar and filter set. Its filters charge
// budget, which is set for the duration of one render.
type instance struct {
	cfg     render.Config
	filters map[string]func(any, ...any) (any, error) // as registered, for plans
	budget  *budget
	env     any
}

func (e *Engine) newInstance() *instance {
	in := &instance{cfg: render.NewConfig(), filters: map[string]func(any, ...any) (any, error){}}
	// No file access: include and render are never defined, and the store
	// refuses every read should a later library version reach for it.
	in.cfg.TemplateStore = noFiles{}
	addTags(&in.cfg)
	filters.AddStandardFilters(filterDict{in})
	if e.cfg.Filters != nil {
		for name, fn := range e.cfg.Filters(func() any { return in.env }) {
			filterDict{in}.AddFilter(name, fn)
		}
	}
	if e.cfg.HTML {
		in.cfg.SetAutoEscapeReplacer(render.HtmlEscaper)
	}
	return in
}

type noFiles struct{}

func (noFiles) ReadTemplate(name string) ([]byte, error) {
	return nil, fmt.Errorf("templates cannot read files (%s)", name)
}

// Options are per render.
type Options struct {
	// Strict makes an undefined variable an error (for validation).
	Strict bool
	// Env is what the engine's extra filters see for this render.
	Env any
}

// Render renders src, named name in errors, with vars. A broken template or
// one that exceeds the limits returns *Error (errors.Is(err, ErrLimit) for
// the latter); when ctx ends first, ctx's error.
func (e *Engine) Render(ctx context.Context, name, src string, vars map[string]any, opts Options) (string, error) {
	if e.cfg.MaxSource > 0 && len(src) > e.cfg.MaxSource {
		return "", &Error{Message: fmt.Sprintf("template is %d bytes; the limit is %d", len(src), e.cfg.MaxSource), Err: ErrLimit}
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	in := e.pool.Get().(*instance)
	defer e.pool.Put(in)
	c, err := e.compile(in, name, src)
	if err != nil {
		return "", err
	}
	defer func() { in.budget, in.env = nil, nil }()
	b := &budget{ctx: ctx, start: time.Now(), lim: e.lim}
	if c.plan != nil && !opts.Strict {
		if out, done, err := e.runPlan(in, b, c.plan, vars, opts.Env, len(src)); done {
			return out, err
		}
	}
	// The library renders what has no plan, and what its plan gave up on
	// with what the plan left of the budget: the limits bound the whole
	// render, or a plan giving up late would spend each of them twice.
	root := c.root
	in.budget, in.env = b, opts.Env

	scope := make(map[string]any, len(vars)+1)
	for k, v := range vars {
		scope[k] = bind(v)
	}
	scope[stateKey] = &renderState{budget: b}
	cfg := in.cfg
	cfg.StrictVariables = opts.Strict
	w := &output{b: b}
	w.buf.Grow(min(len(src)+len(src)/4, e.lim.Output)) // the output is about the source's size
	rerr := renderSafely(root, w, scope, cfg)
	switch {
	case b.err != nil && b.err == ctx.Err():
		return "", b.err
	case b.err != nil:
		return "", &Error{Line: line(rerr), Message: strings.TrimPrefix(b.err.Error(), ErrLimit.Error()+": "), Err: b.err}
	case rerr != nil:
		return "", rerr
	}
	return w.buf.String(), nil
}

// runPlan renders a plan, or reports it is not done when the library must
// render the template instead.
func (e *Engine) runPlan(in *instance, b *budget, p plan, vars map[string]any, env any, size int) (out string, done bool, err error) {
	in.budget, in.env = b, env
	r := planRender{in: in, vars: vars, w: &output{b: b}, html: e.cfg.HTML}
	r.w.buf.Grow(min(size+size/4, e.lim.Output))
	ok := runSafely(&r, p)
	switch {
	case b.err != nil && b.err == b.ctx.Err():
		return "", true, b.err
	case b.err != nil:
		return "", true, &Error{Line: r.line, Message: strings.TrimPrefix(b.err.Error(), ErrLimit.Error()+": "), Err: b.err}
	case !ok:
		return "", false, nil
	}
	return r.w.buf.String(), true, nil
}

// runSafely runs a plan and reports false, so that the library renders the
// template and reports its error the library's way, when a filter panics
// (Liquid's argument conversion panics, e.g. join on a string).
func runSafely(r *planRender, p plan) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return r.run(p)
}

// renderSafely turns a panic inside the engine into an error: a template
// must never take the process down.
func renderSafely(root render.Node, w *output, scope map[string]any, cfg render.Config) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &Error{Message: fmt.Sprint(p)}
			if pe, ok := p.(error); ok {
				err = &Error{Message: cause(pe).Error(), Err: pe}
			}
		}
	}()
	if rerr := render.Render(root, w, scope, cfg); rerr != nil {
		return sourceError(rerr)
	}
	return nil
}

// compileSafely parses src, turning a panic of the Liquid parser (its
// lexer panics on some identifiers, e.g. "϶" in a for tag) into an error:
// a merchant's template must never take the process down.
func compileSafely(in *instance, name, src string) (root render.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			root, err = nil, &Error{Message: fmt.Sprint("syntax error: ", p)}
		}
	}()
	root, perr := in.cfg.Compile(src, parser.SourceLoc{Pathname: name, LineNo: 1})
	if perr != nil {
		return nil, sourceError(perr)
	}
	return root, nil
}

// sourceKey names a compiled template: its name and source, kept apart so
// a lookup builds no key.
type sourceKey struct{ name, src string }

// compiled is a template as the library compiled it, and its plan when it
// has one.
type compiled struct {
	root render.Node
	plan plan
}

func (e *Engine) compile(in *instance, name, src string) (compiled, error) {
	key := sourceKey{name, src}
	e.mu.Lock()
	c, ok := e.cache[key]
	e.mu.Unlock()
	if ok {
		return c, nil
	}
	root, err := compileSafely(in, name, src)
	if err != nil {
		return compiled{}, err
	}
	c = compiled{root: root}
	if p, ok := planOf([]render.Node{root}); ok && !e.cfg.NoPlans {
		c.plan = p
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	size := len(name) + len(src)
	if _, ok := e.cache[key]; ok || size > maxCached {
		return c, nil
	}
	for k := range e.cache { // drop entries at random until the new one fits
		if e.cached+size <= maxCached {
			break
		}
		delete(e.cache, k)
		e.cached -= len(k.name) + len(k.src)
	}
	e.cache[key] = c
	e.cached += size
	return c, nil
}

// output collects the rendered text, charging each write.
type output struct {
	b   *budget
	buf strings.Builder // its String is the output, not a copy
}

func (w *output) Write(p []byte) (int, error) {
	if err := w.b.check(); err != nil {
		return 0, err
	}
	if w.buf.Len()+len(p) > w.b.lim.Output {
		return 0, w.b.fail(ErrOutputTooLarge)
	}
	if err := w.b.charge(len(p)); err != nil {
		return 0, err
	}
	return w.buf.Write(p)
}

// WriteString is Write for the strings the engine writes, without copying
// each into a []byte first.
func (w *output) WriteString(p string) (int, error) {
	if err := w.b.check(); err != nil {
		return 0, err
	}
	if w.buf.Len()+len(p) > w.b.lim.Output {
		return 0, w.b.fail(ErrOutputTooLarge)
	}
	if err := w.b.charge(len(p)); err != nil {
		return 0, err
	}
	return w.buf.WriteString(p)
}

// put is WriteString for plans, without reading the clock: a plan's loops
// walk lists the caller bound and take a step every iteration, so what it
// writes between two steps (its tags, iterations and filters, which do read
// the clock) is bounded by its source and the output limit.
func (w *output) put(p string) bool {
	if w.buf.Len()+len(p) > w.b.lim.Output {
		w.b.fail(ErrOutputTooLarge)
		return false
	}
	if w.b.charge(len(p)) != nil {
		return false
	}
	w.buf.WriteString(p)
	return true
}

var liquidFraming = regexp.MustCompile(`^Liquid error(?: \(line \d+\))?: `)

// sourceError turns the library's error into an *Error with the message a
// merchant can act on, without the library's framing.
func sourceError(err parser.Error) *Error {
	msg := err.Error()
	if c := err.Cause(); c != nil {
		msg = cause(c).Error()
	}
	msg = liquidFraming.ReplaceAllString(msg, "")
	if p := err.Path(); p != "" {
		msg = strings.TrimSuffix(msg, " in "+p)
	}
	return &Error{Line: err.LineNumber(), Message: msg, Err: err.Cause()}
}

// cause unwraps the library's re-thrown panics, whose text carries a stack
// trace.
func cause(err error) error {
	for {
		c, ok := err.(interface{ Cause() error })
		if !ok || c.Cause() == nil || c.Cause() == err {
			return err
		}
		err = c.Cause()
	}
}

func line(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
}
