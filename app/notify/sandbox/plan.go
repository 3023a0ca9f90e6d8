package sandbox

import (
	"strconv"
	"strings"
	"time"

	"github.com/osteele/liquid/render"
	"github.com/osteele/liquid/values"
)

// A plan renders the common shape of message templates — text, variables
// and properties, filters with literal or variable arguments, if/unless on
// comparisons joined by and/or, and plain for loops over a list — without
// the library's per-node reflection, boxing and copies: a message is dozens
// of such nodes, and the library spent more on them than on the text. A template using anything
// else (other tags, trim markers, keyword arguments…) has no plan and
// renders through the library; a render that meets anything the plan does
// not handle exactly as the library would (a value of another type, an
// error of a filter) gives up and the library renders it again, so those
// errors are the library's. A render stopped by a limit is not rendered
// again, which would spend the limit twice: its error names the line of
// the step that ran into it.
type plan []planStep

// planStep is one node of a plan: text, an object, an if/unless block or a
// loop.
type planStep struct {
	line     int // in the source, for limit errors
	text     string
	object   *pipeline
	branches []branch // if/unless: the first whose test holds is rendered
	loop     *loop
}

// loop is {% for variable in list %}body{% else %}orElse{% endfor %}.
type loop struct {
	variable     string
	list         operand
	cost         int // each iteration's steps, as the library's loop charges them
	body, orElse plan
}

type branch struct {
	test *cond // nil: else
	body plan
}

// cond is a test: rels joined left to right by and/or, as the library's
// grammar reads them (same precedence, left-associative).
type cond struct {
	rels []rel
	ors  []bool // ors[i] joins rels[i] and rels[i+1]: true for or
	not  bool   // unless
}

// rel is an operand, or two operands compared.
type rel struct {
	a, b operand
	op   string // "" for a lone operand
}

// pipeline is an operand through filters.
type pipeline struct {
	in      operand
	filters []filterCall
}

type filterCall struct {
	name string
	args []operand
}

// operand is a literal or a variable with properties.
type operand struct {
	lit  any
	path []string // nil for a literal
}

// planOf returns the plan of a compiled template, or nil when it uses
// anything a plan does not handle.
func planOf(nodes []render.Node) (plan, bool) {
	var p plan
	for _, n := range nodes {
		switch n := n.(type) {
		case *render.TextNode:
			p = append(p, planStep{line: n.SourceLoc.LineNo, text: n.Source})
		case *render.SeqNode:
			sub, ok := planOf(n.Children)
			if !ok {
				return nil, false
			}
			p = append(p, sub...)
		case *render.ObjectNode:
			pl, ok := parsePipeline(n.Args)
			if !ok {
				return nil, false
			}
			p = append(p, planStep{line: n.SourceLoc.LineNo, object: pl})
		case *render.BlockNode:
			s, ok := planBlock(n)
			if !ok {
				return nil, false
			}
			s.line = n.SourceLoc.LineNo
			p = append(p, s)
		default:
			return nil, false
		}
	}
	return p, true
}

func planBlock(n *render.BlockNode) (planStep, bool) {
	if n.Name == "for" {
		return planLoop(n)
	}
	if n.Name != "if" && n.Name != "unless" {
		return planStep{}, false
	}
	c, ok := parseCond(n.Args)
	if !ok {
		return planStep{}, false
	}
	c.not = n.Name == "unless"
	body, ok := planOf(n.Body)
	if !ok {
		return planStep{}, false
	}
	s := planStep{branches: []branch{{&c, body}}}
	for _, cl := range n.Clauses {
		var test *cond
		switch {
		case cl.Name == "elsif" && n.Name == "if":
			c, ok := parseCond(cl.Args)
			if !ok {
				return planStep{}, false
			}
			test = &c
		case cl.Name != "else":
			return planStep{}, false
		}
		body, ok := planOf(cl.Body)
		if !ok {
			return planStep{}, false
		}
		s.branches = append(s.branches, branch{test, body})
	}
	return s, true
}

// planLoop plans a for loop without modifiers (limit, offset, reversed).
func planLoop(n *render.BlockNode) (planStep, bool) {
	toks, ok := tokens(n.Args)
	if !ok || len(toks) != 3 || toks[1] != "in" || !isIdent(toks[0]) || keywords[toks[0]] {
		return planStep{}, false
	}
	list, ok := parseOperand(toks[2])
	if !ok || list.path == nil || len(n.Clauses) > 1 {
		return planStep{}, false
	}
	l := &loop{variable: toks[0], list: list, cost: 1 + weight(n.Body)}
	if l.body, ok = planOf(n.Body); !ok {
		return planStep{}, false
	}
	if len(n.Clauses) == 1 {
		if n.Clauses[0].Name != "else" {
			return planStep{}, false
		}
		if l.orElse, ok = planOf(n.Clauses[0].Body); !ok {
			return planStep{}, false
		}
	}
	return planStep{loop: l}, true
}

