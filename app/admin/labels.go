package admin

import (
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// en is the admin's language: merchants read the same names for stages and
// problems as their English-speaking shoppers do.
var en = locale.ForLocale("en")

// labelFuncs turn stored codes into the words a merchant reads, and times
// into the shop's zone.
var labelFuncs = template.FuncMap{
	"stageLabel": func(s string) string {
		if s == "" {
			return ""
		}
		return en.StageLabel(tracking.Stage(s))
	},
	"problemLabel": func(p string) string {
		if p == "" {
			return ""
		}
		return en.ProblemLabel(tracking.Problem(p))
	},
	"carrierName": func(code string) string {
		if code == "sim" {
			return "Demo Express" // what the demo's shoppers read
		}
		return registry.Name(code, "")
	},
	"requestLabel": func(kind string) string {
		if l := en.T("merchant.request." + kind); !strings.HasPrefix(l, "merchant.request.") {
			return l
		}
		return strings.ReplaceAll(kind, "_", " ")
	},
	"detailLabel": func(k string) string { return strings.ReplaceAll(k, "_", " ") },
	"triggerLabel": func(t string) string {
		l := en.MerchantTrigger(tracking.Trigger(t))
		return strings.ToUpper(l[:1]) + l[1:]
	},
	"channelLabel": func(ch string) string {
		if l, ok := channelLabels[ch]; ok {
			return l
		}
		return ch
	},
	"statusLabel": func(s string) string {
		if s == "" {
			return ""
		}
		s = strings.ReplaceAll(s, "_", " ")
		return strings.ToUpper(s[:1]) + s[1:]
	},
	// at writes t in loc with the zone's abbreviation: "Dec 2, 3:04 PM PST".
	"at": func(t any, loc *time.Location) string {
		var tt time.Time
		switch v := t.(type) {
		case time.Time:
			tt = v
		case *time.Time:
			if v == nil {
				return ""
			}
			tt = *v
		default:
			return ""
		}
		if tt.IsZero() {
			return ""
		}
		if loc == nil {
			loc = time.UTC
		}
		return tt.In(loc).Format("Jan 2, 3:04 PM MST")
	},
}

var channelLabels = map[string]string{"email": "Email", "sms": "SMS", "whatsapp": "WhatsApp", "voice": "Call"}

// inPipelineOrder sorts stage counts as parcels move (confirmed first,
// returned last), not alphabetically.
func inPipelineOrder(counts []storage.Count) []storage.Count {
	out := slices.Clone(counts)
	slices.SortStableFunc(out, func(a, b storage.Count) int {
		return tracking.Stage(a.Key).Rank() - tracking.Stage(b.Key).Rank()
	})
	return out
}
