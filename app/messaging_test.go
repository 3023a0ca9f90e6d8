package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/messaging"
	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

func sendgridEvent(n *storage.Notification, event, extra string) string {
	return fmt.Sprintf(`{"email":%q,"timestamp":%d,"event":%q,"sg_event_id":"ev-%s-%d","sg_message_id":"%s.filter0001.1.0","message_id":"%d"%s}`,
		n.Recipient, time.Now().Unix(), event, event, n.ID, n.ProviderID, n.ID, extra)
}

func inboundSMS(from, body string) url.Values {
	return url.Values{
		"MessageSid": {"SM" + strconv.FormatInt(time.Now().UnixNano(), 16)}, "AccountSid": {apptest.TwilioSID},
		"From": {from}, "To": {"+15550009999"}, "Body": {body}, "NumMedia": {"0"},
	}
}

func TestSendGridEventsMoveTheMessageLog(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		key, pub := apptest.SendGridKey(t)
		a, base := startApp(t, dbURL, Config{SendGridPublicKey: pub})
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		tests := []struct {
			name       string
			from       string
			events     []string // applied in order
			extra      string
			wantStatus string
			wantError  string
		}{
			{"delivered", storage.NotificationSent, []string{"processed", "delivered"}, "", storage.NotificationDelivered, ""},
			{"opened", storage.NotificationSent, []string{"delivered", "open"}, "", storage.NotificationOpened, ""},
			{"late delivered does not undo opened", storage.NotificationSent, []string{"open", "delivered"}, "", storage.NotificationOpened, ""},
			{"bounce fails with the reason", storage.NotificationSent, []string{"bounce"}, `,"reason":"550 5.1.1 mailbox does not exist","type":"bounce"`, storage.NotificationFailed, "bounce: 550 5.1.1 mailbox does not exist"},
			{"dropped fails with the reason", storage.NotificationSent, []string{"dropped"}, `,"reason":"Bounced Address"`, storage.NotificationFailed, "dropped: Bounced Address"},
			{"failed stays failed", storage.NotificationSent, []string{"bounce", "delivered", "open"}, `,"reason":"blocked"`, storage.NotificationFailed, "bounce: blocked"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n := logMessage(t, a, fx.ships[0], "shipped", "email", tt.from, "ana@example.com", 0)
				for _, ev := range tt.events {
					body := "[" + sendgridEvent(n, ev, tt.extra) + "]"
					if code := apptest.PostSendGridEvents(t, base, key, body, time.Now()); code != http.StatusOK {
						t.Fatalf("signed %s event: status %d; want 200", ev, code)
					}
					// SendGrid delivers at least once: the same event again changes nothing.
					if code := apptest.PostSendGridEvents(t, base, key, body, time.Now()); code != http.StatusOK {
						t.Fatalf("repeated %s event: status %d; want 200", ev, code)
					}
				}
				got := reload(t, a, n.ID)
				if got.Status != tt.wantStatus || got.Error != tt.wantError {
					t.Fatalf("after %v: status %q error %q; want %q %q", tt.events, got.Status, got.Error, tt.wantStatus, tt.wantError)
				}
			})
		}
	})
}

func TestSendGridUnsubscribeOptsTheShopperOut(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		key, pub := apptest.SendGridKey(t)
		a, base := startApp(t, dbURL, Config{SendGridPublicKey: pub})
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		n := logMessage(t, a, fx.ships[0], "shipped", "email", storage.NotificationSent, "ana@example.com", 0)
		if code := apptest.PostSendGridEvents(t, base, key, "["+sendgridEvent(n, "spamreport", "")+"]", time.Now()); code != http.StatusOK {
			t.Fatalf("spam report: status %d; want 200", code)
		}
		cs, err := a.db.Contacts(context.Background(), fx.shop.ID, "ana@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || !cs[0].OptedOut || cs[0].Channel != "email" {
			t.Fatalf("contacts after a spam report = %+v; want ana@example.com opted out of email", cs)
		}
	})
}

