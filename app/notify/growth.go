package notify

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/osteele/liquid"
)

// Limits on values a template builds. Output is bounded by the render writer,
// but {% assign %} builds values in memory that never pass through it:
// "assign s = s | append: s" repeated doubles each time, so the filters that
// grow values are replaced by bounded versions. {% capture %} could do the
// same and cannot be replaced in the engine, so checkSource rejects it.
const (
	MaxValueBytes = 32 << 10 // largest string a template may build
	MaxListItems  = 1000     // longest array a template may build
)

var errValueTooLarge = errors.New("value too large")

func checkLen(n int) error {
	if n > MaxValueBytes {
		return fmt.Errorf("%w: a template value may be at most %d bytes", errValueTooLarge, MaxValueBytes)
	}
	return nil
}

// limitGrowth replaces the standard filters that can grow a value
// with versions that fail past MaxValueBytes / MaxListItems. Behaviour within
// the limits is the standard one.
func limitGrowth(e *liquid.Engine) {
	e.RegisterFilter("append", func(s, suffix string) (string, error) {
		if err := checkLen(len(s) + len(suffix)); err != nil {
			return "", err
		}
		return s + suffix, nil
	})
	e.RegisterFilter("prepend", func(s, prefix string) (string, error) {
		if err := checkLen(len(s) + len(prefix)); err != nil {
			return "", err
		}
		return prefix + s, nil
	})
	e.RegisterFilter("replace", func(s, old, repl string) (string, error) {
		n := strings.Count(s, old)
		if old == "" {
			n = utf8.RuneCountInString(s) + 1
		}
		if err := checkLen(len(s) + n*max(len(repl)-len(old), 0)); err != nil {
			return "", err
		}
		return strings.ReplaceAll(s, old, repl), nil
	})
	e.RegisterFilter("replace_first", func(s, old, repl string) (string, error) {
		if err := checkLen(len(s) + len(repl)); err != nil {
			return "", err
		}
		return strings.Replace(s, old, repl, 1), nil
	})
	e.RegisterFilter("replace_last", func(s, old, repl string) (string, error) {
		if err := checkLen(len(s) + len(repl)); err != nil {
			return "", err
		}
		i := strings.LastIndex(s, old)
		if i < 0 {
			return s, nil
		}
		return s[:i] + repl + s[i+len(old):], nil
	})
	e.RegisterFilter("concat", func(a, b []any) ([]any, error) {
		if len(a)+len(b) > MaxListItems {
			return nil, fmt.Errorf("%w: a template list may have at most %d items", errValueTooLarge, MaxListItems)
		}
		return append(append(make([]any, 0, len(a)+len(b)), a...), b...), nil
	})
	e.RegisterFilter("join", func(a []any, sep func(string) string) (string, error) {
		s := sep(" ")
		parts := make([]string, 0, len(a))
		total := 0
		for _, v := range a {
			if v == nil {
				continue
			}
			p := fmt.Sprint(v)
			total += len(p) + len(s)
			if err := checkLen(total); err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, s), nil
	})
}
