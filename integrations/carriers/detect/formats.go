package detect

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// formatsJSON holds every tracking-number format, the S10 postal operators
// and the company aliases. It is derived from jkeen/tracking_number_data with
// the patterns rewritten for RE2 over normalized numbers, so adding a format
// is a data change, not a code change.
//
//go:embed formats.json
var formatsJSON []byte

// format is one tracking-number layout of one carrier.
type format struct {
	ID         string    `json:"id"`
	Carrier    string    `json:"carrier"`
	Name       string    `json:"name"`
	Pattern    string    `json:"pattern"`
	Confidence float64   `json:"confidence"`
	Checksum   *checksum `json:"checksum"`
	Prepend    *prepend  `json:"prepend"`
	Require    string    `json:"require"`
	// Distinctive formats name their carrier by shape alone (1Z…, 94…): a
	// number in that shape whose check digit fails is still offered,
	// flagged, as that carrier's (a typo or a sandbox number).
	Distinctive bool `json:"distinctive"`
	// HintOnly formats are too plain to offer unless the store names their
	// carrier (FedEx Freight PRO numbers, DHL Global Mail ids).
	HintOnly bool `json:"hint_only"`
	// MailerIDs are the USPS mailer ids (the 6 or 9 digits after an IMpb's
	// service type code) known to belong to this carrier: an IMpb number
	// carrying one is this carrier's before it is USPS's.
	MailerIDs []string          `json:"mailer_ids"`
	Services  map[string]string `json:"services"`
	Valid     []string          `json:"valid"`
	Invalid   []string          `json:"invalid"`

	re      *regexp.Regexp
	require *regexp.Regexp
}

// prepend adds Content to the serial before the checksum unless the serial
// already starts with UnlessPrefix (OnTrac and legacy USPS check digits cover
// a prefix that is not printed).
type prepend struct {
	UnlessPrefix string `json:"unless_prefix"`
	Content      string `json:"content"`
}

// post is the postal operator behind an S10 country suffix.
type post struct {
	Carrier string `json:"carrier"`
	Name    string `json:"name"`
}

type catalog struct {
	Formats   []*format           `json:"formats"`
	S10Posts  map[string]post     `json:"s10_posts"`
	Companies map[string][]string `json:"companies"`
}

// data is parsed once at init: the file is embedded, so a parse error is a
// build defect caught by every test, not a runtime condition.
var data = mustLoad(formatsJSON)

func mustLoad(raw []byte) *catalog {
	c, err := load(raw)
	if err != nil {
		panic(err)
	}
	return c
}

func load(raw []byte) (*catalog, error) {
	var c catalog
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("parse formats: %w", err)
	}
	for _, f := range c.Formats {
		re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`)
		if err != nil {
			return nil, fmt.Errorf("format %s: %w", f.ID, err)
		}
		f.re = re
		if f.Require != "" {
			if f.require, err = regexp.Compile(f.Require); err != nil {
				return nil, fmt.Errorf("format %s require: %w", f.ID, err)
			}
		}
		if f.Checksum != nil {
			if err := f.Checksum.check(); err != nil {
				return nil, fmt.Errorf("format %s: %w", f.ID, err)
			}
		}
	}
	return &c, nil
}

// match is what one format found in a normalized number.
type match struct {
	format  *format
	carrier string
	service string
	checked bool // the format has a check digit
	valid   bool // the check digit (or the S10 country) is right
	// mailer is the IMpb mailer id when it is one of the format's MailerIDs.
	mailer string
}

// groups returns the named submatches; a name used in several alternatives
// takes the one that participated in the match.
func (f *format) groups(number string) (map[string]string, bool) {
	idx := f.re.FindStringSubmatchIndex(number)
	if idx == nil {
		return nil, false
	}
	g := map[string]string{}
	for i, name := range f.re.SubexpNames() {
		if name == "" || idx[2*i] < 0 {
			continue
		}
		if _, seen := g[name]; !seen {
			g[name] = number[idx[2*i]:idx[2*i+1]]
		}
	}
	return g, true
}

// apply matches the normalized number against the format.
func (f *format) apply(number string) (match, bool) {
	g, ok := f.groups(number)
	if !ok {
		return match{}, false
	}
	if f.require != nil && !f.require.MatchString(g["serial"]) {
		return match{}, false
	}
	m := match{format: f, carrier: f.Carrier, service: f.service(g["service"]), valid: true}
	if f.Checksum != nil {
		serial := g["serial"]
		if f.Prepend != nil && !strings.HasPrefix(serial, f.Prepend.UnlessPrefix) {
			serial = f.Prepend.Content + serial
		}
		m.checked = true
		m.valid = f.Checksum.valid(serial, g["check"])
	}
	if mid := impbMailerID(g["serial"]); mid != "" && slices.Contains(f.MailerIDs, mid) {
		m.mailer = mid
	}
	if cc, ok := g["country"]; ok && f.Checksum != nil && f.Checksum.Algorithm == "s10" {
		p, known := data.S10Posts[cc]
		if !known {
			return match{}, false
		}
		m.carrier = p.Carrier
	}
	return m, true
}

// impbMailerID reads the mailer id of an IMpb serial: after the 2-digit
// application identifier (92–95) and the 3-digit service type code comes a
// 9-digit mailer id when its first digit is 9, else a 6-digit one (USPS
// Publication 199). It returns "" for a serial too short to hold one.
func impbMailerID(serial string) string {
	if len(serial) < 20 || serial[0] != '9' || serial[1] < '2' || serial[1] > '5' {
		return ""
	}
	rest := serial[5:]
	if rest[0] == '9' {
		return rest[:9]
	}
	return rest[:6]
}

// service names the service from the format's lookup table: the exact code
// first, then its first character (S10 classes are keyed by letter).
func (f *format) service(code string) string {
	if code != "" {
		if s, ok := f.Services[code]; ok {
			return s
		}
		if s, ok := f.Services[code[:1]]; ok {
			return s
		}
	}
	return f.Name
}