func TestForgedMessagingWebhooksChangeNothing(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		key, pub := apptest.SendGridKey(t)
		otherKey, _ := apptest.SendGridKey(t)
		a, base := startApp(t, dbURL, func() Config { c := twilioConfig(); c.SendGridPublicKey = pub; return c }())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		email := logMessage(t, a, fx.ships[0], "shipped", "email", storage.NotificationSent, "ana@example.com", 0)
		sms := logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationSent, shopperPhone, 0)

		if code := apptest.PostSendGridEvents(t, base, otherKey, "["+sendgridEvent(email, "delivered", "")+"]", time.Now()); code != http.StatusUnauthorized {
			t.Errorf("SendGrid event signed with another key: status %d; want 401", code)
		}
		// A genuine request captured and replayed later: the signature is
		// SendGrid's, but it was made 11 minutes ago.
		if code := apptest.PostSendGridEvents(t, base, key, "["+sendgridEvent(email, "delivered", "")+"]", time.Now().Add(-11*time.Minute)); code != http.StatusUnauthorized {
			t.Errorf("SendGrid event signed 11 minutes ago: status %d; want 401", code)
		}
		unsigned, _ := http.Post(base+"/webhooks/messaging/sendgrid", "application/json", strings.NewReader("["+sendgridEvent(email, "open", "")+"]"))
		unsigned.Body.Close()
		if unsigned.StatusCode != http.StatusUnauthorized {
			t.Errorf("unsigned SendGrid event: status %d; want 401", unsigned.StatusCode)
		}
		status := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}, "AccountSid": {apptest.TwilioSID}}
		path := fmt.Sprintf("/webhooks/messaging/twilio/status?message_id=%d", sms.ID)
		if code, _ := apptest.PostTwilio(t, base, path, "wrong-token", status); code != http.StatusUnauthorized {
			t.Errorf("status callback signed with a wrong token: status %d; want 401", code)
		}
		// Signed for another message id: the query is part of what Twilio signs.
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(status.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", apptest.TwilioSignature(apptest.TwilioToken, base+"/webhooks/messaging/twilio/status?message_id=999", status))
		if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("status callback with a signature for another URL: %v %v; want 401", res.StatusCode, err)
		}
		if code, _ := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", "wrong-token", inboundSMS(shopperPhone, "STOP")); code != http.StatusUnauthorized {
			t.Errorf("forged STOP: status %d; want 401", code)
		}
		if code, _ := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", "wrong-token", inboundSMS(shopperPhone, "CONFIRM")); code != http.StatusUnauthorized {
			t.Errorf("forged CONFIRM: status %d; want 401", code)
		}
		unsignedStop, _ := http.PostForm(base+"/webhooks/messaging/twilio/inbound", inboundSMS(shopperPhone, "STOP"))
		unsignedStop.Body.Close()
		if unsignedStop.StatusCode != http.StatusUnauthorized {
			t.Errorf("STOP without X-Twilio-Signature: status %d; want 401", unsignedStop.StatusCode)
		}
		gather := url.Values{"CallSid": {"CA1"}, "Digits": {"2"}}
		if code, _ := apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", sms.ID), "wrong-token", gather); code != http.StatusUnauthorized {
			t.Errorf("forged key press: status %d; want 401", code)
		}

		if got := reload(t, a, email.ID); got.Status != storage.NotificationSent {
			t.Errorf("email after forged events: %s; want sent", got.Status)
		}
		if got := reload(t, a, sms.ID); got.Status != storage.NotificationSent {
			t.Errorf("SMS after forged callback: %s; want sent", got.Status)
		}
		cs, _ := a.db.Contacts(context.Background(), fx.shop.ID, shopperPhone)
		if len(cs) != 1 || cs[0].OptedOut {
			t.Errorf("contacts after forged STOP = %+v; want the checkout consent unchanged", cs)
		}
		actions := storagetest.Count(t, a.db, "customer_actions", "")
		if actions != 0 {
			t.Errorf("%d customer actions after forged replies; want 0", actions)
		}
	})
}

