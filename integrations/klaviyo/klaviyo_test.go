package klaviyo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/klaviyo"
	"github.com/ordertrack/ordertrack/integrations/klaviyo/klaviyotest"
)

func TestCreateEventReachesTheProfileUnderItsMetric(t *testing.T) {
	fake := klaviyotest.NewServer(t, "pk_live")
	c := klaviyo.New(klaviyo.Config{BaseURL: fake.URL})
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	err := c.CreateEvent(context.Background(), "pk_live", klaviyo.Event{
		Metric: "ordertrack Shipment Delivered", Email: "ana@example.com", Phone: "+14155550100", Time: at,
		UniqueID: "ship-1-delivered", Properties: map[string]any{"tracking_number": "1Z999"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Events()
	if len(got) != 1 {
		t.Fatalf("events = %d, want 1", len(got))
	}
	e := got[0]
	for _, c := range []struct{ name, got, want string }{
		{"metric", e.Metric, "ordertrack Shipment Delivered"},
		{"email", e.Email, "ana@example.com"},
		{"phone", e.Phone, "+14155550100"},
		{"time", e.Time, "2026-11-27T09:30:00Z"},
		{"unique id", e.UniqueID, "ship-1-delivered"},
		{"revision", e.Revision, klaviyo.Revision},
		{"tracking number", e.Properties["tracking_number"].(string), "1Z999"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestCreateEventClassifiesRefusals(t *testing.T) {
	ev := klaviyo.Event{Metric: "m", Email: "a@example.com", Properties: map[string]any{}}
	for _, tc := range []struct {
		name      string
		key       string
		throttle  int
		ev        klaviyo.Event
		retryable bool
		wait      time.Duration
		rejected  bool
	}{
		{name: "429 with Retry-After", key: "pk", throttle: 1, ev: ev, retryable: true, wait: 7 * time.Second},
		{name: "wrong key", key: "pk_other", ev: ev, rejected: true},
		{name: "no key", key: "", ev: ev, rejected: true},
		{name: "no profile", key: "pk", ev: klaviyo.Event{Metric: "m"}, rejected: true},
		{name: "phone not E.164", key: "pk", ev: klaviyo.Event{Metric: "m", Phone: "4155550100"}, rejected: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := klaviyotest.NewServer(t, "pk")
			fake.Throttle(tc.throttle, 7)
			err := klaviyo.New(klaviyo.Config{BaseURL: fake.URL}).CreateEvent(context.Background(), tc.key, tc.ev)
			var re *tracking.RetryableError
			if errors.As(err, &re) != tc.retryable || errors.Is(err, klaviyo.ErrRejected) != tc.rejected {
				t.Fatalf("err = %v: want retryable %v, rejected %v", err, tc.retryable, tc.rejected)
			}
			if re != nil && re.RetryAfter != tc.wait {
				t.Errorf("RetryAfter = %s, want %s", re.RetryAfter, tc.wait)
			}
			if len(fake.Events()) != 0 {
				t.Errorf("a refused event was stored")
			}
		})
	}
}
