package notify

import (
	"fmt"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Route says how one trigger reaches a shopper.
type Route struct {
	// Channels are alternatives in order of preference: the first one the
	// shopper can be reached on (address known, consent given, not opted
	// out, not capped) gets the message, the rest are skipped. This is what
	// keeps a shopper from hearing the same news twice.
	Channels []Channel
	// AlsoOn are channels that get the message in addition to the chosen
	// one, each on its own eligibility: e.g. an email with the details next
	// to the SMS that says "act now", or a call for action_required.
	AlsoOn []Channel
}

// QuietHours is a nightly window, in the shopper's time zone, when nothing is
// sent; messages that fall in it are deferred to its end, not dropped.
// Start == End disables it. Start after End spans midnight (21:00–08:00).
type QuietHours struct {
	Start, End time.Duration // since local midnight
}

// Rules is one shop's notification policy.
type Rules struct {
	Routes map[tracking.Trigger]Route
	Quiet  QuietHours
	// MaxPer24h caps messages per shopper across all channels in any 24
	// hours, counting scheduled ones; 0 means no cap. It only ever drops
	// lower-priority news: Urgent triggers are never capped.
	MaxPer24h int
	// MaxCallsPerWeek caps update calls per shopper in any 7 days, urgent
	// or not: a call interrupts, and a shopper called too often stops
	// answering. 0 means no cap.
	MaxCallsPerWeek int
	// Urgent triggers bypass MaxPer24h (not quiet hours: an urgent message
	// at 3 a.m. still waits for the morning): the news a shopper must not
	// miss, because missing it costs a failed delivery or a support ticket.
	Urgent map[tracking.Trigger]bool
	// DefaultTimeZone is used when the shopper's zone is unknown.
	DefaultTimeZone *time.Location
}

// DefaultRules routes by channel fit: email carries detail and is the only
// channel for news that needs no action (shipped, in transit, delivered…);
// time-sensitive news goes by SMS, else WhatsApp, else email; when the shopper
// must act, the detail also goes by email, and action_required also calls if
// the shopper agreed to calls. Voice for COD reminders is off by default
// (add it to AlsoOn to enable). Quiet hours 21:00–08:00, at most 3 messages
// per 24 h except urgent ones.
func DefaultRules() Rules {
	email := Route{Channels: []Channel{ChannelEmail}}
	timely := Route{Channels: []Channel{ChannelSMS, ChannelWhatsApp, ChannelEmail}}
	act := Route{Channels: []Channel{ChannelSMS, ChannelWhatsApp, ChannelEmail}, AlsoOn: []Channel{ChannelEmail}}
	return Rules{
		Routes: map[tracking.Trigger]Route{
			tracking.TriggerShipped:            email,
			tracking.TriggerInTransit:          email,
			tracking.TriggerETAChanged:         email,
			tracking.TriggerException:          email,
			tracking.TriggerReturning:          email,
			tracking.TriggerDelivered:          email,
			tracking.TriggerCancelled:          email,
			tracking.TriggerReturnLabel:        email,
			tracking.TriggerReturnInTransit:    email,
			tracking.TriggerReturnDelivered:    email,
			tracking.TriggerOutForDelivery:     timely,
			tracking.TriggerDelayed:            timely,
			tracking.TriggerAvailableForPickup: act,
			tracking.TriggerCODReminder:        act,
			tracking.TriggerFailedAttempt:      act,
			tracking.TriggerActionRequired: {
				Channels: act.Channels, AlsoOn: []Channel{ChannelEmail, ChannelVoice},
			},
		},
		Quiet:           QuietHours{Start: 21 * time.Hour, End: 8 * time.Hour},
		MaxPer24h:       3,
		MaxCallsPerWeek: 2,
		Urgent:          UrgentTriggers(),
	}
}

// UrgentTriggers are never dropped by the frequency cap: delivered, out for
// delivery, delayed, a failed attempt, anything the shopper must act on
// (action required, pickup, cash on delivery). Shipped, in transit, a new
// estimate, an exception note and returning are the news a cap may skip.
func UrgentTriggers() map[tracking.Trigger]bool {
	return map[tracking.Trigger]bool{
		tracking.TriggerDelivered: true, tracking.TriggerOutForDelivery: true, tracking.TriggerDelayed: true,
		tracking.TriggerFailedAttempt: true, tracking.TriggerActionRequired: true,
		tracking.TriggerAvailableForPickup: true, tracking.TriggerCODReminder: true,
	}
}

// Recipient is the shopper as the rules see them.
type Recipient struct {
	Email    string
	Phone    string
	TimeZone *time.Location // nil: Rules.DefaultTimeZone, else UTC
	Locale   string
	// PhoneInvalid is set when the order's number cannot be dialled (Phone
	// is then empty): phone channels are skipped as such, never sent.
	PhoneInvalid bool
	// OverSpend marks channels whose monthly cap (SMS segments, call
	// minutes) the shop has used up: the message falls back to the next
	// channel of its route, email in the defaults.
	OverSpend map[Channel]bool
	// Unavailable says why a channel cannot carry this message now (WhatsApp
	// outside its 24 h session without an approved template): the message
	// falls back like OverSpend, and the skip records the reason.
	Unavailable map[Channel]string
	OptedOut    map[Channel]bool // the shopper said stop on this channel
	Consent     map[Channel]bool // the shopper agreed to this channel
}

// SentRecord is a message already sent or scheduled to this shopper.
type SentRecord struct {
	Trigger    tracking.Trigger
	ShipmentID int64
	Channel    Channel
	DedupeKey  string
	At         time.Time // send time (future when scheduled)
}

// Candidate is a trigger that fired for a shipment, with the history needed to
// decide whether and how to tell the shopper.
type Candidate struct {
	Trigger    tracking.Trigger
	ShipmentID int64
	// Variant tells apart repeatable triggers: eta_changed fires once per
	// new estimate, so its variant is the new estimate (e.g. "2026-03-05").
	Variant   string
	Recipient Recipient
	Sent      []SentRecord // this shopper's history, any shipment
}

// Decision is the plan for one channel. Skipped decisions are returned too,
// with the reason, so the timeline can show why nobody was told.
type Decision struct {
	// Trigger is the candidate's: what the message is about, logged with it.
	Trigger   tracking.Trigger
	Channel   Channel
	SendAt    time.Time
	Skip      bool
	Reason    string
	DedupeKey string // unique per shipment, trigger (and variant) and channel: enqueue with it
}

// The reasons a decision gives.
const (
	ReasonSend       = "send"
	ReasonQuietHours = "deferred to the end of quiet hours"
	ReasonNoRoute    = "trigger is not routed to any channel"
	ReasonNoAddress  = "no address for this channel"
	ReasonBadPhone   = "invalid phone number"
	ReasonSpendCap   = "the shop's monthly cap for this channel is used up"
	ReasonNoConsent  = "no consent for this channel"
	ReasonOptedOut   = "shopper opted out of this channel"
	ReasonDuplicate  = "already sent on this channel"
	ReasonReached    = "shopper already reached on another channel for this trigger"
	ReasonCallCap    = "call cap reached: this shopper was called as often as the shop allows in 7 days"
	ReasonHeld       = "frequency cap reached: held until the cap allows, and merged into any later update about the parcel"
)

// DedupeKey identifies one message: the same trigger for the same shipment on
// the same channel is sent at most once.
func DedupeKey(shipmentID int64, trigger tracking.Trigger, variant string, ch Channel) string {
	if variant != "" {
		return fmt.Sprintf("%d:%s:%s:%s", shipmentID, trigger, variant, ch)
	}
	return fmt.Sprintf("%d:%s:%s", shipmentID, trigger, ch)
}

// Plan decides, for each channel the trigger is routed to, whether to send
// and when. It is pure: now and the history come in, decisions go out.
func (r Rules) Plan(c Candidate, now time.Time) []Decision {
	route, ok := r.Routes[c.Trigger]
	if !ok || len(route.Channels)+len(route.AlsoOn) == 0 {
		return []Decision{{Trigger: c.Trigger, Skip: true, Reason: ReasonNoRoute}}
	}
	sendAt := r.deferQuiet(now, r.zone(c.Recipient))
	reason := ReasonSend
	if !sendAt.Equal(now) {
		reason = ReasonQuietHours
	}

	recent := 0
	for _, s := range c.Sent {
		if s.At.After(now.Add(-24 * time.Hour)) {
			recent++
		}
	}
	capped := func() bool { return r.MaxPer24h > 0 && !r.Urgent[c.Trigger] && recent >= r.MaxPer24h }
	calls := 0
	for _, s := range c.Sent {
		if s.Channel == ChannelVoice && s.At.After(now.Add(-7*24*time.Hour)) {
			calls++
		}
	}

	// reached: this trigger for this shipment already went out on some channel
	// (earlier, or earlier in this plan).
	reached := false
	for _, s := range c.Sent {
		if s.ShipmentID == c.ShipmentID && s.Trigger == c.Trigger && s.DedupeKey == DedupeKey(c.ShipmentID, c.Trigger, c.Variant, s.Channel) {
			reached = true
		}
	}

	var out []Decision
	planned := map[Channel]bool{}
	decide := func(ch Channel, alternative bool) bool {
		d := Decision{Trigger: c.Trigger, Channel: ch, DedupeKey: DedupeKey(c.ShipmentID, c.Trigger, c.Variant, ch), SendAt: sendAt}
		skip := func(why string) bool {
			d.Skip, d.Reason, d.SendAt = true, why, time.Time{}
			out = append(out, d)
			return false
		}
		switch {
		case planned[ch] || r.sent(c, d.DedupeKey):
			return skip(ReasonDuplicate)
		case alternative && reached:
			return skip(ReasonReached)
		case ch != ChannelEmail && c.Recipient.PhoneInvalid:
			return skip(ReasonBadPhone)
		case c.Recipient.address(ch) == "":
			return skip(ReasonNoAddress)
		case c.Recipient.OptedOut[ch]:
			return skip(ReasonOptedOut)
		case ch.NeedsConsent() && !c.Recipient.Consent[ch]:
			return skip(ReasonNoConsent)
		case c.Recipient.OverSpend[ch]:
			return skip(ReasonSpendCap)
		case ch == ChannelVoice && r.MaxCallsPerWeek > 0 && calls >= r.MaxCallsPerWeek:
			return skip(ReasonCallCap)
		case c.Recipient.Unavailable[ch] != "":
			return skip(c.Recipient.Unavailable[ch])
		case capped():
			// Lower-priority news waits for the cap's window to move on;
			// newer news about the parcel by then replaces it.
			d.SendAt, d.Reason = r.deferQuiet(r.capFrees(c, now), r.zone(c.Recipient)), ReasonHeld
			out = append(out, d)
			planned[ch] = true
			return true
		}
		d.Reason = reason
		out = append(out, d)
		planned[ch] = true
		recent++
		if ch == ChannelVoice {
			calls++
		}
		return true
	}
	for _, ch := range route.Channels {
		if decide(ch, true) {
			reached = true
		}
	}
	for _, ch := range route.AlsoOn {
		decide(ch, false)
	}
	return out
}

// capFrees is when the shopper's last 24 h hold one message fewer than the
// cap allows: the oldest counted message's time plus a day.
func (r Rules) capFrees(c Candidate, now time.Time) time.Time {
	var ats []time.Time
	for _, s := range c.Sent {
		if s.At.After(now.Add(-24 * time.Hour)) {
			ats = append(ats, s.At)
		}
	}
	slices.SortFunc(ats, time.Time.Compare)
	k := len(ats) - r.MaxPer24h
	if k < 0 || k >= len(ats) || !ats[k].Add(24*time.Hour).After(now) {
		return now
	}
	return ats[k].Add(24 * time.Hour)
}

func (r Rules) sent(c Candidate, key string) bool {
	return slices.ContainsFunc(c.Sent, func(s SentRecord) bool { return s.DedupeKey == key })
}

func (r Rules) zone(rc Recipient) *time.Location {
	switch {
	case rc.TimeZone != nil:
		return rc.TimeZone
	case r.DefaultTimeZone != nil:
		return r.DefaultTimeZone
	}
	return time.UTC
}

// deferQuiet returns now, or the end of the quiet hours now falls in, in loc.
// The end is computed as a wall-clock time on the right local day, so it
// stays 08:00 across DST changes.
func (r Rules) deferQuiet(now time.Time, loc *time.Location) time.Time {
	q := r.Quiet
	if q.Start == q.End {
		return now
	}
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	sinceMidnight := local.Sub(midnight)
	at := func(day time.Time, d time.Duration) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, loc)
	}
	switch {
	case q.Start < q.End: // same-day window, e.g. 13:00–14:00
		if sinceMidnight >= q.Start && sinceMidnight < q.End {
			return at(midnight, q.End)
		}
	case sinceMidnight >= q.Start: // evening part of an overnight window
		return at(midnight.AddDate(0, 0, 1), q.End)
	case sinceMidnight < q.End: // morning part
		return at(midnight, q.End)
	}
	return now
}

func (rc Recipient) address(ch Channel) string {
	if ch == ChannelEmail {
		return rc.Email
	}
	return rc.Phone
}
