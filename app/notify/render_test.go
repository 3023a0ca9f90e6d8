package notify

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestEveryDefaultTemplateValidates renders every shipped template, for every
// trigger, part and locale, against the sample data with strict variables: a
// typo in a variable or filter name fails here, not on a real shipment.
func TestEveryDefaultTemplateValidates(t *testing.T) {
	var r Renderer
	for _, lang := range Locales {
		for _, trig := range tracking.Triggers {
			for _, part := range Parts {
				t.Run(lang+"/"+string(trig)+"."+string(part), func(t *testing.T) {
					tpl, err := DefaultTemplate(lang, trig, part)
					if err != nil {
						t.Fatalf("DefaultTemplate: %v", err)
					}
					if tpl.Name != lang+"/"+string(trig)+"."+string(part) {
						t.Fatalf("got template %q, want the %s one (no fallback)", tpl.Name, lang)
					}
					if err := r.Validate(context.Background(), part, lang, tpl.Source); err != nil {
						t.Fatalf("Validate: %v", err)
					}
				})
			}
		}
	}
}

// TestDefaultMessagesMatchGolden renders every message with the sample data
// and compares it with testdata/golden, so copy changes are reviewed in diffs.
// Run with -update to rewrite.
func TestDefaultMessagesMatchGolden(t *testing.T) {
	var r Renderer
	for _, lang := range Locales {
		for _, trig := range tracking.Triggers {
			for _, ch := range Channels {
				name := filepath.Join("testdata", "golden", lang, string(trig)+"."+string(ch)+".txt")
				t.Run(name, func(t *testing.T) {
					msg, err := r.Compose(context.Background(), trig, ch, nil, SampleData(lang))
					if err != nil {
						t.Fatalf("Compose: %v", err)
					}
					got := "subject: " + msg.Subject + "\n---\n" + msg.Text + "\n---\n" + msg.HTML
					assertGolden(t, name, got)
				})
			}
		}
	}
}

func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the rendered message (run go test -update and review the diff)\n got:\n%s", name, got)
	}
}

// TestSMSDateRangeStaysGSM7 guards the cost of an SMS with a date range: the
// en dash between the days is outside GSM-7 and would make the message UCS-2.
func TestSMSDateRangeStaysGSM7(t *testing.T) {
	var r Renderer
	d := SampleData("en") // ETA spans Thu, Mar 5 to Fri, Mar 6
	msg, err := r.Compose(context.Background(), tracking.TriggerDelayed, ChannelSMS, nil, d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Text, "Thu, Mar 5 - Fri, Mar 6") {
		t.Errorf("SMS does not carry the range with a hyphen:\n%s", msg.Text)
	}
	if want := (Segments{GSM7, CountSegments(msg.Text).Units, 1}); msg.Segments != want {
		t.Errorf("segments = %+v, want %+v:\n%s", msg.Segments, want, msg.Text)
	}
}

// TestAbbreviatedMonthsEndSentencesOnce renders every message with dates in
// November, whose short name ends in a full stop in some languages ("nov.",
// "Nov."): the copy must not add a second one after the date.
func TestAbbreviatedMonthsEndSentencesOnce(t *testing.T) {
	var r Renderer
	for _, lang := range Locales {
		for _, changed := range []bool{true, false} {
			for _, trig := range tracking.Triggers {
				for _, ch := range Channels {
					t.Run(fmt.Sprintf("%s/%s.%s/changed=%t", lang, trig, ch, changed), func(t *testing.T) {
						d := SampleData(lang)
						loc, err := time.LoadLocation(d.Customer.TimeZone)
						if err != nil {
							t.Fatal(err)
						}
						nov := func(day, hour int) time.Time { return time.Date(2026, time.November, day, hour, 0, 0, 0, loc) }
						d.Shipment.ETA.Window = tracking.Window{Earliest: nov(26, 9), Latest: nov(29, 18)}
						d.Shipment.ETA.ChangedFrom = tracking.Window{}
						if changed {
							d.Shipment.ETA.ChangedFrom = tracking.Window{Earliest: nov(23, 9), Latest: nov(24, 18)}
						}
						d.Shipment.Pickup.HoldUntil = nov(30, 18)
						msg, err := r.Compose(context.Background(), trig, ch, nil, d)
						if err != nil {
							t.Fatal(err)
						}
						for _, text := range []string{msg.Subject, msg.Text, msg.HTML} {
							if strings.Contains(strings.ReplaceAll(text, "...", ""), "..") {
								t.Errorf("doubled full stop:\n%s", text)
							}
						}
					})
				}
			}
		}
	}
}

// TestSMSAmountStaysGSM7 guards the cost of an SMS with an amount: CLDR puts
// a no-break space between the number and the currency ("89,50 €"), which
// is outside GSM-7 and would make the message UCS-2.
func TestSMSAmountStaysGSM7(t *testing.T) {
	var r Renderer
	msg, err := r.Compose(context.Background(), tracking.TriggerCODReminder, ChannelSMS, nil, SampleData("de"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Text, "89,50 €") || msg.Segments.Encoding != GSM7 {
		t.Errorf("SMS is %s; want GSM-7 with the amount \"89,50 €\":\n%q", msg.Segments.Encoding, msg.Text)
	}
}
