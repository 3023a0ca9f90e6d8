package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// callEnv is an installed shop whose shopper agreed to calls and got the
// action-required call.
type callEnv struct {
	*shopifyChannelsEnv
	ship  *storage.Shipment
	twiml string // the TwiML the call was placed with
}

// placeCall installs a shop (support line supportPhone), orders for a
// shopper in orderLocale who agreed to calls, fires action_required and
// returns the call Twilio was asked to place.
func placeCall(t *testing.T, dbURL, orderLocale, supportPhone string) *callEnv {
	t.Helper()
	e := installShopify(t, dbURL, shopA, kaffeeHaus)
	ctx := context.Background()
	st := e.shop.Settings.V
	st.SupportPhone = supportPhone
	if err := e.a.db.SaveSettings(ctx, e.shop.ID, st); err != nil {
		t.Fatal(err)
	}
	const number = "+4915112345678"
	ship := e.order(t, 7301, number, "DE")
	if err := e.a.db.Gorm.Model(&storage.Order{}).Where("id = ?", ship.OrderID).Update("locale", orderLocale).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.a.db.SetContact(ctx, &storage.Contact{ShopID: e.shop.ID, Channel: "voice", Address: number, Consent: true, Source: "checkout"}); err != nil {
		t.Fatal(err)
	}
	ns := e.notify(t, ship, "action_required")
	if call := byChannel(ns, "voice"); call.Status != storage.NotificationSent {
		t.Fatalf("call: %s %q; want sent", call.Status, call.Error)
	}
	calls := e.sent.Calls()
	if len(calls) != 1 || calls[0].To != number {
		t.Fatalf("Twilio calls = %+v; want one to %s", calls, number)
	}
	return &callEnv{shopifyChannelsEnv: e, ship: ship, twiml: calls[0].Twiml}
}

var gatherAction = regexp.MustCompile(`<Gather [^>]*action="([^"]+)"`)

// answer posts what the shopper keyed or said to the last TwiML's Gather
// action, as Twilio does, and returns the TwiML answered.
func (c *callEnv) answer(t *testing.T, twiml string, form url.Values) string {
	t.Helper()
	m := gatherAction.FindStringSubmatch(twiml)
	if m == nil {
		t.Fatalf("no Gather to answer in\n%s", twiml)
	}
	action := html.UnescapeString(m[1])
	if !strings.HasPrefix(action, c.base) {
		t.Fatalf("Gather action %q is not the app's", action)
	}
	form.Set("CallSid", "CA0123456789abcdef0123456789abcdef")
	form.Set("AccountSid", apptest.TwilioSID)
	code, body := apptest.PostTwilio(t, c.base, strings.TrimPrefix(action, c.base), apptest.TwilioToken, form)
	if code != http.StatusOK {
		t.Fatalf("gather: status %d %s", code, body)
	}
	return body
}

func (c *callEnv) actions(t *testing.T) []storage.CustomerAction {
	t.Helper()
	var acts []storage.CustomerAction
	c.a.db.Gorm.Where("shipment_id = ?", c.ship.ID).Order("id").Find(&acts)
	return acts
}

