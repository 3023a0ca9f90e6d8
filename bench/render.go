package bench

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
)

// Render compares notify.Renderer.Compose (sandboxed Liquid, every part of
// an email) with executing a plain text/template that produces output of
// the same size with the same substitutions.
func Render(ctx context.Context, count int, limit time.Duration) ([]Result, error) {
	r := &notify.Renderer{}
	data := notify.SampleData("en")
	compose := func() (int, error) {
		m, err := r.Compose(ctx, tracking.TriggerOutForDelivery, notify.ChannelEmail, nil, data)
		return len(m.Subject) + len(m.HTML) + len(m.Text), err
	}
	m, err := r.Compose(ctx, tracking.TriggerOutForDelivery, notify.ChannelEmail, nil, data)
	if err != nil {
		return nil, fmt.Errorf("compose sample message: %w", err)
	}
	// The baseline template is the rendered message with its variable parts
	// turned back into actions.
	src := m.Subject + "\n" + m.HTML + "\n" + m.Text
	src = strings.ReplaceAll(src, "{{", "{ {")
	vars := map[string]string{}
	for name, v := range map[string]string{
		"FirstName": data.Customer.FirstName, "Order": data.Order.Name,
		"Number": data.Shipment.TrackingNumber, "URL": data.TrackingURL, "Shop": data.Shop.Name,
	} {
		if v != "" {
			src = strings.ReplaceAll(src, v, "{{."+name+"}}")
			vars[name] = v
		}
	}
	tpl, err := template.New("baseline").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("parse baseline template: %w", err)
	}
	var buf bytes.Buffer
	plain := func() (int, error) {
		buf.Reset()
		err := tpl.Execute(&buf, vars)
		return buf.Len(), err
	}
	size, _ := compose()
	c, p, err := interleaved(count, limit, compose, plain)
	if err != nil {
		return nil, err
	}
	return []Result{result("notification compose (email)", c, p, "msg/s",
		fmt.Sprintf("baseline: text/template of the same %d bytes, one goroutine, in turns of the same time as compose's (%d composed)", size, count))}, nil
}

// renderRounds is how many turns compose and its baseline take. In each
// turn the baseline runs for as long as compose just ran, so on a shared
// machine both sides meet the same share of other processes' load.
const renderRounds = 20

// interleaved runs a count times in rounds, each followed by b for the same
// wall time, until limit passes, and returns each one's rate over its
// rounds.
func interleaved(count int, limit time.Duration, a, b func() (int, error)) (rateA, rateB float64, err error) {
	start := time.Now()
	per := max(count/renderRounds, 1)
	var na, nb int
	var ta, tb time.Duration
	for na < count && time.Since(start) < limit {
		t := time.Now()
		for range per {
			if _, err := a(); err != nil {
				return 0, 0, err
			}
		}
		round := time.Since(t)
		na, ta = na+per, ta+round
		t = time.Now()
		for time.Since(t) < round {
			if _, err := b(); err != nil {
				return 0, 0, err
			}
			nb++
		}
		tb += time.Since(t)
	}
	return float64(na) / ta.Seconds(), float64(nb) / tb.Seconds(), nil
}