// tokens splits an expression into words, quoted strings kept whole, and
// the punctuation | : , alone.
func tokens(src string) ([]string, bool) {
	var out []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '|' || c == ':' || c == ',':
			out = append(out, src[i:i+1])
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return nil, false
			}
			out = append(out, src[i:i+j+2])
			i += j + 2
		default:
			j := i
			for j < len(src) && strings.IndexByte(" \t\n\r|:,'\"", src[j]) < 0 {
				j++
			}
			out = append(out, src[i:j])
			i = j
		}
	}
	return out, true
}

func parsePipeline(src string) (*pipeline, bool) {
	toks, ok := tokens(src)
	if !ok || len(toks) == 0 {
		return nil, false
	}
	in, ok := parseOperand(toks[0])
	if !ok {
		return nil, false
	}
	pl := &pipeline{in: in}
	toks = toks[1:]
	for len(toks) > 0 {
		if toks[0] != "|" || len(toks) < 2 || !isIdent(toks[1]) {
			return nil, false
		}
		f := filterCall{name: toks[1]}
		toks = toks[2:]
		if len(toks) > 0 && toks[0] == ":" {
			toks = toks[1:]
			for {
				if len(toks) == 0 {
					return nil, false
				}
				a, ok := parseOperand(toks[0])
				if !ok {
					return nil, false
				}
				f.args = append(f.args, a)
				toks = toks[1:]
				if len(toks) == 0 || toks[0] != "," {
					break
				}
				toks = toks[1:]
			}
		}
		pl.filters = append(pl.filters, f)
	}
	return pl, true
}

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true}

func parseCond(src string) (cond, bool) {
	toks, ok := tokens(src)
	if !ok {
		return cond{}, false
	}
	var c cond
	for start := 0; ; {
		end := start
		for end < len(toks) && toks[end] != "and" && toks[end] != "or" {
			end++
		}
		r, ok := parseRel(toks[start:end])
		if !ok {
			return cond{}, false
		}
		c.rels = append(c.rels, r)
		if end == len(toks) {
			return c, true
		}
		c.ors = append(c.ors, toks[end] == "or")
		start = end + 1
	}
}

func parseRel(toks []string) (rel, bool) {
	switch {
	case len(toks) == 1:
		a, ok := parseOperand(toks[0])
		return rel{a: a}, ok
	case len(toks) == 3 && comparisons[toks[1]]:
		a, ok1 := parseOperand(toks[0])
		b, ok2 := parseOperand(toks[2])
		return rel{a: a, b: b, op: toks[1]}, ok1 && ok2
	}
	return rel{}, false
}

// keywords are words the library reads as something other than a variable.
var keywords = map[string]bool{
	"true": true, "false": true, "nil": true, "null": true, "empty": true, "blank": true,
	"and": true, "or": true, "contains": true, "in": true, "not": true,
}