func TestCallHearsADaySaysItBackAndActsOnlyOnceConfirmed(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		c := placeCall(t, dbURL, "en", "")
		for _, want := range []string{`<Gather input="dtmf speech"`, `language="en-US"`, `hints="yes, no, Monday, Tuesday,`, "leave it at the door", `speechTimeout="auto"`} {
			if !strings.Contains(c.twiml, want) {
				t.Fatalf("call TwiML lacks %s:\n%s", want, c.twiml)
			}
		}
		said := c.answer(t, c.twiml, url.Values{"SpeechResult": {"Tuesday."}, "Confidence": {"0.91"}})
		if !strings.Contains(said, "You said Tuesday.") || !strings.Contains(said, "Press 1 or say yes to confirm") || !strings.Contains(said, `hints="yes,`) {
			t.Fatalf("after 'Tuesday': %s; want it said back with a yes/no question", said)
		}
		if acts := c.actions(t); len(acts) != 0 {
			t.Fatalf("actions before the shopper confirmed: %+v; want none", acts)
		}
		// "No" goes back to the menu; then a key acts at once.
		menu := c.answer(t, said, url.Values{"SpeechResult": {"No."}, "Confidence": {"0.88"}})
		if !strings.Contains(menu, "press 2") || len(c.actions(t)) != 0 {
			t.Fatalf("after 'no': %s; want the menu again and nothing recorded", menu)
		}
		said = c.answer(t, menu, url.Values{"SpeechResult": {"Thursday please"}, "Confidence": {"0.8"}})
		bye := c.answer(t, said, url.Values{"SpeechResult": {"Yes."}, "Confidence": {"0.95"}})
		if !strings.Contains(bye, "deliver on Thursday") || !strings.Contains(bye, "<Hangup>") {
			t.Fatalf("after 'yes': %s; want the Thursday goodbye", bye)
		}
		acts := c.actions(t)
		if len(acts) != 1 || acts[0].Kind != "reschedule" || acts[0].Source != "voice" || acts[0].Details.V["speech"] != "Yes." {
			t.Fatalf("actions = %+v; want one reschedule from the call", acts)
		}
		day, err := time.Parse(time.DateOnly, acts[0].Details.V["date"])
		if err != nil || day.Weekday() != time.Thursday || !day.After(time.Now().AddDate(0, 0, -1)) {
			t.Fatalf("reschedule date %q; want the coming Thursday", acts[0].Details.V["date"])
		}

		// Every turn is on the call's transcript, shown on the shipment's admin page.
		var turns []storage.CallTurn
		c.a.db.Gorm.Where("shipment_id = ?", c.ship.ID).Order("id").Find(&turns)
		if len(turns) != 4 || turns[0].Heard != "Tuesday." || turns[0].Input != "speech" || turns[0].Confidence != 0.91 ||
			!strings.Contains(turns[0].Said, "You said Tuesday.") || turns[3].Action != "reschedule" || !strings.Contains(turns[3].Said, "Thursday") {
			t.Fatalf("call turns = %+v; want the four exchanges, heard and said", turns)
		}
		s := signIn(t, c.a, c.base, c.shop.ID)
		_, page := s.get(fmt.Sprintf("%s/admin/shipments/%d", c.base, c.ship.ID))
		for _, want := range []string{"Call transcript", "“Tuesday.”", "91% sure", "You said Tuesday.", "deliver on Thursday"} {
			if !strings.Contains(page, want) {
				t.Fatalf("admin shipment page lacks %q:\n%s", want, page)
			}
		}

		// customers/redact empties the transcript.
		redact := []byte(`{"shop_id":954889,"shop_domain":"shop-a.myshopify.com","customer":{"id":1,"email":"nobody@example.com","phone":null},"orders_to_redact":[7301]}`)
		if code := apptest.PostShopifyWebhook(t, c.base, shopA, "customers/redact", "wh-call-redact", redact, testSecret); code != http.StatusOK {
			t.Fatalf("customers/redact: status %d", code)
		}
		apptest.WaitUntil(t, "the transcript erased", func() bool {
			return storagetest.Count(t, c.a.db, "call_turns", "shipment_id = ? AND heard = '' AND said = ''", c.ship.ID) == 4
		})
		if _, page := s.get(fmt.Sprintf("%s/admin/shipments/%d", c.base, c.ship.ID)); strings.Contains(page, "Tuesday.") {
			t.Fatalf("admin shipment page after the erasure still shows what was said:\n%s", page)
		}
	})
}

func TestCallInPortugueseUnderstandsLeaveAtTheDoor(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		c := placeCall(t, dbURL, "pt-BR", "")
		if !strings.Contains(c.twiml, `<Say language="pt-BR">Olá`) || !strings.Contains(c.twiml, `hints="sim, não, segunda-feira`) {
			t.Fatalf("call TwiML: %s; want the Portuguese script, spoken and heard in pt-BR", c.twiml)
		}
		said := c.answer(t, c.twiml, url.Values{"SpeechResult": {"Pode deixar na porta."}, "Confidence": {"0.87"}})
		if !strings.Contains(said, "Você pediu para deixarmos o pacote na porta.") {
			t.Fatalf("after 'deixar na porta': %s; want it said back in Portuguese", said)
		}
		bye := c.answer(t, said, url.Values{"Digits": {"1"}})
		if !strings.Contains(bye, `<Say language="pt-BR">Obrigado. Pedimos que seu pacote seja deixado na porta.`) {
			t.Fatalf("after 1: %s; want the Portuguese goodbye", bye)
		}
		acts := c.actions(t)
		if len(acts) != 1 || acts[0].Kind != "contact_support" || !strings.Contains(acts[0].Details.V["message"], "leave the parcel at the door") {
			t.Fatalf("actions = %+v; want one request to leave it at the door", acts)
		}
	})
}

func TestCallNotUnderstoodTwiceHandsOverToTheSupportLine(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		c := placeCall(t, dbURL, "en", "+49 30 1234567")
		again := c.answer(t, c.twiml, url.Values{"SpeechResult": {"purple elephants"}, "Confidence": {"0.41"}})
		if !strings.Contains(again, "Sorry, I didn&#39;t catch that.") || !strings.Contains(again, "<Gather") {
			t.Fatalf("first miss: %s; want sorry and the menu again", again)
		}
		out := c.answer(t, again, url.Values{"SpeechResult": {"what"}, "Confidence": {"0.3"}})
		if !strings.Contains(out, "<Dial>+49301234567</Dial>") {
			t.Fatalf("second miss: %s; want the call dialled through to the support line", out)
		}
		if acts := c.actions(t); len(acts) != 1 || acts[0].Kind != "contact_support" {
			t.Fatalf("actions = %+v; want the store told", acts)
		}
	})
}

