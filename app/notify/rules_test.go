package notify

import (
	"slices"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// shopper has an email and a phone and agreed to every phone channel.
func shopper(loc *time.Location) Recipient {
	return Recipient{
		Email: "s@example.com", Phone: "+12015550123", TimeZone: loc, Locale: "en",
		Consent: map[Channel]bool{ChannelSMS: true, ChannelWhatsApp: true, ChannelVoice: true},
	}
}

// sends returns the channels a plan sends on, in order.
// sends lists the channels that go out now or after quiet hours; news the
// cap holds back is not among them.
func sends(ds []Decision) []Channel {
	var out []Channel
	for _, d := range ds {
		if !d.Skip && d.Reason != ReasonHeld {
			out = append(out, d.Channel)
		}
	}
	return out
}

func reasonFor(t *testing.T, ds []Decision, ch Channel) string {
	t.Helper()
	for _, d := range ds {
		if d.Channel == ch {
			return d.Reason
		}
	}
	t.Fatalf("no decision for %s in %+v", ch, ds)
	return ""
}

func sameChannels(a, b []Channel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPlanDefersQuietHoursInShopperZone(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		zone string
		want time.Time // UTC
	}{
		{"late evening in New York waits for 08:00 the next local day",
			time.Date(2026, 3, 5, 3, 30, 0, 0, time.UTC), "America/New_York", time.Date(2026, 3, 5, 13, 0, 0, 0, time.UTC)},
		{"early morning in Berlin waits for 08:00 the same local day",
			time.Date(2026, 3, 5, 3, 30, 0, 0, time.UTC), "Europe/Berlin", time.Date(2026, 3, 5, 7, 0, 0, 0, time.UTC)},
		{"midday in Tokyo sends now",
			time.Date(2026, 3, 5, 3, 30, 0, 0, time.UTC), "Asia/Tokyo", time.Date(2026, 3, 5, 3, 30, 0, 0, time.UTC)},
		{"just before quiet hours sends now",
			time.Date(2026, 3, 5, 1, 59, 0, 0, time.UTC), "America/New_York", time.Date(2026, 3, 5, 1, 59, 0, 0, time.UTC)},
		{"quiet hours end is local wall time across the DST change",
			time.Date(2026, 3, 8, 4, 0, 0, 0, time.UTC), "America/New_York", time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Candidate{Trigger: tracking.TriggerShipped, ShipmentID: 1, Recipient: shopper(zone(t, tt.zone))}
			ds := DefaultRules().Plan(c, tt.now)
			if len(sends(ds)) != 1 {
				t.Fatalf("want one send, got %+v", ds)
			}
			if !ds[0].SendAt.Equal(tt.want) {
				t.Errorf("SendAt = %s, want %s", ds[0].SendAt.UTC(), tt.want)
			}
		})
	}
}

func TestPlanQuietHoursWithinOneDay(t *testing.T) {
	r := DefaultRules()
	r.Quiet = QuietHours{Start: 12 * time.Hour, End: 14 * time.Hour}
	now := time.Date(2026, 3, 5, 12, 30, 0, 0, time.UTC)
	ds := r.Plan(Candidate{Trigger: tracking.TriggerShipped, ShipmentID: 1, Recipient: shopper(time.UTC)}, now)
	if want := time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC); !ds[0].SendAt.Equal(want) || ds[0].Reason != ReasonQuietHours {
		t.Errorf("got %+v, want deferral to %s", ds[0], want)
	}
}

