package sandbox

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/osteele/liquid/values"
)

// filterDict registers filters on an instance, each wrapped by bounded. The
// standard filters are added through it, so a filter the library adds in a
// later version is bounded too.
type filterDict struct{ in *instance }

func (d filterDict) AddFilter(name string, fn any) {
	f := d.in.bounded(name, fn)
	d.in.cfg.AddFilter(name, f)
	d.in.filters[name] = f
}

// precheck estimates, before a filter runs, results that can be far larger
// than the inputs (replace multiplies, join repeats its separator, json
// expands nested lists), so they fail before the memory is spent.
type precheck func(b *budget, in any, args []any) error

var prechecks = map[string]precheck{
	"replace": func(b *budget, in any, args []any) error {
		s, old, repl := text(in), text(arg(args, 0)), text(arg(args, 1))
		n := strings.Count(s, old)
		if old == "" {
			n = utf8.RuneCountInString(s) + 1
		}
		return b.value(len(s) + n*max(len(repl)-len(old), 0))
	},
	"join": func(b *budget, in any, args []any) error {
		n := length(in)
		if err := b.items(n); err != nil {
			return err
		}
		return b.value(size(in, b.lim.Value) + n*len(text(arg(args, 0))))
	},
	"json":    func(b *budget, in any, _ []any) error { return b.value(size(in, b.lim.Value)) },
	"inspect": func(b *budget, in any, _ []any) error { return b.value(size(in, b.lim.Value)) },
}

// bounded wraps a filter so that each call is charged to the render in
// progress: a step plus the items of its list inputs, the size of its inputs
// and of its result, with ranges checked before the library turns them into
// lists and the result's length checked against the limits. The
// wrapper takes its arguments untyped and hands them to the filter through
// values.Call, so conversions and errors are the library's own.
func (in *instance) bounded(name string, fn any) func(any, ...any) (any, error) {
	rf := reflect.ValueOf(fn)
	styled, _ := fn.(func(any, func(string) string) string)
	pre := prechecks[name]
	return func(v any, args ...any) (any, error) {
		b := in.budget
		n, read := 0, 0
		for i := -1; i < len(args); i++ {
			a := v
			if i >= 0 {
				a = args[i]
			}
			k, err := b.listArg(a)
			if err != nil {
				return nil, err
			}
			n += k
			read += 16 * k
			if s, ok := a.(string); ok {
				read += len(s)
			}
		}
		if err := b.step(1 + n); err != nil {
			return nil, err
		}
		// Filters copy what they read (lists into []any, strings into
		// runes or builders), so reading counts as well as writing.
		if err := b.charge(read); err != nil { // step just read the clock
			return nil, err
		}
		if pre != nil {
			if err := pre(b, v, args); err != nil {
				return nil, err
			}
		}
		var out any
		var err error
		if styled != nil {
			out, err = callStyled(styled, v, args)
		} else {
			out, err = values.Call(rf, append([]any{v}, args...))
		}
		if err != nil {
			return nil, err
		}
		return out, b.result(out)
	}
}

// callStyled calls a filter of the messages' shape, a value and an
// optional style (local_date, eta_window, money), as values.Call would —
// the same argument count check, the style converted to a string when the
// filter asks for it, the filter's default without one — but without
// building the style function through reflection at every call.
func callStyled(f func(any, func(string) string) string, v any, args []any) (any, error) {
	if len(args) > 1 {
		return nil, &values.CallParityError{NumArgs: len(args) + 1, NumParams: 2}
	}
	style := func(def string) string { return def }
	if len(args) == 1 {
		arg := args[0]
		style = func(string) string {
			switch a := arg.(type) {
			case nil:
				return ""
			case string: // what converting it would return, without a copy
				return a
			}
			return values.MustConvert(arg, stringType).(string)
		}
	}
	return f(v, style), nil
}

var stringType = reflect.TypeOf("")

// listArg checks a filter argument that is or holds a list and returns its
// length. A range is checked before any filter can make a list of it.
func (b *budget) listArg(a any) (int, error) {
	switch a := a.(type) {
	case values.Range:
		return a.Len(), b.items(a.Len())
	case map[string]any: // keyword arguments
		n := 0
		for _, v := range a {
			k, err := b.listArg(v)
			if err != nil {
				return 0, err
			}
			n += k
		}
		return n, nil
	}
	return length(a), nil
}

// result charges a filter's result.
func (b *budget) result(out any) error {
	switch out := out.(type) {
	case string:
		if err := b.value(len(out)); err != nil {
			return err
		}
		return b.alloc(len(out))
	case []byte:
		if err := b.value(len(out)); err != nil {
			return err
		}
		return b.alloc(len(out))
	case values.SafeValue:
		return b.result(out.Value)
	}
	if n := length(out); n > 0 {
		if err := b.items(n); err != nil {
			return err
		}
		if err := b.list(size(out, b.lim.ListBytes)); err != nil {
			return err
		}
		return b.alloc(16 * n)
	}
	return b.alloc(16)
}

// length is the number of items of a list (0 for anything else).
func length(v any) int {
	if v == nil {
		return 0
	}
	if r, ok := v.(values.Range); ok {
		return max(r.Len(), 0)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Array, reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return 0 // []byte is text
		}
		return rv.Len()
	}
	return 0
}

// size estimates the bytes of v written out as text, counting nested lists
// and maps; it stops counting once past limit.
func size(v any, limit int) int {
	total := 0
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if total > limit || depth > 32 {
			return
		}
		switch v := v.(type) {
		case nil:
			return
		case string:
			total += len(v)
			return
		case []byte:
			total += len(v)
			return
		case time.Time:
			total += 32
			return
		case values.Range:
			total += 8 * max(v.Len(), 0)
			return
		case values.SafeValue:
			walk(v.Value, depth+1)
			return
		}
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Array, reflect.Slice:
			for i := 0; i < rv.Len() && total <= limit; i++ {
				total += 2
				walk(rv.Index(i).Interface(), depth+1)
			}
		case reflect.Map:
			it := rv.MapRange()
			for it.Next() && total <= limit {
				total += 4
				walk(it.Key().Interface(), depth+1)
				walk(it.Value().Interface(), depth+1)
			}
		default:
			total += 8
		}
	}
	walk(v, 0)
	return total
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// text is a filter argument as the library would convert it to a string.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return fmt.Sprint(v)
}
