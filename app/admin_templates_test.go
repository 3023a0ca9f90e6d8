package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// liveShippedSMS renders the shop's shipped SMS as a real send would pick it.
func liveShippedSMS(t *testing.T, a *App, shopID int64) string {
	t.Helper()
	ctx := context.Background()
	stored, err := a.db.TemplateOverrides(ctx, shopID, "shipped", "en")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := new(notify.Renderer).Compose(ctx, tracking.TriggerShipped, notify.ChannelSMS, map[notify.Part]string{notify.PartSMS: stored["sms"]}, notify.SampleData("en"))
	if err != nil {
		t.Fatalf("compose live shipped SMS: %v", err)
	}
	return msg.Text
}

func smsVersions(t *testing.T, a *App, shopID int64) []storage.MessageTemplate {
	t.Helper()
	v, err := a.db.Scope(shopID).TemplateVersions(context.Background(), storage.TemplateKey{Trigger: "shipped", Part: "sms", Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAdminPostsWithoutCSRFTokenAreRejected(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		posts := []struct {
			path string
			form url.Values
		}{
			{"/admin/settings", url.Values{"primary_color": {"#ff0000"}}},
			{"/admin/templates/shipped/sms/en", url.Values{"op": {"save"}, "sms": {"Hijacked {{ order.name }}"}}},
			{"/admin/templates/preview", url.Values{"trigger": {"shipped"}, "channel": {"sms"}, "locale": {"en"}, "sms": {"x"}}},
			{"/admin/templates/shipped/sms/en/reset", url.Values{}},
		}
		for _, token := range []string{"", "0123456789abcdef0123456789abcdef"} {
			for _, p := range posts {
				form := url.Values{"_csrf": {token}}
				for k, v := range p.form {
					form[k] = v
				}
				if code, _ := s.post(p.path, form); code != http.StatusForbidden {
					t.Errorf("POST %s with token %q: status %d; want 403", p.path, token, code)
				}
			}
		}
		got, err := a.db.ShopByID(context.Background(), shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Settings.V.Branding.PrimaryColor != "" || len(smsVersions(t, a, shop.ID)) != 0 {
			t.Errorf("after forged posts: colour %q, %d SMS versions; want nothing changed", got.Settings.V.Branding.PrimaryColor, len(smsVersions(t, a, shop.ID)))
		}
	})
}

func TestTemplateSaveWithErrorKeepsLiveVersion(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		const edit = "/admin/templates/shipped/sms/en"

		if code, _ := s.post(edit, url.Values{"op": {"save"}, "sms": {"V1 {{ order.name }} ships\r\nby {{ shipment.carrier_name }}"}}); code != http.StatusSeeOther {
			t.Fatalf("valid save: status %d; want 303", code)
		}
		code, page := s.post(edit, url.Values{"op": {"save"}, "sms": {"Broken\r\n{{ shipment.nope | nofilter }}"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Line 2:") || !strings.Contains(page, "{{ shipment.nope | nofilter }}") {
			t.Fatalf("invalid save: status %d; want 422 showing line 2 and its source:\n%s", code, page)
		}
		if v := smsVersions(t, a, shop.ID); len(v) != 1 || v[0].Body != "V1 {{ order.name }} ships\nby {{ shipment.carrier_name }}" {
			t.Fatalf("versions after invalid save = %+v; want only v1 with LF line ends", v)
		}
		if got := liveShippedSMS(t, a, shop.ID); !strings.HasPrefix(got, "V1 #") {
			t.Errorf("live SMS after invalid save = %q; want v1", got)
		}

		if code, _ := s.post(edit, url.Values{"op": {"save"}, "sms": {"V2 {{ order.name }}"}}); code != http.StatusSeeOther {
			t.Fatalf("second valid save: status %d; want 303", code)
		}
		v := smsVersions(t, a, shop.ID)
		if code, _ := s.post(edit+"/restore", url.Values{"version": {strconv.FormatInt(v[1].ID, 10)}}); code != http.StatusSeeOther {
			t.Fatalf("restore v1: status %d; want 303", code)
		}
		v = smsVersions(t, a, shop.ID)
		if len(v) != 3 || v[0].Version != 3 || v[0].Body != v[2].Body {
			t.Fatalf("after restore: %+v; want v3 with v1's body", v)
		}
		if code, _ := s.post(edit+"/reset", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("reset: status %d; want 303", code)
		}
		def, _ := notify.DefaultTemplate("en", tracking.TriggerShipped, notify.PartSMS)
		want, _ := new(notify.Renderer).Render(context.Background(), def, notify.SampleData("en"))
		if got := liveShippedSMS(t, a, shop.ID); got != strings.TrimSpace(want) {
			t.Errorf("live SMS after reset = %q; want the default %q", got, want)
		}
		if _, list := s.get(base + "/admin/templates"); !strings.Contains(list, "Edit Tracking started · SMS · English: default") || strings.Contains(list, "Edit Tracking started · SMS · English: customized") {
			t.Errorf("template list after reset does not show shipped sms en as default")
		}
	})
}

// previewJSON is the preview endpoint's answer as the editor's script
// reads it.
type previewJSON struct {
	Parts  map[string]string `json:"parts"`
	Errors []struct {
		Part    string `json:"part"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
	SMS *notify.Segments `json:"sms"`
}

func TestTemplatePreviewReportsErrorsAndSegments(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		s := signIn(t, a, base, ownerShop(t, a).ID)
		preview := func(src string) previewJSON {
			t.Helper()
			code, body := s.post("/admin/templates/preview", url.Values{"trigger": {"shipped"}, "channel": {"sms"}, "locale": {"en"}, "sms": {src}})
			var out previewJSON
			if err := json.Unmarshal([]byte(body), &out); code != http.StatusOK || err != nil {
				t.Fatalf("preview: status %d, %v:\n%s", code, err, body)
			}
			return out
		}
		bad := preview("Hello\n{{ shipment.nope | nofilter }}")
		if len(bad.Errors) != 1 || bad.Errors[0].Part != "sms" || bad.Errors[0].Line != 2 || len(bad.Parts) != 0 {
			t.Errorf("preview of a broken line 2 = %+v; want one sms error on line 2 and no parts", bad)
		}
		good := preview("Zażółć: {{ order.name }} " + strings.Repeat("x", 80))
		if len(good.Errors) != 0 || !strings.HasPrefix(good.Parts["sms"], "Zażółć: #") || good.SMS == nil || good.SMS.Encoding != notify.UCS2 || good.SMS.Count != 2 {
			t.Errorf("preview of a long UCS-2 SMS = %+v; want its text in 2 UCS-2 segments", good)
		}
	})
}

func TestSendTestGoesToOwnerThroughOutbox(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		code, page := s.post("/admin/templates/delayed/email/fr", url.Values{
			"op": {"test"}, "email.subject": {"Retard {{ order.name }}"}, "email.html": {"<p>Désolé {{ customer.first_name }}</p>"}, "email.text": {""},
		})
		if code != http.StatusOK || !strings.Contains(page, "Retard {{ order.name }}") || !strings.Contains(page, "not saved yet") {
			t.Fatalf("send test: status %d; want 200 with the unsaved draft still in the editor", code)
		}
		ns, err := a.db.Scope(shop.ID).Notifications(context.Background(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 || ns[0].Recipient != shop.Email || ns[0].Status != storage.NotificationSent || ns[0].Provider != "outbox" ||
			!strings.HasPrefix(ns[0].Subject, "[Test] Retard #") || !strings.Contains(ns[0].HTML, "<p>Désolé ") || ns[0].Body == "" {
			t.Fatalf("outbox = %+v; want one sent test to the owner with the draft subject, HTML and the default text", ns)
		}
		if v, _ := a.db.Scope(shop.ID).LiveTemplates(context.Background()); len(v) != 0 {
			t.Errorf("sending a test stored %d template versions; want none", len(v))
		}
	})
}

// TestSendTestUsesTheDraftsChannel: an SMS test is an SMS to the phone the
// merchant typed, with the unsaved draft, and the editor keeps the draft.
func TestSendTestUsesTheDraftsChannel(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	s := signIn(t, a, base, shop.ID)
	draft := "Draft {{ order.name }} on its way"
	if code, page := s.post("/admin/templates/shipped/sms/en", url.Values{"op": {"test"}, "sms": {draft}}); code != http.StatusUnprocessableEntity || !strings.Contains(page, "phone number") {
		t.Fatalf("SMS test without a phone: %d; want 422 asking for the phone", code)
	}
	code, page := s.post("/admin/templates/shipped/sms/en", url.Values{"op": {"test"}, "sms": {draft}, "test_to": {"+1 415-555-0100"}})
	if code != http.StatusOK || !strings.Contains(page, draft) || !strings.Contains(page, `415-555-0100"`) {
		t.Fatalf("SMS test: %d; want 200 with the draft and the phone kept", code)
	}
	ns, err := a.db.Scope(shop.ID).Notifications(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Channel != "sms" || ns[0].Recipient != "+14155550100" || !strings.HasPrefix(ns[0].Body, "Draft #") {
		t.Fatalf("outbox = %+v; want one SMS with the draft to +14155550100", ns)
	}
	if v, _ := a.db.Scope(shop.ID).LiveTemplates(context.Background()); len(v) != 0 {
		t.Errorf("a test stored %d template versions; want none", len(v))
	}
}

// TestPreviewWearsTheShopsBrandingAndARealOrder: the preview uses the
// shop's name and colour, and one of its recent orders when chosen.
func TestPreviewWearsTheShopsBrandingAndARealOrder(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	shop := ownerShop(t, a)
	shop.Settings.V.Branding.PrimaryColor = "#2d6a4f"
	if err := a.db.Gorm.Model(shop).Update("settings", shop.Settings).Error; err != nil {
		t.Fatal(err)
	}
	token := seedOrder(t, a, "shop-a.myshopify.com", "#4321", "zoe@example.com")
	ship, err := a.db.ShipmentByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	s := signIn(t, a, base, shop.ID)
	_, page := s.get(base + "/admin/templates/shipped/email/en")
	if !strings.Contains(page, fmt.Sprintf(`<option value="%d">#4321`, ship.ID)) {
		t.Fatal("the editor does not offer the shop's recent order")
	}
	var out struct {
		Parts map[string]string `json:"parts"`
	}
	post := func(sample string) {
		t.Helper()
		res, err := s.c.PostForm(base+"/admin/templates/preview", url.Values{"_csrf": {s.csrf}, "trigger": {"shipped"}, "channel": {"email"}, "locale": {"en"}, "sample": {sample}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out.Parts = nil
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
	}
	post("")
	current, err := a.db.ShopByID(context.Background(), shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	if html := out.Parts["email.html"]; !strings.Contains(html, current.Name) || !strings.Contains(html, "#2d6a4f") || strings.Contains(html, "Maple") {
		t.Errorf("sample preview does not wear the shop's branding: name %v colour %v maple %v", strings.Contains(html, current.Name), strings.Contains(html, "#2d6a4f"), strings.Contains(html, "Maple"))
	}
	post(fmt.Sprint(ship.ID))
	if subj := out.Parts["email.subject"]; !strings.Contains(subj, "#4321") {
		t.Errorf("preview with the chosen order has subject %q; want order #4321", subj)
	}
}