func TestTwilioStatusCallbacksUpdateTheLog(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		tests := []struct {
			name       string
			channel    string
			form       url.Values
			wantStatus string
			wantError  string
		}{
			{"sms delivered", "sms", url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}, storage.NotificationDelivered, ""},
			{"whatsapp read", "whatsapp", url.Values{"MessageSid": {"SM2"}, "MessageStatus": {"read"}, "From": {"whatsapp:+15550009998"}}, storage.NotificationOpened, ""},
			{"sms undelivered with code", "sms", url.Values{"MessageSid": {"SM3"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}}, storage.NotificationFailed, "twilio: undelivered (error 30003)"},
			{"sms failed with code", "sms", url.Values{"MessageSid": {"SM4"}, "MessageStatus": {"failed"}, "ErrorCode": {"30006"}}, storage.NotificationFailed, "twilio: failed (error 30006)"},
			{"call unanswered", "voice", url.Values{"CallSid": {"CA1"}, "CallStatus": {"no-answer"}}, storage.NotificationFailed, "twilio: no-answer"},
			{"queued changes nothing", "sms", url.Values{"MessageSid": {"SM5"}, "MessageStatus": {"queued"}}, storage.NotificationSent, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n := logMessage(t, a, fx.ships[0], "out_for_delivery", tt.channel, storage.NotificationSent, shopperPhone, 0)
				tt.form.Set("AccountSid", apptest.TwilioSID)
				code, _ := apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/status?message_id=%d", n.ID), apptest.TwilioToken, tt.form)
				if code/100 != 2 {
					t.Fatalf("signed status callback: status %d; want 2xx", code)
				}
				got := reload(t, a, n.ID)
				if got.Status != tt.wantStatus || got.Error != tt.wantError {
					t.Fatalf("status %q error %q; want %q %q", got.Status, got.Error, tt.wantStatus, tt.wantError)
				}
			})
		}
	})
}

func TestSMSStopOptsOutAndTheNextSMSIsSkipped(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		ctx := context.Background()
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		other := seedShopper(t, a, "shop-b.myshopify.com", shopperPhone, "")
		logMessage(t, a, fx.ships[0], "out_for_delivery", "sms", storage.NotificationDelivered, shopperPhone, time.Hour)
		logMessage(t, a, other.ships[0], "out_for_delivery", "sms", storage.NotificationDelivered, shopperPhone, 2*time.Hour)

		code, body := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, "Stop"))
		if code != http.StatusOK || !strings.Contains(body, "<Response>") || strings.Contains(body, "<Message>") {
			t.Fatalf("STOP: %d %s; want 200 with empty TwiML (Twilio confirms SMS opt-outs itself)", code, body)
		}
		for _, shop := range []*storage.Shop{fx.shop, other.shop} {
			cs, err := a.db.Contacts(ctx, shop.ID, shopperPhone)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 2 || cs[0].Channel != "sms" || !cs[0].OptedOut || cs[0].Source != "sms_stop" || cs[1].Channel != "voice" || !cs[1].OptedOut {
				t.Fatalf("%s contacts after STOP = %+v; want the number opted out of SMS and calls by sms_stop", shop.Domain, cs)
			}
		}

		if _, err := a.jobs.Insert(ctx, jobsNotify(fx.ships[0].ID, "failed_attempt"), nil); err != nil {
			t.Fatal(err)
		}
		var n storage.Notification
		apptest.WaitUntil(t, "the failed-attempt SMS decision", func() bool {
			return a.db.Gorm.Where("shipment_id = ? AND trigger = ? AND channel = ?", fx.ships[0].ID, "failed_attempt", "sms").Take(&n).Error == nil
		})
		if n.Status != storage.NotificationSkipped || n.Error != notify.ReasonOptedOut {
			t.Fatalf("SMS after STOP: status %q reason %q; want skipped, %q", n.Status, n.Error, notify.ReasonOptedOut)
		}

		code, body = apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, "START"))
		if code != http.StatusOK || !strings.Contains(body, "<Message>") {
			t.Fatalf("START: %d %s; want a TwiML reply", code, body)
		}
		cs, _ := a.db.Contacts(ctx, fx.shop.ID, shopperPhone)
		if len(cs) != 2 || cs[0].OptedOut || !cs[0].Consent || !cs[1].OptedOut {
			t.Fatalf("contacts after START = %+v; want texts back on with consent, calls still off", cs)
		}
	})
}

