package sandbox

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/osteele/liquid/expressions"
	"github.com/osteele/liquid/render"
	"github.com/osteele/liquid/values"
)

// The tags are this package's own rather than the library's: its loops have
// no hook to count iterations and its capture builds strings no limit sees.
// Blocks cannot be replaced one by one in the library's grammar, so every
// tag is defined here. include and render are left out: they read files.

var (
	errBreak    = errors.New("break outside a loop")
	errContinue = errors.New("continue outside a loop")
)

func addTags(c *render.Config) {
	c.AddTag("assign", assignTag)
	c.AddTag("cycle", cycleTag)
	c.AddTag("break", signalTag(errBreak))
	c.AddTag("continue", signalTag(errContinue))
	// The parser skips what is inside comment and raw by itself.
	c.AddBlock("comment")
	c.AddBlock("raw")
	c.AddBlock("capture").Compiler(captureTag)
	c.AddBlock("if").Clause("elsif").Clause("else").Compiler(ifTag(true))
	c.AddBlock("unless").Clause("else").Compiler(ifTag(false))
	c.AddBlock("case").Clause("when").Clause("else").Compiler(caseTag)
	c.AddBlock("for").Clause("else").Compiler(loopTag(false))
	c.AddBlock("tablerow").Compiler(loopTag(true))
}

// stateKey binds the render's state under a name no template can spell, so
// compiled templates do not depend on the instance that renders them.
const stateKey = "\x00render"

// renderState is what tags of one render share.
type renderState struct {
	budget *budget
	// cycles holds the cycle counters of each loop being rendered,
	// innermost last.
	cycles []map[string]int
}

func stateOf(ctx render.Context) (*renderState, error) {
	st, ok := ctx.Get(stateKey).(*renderState)
	if !ok {
		return nil, errors.New("template rendered outside the sandbox")
	}
	return st, nil
}

// step charges a tag's step and returns the render's state.
func step(ctx render.Context, n int) (*renderState, error) {
	st, err := stateOf(ctx)
	if err != nil {
		return nil, err
	}
	return st, st.budget.step(n)
}

func assignTag(source string) (func(io.Writer, render.Context) error, error) {
	stmt, err := expressions.ParseStatement(expressions.AssignStatementSelector, source)
	if err != nil {
		return nil, err
	}
	if len(stmt.Path) > 1 {
		return nil, errors.New("syntax error: assign sets a variable, not a property (no dots)")
	}
	return func(_ io.Writer, ctx render.Context) error {
		if _, err := step(ctx, 1); err != nil {
			return err
		}
		v, err := ctx.Evaluate(stmt.ValueFn)
		if err != nil {
			return err
		}
		ctx.Set(stmt.Assignment.Variable, v)
		return nil
	}, nil
}

func signalTag(sig error) render.TagCompiler {
	return func(string) (func(io.Writer, render.Context) error, error) {
		return func(io.Writer, render.Context) error { return sig }, nil
	}
}

func cycleTag(args string) (func(io.Writer, render.Context) error, error) {
	stmt, err := expressions.ParseStatement(expressions.CycleStatementSelector, args)
	if err != nil {
		return nil, err
	}
	c := stmt.Cycle
	group := c.Group
	if group == "" {
		// Unnamed cycles with the same values share a counter, as in Shopify.
		group = "\x00" + strings.Join(c.Values, "\x00")
	}
	return func(w io.Writer, ctx render.Context) error {
		st, err := step(ctx, 1)
		if err != nil {
			return err
		}
		if len(st.cycles) == 0 || len(c.Values) == 0 {
			return errors.New("cycle must be within a for loop")
		}
		counters := st.cycles[len(st.cycles)-1]
		n := counters[group]
		counters[group] = n + 1
		_, err = io.WriteString(w, c.Values[n%len(c.Values)])
		return err
	}, nil
}

func captureTag(node render.BlockNode) (func(io.Writer, render.Context) error, error) {
	name := strings.TrimSpace(node.Args)
	if name == "" || strings.ContainsAny(name, " \t\r\n") {
		return nil, fmt.Errorf("syntax error: capture takes one variable name, got %q", node.Args)
	}
	return func(_ io.Writer, ctx render.Context) error {
		st, err := step(ctx, 1)
		if err != nil {
			return err
		}
		cw := &captureWriter{b: st.budget}
		if err := ctx.RenderChildren(cw); err != nil {
			return err
		}
		ctx.Set(name, cw.buf.String())
		return nil
	}, nil
}

