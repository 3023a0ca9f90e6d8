package admin

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
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

// labelFuncs turn stored codes (strings, or the tracking and notify types
// that name them) into the words a merchant reads, and times
// into the shop's zone.
var labelFuncs = template.FuncMap{
	"stageLabel": func(code any) string {
		s := fmt.Sprint(code)
		if s == "" {
			return ""
		}
		return en.StageLabel(tracking.Stage(s))
	},
	"problemLabel": func(code any) string {
		p := fmt.Sprint(code)
		if p == "" {
			return ""
		}
		return en.ProblemLabel(tracking.Problem(p))
	},
	// endedLabel says why a shipment is no longer tracked (storage's
	// StopCancelled, EndReplaced, …).
	"endedLabel":   func(why string) string { return merchantWord("merchant.ended.", why) },
	"carrierName":  carrierName,
	"requestLabel": func(kind string) string { return merchantWord("merchant.request.", kind) },
	"consentSource": func(s string) string {
		if l, ok := consentSources[s]; ok {
			return l
		}
		return s
	},
	"consentStatus": func(s string) string {
		if l, ok := consentStatuses[s]; ok {
			return l
		}
		return s
	},
	"sourceLabel": func(s string) string {
		if l, ok := sourceLabels[s]; ok {
			return l
		}
		return s
	},
	"errorSummary": errorSummary,
	"placeLabel":   placeLabel,
	// regionLabel writes an analytics region key ("US-CA", ISO 3166-2) as
	// the shipment list does: "CA, US".
	"regionLabel": func(key string) string {
		if key == "unknown" {
			return "Unknown"
		}
		if country, region, ok := strings.Cut(key, "-"); ok {
			return region + ", " + country
		}
		return key
	},
	"etaSourceLabel": func(s string) string {
		if l, ok := etaSources[s]; ok {
			return l
		}
		return s
	},
	"detailLabel": func(k string) string { return strings.ReplaceAll(k, "_", " ") },
	"triggerLabel": func(code any) string {
		l := en.MerchantTrigger(tracking.Trigger(fmt.Sprint(code)))
		return strings.ToUpper(l[:1]) + l[1:]
	},
	"channelLabel": func(code any) string {
		ch := fmt.Sprint(code)
		if l, ok := channelLabels[ch]; ok {
			return l
		}
		return ch
	},
	"languageName": func(code string) string {
		if l, ok := languageNames[code]; ok {
			return l
		}
		base, _, _ := strings.Cut(code, "-")
		if l, ok := languageNames[base]; ok {
			return l + " (" + code + ")"
		}
		return code
	},
	"statusLabel": func(s string) string {
		if s == "" {
			return ""
		}
		s = strings.ReplaceAll(s, "_", " ")
		return strings.ToUpper(s[:1]) + s[1:]
	},
	// percent writes a 0–1 confidence as a whole percentage: "91%".
	"percent": func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" },
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

// languageNames name the template languages in English, the admin's
// language.
var languageNames = map[string]string{"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian", "nl": "Dutch", "ja": "Japanese"}

// etaSources say where a shipment's estimate came from (trackpage.ETASource).
var etaSources = map[string]string{"carrier": "the carrier's date", "learned": "learned from your past deliveries on this lane",
	"store": "your shipping promise", "prior": "typical for the service"}

// sourceLabels say where a shopper's request came from.
var sourceLabels = map[string]string{"page": "Tracking page", "sms": "SMS reply", "whatsapp": "WhatsApp reply", "voice": "Phone call"}

// carrierName is the carrier's name as its shoppers read it.
func carrierName(code string) string {
	if code == "sim" {
		return "Demo Express" // what the demo's shoppers read
	}
	return registry.Name(code, "")
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

// errorSummaries turn the errors kept with failed messages and webhook
// deliveries into what a merchant can act on; the first match wins. The
// stored text stays available under "Technical details" for support.
var errorSummaries = []struct {
	any     []string
	summary string
}{
	{[]string{"Go struct field", "json: ", "invalid character", "unexpected end of JSON", "cannot unmarshal", "unexpected EOF"},
		"The data was not in the expected format."},
	{[]string{"status 401", "status 403", "401 Unauthorized", "403 Forbidden", "invalid api key", "authentication"},
		"The provider refused ordertrack's credentials: check the keys in Settings."},
	{[]string{"status 429", "429 Too Many Requests", "rate limit"},
		"The provider asked to slow down; it is tried again later."},
	{[]string{"dial tcp", "connection refused", "no such host", "i/o timeout", "context deadline exceeded", "TLS handshake", "connection reset"},
		"The provider could not be reached (a network error)."},
	{[]string{"status 500", "status 502", "status 503", "status 504"},
		"The provider had an error on its side."},
	{[]string{"SQLSTATE", "sql: ", "database is locked", "gorm", "pq: "},
		"ordertrack could not save it (a database error)."},
	{[]string{"panic", "runtime error", "nil pointer", "%!"},
		"ordertrack hit an internal error."},
}

// errorSummary says in a sentence what went wrong, or gives the stored
// error back when it already reads as one (ordertrack's own reasons such as
// "the shop has no owner email").
func errorSummary(err string) string {
	lower := strings.ToLower(err)
	for _, s := range errorSummaries {
		for _, needle := range s.any {
			if strings.Contains(lower, strings.ToLower(needle)) {
				return s.summary
			}
		}
	}
	return err
}

// placeLabel writes a shipment's destination as "CA, US": the region
// without its country prefix (stores send "CA", the carrier's region key is
// "US-CA"), then the country; the country alone when the region adds nothing.
func placeLabel(region, country string) string {
	if c, r, ok := strings.Cut(region, "-"); ok && (country == "" || c == country) {
		region, country = r, c
	}
	switch {
	case region == "" || region == country:
		return country
	case country == "":
		return region
	}
	return region + ", " + country
}

// merchantWord is the merchant's English word for a stored code under the
// catalog namespace ns ("merchant.request.", …), else the code with spaces.
func merchantWord(ns, code string) string {
	if l := en.T(ns + code); !strings.HasPrefix(l, ns) {
		return l
	}
	return strings.ReplaceAll(code, "_", " ")
}