func TestShopperRepliesBecomeActionsOnTheShipmentThatAsked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		from, body string
		wantKind   string
		wantSource string
		wantReply  []string
	}{
		{"sms CONFIRM", shopperPhone, "CONFIRM", "confirm_address", "sms", []string{"<Message>Thanks, we&#39;ve let the store know.</Message>"}},
		{"sms 1", shopperPhone, " 1 ", "confirm_address", "sms", []string{"<Message>Thanks"}},
		{"sms RESCHEDULE gets the link", shopperPhone, "reschedule", "reschedule", "sms", []string{"/t/", "#actions"}},
		{"whatsapp 2", "whatsapp:" + shopperPhone, "2", "reschedule", "whatsapp", []string{"/t/"}},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				phone := fmt.Sprintf("+1555000%04d", i)
				// The failed attempt asked; a newer plain update on another
				// shipment must not take the answer.
				fx := seedShopper(t, a, fmt.Sprintf("reply-%d.myshopify.com", i), phone, "failed_attempt", "")
				logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationDelivered, phone, 2*time.Hour)
				logMessage(t, a, fx.ships[1], "shipped", "sms", storage.NotificationDelivered, phone, time.Hour)

				from := strings.Replace(tt.from, shopperPhone, phone, 1)
				code, body := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(from, tt.body))
				if code != http.StatusOK {
					t.Fatalf("reply: status %d %s", code, body)
				}
				for _, want := range tt.wantReply {
					if !strings.Contains(body, want) {
						t.Errorf("TwiML reply %s; want it to contain %q", body, want)
					}
				}
				var acts []storage.CustomerAction
				a.db.Gorm.Where("shop_id = ?", fx.shop.ID).Find(&acts)
				if len(acts) != 1 || *acts[0].ShipmentID != fx.ships[0].ID || acts[0].Kind != tt.wantKind || acts[0].Source != tt.wantSource {
					t.Fatalf("actions = %+v; want one %s from %s on shipment %d", acts, tt.wantKind, tt.wantSource, fx.ships[0].ID)
				}
			})
		}
	})
}

func TestUnknownReplyGetsHelpAndRecordsNothing(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationDelivered, shopperPhone, time.Hour)
		for _, body := range []string{"where is my parcel??", "HELP"} {
			code, reply := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, body))
			if code != http.StatusOK || !strings.Contains(reply, "Reply 1 to confirm") || !strings.Contains(reply, "/t/"+fx.ships[0].PublicToken) {
				t.Errorf("reply to %q: %d %s; want the help text with the tracking link", body, code, reply)
			}
		}
		n := storagetest.Count(t, a.db, "customer_actions", "")
		if n != 0 {
			t.Fatalf("%d actions after help and unknown replies; want 0", n)
		}
	})
}

func TestVoiceKeyPressRecordsTheOfferedAction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		form     url.Values
		wantKind string
	}{
		{"digit 2 reschedules", url.Values{"Digits": {"2"}}, "reschedule"},
		{"digit 1 confirms", url.Values{"Digits": {"1"}}, "confirm_address"},
		{"digit 3 asks for support", url.Values{"Digits": {"3"}}, "contact_support"},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fx := seedShopper(t, a, fmt.Sprintf("voice-%d.myshopify.com", i), shopperPhone, "action_required")
				call := logMessage(t, a, fx.ships[0], "action_required", "voice", storage.NotificationSent, shopperPhone, 0)
				tt.form.Set("CallSid", "CA42")
				tt.form.Set("AccountSid", apptest.TwilioSID)
				code, body := apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", call.ID), apptest.TwilioToken, tt.form)
				if code != http.StatusOK || !strings.Contains(body, `<Say language="en-US">Thank you.`) || !strings.Contains(body, "<Hangup>") {
					t.Fatalf("gather: %d %s; want TwiML that says thanks and hangs up", code, body)
				}
				var acts []storage.CustomerAction
				a.db.Gorm.Where("shop_id = ?", fx.shop.ID).Find(&acts)
				if len(acts) != 1 || acts[0].Kind != tt.wantKind || acts[0].Source != "voice" || *acts[0].ShipmentID != fx.ships[0].ID {
					t.Fatalf("actions = %+v; want one %s from voice", acts, tt.wantKind)
				}
			})
		}
	})
}

