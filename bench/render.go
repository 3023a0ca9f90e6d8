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
	c, err := throughput(count, limit, compose)
	if err != nil {
		return nil, err
	}
	p, err := throughput(count, limit, plain)
	if err != nil {
		return nil, err
	}
	return []Result{result("notification compose (email)", c, p, "msg/s",
		fmt.Sprintf("baseline: text/template of the same %d bytes, one goroutine", size))}, nil
}

func throughput(count int, limit time.Duration, op func() (int, error)) (float64, error) {
	start := time.Now()
	n := 0
	for n < count && time.Since(start) < limit {
		if _, err := op(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
