package sandbox

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrLimit is wrapped by every error that stops a render for exceeding one
// of its Limits, so callers can tell a template that is too expensive from
// one that is broken.
var ErrLimit = errors.New("template limit exceeded")

// ErrOutputTooLarge means a render wrote more than Limits.Output bytes. It
// wraps ErrLimit.
var ErrOutputTooLarge = fmt.Errorf("%w: template output too large", ErrLimit)

// Limits bound one render. Steps and Bytes are counted as the template runs,
// so a render stops at the first step over a limit, whatever the source
// looks like.
type Limits struct {
	// Steps caps the work: each filter call costs 1 plus the items of a list
	// it reads, each tag 1, each loop iteration 1 plus the nodes of its body.
	Steps int
	// Bytes caps an estimate of the memory a render allocates: the size of
	// every filter's inputs and result, every capture and the output, summed
	// over the render (a value built and thrown away still counts).
	Bytes int
	// Output caps the rendered text.
	Output int
	// Value caps the length of any one string a filter or capture produces.
	Value int
	// Items caps the length of any one list a filter produces or reads from
	// a range such as (1..n).
	Items int
	// ListBytes caps the size of any one list a filter produces, counting
	// its items written out as text: items are shared, not copied, so a
	// list of 500 copies of one long string is small in memory, but turning
	// it into text (join, or any string filter) is not.
	ListBytes int
	// Timeout stops the render, on the calling goroutine, at the first step
	// after it has passed.
	Timeout time.Duration
}

// DefaultLimits are far above what the shipped templates use (at most 30
// steps and 3 KB of values and output) and keep a hostile render under
// 64 MB of allocation and about a tenth of a second of CPU.
var DefaultLimits = Limits{
	Steps:     100_000,
	Bytes:     8 << 20,
	Output:    256 << 10,
	Value:     32 << 10,
	Items:     1000,
	ListBytes: 256 << 10,
	Timeout:   2 * time.Second,
}

// budget is what one render has left. Every charge checks the deadline, and
// once a charge fails every later one fails with the same error, so a
// template cannot carry on after an error the engine happens to swallow.
type budget struct {
	ctx   context.Context // the caller's
	start time.Time       // with its monotonic reading: the render's deadline is Timeout after it
	lim   Limits
	steps int
	bytes int
	err   error
}

func (b *budget) fail(err error) error {
	if b.err == nil {
		b.err = err
	}
	return b.err
}

func (b *budget) check() error {
	if b.err != nil {
		return b.err
	}
	if err := b.ctx.Err(); err != nil {
		// The caller gave up: not the template's fault.
		return b.fail(err)
	}
	// The clock is read at every step rather than waiting for a timer, so
	// the render stops at its first step past the deadline, and no timer
	// or goroutine outlives it. time.Since reads only the monotonic clock,
	// half the cost of time.Now, and this runs at every charge.
	if time.Since(b.start) >= b.lim.Timeout {
		return b.fail(fmt.Errorf("%w: template did not finish rendering within %s: %w", ErrLimit, b.lim.Timeout, context.DeadlineExceeded))
	}
	return nil
}

// step charges n steps.
func (b *budget) step(n int) error {
	if err := b.check(); err != nil {
		return err
	}
	b.steps += n
	if b.steps > b.lim.Steps {
		return b.fail(fmt.Errorf("%w: template needs more than %d steps (loop iterations, tags and filters)", ErrLimit, b.lim.Steps))
	}
	return nil
}

// alloc charges n bytes of values built.
func (b *budget) alloc(n int) error {
	if err := b.check(); err != nil {
		return err
	}
	return b.charge(n)
}

// charge charges n bytes of values built, after a check.
func (b *budget) charge(n int) error {
	b.bytes += n
	if b.bytes > b.lim.Bytes {
		return b.fail(fmt.Errorf("%w: template builds more than %d MB of values", ErrLimit, b.lim.Bytes>>20))
	}
	return nil
}

// value checks the length of one string a template builds.
func (b *budget) value(n int) error {
	if n > b.lim.Value {
		return b.fail(fmt.Errorf("%w: value too large: a template value may be at most %d bytes", ErrLimit, b.lim.Value))
	}
	return nil
}

// items checks the length of one list a template builds or reads.
func (b *budget) items(n int) error {
	if n > b.lim.Items {
		return b.fail(fmt.Errorf("%w: list too large: a template list may have at most %d items", ErrLimit, b.lim.Items))
	}
	return nil
}

// list checks the size of one list a template builds.
func (b *budget) list(n int) error {
	if n > b.lim.ListBytes {
		return b.fail(fmt.Errorf("%w: list too large: a template list may hold at most %d KB of text", ErrLimit, b.lim.ListBytes>>10))
	}
	return nil
}