func parseOperand(tok string) (operand, bool) {
	switch {
	case len(tok) >= 2 && (tok[0] == '\'' || tok[0] == '"'):
		return operand{lit: tok[1 : len(tok)-1]}, true
	case tok[0] >= '0' && tok[0] <= '9':
		n, err := strconv.Atoi(tok)
		return operand{lit: n}, err == nil
	}
	path := strings.Split(tok, ".")
	for _, p := range path {
		if !isIdent(p) || keywords[p] {
			return operand{}, false
		}
	}
	return operand{path: path}, true
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// planRender is one render of a plan.
type planRender struct {
	in     *instance
	vars   map[string]any
	locals []local // loop variables and forloop, innermost last
	w      *output
	html   bool
	line   int // of the step running
}

type local struct {
	name  string
	value any
}

// run renders p, or reports false when the library must render instead.
func (r *planRender) run(p plan) bool {
	for i := range p {
		s := &p[i]
		r.line = s.line
		switch {
		case s.object != nil:
			v, ok := r.pipe(s.object)
			if !ok || !r.write(v) {
				return false
			}
		case s.loop != nil:
			if !r.loop(s.loop) {
				return false
			}
		case s.branches != nil:
			if r.in.budget.step(1) != nil {
				return false
			}
			for _, b := range s.branches {
				hold := true
				if b.test != nil {
					var ok bool
					if hold, ok = r.test(b.test); !ok {
						return false
					}
				}
				if hold {
					if !r.run(b.body) {
						return false
					}
					break
				}
			}
		default:
			if !r.w.put(s.text) {
				return false
			}
		}
	}
	return true
}

// loop renders a loop as the library's for tag does: a step for the tag,
// then each iteration's cost, with forloop and the variable set meanwhile.
func (r *planRender) loop(l *loop) bool {
	if r.in.budget.step(1) != nil {
		return false
	}
	v, ok := r.operand(l.list)
	if !ok {
		return false
	}
	var items []any
	switch x := v.(type) {
	case nil:
	case []any:
		items = x
	default:
		return false
	}
	if len(items) == 0 {
		return r.run(l.orElse)
	}
	n := len(items)
	forloop := map[string]any{"length": n}
	mark := len(r.locals)
	r.locals = append(r.locals, local{"forloop", forloop}, local{l.variable, nil})
	defer func() { r.locals = r.locals[:mark] }()
	for i, item := range items {
		if r.in.budget.step(l.cost) != nil {
			return false
		}
		r.locals[mark+1].value = item
		forloop["first"], forloop["last"] = i == 0, i == n-1
		forloop["index"], forloop["index0"] = i+1, i
		forloop["rindex"], forloop["rindex0"] = n-i, n-i-1
		if !r.run(l.body) {
			return false
		}
	}
	return true
}

func (r *planRender) test(c *cond) (bool, bool) {
	v, ok := r.rel(&c.rels[0])
	if !ok {
		return false, false
	}
	for i, or := range c.ors {
		if v == or { // true or …, false and …: decided
			continue
		}
		if v, ok = r.rel(&c.rels[i+1]); !ok {
			return false, false
		}
	}
	return v != c.not, true
}

func (r *planRender) rel(x *rel) (bool, bool) {
	a, ok := r.operand(x.a)
	if !ok {
		return false, false
	}
	if x.op == "" {
		return a != nil && a != false, true
	}
	b, ok := r.operand(x.b)
	if !ok {
		return false, false
	}
	switch x.op {
	case "==":
		return equal(a, b), true
	case "!=":
		return !equal(a, b), true
	case "<":
		return values.Less(a, b), true
	case ">":
		return values.Less(b, a), true
	case "<=":
		return values.Less(a, b) || equal(a, b), true
	default: // >=
		return values.Less(b, a) || equal(a, b), true
	}
}

func equal(a, b any) bool {
	if s, ok := a.(string); ok {
		if t, ok := b.(string); ok {
			return s == t
		}
	}
	return values.Equal(a, b)
}

func (r *planRender) pipe(pl *pipeline) (any, bool) {
	v, ok := r.operand(pl.in)
	if !ok {
		return nil, false
	}
	for _, f := range pl.filters {
		fn, ok := r.in.filters[f.name]
		if !ok {
			return nil, false
		}
		var args []any // none for a filter without arguments
		for _, a := range f.args {
			x, ok := r.operand(a)
			if !ok {
				return nil, false
			}
			args = append(args, x)
		}
		out, err := fn(v, args...)
		if err != nil {
			return nil, false
		}
		if b, ok := out.([]byte); ok {
			out = string(b)
		}
		if v, ok = plain(out); !ok {
			return nil, false
		}
	}
	return v, true
}

// operand evaluates a literal or a variable's property path as the library
// does for the values messages bind.
func (r *planRender) operand(o operand) (any, bool) {
	if o.path == nil {
		return o.lit, true
	}
	v, ok := plain(r.variable(o.path[0]))
	for _, key := range o.path[1:] {
		if !ok {
			return nil, false
		}
		v, ok = property(v, key)
	}
	return v, ok
}

// variable is a loop's variable, or else the render's.
func (r *planRender) variable(name string) any {
	for i := len(r.locals) - 1; i >= 0; i-- {
		if r.locals[i].name == name {
			return r.locals[i].value
		}
	}
	return r.vars[name]
}

// property is v.key: a map's entry, or a list's or a map's size, a list's
// first or last.
func property(v any, key string) (any, bool) {
	var m map[string]any
	switch x := v.(type) {
	case nil:
		return nil, true
	case binding:
		m = x
	case map[string]any:
		m = x
	case []any:
		switch {
		case key == "size":
			return len(x), true
		case len(x) == 0:
			return nil, true
		case key == "first":
			return plain(x[0])
		case key == "last":
			return plain(x[len(x)-1])
		}
		return nil, true
	case string:
		if key == "size" {
			return len(x), true
		}
		return nil, true
	default:
		return nil, false
	}
	if e, ok := m[key]; ok {
		return plain(e)
	}
	if key == "size" {
		return len(m), true
	}
	return nil, true
}

// plain returns v when it is a value whose handling the plan repeats
// exactly (maps as plain maps, as the library hands them on).
func plain(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, int, bool, time.Time, map[string]any, []any:
		return v, true
	case binding:
		return map[string]any(x), true
	}
	return nil, false
}

// write writes an object's value as the library does, escaped for HTML
// when the engine escapes.
func (r *planRender) write(v any) bool {
	var s string
	switch x := v.(type) {
	case nil:
		return true
	case string:
		s = x
	case int:
		s = strconv.Itoa(x)
	case bool:
		s = strconv.FormatBool(x)
	default:
		return false
	}
	if r.html {
		s = htmlEscape(s)
	}
	return r.w.put(s)
}

// htmlEscape escapes as render.HtmlEscaper does, without allocating when
// there is nothing to escape.
func htmlEscape(s string) string {
	if !strings.ContainsAny(s, `&'<>"`) {
		return s
	}
	return render.HtmlEscaper.Replace(s)
}
