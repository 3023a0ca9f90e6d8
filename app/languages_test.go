package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// TestShoppersAreAnsweredInTheirLanguage: a shopper of each language added
// after the first four answers in their own word and hears back in their
// language, by text and on a call (European Portuguese and Flemish read
// and hear the Brazilian and Netherlands copy).
func TestShoppersAreAnsweredInTheirLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		locale, yes, thanks, voice, goodbye string
	}{
		{"pt-PT", "Sim", "Obrigado, avisamos a loja.", "pt-BR", "Obrigado. A loja recebeu seu pedido de reagendamento"},
		{"it-IT", "Sì", "Grazie, abbiamo avvisato il negozio.", "it-IT", "Grazie. Il negozio ha la tua richiesta"},
		{"nl-BE", "ja", "Bedankt, we hebben de winkel ingelicht.", "nl-NL", "Dank je. De winkel heeft je verzoek"},
		{"ja-JP", "はい", "ありがとうございます。ストアに伝えました。", "ja-JP", "ありがとうございます。配達日変更のご依頼"},
	}
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), twilioConfig())
	for i, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			phone := fmt.Sprintf("+1415555012%d", i)
			fx := seedShopper(t, a, fmt.Sprintf("lang-%d.myshopify.com", i), phone, "failed_attempt", "action_required")
			if err := a.db.Gorm.Model(fx.order).Update("locale", tt.locale).Error; err != nil {
				t.Fatal(err)
			}
			logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationDelivered, phone, time.Hour)
			code, body := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(phone, tt.yes))
			if code != http.StatusOK || !strings.Contains(body, tt.thanks) {
				t.Fatalf("reply to %s: %d %s; want %q", tt.yes, code, body, tt.thanks)
			}
			call := logMessage(t, a, fx.ships[1], "action_required", "voice", storage.NotificationSent, phone, 0)
			form := url.Values{"CallSid": {fmt.Sprintf("CA%d", i)}, "AccountSid": {apptest.TwilioSID}, "Digits": {"2"}}
			code, body = apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", call.ID), apptest.TwilioToken, form)
			if want := fmt.Sprintf(`<Say language="%s">%s`, tt.voice, tt.goodbye); code != http.StatusOK || !strings.Contains(body, want) {
				t.Fatalf("gather: %d %s; want %s", code, body, want)
			}
		})
	}
}

// TestLocalStopWordIsConfirmedByUs: Twilio confirms only its English opt-out
// words, so a shopper who texts SAIR (or BASTA, STOPPEN, 停止) hears from us
// that the updates stopped, in their language.
func TestLocalStopWordIsConfirmedByUs(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), twilioConfig())
	fx := seedShopper(t, a, "lang-stop.myshopify.com", shopperPhone, "failed_attempt")
	if err := a.db.Gorm.Model(fx.order).Update("locale", "pt-BR").Error; err != nil {
		t.Fatal(err)
	}
	logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationDelivered, shopperPhone, time.Hour)
	code, body := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, "Sair"))
	if code != http.StatusOK || !strings.Contains(body, "<Message>Você não receberá mais atualizações aqui.") {
		t.Fatalf("SAIR: %d %s; want the Portuguese confirmation", code, body)
	}
	cs, err := a.db.Contacts(context.Background(), fx.shop.ID, shopperPhone)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Channel != "sms" || !cs[0].OptedOut || cs[0].Source != "sms_stop" || cs[1].Channel != "voice" || !cs[1].OptedOut {
		t.Fatalf("contacts after SAIR = %+v; want the number opted out of SMS and calls", cs)
	}
}

// TestPageLanguageFollowsTheBrowserThenTheOrder: the tracking page speaks
// the browser's first supported language, else the order's.
func TestPageLanguageFollowsTheBrowserThenTheOrder(t *testing.T) {
	t.Parallel()
	a, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	fx := seedShopper(t, a, "lang-page.myshopify.com", shopperPhone, "failed_attempt")
	if err := a.db.Gorm.Model(fx.order).Update("locale", "pt-PT").Error; err != nil {
		t.Fatal(err)
	}
	tests := []struct{ acceptLanguage, lang, words string }{
		{"", "pt", "A transportadora tentou entregar seu pacote"},
		{"sv-SE, ko;q=0.8", "pt", "A transportadora tentou entregar seu pacote"},
		{"ja-JP,ja;q=0.9,en;q=0.5", "ja", "ご注文"},
		{"nl-BE,nl;q=0.9", "nl", "Bestelling #1001"},
		{"it-CH", "it", "Ordine #1001"},
	}
	for _, tt := range tests {
		res, page := apptest.Fetch(t, base+"/t/"+fx.ships[0].PublicToken, http.Header{"Accept-Language": {tt.acceptLanguage}})
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="`+tt.lang+`"`) || !strings.Contains(page, tt.words) {
			t.Errorf("Accept-Language %q: %d; want lang=%q with %q:\n%.2000s", tt.acceptLanguage, res.StatusCode, tt.lang, tt.words, page)
		}
	}
}