// captureWriter collects a capture's text, charging each write as a value
// being built.
type captureWriter struct {
	b   *budget
	buf strings.Builder
}

func (w *captureWriter) Write(p []byte) (int, error) {
	if err := w.b.value(w.buf.Len() + len(p)); err != nil {
		return 0, err
	}
	if err := w.b.alloc(len(p)); err != nil {
		return 0, err
	}
	return w.buf.Write(p)
}

func ifTag(polarity bool) render.BlockCompiler {
	return func(node render.BlockNode) (func(io.Writer, render.Context) error, error) {
		type branch struct {
			test expressions.Expression
			body *render.BlockNode
		}
		test, err := expressions.Parse(node.Args)
		if err != nil {
			return nil, err
		}
		if !polarity {
			test = expressions.Not(test)
		}
		branches := []branch{{test, &node}}
		for _, c := range node.Clauses {
			t := expressions.Constant(true)
			if c.Name == "elsif" {
				if t, err = expressions.Parse(c.Args); err != nil {
					return nil, err
				}
			}
			branches = append(branches, branch{t, c})
		}
		return func(w io.Writer, ctx render.Context) error {
			if _, err := step(ctx, 1); err != nil {
				return err
			}
			for _, b := range branches {
				v, err := ctx.Evaluate(b.test)
				if err != nil {
					return err
				}
				if v != nil && v != false {
					return ctx.RenderBlock(w, b.body)
				}
			}
			return nil
		}, nil
	}
}

func caseTag(node render.BlockNode) (func(io.Writer, render.Context) error, error) {
	type when struct {
		exprs []expressions.Expression // nil for else
		body  *render.BlockNode
	}
	subject, err := expressions.Parse(node.Args)
	if err != nil {
		return nil, err
	}
	var whens []when
	for _, c := range node.Clauses {
		if c.Name != "when" {
			whens = append(whens, when{body: c})
			continue
		}
		stmt, err := expressions.ParseStatement(expressions.WhenStatementSelector, c.Args)
		if err != nil {
			return nil, err
		}
		whens = append(whens, when{stmt.Exprs, c})
	}
	return func(w io.Writer, ctx render.Context) error {
		if _, err := step(ctx, 1); err != nil {
			return err
		}
		v, err := ctx.Evaluate(subject)
		if err != nil {
			return err
		}
		for _, wh := range whens {
			if wh.exprs == nil {
				return ctx.RenderBlock(w, wh.body)
			}
			for _, e := range wh.exprs {
				x, err := ctx.Evaluate(e)
				if err != nil {
					return err
				}
				if values.Equal(v, x) {
					return ctx.RenderBlock(w, wh.body)
				}
			}
		}
		return nil
	}, nil
}

// loopTag compiles for and tablerow. Each iteration costs one step plus the
// nodes of the body, so a loop whose body writes nothing is bounded like one
// that writes a lot, and a range is walked without building a list.
func loopTag(table bool) render.BlockCompiler {
	return func(node render.BlockNode) (func(io.Writer, render.Context) error, error) {
		stmt, err := expressions.ParseStatement(expressions.LoopStatementSelector, node.Args)
		if err != nil {
			return nil, err
		}
		if len(node.Clauses) > 1 {
			return nil, errors.New("for loops accept at most one else clause")
		}
		var elseBody *render.BlockNode
		if len(node.Clauses) == 1 {
			elseBody = node.Clauses[0]
		}
		loop := stmt.Loop
		cost := 1 + weight(node.Body)
		return func(w io.Writer, ctx render.Context) error {
			st, err := step(ctx, 1)
			if err != nil {
				return err
			}
			v, err := ctx.Evaluate(loop.Expr)
			if err != nil {
				return err
			}
			seq := sequence(v)
			from, to, err := bounds(ctx, loop, seq.Len())
			if err != nil {
				return err
			}
			if from >= to {
				if elseBody != nil {
					return ctx.RenderBlock(w, elseBody)
				}
				return nil
			}
			cols := 0
			if table {
				if cols, err = columns(ctx, loop); err != nil {
					return err
				}
			}
			return iterate(w, ctx, st, loop, seq, from, to, cost, cols)
		}, nil
	}
}

