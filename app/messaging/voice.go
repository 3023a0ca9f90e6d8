package messaging

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/notify"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/messaging/twilio"
	"github.com/ordertrack/ordertrack/storage"
)

// The query of a call's <Gather> action URL carries the call's state from
// turn to turn; Twilio signs the whole URL, so it cannot be altered.
const (
	paramLang   = "lang"   // the call's voice language, e.g. "pt-BR"
	paramStep   = "step"   // "" (the menu) or stepConfirm
	paramChoice = "choice" // the action awaiting confirmation
	paramDay    = "day"    // its weekday, 0 (Sunday) to 6
	paramMisses = "misses" // answers not understood so far
)

const stepConfirm = "confirm"

// maxMisses is how many answers a call fails to understand before it hands
// the shopper over to the store.
const maxMisses = 2

// voiceTwiML speaks the script and gathers the shopper's answer, posted to
// gatherURL, in lang (the locale the script is written in) with hints for
// the answers the trigger's menu expects.
func voiceTwiML(gatherURL string, trig tracking.Trigger, script, messageID, lang string) string {
	var opts []twilio.Option
	for _, o := range notify.VoiceOptions(trig) {
		opts = append(opts, twilio.Option{Digit: o.Digit})
	}
	voice := notify.VoiceLanguage(lang)
	q := url.Values{twilio.MessageIDParam: {messageID}, paramLang: {voice}}
	return twilio.VoiceTwiML(script, opts, gatherURL+"?"+q.Encode(), voice, notify.VoiceHints(voice, trig))
}

// callTurn is one exchange of a call as the handler works it out.
type callTurn struct {
	n     *storage.Notification
	g     twilio.Gather
	lang  string
	rc    notify.ReplyCopy
	form  url.Values
	about *About // nil when the shipment is gone
}