func TestCallNotUnderstoodTwiceWithoutASupportLineSaysGoodbyeAndEmails(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		c := placeCall(t, dbURL, "en", "")
		again := c.answer(t, c.twiml, url.Values{"Digits": {"7"}})
		out := c.answer(t, again, url.Values{"SpeechResult": {"hmm"}})
		if !strings.Contains(out, "The store will contact you by email.") || strings.Contains(out, "<Dial") {
			t.Fatalf("second miss: %s; want a goodbye promising an email", out)
		}
		apptest.WaitUntil(t, "the merchant emailed about the call", func() bool {
			for _, m := range c.sent.Mails() {
				if strings.Contains(m.Text, "could not understand the shopper") {
					return true
				}
			}
			return false
		})
	})
}

func TestCallsPerShopperAreCappedBySettings(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		c := placeCall(t, dbURL, "en", "")
		ctx := context.Background()
		st := c.shop.Settings.V
		st.CallsPerWeek = 1
		if err := c.a.db.SaveSettings(ctx, c.shop.ID, st); err != nil {
			t.Fatal(err)
		}
		// The same shopper's next order needs them too: the text and email
		// go out, the second call of the week does not.
		ship := c.order(t, 7302, "+4915112345678", "DE")
		ns := c.notify(t, ship, "action_required")
		call := byChannel(ns, "voice")
		if call.Status != storage.NotificationSkipped || !strings.Contains(call.Error, "call cap reached") {
			t.Fatalf("second call: %s %q; want skipped by the call cap", call.Status, call.Error)
		}
		if mail := byChannel(ns, "email"); mail.Status != storage.NotificationSent {
			t.Fatalf("email beside the capped call: %s %q; want sent", mail.Status, mail.Error)
		}
		if n := len(c.sent.Calls()); n != 1 {
			t.Fatalf("Twilio placed %d calls; want 1", n)
		}
	})
}

func TestCapHoldsLowerPriorityNewsAndMergesItIntoTheNextUpdate(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		e := installShopify(t, dbURL, shopA, kaffeeHaus)
		ctx := context.Background()
		st := e.shop.Settings.V
		st.DailyCap = 1
		if err := e.a.db.SaveSettings(ctx, e.shop.ID, st); err != nil {
			t.Fatal(err)
		}
		ship := e.order(t, 7401, "+4915112345678", "DE")
		if mail := byChannel(e.notify(t, ship, "shipped"), "email"); mail.Status != storage.NotificationSent {
			t.Fatalf("shipped: %s %q; want sent", mail.Status, mail.Error)
		}
		if _, err := e.a.jobs.Insert(ctx, jobsNotify(ship.ID, "in_transit"), nil); err != nil {
			t.Fatal(err)
		}
		var held storage.Notification
		apptest.WaitUntil(t, "in_transit planned", func() bool {
			return e.a.db.Gorm.Where("shipment_id = ? AND trigger = ? AND channel = ?", ship.ID, "in_transit", "email").Take(&held).Error == nil
		})
		if held.Status != storage.NotificationScheduled || !strings.Contains(held.Error, "held until the cap allows") ||
			held.SendAt == nil || held.SendAt.Before(time.Now().Add(23*time.Hour)) {
			t.Fatalf("in_transit over the cap: %s %q at %v; want held for about a day, not dropped", held.Status, held.Error, held.SendAt)
		}
		delivered := byChannel(e.notify(t, ship, "delivered"), "email")
		if delivered.Status != storage.NotificationSent {
			t.Fatalf("delivered over the cap: %s %q; want sent (never capped)", delivered.Status, delivered.Error)
		}
		// When the held news comes due, the delivered email has said more.
		if err := e.a.messaging.SendJob(ctx, &river.Job[jobs.SendArgs]{Args: jobs.SendArgs{NotificationID: held.ID}}); err != nil {
			t.Fatal(err)
		}
		if n := reload(t, e.a, held.ID); n.Status != storage.NotificationSkipped || n.MergedInto == nil || *n.MergedInto != delivered.ID {
			t.Fatalf("held news when due: %s %q merged into %v; want merged into the delivered email %d", n.Status, n.Error, n.MergedInto, delivered.ID)
		}
		s := signIn(t, e.a, e.base, e.shop.ID)
		_, page := s.get(e.base + "/admin/outbox")
		if !strings.Contains(page, "merged into the later delivered update") || !strings.Contains(page, fmt.Sprintf(`href="/admin/outbox/%d">The update it went into`, delivered.ID)) {
			t.Fatalf("outbox does not say where the held news went:\n%s", page)
		}
	})
}