func TestPlanFrequencyCapCountsEveryChannel(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	threeToday := []SentRecord{
		{Trigger: tracking.TriggerShipped, ShipmentID: 7, Channel: ChannelEmail, DedupeKey: "7:shipped:email", At: now.Add(-20 * time.Hour)},
		{Trigger: tracking.TriggerOutForDelivery, ShipmentID: 8, Channel: ChannelSMS, DedupeKey: "8:out_for_delivery:sms", At: now.Add(-5 * time.Hour)},
		{Trigger: tracking.TriggerDelivered, ShipmentID: 8, Channel: ChannelEmail, DedupeKey: "8:delivered:email", At: now.Add(-1 * time.Hour)},
	}
	twoToday := append([]SentRecord{{Trigger: tracking.TriggerShipped, ShipmentID: 6, Channel: ChannelWhatsApp, DedupeKey: "6:shipped:whatsapp", At: now.Add(-25 * time.Hour)}}, threeToday[1:]...)
	tests := []struct {
		name    string
		trigger tracking.Trigger
		sent    []SentRecord
		want    []Channel
	}{
		{"in-transit news is capped after three messages on any channels", tracking.TriggerInTransit, threeToday, nil},
		{"a new estimate is capped too", tracking.TriggerETAChanged, threeToday, nil},
		{"out for delivery bypasses the cap", tracking.TriggerOutForDelivery, threeToday, []Channel{ChannelSMS}},
		{"delayed bypasses the cap", tracking.TriggerDelayed, threeToday, []Channel{ChannelSMS}},
		{"delivered bypasses the cap", tracking.TriggerDelivered, threeToday, []Channel{ChannelEmail}},
		{"a failed attempt bypasses the cap", tracking.TriggerFailedAttempt, threeToday, []Channel{ChannelSMS, ChannelEmail}},
		{"action required bypasses the cap", tracking.TriggerActionRequired, threeToday, []Channel{ChannelSMS, ChannelEmail, ChannelVoice}},
		{"messages older than 24 hours do not count", tracking.TriggerInTransit, twoToday, []Channel{ChannelEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Candidate{Trigger: tt.trigger, ShipmentID: 9, Recipient: shopper(time.UTC), Sent: tt.sent}
			if got := sends(DefaultRules().Plan(c, now)); !sameChannels(got, tt.want) {
				t.Errorf("sends %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanCapLimitsFanoutWithinOnePlan(t *testing.T) {
	r := DefaultRules()
	r.MaxPer24h = 1
	r.Routes[tracking.TriggerETAChanged] = Route{Channels: []Channel{ChannelSMS}, AlsoOn: []Channel{ChannelEmail}}
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	ds := r.Plan(Candidate{Trigger: tracking.TriggerETAChanged, ShipmentID: 1, Recipient: shopper(time.UTC)}, now)
	if got := sends(ds); !sameChannels(got, []Channel{ChannelSMS}) || reasonFor(t, ds, ChannelEmail) != ReasonHeld {
		t.Errorf("got %+v, want SMS sent and email held by the cap", ds)
	}
}

func TestPlanPicksOneChannelPerTrigger(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	noPhoneConsent := shopper(time.UTC)
	noPhoneConsent.Consent = nil
	smsOptOut := shopper(time.UTC)
	smsOptOut.OptedOut = map[Channel]bool{ChannelSMS: true}
	noPhone := shopper(time.UTC)
	noPhone.Phone = ""
	tests := []struct {
		name      string
		recipient Recipient
		want      []Channel
		skipped   Channel
		reason    string
	}{
		{"SMS first, the others suppressed", shopper(time.UTC), []Channel{ChannelSMS}, ChannelWhatsApp, ReasonReached},
		{"opted out of SMS falls back to WhatsApp", smsOptOut, []Channel{ChannelWhatsApp}, ChannelSMS, ReasonOptedOut},
		{"no consent for phone channels falls back to email", noPhoneConsent, []Channel{ChannelEmail}, ChannelSMS, ReasonNoConsent},
		{"no phone falls back to email", noPhone, []Channel{ChannelEmail}, ChannelWhatsApp, ReasonNoAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Candidate{Trigger: tracking.TriggerOutForDelivery, ShipmentID: 3, Recipient: tt.recipient}
			ds := DefaultRules().Plan(c, now)
			if got := sends(ds); !sameChannels(got, tt.want) {
				t.Errorf("sends %v, want %v (%+v)", got, tt.want, ds)
			}
			if got := reasonFor(t, ds, tt.skipped); got != tt.reason {
				t.Errorf("%s skipped for %q, want %q", tt.skipped, got, tt.reason)
			}
		})
	}
}

func TestPlanDoesNotRepeatATriggerAcrossChannels(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	// The SMS went out this morning; the shopper has since opted out of SMS.
	r := shopper(time.UTC)
	r.OptedOut = map[Channel]bool{ChannelSMS: true}
	c := Candidate{
		Trigger: tracking.TriggerOutForDelivery, ShipmentID: 3, Recipient: r,
		Sent: []SentRecord{{Trigger: tracking.TriggerOutForDelivery, ShipmentID: 3, Channel: ChannelSMS,
			DedupeKey: DedupeKey(3, tracking.TriggerOutForDelivery, "", ChannelSMS), At: now.Add(-3 * time.Hour)}},
	}
	ds := DefaultRules().Plan(c, now)
	if got := sends(ds); len(got) != 0 {
		t.Fatalf("sends %v, want nothing: the shopper already heard about it", got)
	}
	for ch, want := range map[Channel]string{ChannelSMS: ReasonDuplicate, ChannelWhatsApp: ReasonReached, ChannelEmail: ReasonReached} {
		if got := reasonFor(t, ds, ch); got != want {
			t.Errorf("%s: reason %q, want %q", ch, got, want)
		}
	}
}

func TestPlanFansOutOnlyWhereTheRuleSays(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	noVoice := shopper(time.UTC)
	noVoice.Consent = map[Channel]bool{ChannelSMS: true}
	emailOnly := shopper(time.UTC)
	emailOnly.Consent = nil
	tests := []struct {
		name      string
		recipient Recipient
		want      []Channel
	}{
		{"action required texts, emails the detail and calls", shopper(time.UTC), []Channel{ChannelSMS, ChannelEmail, ChannelVoice}},
		{"no call without voice consent", noVoice, []Channel{ChannelSMS, ChannelEmail}},
		{"email chosen as fallback is not sent twice", emailOnly, []Channel{ChannelEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Candidate{Trigger: tracking.TriggerActionRequired, ShipmentID: 4, Recipient: tt.recipient}
			if got := sends(DefaultRules().Plan(c, now)); !sameChannels(got, tt.want) {
				t.Errorf("sends %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanDedupesByShipmentTriggerAndVariant(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	earlier := SentRecord{Trigger: tracking.TriggerETAChanged, ShipmentID: 5, Channel: ChannelEmail,
		DedupeKey: DedupeKey(5, tracking.TriggerETAChanged, "2026-03-06", ChannelEmail), At: now.Add(-48 * time.Hour)}
	tests := []struct {
		name     string
		shipment int64
		variant  string
		want     []Channel
	}{
		{"same estimate again is not re-sent", 5, "2026-03-06", nil},
		{"a new estimate is news", 5, "2026-03-09", []Channel{ChannelEmail}},
		{"another shipment of the same shopper is news", 6, "2026-03-06", []Channel{ChannelEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Candidate{Trigger: tracking.TriggerETAChanged, ShipmentID: tt.shipment, Variant: tt.variant,
				Recipient: shopper(time.UTC), Sent: []SentRecord{earlier}}
			ds := DefaultRules().Plan(c, now)
			if got := sends(ds); !sameChannels(got, tt.want) {
				t.Errorf("sends %v, want %v (%+v)", got, tt.want, ds)
			}
		})
	}
}

func TestPlanSkipsUnroutedTrigger(t *testing.T) {
	r := DefaultRules()
	delete(r.Routes, tracking.TriggerInTransit)
	ds := r.Plan(Candidate{Trigger: tracking.TriggerInTransit, ShipmentID: 1, Recipient: shopper(time.UTC)}, time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC))
	if len(ds) != 1 || !ds[0].Skip || ds[0].Reason != ReasonNoRoute {
		t.Errorf("got %+v, want a single skipped decision with %q", ds, ReasonNoRoute)
	}
}

func TestDefaultRulesRouteEveryTrigger(t *testing.T) {
	r := DefaultRules()
	for _, trig := range tracking.Triggers {
		if len(r.Routes[trig].Channels) == 0 {
			t.Errorf("trigger %s has no default route", trig)
		}
	}
}

// Every decision, sent or skipped, names the trigger it was planned for: the
// message log records it as is (a COD reminder planned on the out-for-delivery
// job is logged as cod_reminder, also when it is skipped for want of a route
// and has no dedupe key).
func TestPlanDecisionsCarryTheirTrigger(t *testing.T) {
	unrouted := DefaultRules()
	delete(unrouted.Routes, tracking.TriggerCODReminder)
	tests := []struct {
		name  string
		rules Rules
	}{
		{"routed", DefaultRules()},
		{"not routed", unrouted},
	}
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := tt.rules.Plan(Candidate{Trigger: tracking.TriggerCODReminder, ShipmentID: 1, Variant: "2026-03-05", Recipient: shopper(time.UTC)}, now)
			if len(ds) == 0 {
				t.Fatal("no decisions; want at least one")
			}
			for _, d := range ds {
				if d.Trigger != tracking.TriggerCODReminder {
					t.Errorf("decision %+v has trigger %q; want %q", d, d.Trigger, tracking.TriggerCODReminder)
				}
			}
		})
	}
}

func TestPlanFallsBackToEmailWhenTheMonthlySMSCapIsUsedUp(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	rc := shopper(time.UTC)
	rc.OverSpend = map[Channel]bool{ChannelSMS: true, ChannelWhatsApp: true}
	ds := DefaultRules().Plan(Candidate{Trigger: tracking.TriggerOutForDelivery, ShipmentID: 1, Recipient: rc}, now)
	if got := sends(ds); !sameChannels(got, []Channel{ChannelEmail}) || reasonFor(t, ds, ChannelSMS) != ReasonSpendCap {
		t.Errorf("got %+v; want email, SMS skipped for the spend cap", ds)
	}
}

func TestCallCapCountsAWeekOfCallsEvenForUrgentNews(t *testing.T) {
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	r := DefaultRules()
	r.Quiet = QuietHours{}
	rc := Recipient{Email: "a@example.com", Phone: "+14155550101", Consent: map[Channel]bool{ChannelSMS: true, ChannelVoice: true}}
	call := func(daysAgo int, ship int64) SentRecord {
		return SentRecord{Trigger: tracking.TriggerActionRequired, ShipmentID: ship, Channel: ChannelVoice, At: now.AddDate(0, 0, -daysAgo)}
	}
	tests := []struct {
		name string
		sent []SentRecord
		want bool // the call goes out
	}{
		{"first call", nil, true},
		{"one call this week", []SentRecord{call(3, 1)}, true},
		{"two calls this week", []SentRecord{call(6, 1), call(1, 2)}, false},
		{"two calls, one over a week ago", []SentRecord{call(8, 1), call(1, 2)}, true},
	}
	for _, tt := range tests {
		ds := r.Plan(Candidate{Trigger: tracking.TriggerActionRequired, ShipmentID: 9, Recipient: rc, Sent: tt.sent}, now)
		i := slices.IndexFunc(ds, func(d Decision) bool { return d.Channel == ChannelVoice })
		if i < 0 || ds[i].Skip == tt.want || (!tt.want && ds[i].Reason != ReasonCallCap) {
			t.Errorf("%s: call decision %+v; want sent=%v", tt.name, ds, tt.want)
		}
	}
}

func TestPlanCapHoldsLowerPriorityNewsUntilTheWindowMovesOn(t *testing.T) {
	now := time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC)
	sent := []SentRecord{
		{Trigger: tracking.TriggerShipped, ShipmentID: 7, Channel: ChannelEmail, DedupeKey: "7:shipped:email", At: now.Add(-20 * time.Hour)},
		{Trigger: tracking.TriggerOutForDelivery, ShipmentID: 8, Channel: ChannelSMS, DedupeKey: "8:out_for_delivery:sms", At: now.Add(-5 * time.Hour)},
		{Trigger: tracking.TriggerDelivered, ShipmentID: 8, Channel: ChannelEmail, DedupeKey: "8:delivered:email", At: now.Add(-1 * time.Hour)},
	}
	r := DefaultRules()
	r.Quiet = QuietHours{}
	ds := r.Plan(Candidate{Trigger: tracking.TriggerInTransit, ShipmentID: 9, Recipient: shopper(time.UTC), Sent: sent}, now)
	if len(ds) != 1 || ds[0].Skip || ds[0].Reason != ReasonHeld || !ds[0].SendAt.Equal(now.Add(4*time.Hour)) {
		t.Fatalf("got %+v; want the email held until the shipped email is a day old, 4 h from now", ds)
	}
}
