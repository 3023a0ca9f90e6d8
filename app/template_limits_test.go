package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
)

// runaway loops 100 million times assigning a variable: {% endfor %} hidden
// in comments got it past the old checks of nesting depth.
const runaway = `{% for a in (1..100) %}{% comment %}{% endfor %}{% endcomment %}{% for b in (1..100) %}{% comment %}{% endfor %}{% endcomment %}` +
	`{% for c in (1..100) %}{% for d in (1..100) %}{% assign k = d %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}`

// TestTemplateOverLimitsAtSendFailsItsMessage saves a template that renders
// fine for the editor's sample order (#1042) and runs away on any other.
// At send time the message fails for good with the limit as its reason, and
// no render is left running in the worker (before, each such message left
// one behind, burning CPU long after its 2 s deadline).
func TestTemplateOverLimitsAtSendFailsItsMessage(t *testing.T) {
	// Not parallel: it counts every goroutine of the process rendering a
	// template, and parallel tests render their own.
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, _ := startApp(t, dbURL, Config{})
		ctx := context.Background()
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		src := `{% if order.name != "#1042" %}` + runaway + `{% endif %}Order {{ order.name }} is out for delivery.`
		if err := new(notify.Renderer).Validate(ctx, notify.PartSMS, "en", src); err != nil {
			t.Fatalf("Validate on the sample order = %v, want nil", err)
		}
		if _, err := a.db.Scope(fx.shop.ID).SaveTemplates(ctx, "out_for_delivery", "en", map[string]string{"sms": src}); err != nil {
			t.Fatal(err)
		}
		n := logMessage(t, a, fx.ships[0], "out_for_delivery", "sms", storage.NotificationScheduled, shopperPhone, 0)
		if _, err := a.jobs.Insert(ctx, jobs.SendArgs{NotificationID: n.ID}, nil); err != nil {
			t.Fatal(err)
		}
		var got *storage.Notification
		apptest.WaitUntil(t, "the message to leave scheduled", func() bool {
			got = reload(t, a, n.ID)
			return got.Status != storage.NotificationScheduled
		})
		if got.Status != storage.NotificationFailed || !strings.Contains(got.Error, "steps") || got.Attempts != 0 {
			t.Errorf("message: status %q, error %q, %d attempts; want failed before any attempt, with the step limit as the reason", got.Status, got.Error, got.Attempts)
		}
		if n := liquidGoroutines(); n != 0 {
			t.Errorf("%d goroutines still rendering a template after the send job failed the message, want 0", n)
		}
	})
}

// TestEditorRejectsATemplateOverLimits previews and saves a template that
// runs away on the sample order: the editor answers at once with the line
// and the limit it ran into, nothing is saved, and no render is left
// running.
func TestEditorRejectsATemplateOverLimits(t *testing.T) {
	// Not parallel: it counts every goroutine of the process rendering a
	// template, and parallel tests render their own.
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		src := "Hello {{ customer.first_name }}\n" + runaway

		code, body := s.post("/admin/templates/preview", url.Values{"trigger": {"shipped"}, "channel": {"sms"}, "locale": {"en"}, "sms": {src}})
		var pv previewJSON
		if err := json.Unmarshal([]byte(body), &pv); code != http.StatusOK || err != nil {
			t.Fatalf("preview: status %d, %v:\n%s", code, err, body)
		}
		if len(pv.Errors) != 1 || pv.Errors[0].Line != 2 || !strings.Contains(pv.Errors[0].Message, "steps") || len(pv.Parts) != 0 {
			t.Errorf("preview = %+v; want one error on line 2 naming the step limit, and no parts", pv)
		}
		if code, page := s.post("/admin/templates/shipped/sms/en", url.Values{"op": {"save"}, "sms": {src}}); code != http.StatusUnprocessableEntity || !strings.Contains(page, "steps") {
			t.Errorf("save: status %d; want 422 naming the step limit", code)
		}
		if v := smsVersions(t, a, shop.ID); len(v) != 0 {
			t.Errorf("versions after the rejected save = %+v; want none", v)
		}
		if n := liquidGoroutines(); n != 0 {
			t.Errorf("%d goroutines still rendering a template after the editor answered, want 0", n)
		}
	})
}

// liquidGoroutines counts the goroutines, other than the caller, with the
// template engine on their stack.
func liquidGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for i, g := range strings.Split(string(buf), "\n\n") {
		if i > 0 && strings.Contains(g, "github.com/osteele/liquid/") {
			n++
		}
	}
	return n
}