func iterate(w io.Writer, ctx render.Context, st *renderState, loop expressions.Loop, seq iterable, from, to, cost, cols int) error {
	defer func(forloop, item any) {
		ctx.Set("forloop", forloop)
		ctx.Set(loop.Variable, item)
	}(ctx.Get("forloop"), ctx.Get(loop.Variable))
	st.cycles = append(st.cycles, map[string]int{})
	defer func() { st.cycles = st.cycles[:len(st.cycles)-1] }()

	n := to - from
	forloop := map[string]any{"length": n}
	ctx.Set("forloop", forloop)
	for i := range n {
		if err := st.budget.step(cost); err != nil {
			return err
		}
		j := from + i
		if loop.Reversed {
			j = to - 1 - i
		}
		ctx.Set(loop.Variable, seq.Index(j))
		forloop["first"], forloop["last"] = i == 0, i == n-1
		forloop["index"], forloop["index0"] = i+1, i
		forloop["rindex"], forloop["rindex0"] = n-i, n-i-1
		if cols > 0 {
			if err := cellStart(w, i, cols); err != nil {
				return err
			}
		}
		err := ctx.RenderChildren(w)
		switch {
		case errors.Is(err, errBreak):
			return cellEnd(w, i, n, cols)
		case err != nil && !errors.Is(err, errContinue):
			return err
		}
		if err := cellEnd(w, i, n, cols); err != nil {
			return err
		}
	}
	return nil
}

// cellStart and cellEnd write tablerow's markup around an iteration.
func cellStart(w io.Writer, i, cols int) error {
	if i%cols == 0 {
		if _, err := fmt.Fprintf(w, `<tr class="row%d">`, i/cols+1); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, `<td class="col%d">`, i%cols+1)
	return err
}

func cellEnd(w io.Writer, i, n, cols int) error {
	if cols == 0 {
		return nil
	}
	end := "</td>"
	if (i+1)%cols == 0 || i+1 == n {
		end += "</tr>"
	}
	_, err := io.WriteString(w, end)
	return err
}

// bounds applies offset and limit; reversed then walks the result
// backwards, as in Shopify.
func bounds(ctx render.Context, loop expressions.Loop, n int) (from, to int, err error) {
	to = max(n, 0)
	if loop.Offset != nil {
		off, err := intArg(ctx, loop.Offset, "offset")
		if err != nil {
			return 0, 0, err
		}
		from = min(max(off, 0), to)
	}
	if loop.Limit != nil {
		lim, err := intArg(ctx, loop.Limit, "limit")
		if err != nil {
			return 0, 0, err
		}
		if lim >= 0 {
			to = min(from+lim, to)
		}
	}
	return from, to, nil
}

func columns(ctx render.Context, loop expressions.Loop) (int, error) {
	if loop.Cols == nil {
		return 1 << 30, nil
	}
	cols, err := intArg(ctx, loop.Cols, "cols")
	if err != nil || cols > 0 {
		return cols, err
	}
	return 1 << 30, nil
}

func intArg(ctx render.Context, e expressions.Expression, name string) (int, error) {
	v, err := ctx.Evaluate(e)
	if err != nil {
		return 0, err
	}
	n, ok := v.(int)
	if !ok {
		return 0, fmt.Errorf("loop %s must be an integer", name)
	}
	return n, nil
}

// iterable is what a loop walks: a range such as (1..n) is one without
// being a list.
type iterable interface {
	Len() int
	Index(int) any
}

type reflectSeq reflect.Value

func (s reflectSeq) Len() int        { return reflect.Value(s).Len() }
func (s reflectSeq) Index(i int) any { return reflect.Value(s).Index(i).Interface() }

type pairs [][2]any

func (p pairs) Len() int        { return len(p) }
func (p pairs) Index(i int) any { return []any{p[i][0], p[i][1]} }

// sequence is what a loop over v walks: a list's items, a map's [key,
// value] pairs in key order, nothing for anything else.
func sequence(v any) iterable {
	if s, ok := v.(iterable); ok {
		return s
	}
	if v == nil {
		return pairs(nil)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Array, reflect.Slice:
		return reflectSeq(rv)
	case reflect.Map:
		ps := make(pairs, 0, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			ps = append(ps, [2]any{it.Key().Interface(), it.Value().Interface()})
		}
		slices.SortFunc(ps, func(a, b [2]any) int { return strings.Compare(fmt.Sprint(a[0]), fmt.Sprint(b[0])) })
		return ps
	}
	return pairs(nil)
}

// weight is the number of nodes in a body, nested bodies included: what
// one iteration may execute, charged up front.
func weight(nodes []render.Node) int {
	n := 0
	for _, node := range nodes {
		n++
		switch node := node.(type) {
		case *render.BlockNode:
			n += weight(node.Body)
			for _, c := range node.Clauses {
				n += weight(c.Body)
			}
		case *render.SeqNode:
			n += weight(node.Children)
		}
	}
	return n
}