func TestSpanishShopperIsAnsweredInSpanish(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-es.myshopify.com", shopperPhone, "failed_attempt", "action_required")
		if err := a.db.Gorm.Model(fx.order).Update("locale", "es-MX").Error; err != nil {
			t.Fatal(err)
		}
		logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationDelivered, shopperPhone, time.Hour)
		code, body := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, "Sí"))
		if code != http.StatusOK || !strings.Contains(body, "Gracias, se lo hemos comunicado a la tienda.") {
			t.Fatalf("reply to Sí: %d %s; want the Spanish confirmation", code, body)
		}
		code, body = apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, "¿dónde está?"))
		if code != http.StatusOK || !strings.Contains(body, "Responde 1 para confirmar") || !strings.Contains(body, "Sigue tu pedido: ") {
			t.Fatalf("unknown reply: %d %s; want the Spanish help", code, body)
		}

		call := logMessage(t, a, fx.ships[1], "action_required", "voice", storage.NotificationSent, shopperPhone, 0)
		form := url.Values{"CallSid": {"CA9"}, "AccountSid": {apptest.TwilioSID}, "Digits": {"2"}}
		code, body = apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", call.ID), apptest.TwilioToken, form)
		if code != http.StatusOK || !strings.Contains(body, `<Say language="es-MX">Gracias. La tienda tiene tu solicitud`) {
			t.Fatalf("gather: %d %s; want the Spanish goodbye in a Mexican Spanish voice", code, body)
		}
		form.Set("Digits", "9")
		if _, body = apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", call.ID), apptest.TwilioToken, form); !strings.Contains(body, `language="es-MX"`) || strings.Contains(body, "en-US") {
			t.Fatalf("repeat: %s; want the menu spoken and heard in es-MX", body)
		}
	})
}

func TestVoiceRepeatAndUnofferedKeysReplayTheMenu(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		// A delivered update offers only support (3) and repeat (9).
		call := logMessage(t, a, fx.ships[0], "delivered", "voice", storage.NotificationSent, shopperPhone, 0)
		for _, digit := range []string{"9", "2"} {
			form := url.Values{"CallSid": {"CA7"}, "Digits": {digit}}
			code, body := apptest.PostTwilio(t, base, fmt.Sprintf("/webhooks/messaging/twilio/gather?message_id=%d", call.ID), apptest.TwilioToken, form)
			if code != http.StatusOK || !strings.Contains(body, "<Gather") {
				t.Errorf("key %s: %d %s; want the menu again in a Gather", digit, code, body)
			}
		}
		n := storagetest.Count(t, a.db, "customer_actions", "")
		if n != 0 {
			t.Fatalf("%d actions after repeat and an unoffered key; want 0", n)
		}
	})
}

func TestShopperActionEmailsTheMerchant(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		logMessage(t, a, fx.ships[0], "failed_attempt", "sms", storage.NotificationDelivered, shopperPhone, time.Hour)
		if code, body := apptest.PostTwilio(t, base, "/webhooks/messaging/twilio/inbound", apptest.TwilioToken, inboundSMS(shopperPhone, "2")); code != http.StatusOK {
			t.Fatalf("reply: %d %s", code, body)
		}
		var n storage.Notification
		apptest.WaitUntil(t, "the merchant's email in the outbox", func() bool {
			return a.db.Gorm.Where("trigger = ? AND status = ?", messaging.TriggerMerchantAction, storage.NotificationSent).Take(&n).Error == nil
		})
		if n.Recipient != ownerEmail || n.Provider != "outbox" || n.ShopID != fx.shop.ID {
			t.Fatalf("merchant email to %q via %q for shop %d; want %s via outbox for shop %d", n.Recipient, n.Provider, n.ShopID, ownerEmail, fx.shop.ID)
		}
		for _, want := range []string{"#1001", "Ana Lopez", "asked to reschedule", "by SMS", fx.ships[0].TrackingNumber, "/t/" + fx.ships[0].PublicToken} {
			if !strings.Contains(n.Subject+"\n"+n.Body, want) {
				t.Errorf("merchant email lacks %q:\n%s\n%s", want, n.Subject, n.Body)
			}
		}
	})
}

