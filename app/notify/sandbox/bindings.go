package sandbox

import "github.com/osteele/liquid/values"

// binding is a map of the render's variables that the engine reads without
// reflection: the library looks a property up in a plain map through
// reflect, with three allocations a lookup, and a message makes dozens.
// Whatever binding does not hold itself (a missing key, size, comparisons)
// it answers as the library's own map value would.
type binding map[string]any

// bind wraps the maps among vars' values as bindings.
func bind(v any) any {
	if m, ok := v.(map[string]any); ok {
		return binding(m)
	}
	return v
}

func (m binding) lib() values.Value { return values.ValueOf(map[string]any(m)) }

func (m binding) PropertyValue(key values.Value) values.Value {
	if k, ok := key.Interface().(string); ok {
		if v, ok := m[k]; ok {
			return values.ValueOf(bind(v))
		}
	}
	return m.lib().PropertyValue(key)
}

func (m binding) IndexValue(key values.Value) values.Value {
	if k, ok := key.Interface().(string); ok {
		if v, ok := m[k]; ok {
			return values.ValueOf(bind(v))
		}
	}
	return m.lib().IndexValue(key)
}

func (m binding) Interface() any               { return map[string]any(m) }
func (m binding) Int() int                     { return m.lib().Int() }
func (m binding) Equal(o values.Value) bool    { return m.lib().Equal(o) }
func (m binding) Less(o values.Value) bool     { return m.lib().Less(o) }
func (m binding) Contains(o values.Value) bool { return m.lib().Contains(o) }
func (m binding) Test() bool                   { return m.lib().Test() }