// TwilioGather answers the shopper's reply during an update call. A key
// from the menu acts at once; speech is said back ("You said Tuesday") and
// acts only once confirmed by 1 or yes. A reply not understood twice hands
// the call to the store's support line, or, with none, says goodbye and
// tells the store to write to the shopper.
func (m *Messenger) TwilioGather(c echo.Context) error {
	form, signer, err := m.verifyTwilio(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t := callTurn{g: twilio.ParseGather(form), form: form, lang: form.Get(paramLang)}
	id, err := strconv.ParseInt(t.g.MessageID, 10, 64)
	if err != nil {
		return twimlBlob(c, twilio.HangupTwiML(notify.Replies("en").VoiceError, ""))
	}
	if t.n, err = m.db.Notification(ctx, id); err != nil {
		return err
	}
	if !signer.speaksFor(t.n.ShopID) {
		return fmt.Errorf("message %d of another Twilio account: %w", id, storage.ErrNotFound)
	}
	// A message whose shipment is gone can still replay its menu; only
	// acting on an answer needs the shipment.
	if t.n.ShipmentID != nil {
		if about, err := m.Load(ctx, *t.n.ShipmentID); err == nil {
			t.about = &about
		}
	}
	if t.lang == "" { // a call placed before the URL carried its language
		loc := ""
		if t.about != nil {
			loc = t.about.Order.Locale
		}
		t.lang = notify.VoiceLanguage(loc)
	}
	t.rc = notify.Replies(t.lang)
	trig := tracking.Trigger(t.n.Trigger)

	if t.form.Get(paramStep) == stepConfirm {
		yes, ok := notify.UnderstandYesNo(t.lang, t.g.Digits, t.g.Speech)
		switch {
		case !ok:
			return m.miss(c, t)
		case !yes:
			return m.respond(c, t, "menu", "", m.menu(t, "", t.misses()))
		}
		a := notify.Answer{Action: notify.VoiceAction(t.form.Get(paramChoice))}
		if d, err := strconv.Atoi(t.form.Get(paramDay)); err == nil && d >= 0 && d <= 6 {
			a.Day, a.HasDay = time.Weekday(d), true
		}
		return m.act(c, t, a)
	}
	a := notify.UnderstandMenu(t.lang, trig, t.g.Digits, t.g.Speech)
	switch {
	case a.Action == "":
		return m.miss(c, t)
	case a.Action == notify.VoiceRepeat:
		return m.respond(c, t, "menu", "", m.menu(t, "", t.misses()))
	case t.g.Digits != "":
		return m.act(c, t, a) // a key is unambiguous
	}
	q := t.query(t.misses())
	q.Set(paramStep, stepConfirm)
	q.Set(paramChoice, string(a.Action))
	if a.HasDay {
		q.Set(paramDay, strconv.Itoa(int(a.Day)))
	}
	said := []string{t.heard(a), t.rc.VoiceConfirmPrompt}
	return m.respond(c, t, "ask "+string(a.Action), strings.Join(said, " "), twilio.AskTwiML(said, m.gatherURL()+"?"+q.Encode(), t.lang, notify.YesNoHints(t.lang)))
}

func (t callTurn) misses() int {
	n, _ := strconv.Atoi(t.form.Get(paramMisses))
	return n
}

// query is the action URL's query for the call's next turn.
func (t callTurn) query(misses int) url.Values {
	q := url.Values{twilio.MessageIDParam: {t.g.MessageID}, paramLang: {t.lang}}
	if misses > 0 {
		q.Set(paramMisses, strconv.Itoa(misses))
	}
	return q
}

// heard is what the call says back before asking to confirm.
func (t callTurn) heard(a notify.Answer) string {
	switch {
	case a.HasDay:
		return strings.ReplaceAll(t.rc.VoiceHeardDay, "{day}", notify.WeekdayName(t.lang, a.Day))
	case a.Action == notify.VoiceLeaveAtDoor:
		return t.rc.VoiceHeardDoor
	case a.Action == notify.VoiceReschedule:
		return t.rc.VoiceHeardReschedule
	case a.Action == notify.VoiceSupport:
		return t.rc.VoiceHeardSupport
	}
	return t.rc.VoiceHeardConfirm
}

// menu is the call's script and menu again, after prefix.
func (m *Messenger) menu(t callTurn, prefix string, misses int) string {
	var opts []twilio.Option
	trig := tracking.Trigger(t.n.Trigger)
	for _, o := range notify.VoiceOptions(trig) {
		opts = append(opts, twilio.Option{Digit: o.Digit})
	}
	script := strings.TrimSpace(prefix + " " + t.n.Body)
	return twilio.VoiceTwiML(script, opts, m.gatherURL()+"?"+t.query(misses).Encode(), t.lang, notify.VoiceHints(t.lang, trig))
}

// miss answers a reply the call did not understand: the menu again the
// first time, then the store.
func (m *Messenger) miss(c echo.Context, t callTurn) error {
	misses := t.misses() + 1
	if misses < maxMisses {
		return m.respond(c, t, "not understood", t.rc.VoiceSorry, m.menu(t, t.rc.VoiceSorry, misses))
	}
	if t.about == nil {
		return m.respond(c, t, "goodbye", t.rc.VoiceNoHandover, twilio.HangupTwiML(t.rc.VoiceNoHandover, t.lang))
	}
	details := t.details()
	details[tracking.DetailMessage] = "The update call could not understand the shopper; please get in touch."
	if err := m.actions.RecordAction(c.Request().Context(), t.about.Ship, string(tracking.ActionContactSupport), "voice", details); err != nil {
		return err
	}
	if number := dialable(t.about.Shop.Settings.V.SupportPhone); number != "" {
		return m.respond(c, t, "handover", t.rc.VoiceHandover, twilio.DialTwiML(t.rc.VoiceHandover, number, t.lang))
	}
	return m.respond(c, t, "goodbye", t.rc.VoiceNoHandover, twilio.HangupTwiML(t.rc.VoiceNoHandover, t.lang))
}

// act records the confirmed answer as the shopper's request and ends the
// call, or hands it to the store's support line when that was the ask.
func (m *Messenger) act(c echo.Context, t callTurn, a notify.Answer) error {
	if t.about == nil {
		return fmt.Errorf("answer to message %d: shipment: %w", t.n.ID, storage.ErrNotFound)
	}
	details := t.details()
	kind, say := tracking.ActionConfirmAddress, t.rc.VoiceConfirmed
	switch a.Action {
	case notify.VoiceReschedule:
		kind, say = tracking.ActionReschedule, t.rc.VoiceReschedule
		if a.HasDay {
			day := nextWeekday(m.now().In(t.about.Zone()), a.Day)
			details[tracking.DetailDate] = day.Format(time.DateOnly)
			say = strings.ReplaceAll(t.rc.VoiceRescheduledDay, "{day}", notify.WeekdayName(t.lang, a.Day))
		}
	case notify.VoiceLeaveAtDoor:
		kind, say = tracking.ActionContactSupport, t.rc.VoiceDoor
		details[tracking.DetailMessage] = "Please leave the parcel at the door."
	case notify.VoiceSupport:
		kind, say = tracking.ActionContactSupport, t.rc.VoiceSupport
		details[tracking.DetailMessage] = "The shopper asked on the update call to talk to the store."
	}
	if err := m.actions.RecordAction(c.Request().Context(), t.about.Ship, string(kind), "voice", details); err != nil {
		return err
	}
	if a.Action == notify.VoiceSupport {
		if number := dialable(t.about.Shop.Settings.V.SupportPhone); number != "" {
			return m.respond(c, t, string(kind)+", handover", t.rc.VoiceHandover, twilio.DialTwiML(t.rc.VoiceHandover, number, t.lang))
		}
	}
	return m.respond(c, t, string(kind), say, twilio.HangupTwiML(say, t.lang))
}

// details are what a call's answer records with the request.
func (t callTurn) details() map[string]string {
	d := map[string]string{"trigger": t.n.Trigger}
	if t.g.Digits != "" {
		d["digit"] = t.g.Digits
	}
	if t.g.Speech != "" {
		d["speech"] = truncate(t.g.Speech, 160)
	}
	return d
}

// nextWeekday is the first day after now's that falls on d.
func nextWeekday(now time.Time, d time.Weekday) time.Time {
	ahead := (int(d) - int(now.Weekday()) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	return time.Date(now.Year(), now.Month(), now.Day()+ahead, 0, 0, 0, 0, now.Location())
}

// dialable is the support number as <Dial> takes it: the plus and digits.
func dialable(number string) string {
	return strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, number)
}

// respond records the turn (what was heard, what the call says back and
// does) on the call's transcript and answers Twilio with doc.
func (m *Messenger) respond(c echo.Context, t callTurn, action, said, doc string) error {
	turn := &storage.CallTurn{
		ShopID: t.n.ShopID, NotificationID: t.n.ID, ShipmentID: t.n.ShipmentID,
		Heard: truncate(t.g.Speech, 160), Input: "speech", Confidence: t.g.Confidence,
		Said: said, Action: action,
	}
	switch {
	case t.g.Digits != "":
		turn.Heard, turn.Input, turn.Confidence = t.g.Digits, "dtmf", 0
	case t.g.Speech == "":
		turn.Input = ""
	}
	if err := m.db.AddCallTurn(c.Request().Context(), turn); err != nil {
		return err
	}
	return twimlBlob(c, doc)
}

func twimlBlob(c echo.Context, doc string) error {
	return c.Blob(http.StatusOK, "text/xml; charset=utf-8", []byte(doc))
}
