package app

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/messaging"
)

// validSettings is a complete settings form as a merchant would submit it.
func validSettings() url.Values {
	return url.Values{
		"logo_url": {"https://cdn.shop-a.example/logo.png"}, "primary_color": {"#0B6E4F"}, "accent_color": {"#f90"},
		"font_family": {"Georgia"}, "support_email": {"help@shop-a.example"}, "support_url": {"https://shop-a.example/help"},
		"returns_url": {"https://shop-a.example/returns"},
		"faq_q":       {"Where is my parcel?", "", ""}, "faq_a": {"Follow the link in your email.", "", ""},
		"ch_shipped": {"email"}, "ch_delayed": {"sms", "email"}, "ch_out_for_delivery": {"sms", "whatsapp", "email"},
		"quiet_start": {"22:00"}, "quiet_end": {"07:30"}, "daily_cap": {"4"},
		"sender_name": {"Shop A"}, "sender_email": {"updates@shop-a.example"}, "cod_gateways": {"Cash on Delivery (COD)\r\nPay at door"},
	}
}

func TestSettingsRejectInvalidFieldsInline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, field, value, wantMsg string
	}{
		{"logo over plain http", "logo_url", "http://cdn.shop-a.example/logo.png", "https://"},
		{"logo as a javascript URL", "logo_url", "javascript:alert(1)", "https://"},
		{"colour name instead of hex", "primary_color", "red", "hex colour"},
		{"colour with CSS injection", "accent_color", "#fff;}body{display:none", "hex colour"},
		{"font outside the list", "font_family", "Comic Sans MS", "listed fonts"},
		{"support email without domain", "support_email", "help@", "email address"},
		{"returns link without scheme", "returns_url", "shop-a.example/returns", "https://"},
		{"quiet hour past midnight", "quiet_start", "25:00", "HH:MM"},
		{"quiet end missing", "quiet_end", "", "HH:MM"},
		{"negative daily cap", "daily_cap", "-1", "0 to 20"},
		{"sender name with a header break", "sender_name", "Shop\r\nBcc: x@y", "plain name"},
		{"FAQ question without answer", "faq_a", "", "needs an answer"},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				form := validSettings()
				form.Set(tt.field, tt.value)
				code, page := s.post("/admin/settings", form)
				if code != http.StatusUnprocessableEntity || !strings.Contains(page, tt.wantMsg) || !strings.Contains(page, `aria-invalid="true"`) {
					t.Errorf("status %d; want 422 with %q beside the field:\n%s", code, tt.wantMsg, page)
				}
				got, err := a.db.ShopByID(context.Background(), shop.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Settings.V.Branding.LogoURL != "" {
					t.Errorf("invalid form stored settings: %+v", got.Settings.V)
				}
			})
		}
	})
}

func TestSettingsSaveStoresEveryField(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		shop := ownerShop(t, a)
		s := signIn(t, a, base, shop.ID)
		if code, page := s.post("/admin/settings", validSettings()); code != http.StatusSeeOther {
			t.Fatalf("valid settings: status %d; want 303:\n%s", code, page)
		}
		got, err := a.db.ShopByID(context.Background(), shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		st := got.Settings.V
		if st.Branding.PrimaryColor != "#0b6e4f" || st.Branding.AccentColor != "#f90" || st.Branding.FontFamily != "Georgia" ||
			st.Branding.LogoURL != "https://cdn.shop-a.example/logo.png" || st.SupportEmail != "help@shop-a.example" ||
			st.ReturnsURL != "https://shop-a.example/returns" || len(st.FAQ) != 1 || st.FAQ[0].Answer != "Follow the link in your email." ||
			st.QuietStart != "22:00" || st.QuietEnd != "07:30" || st.DailyCap != 4 || st.SenderEmail != "updates@shop-a.example" ||
			!slices.Equal(st.CODGateways, []string{"Cash on Delivery (COD)", "Pay at door"}) {
			t.Errorf("stored settings = %+v; want the submitted values", st)
		}
		// Only rows that differ from the defaults are stored; a row with
		// nothing checked turns the update off.
		if off, ok := st.Channels["delivered"]; !ok || len(off) != 0 || !slices.Equal(st.Channels["delayed"], []string{"sms", "email"}) {
			t.Errorf("channels = %v; want delayed by sms then email, and unchecked delivered stored as off", st.Channels)
		}
		if _, ok := st.Channels["shipped"]; ok {
			t.Errorf("channels store shipped %v though it matches the default", st.Channels["shipped"])
		}
		rules := messaging.ShopRules(got)
		if r := rules.Routes["delayed"]; len(r.Channels) != 2 || r.Channels[0] != "sms" || rules.MaxPer24h != 4 {
			t.Errorf("rules from settings: delayed %v, cap %d; want [sms email] and 4", r.Channels, rules.MaxPer24h)
		}
		if _, page := s.get(base + "/admin/settings?saved=1"); !strings.Contains(page, `value="#0b6e4f"`) || !strings.Contains(page, "Settings saved") {
			t.Errorf("settings page after save does not show the stored colour and notice")
		}
	})
}