func jobsNotify(shipmentID int64, trigger string) jobs.NotifyArgs {
	return jobs.NotifyArgs{ShipmentID: shipmentID, Trigger: trigger, Key: trigger}
}

// soonDay is a delivery day a shopper may ask for: five days from now.
func soonDay() time.Time { return time.Now().UTC().AddDate(0, 0, 5).Truncate(24 * time.Hour) }

func TestRescheduleShowsOnThePageAndReachesTheMerchant(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		token := fx.ships[0].PublicToken
		day := soonDay()
		res, _ := apptest.PostForm(t, base+"/t/"+token+"/actions", url.Values{"_csrf": {a.shopper.CSRFToken(token)}, "kind": {"reschedule"}, "date": {day.Format(time.DateOnly)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reschedule form: status %d; want 303", res.StatusCode)
		}
		page, err := http.Get(base + "/t/" + token)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(page.Body)
		page.Body.Close()
		if want := "You asked for delivery on " + day.Format("Monday, January 2") + " — sent to the store."; !strings.Contains(string(body), want) {
			t.Fatalf("tracking page lacks %q", want)
		}
		var n storage.Notification
		apptest.WaitUntil(t, "the merchant's email about the reschedule", func() bool {
			return a.db.Gorm.Where("shop_id = ? AND trigger = ? AND status = ?", fx.shop.ID, messaging.TriggerMerchantAction, storage.NotificationSent).Take(&n).Error == nil
		})
		if !strings.Contains(n.Body, "date: "+day.Format(time.DateOnly)) || !strings.Contains(n.Body, "on the tracking page") {
			t.Fatalf("merchant email body:\n%s\nwant the day asked for and where it was asked", n.Body)
		}
	})
}

// Behind Fly's proxy the request's Host is the machine's, not the public
// one Twilio signed: the signature must be checked against APP_URL.
func TestTwilioSignatureIsCheckedAgainstAppURLNotHost(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "")
		n := logMessage(t, a, fx.ships[0], "out_for_delivery", "sms", storage.NotificationSent, shopperPhone, 0)
		path := fmt.Sprintf("/webhooks/messaging/twilio/status?message_id=%d", n.ID)
		form := url.Values{"MessageSid": {"SM9"}, "MessageStatus": {"delivered"}, "AccountSid": {apptest.TwilioSID}}
		tests := []struct {
			name     string
			signedAt string
			want     int
		}{
			{"signed for the proxy's host", "http://internal.fly:8080" + path, http.StatusUnauthorized},
			{"signed for APP_URL", base + path, http.StatusNoContent},
		}
		for _, tt := range tests {
			req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
			req.Host = "internal.fly:8080"
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", apptest.TwilioSignature(apptest.TwilioToken, tt.signedAt, form))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Errorf("%s: status %d; want %d", tt.name, res.StatusCode, tt.want)
			}
		}
		if got := reload(t, a, n.ID); got.Status != storage.NotificationDelivered {
			t.Fatalf("status %q after the APP_URL-signed callback; want delivered", got.Status)
		}
	})
}

// Quiet hours are the shopper's: an order's own zone wins over the shop's,
// and the deferred send lands at 08:00 local even on the night clocks
// change.
func TestQuietHoursDeferInTheShoppersZone(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		// Saturday 23:30 in Los Angeles, the night before DST starts: 07:30
		// UTC, 08:30 in Berlin.
		now := time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)
		a, _ := startApp(t, dbURL, Config{}, withQuietHours(), withClock(func() time.Time { return now }))
		tests := []struct {
			name, orderZone, shopZone string
			want                      time.Time
		}{
			{"order in Los Angeles waits for 08:00 PDT", "America/Los_Angeles", "Europe/Berlin", time.Date(2026, 3, 8, 15, 0, 0, 0, time.UTC)},
			{"order without a zone uses the shop's morning", "", "Europe/Berlin", now},
			{"neither zone falls back to UTC night", "", "", time.Date(2026, 3, 8, 8, 0, 0, 0, time.UTC)},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fx := seedShopper(t, a, fmt.Sprintf("quiet-%d.myshopify.com", i), shopperPhone, "")
				a.db.Gorm.Model(fx.shop).Update("timezone", tt.shopZone)
				a.db.Gorm.Model(fx.order).Update("timezone", tt.orderZone)
				if _, err := a.jobs.Insert(context.Background(), jobsNotify(fx.ships[0].ID, "shipped"), nil); err != nil {
					t.Fatal(err)
				}
				var n storage.Notification
				apptest.WaitUntil(t, "the shipped email to be planned", func() bool {
					return a.db.Gorm.Where("shipment_id = ? AND channel = ?", fx.ships[0].ID, "email").Take(&n).Error == nil
				})
				if n.SendAt == nil || !n.SendAt.Equal(tt.want) {
					t.Fatalf("send at %v; want %v", n.SendAt, tt.want)
				}
			})
		}
	})
}

func TestRescheduleToAPastDayIsRefusedAndNothingIsStored(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, Config{})
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		token := fx.ships[0].PublicToken
		past := time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly)
		res, err := http.PostForm(base+"/t/"+token+"/actions", url.Values{"_csrf": {a.shopper.CSRFToken(token)}, "kind": {"reschedule"}, "date": {past}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "choose a delivery day between today and") {
			t.Fatalf("reschedule to %s: %d %s; want 400 asking for a day from today", past, res.StatusCode, body)
		}
		// A browser gets a page that says so and leads back to the tracking page.
		form := url.Values{"_csrf": {a.shopper.CSRFToken(token)}, "kind": {"reschedule"}, "date": {past}}
		req, _ := http.NewRequest(http.MethodPost, base+"/t/"+token+"/actions", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		req.Header.Set("Referer", base+"/t/"+token+"?lang=es")
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(string(body), "choose a delivery day between today and") || !strings.Contains(string(body), `href="/t/`+token+`?lang=es"`) {
			t.Fatalf("browser reschedule to %s: %d %s %s; want a 400 page leading back", past, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		n := storagetest.Count(t, a.db, "customer_actions", "shop_id = ?", fx.shop.ID)
		if n != 0 {
			t.Fatalf("%d actions stored for a refused request; want 0", n)
		}
	})
}

// TestSkippedMessageHasNoSendTime: a message the rules skip is never sent, so
// it has no send time and the outbox does not show the zero time for it.
func TestSkippedMessageHasNoSendTime(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base := startApp(t, dbURL, twilioConfig())
		ctx := context.Background()
		fx := seedShopper(t, a, "shop-a.myshopify.com", shopperPhone, "failed_attempt")
		if err := a.db.SetContact(ctx, &storage.Contact{ShopID: fx.shop.ID, Channel: "sms", Address: shopperPhone, OptedOut: true, Source: "sms_stop"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.jobs.Insert(ctx, jobsNotify(fx.ships[0].ID, "failed_attempt"), nil); err != nil {
			t.Fatal(err)
		}
		var n storage.Notification
		apptest.WaitUntil(t, "the failed-attempt SMS decision", func() bool {
			return a.db.Gorm.Where("shipment_id = ? AND trigger = ? AND channel = ?", fx.ships[0].ID, "failed_attempt", "sms").Take(&n).Error == nil
		})
		if n.Status != storage.NotificationSkipped {
			t.Fatalf("SMS to an opted-out number: status %q; want skipped", n.Status)
		}
		if n.SendAt != nil {
			t.Errorf("skipped SMS has send time %v; want none", *n.SendAt)
		}
		_, page := signIn(t, a, base, fx.shop.ID).get(base + "/admin/outbox")
		if !strings.Contains(page, notify.ReasonOptedOut) {
			t.Fatalf("outbox does not list the skipped SMS:\n%s", page)
		}
		if strings.Contains(page, "send Jan 1 ") {
			t.Errorf("outbox shows the zero time as a send time (\"send Jan 1\")")
		}
	})
}
