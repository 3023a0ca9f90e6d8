// Package usps tracks mail with USPS Tracking v3 (the "new USPS APIs", OAuth
// 2.0 client credentials): GET /tracking/v3/tracking/{trackingNumber}
// ?expand=DETAIL, one number per call. The legacy Web Tools XML API is retired
// and not supported.
//
// Not found: USPS answers 404 with its error body for a number it does not
// know; a 200 without any tracking event means the same. Both become
// Result{NotFound: true}.
//
// Not yet available: a fresh label answers HTTP 400 with error code 150001
// ("A status update is not yet available…"); that is NotFound too, polled
// later, not a rejected number.
//
// Times: an event's GMTTimestamp is used when present and within an hour of
// its local time with offset (real responses carry GMT stamps a day off);
// otherwise its local
// eventTimestamp with GMTOffset (USPS's own examples wrongly append "Z" to the
// local time, so that suffix is ignored when an offset is given); otherwise the
// local time is taken as UTC. Predicted and expected delivery dates carry no
// zone and are kept as UTC wall-clock values.
//
// Multi-piece: USPS has no multi-piece shipments; each piece carries its own
// barcode and is tracked by it.
package usps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// Hosts for Config.BaseURL.
const (
	ProductionURL = "https://apis.usps.com"
	TestURL       = "https://apis-tem.usps.com"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the host; empty means ProductionURL.
	BaseURL      string
	ClientID     string // consumer key
	ClientSecret string // consumer secret
	HTTPClient   *http.Client
	Now          func() time.Time
	// OnUnknownCode is called for every event code missing from the status
	// table, so the app can count them (Prometheus) and extend the table.
	OnUnknownCode func(carrier, code string)
}

// Client tracks USPS numbers. It is safe for concurrent use.
type Client struct {
	cfg    Config
	tokens *carrierhttp.TokenCache
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg.BaseURL = carrierhttp.BaseURL(cfg.BaseURL, ProductionURL)
	cfg.HTTPClient = carrierhttp.Client(cfg.HTTPClient)
	cfg.Now = carrierhttp.Clock(cfg.Now)
	c := &Client{cfg: cfg}
	c.tokens = carrierhttp.NewTokenCache(c.fetchToken, cfg.Now)
	return c
}

// Name is the carrier's name in ordertrack.
func (c *Client) Name() string { return "usps" }

// MaxBatch is how many numbers one USPS request carries: one.
func (c *Client) MaxBatch() int { return 1 }

// Track fetches each number in turn and returns one Result per number, in
// order. It stops at the first error; results fetched before it are returned.
func (c *Client) Track(ctx context.Context, numbers []string) ([]tracking.Result, error) {
	return carrierhttp.TrackEach(ctx, c.Name(), numbers, c.track)
}

// fetchToken uses the JSON body USPS documents for its OAuth endpoint (not
// the form encoding of RFC 6749).
func (c *Client) fetchToken(ctx context.Context) (string, time.Duration, error) {
	credentials := map[string]string{
		"grant_type":    "client_credentials",
		"client_id":     c.cfg.ClientID,
		"client_secret": c.cfg.ClientSecret,
	}
	req, err := carrierhttp.NewJSONRequest(ctx, http.MethodPost, c.cfg.BaseURL+"/oauth2/v3/token", credentials)
	if err != nil {
		return "", 0, fmt.Errorf("usps: token %w", err)
	}
	tok, ttl, err := carrierhttp.FetchToken(c.cfg.HTTPClient, req, c.cfg.Now())
	if err != nil {
		return "", 0, fmt.Errorf("usps: %w", err)
	}
	return tok, ttl, nil
}

func (c *Client) track(ctx context.Context, number string) (tracking.Result, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return tracking.Result{}, err
	}
	u := c.cfg.BaseURL + "/tracking/v3/tracking/" + url.PathEscape(number) + "?expand=DETAIL"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return tracking.Result{}, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return tracking.Result{}, err
	}
	if resp.Status == http.StatusNotFound {
		return tracking.Result{Number: number, Carrier: c.Name(), NotFound: true}, nil
	}
	if err := c.tokens.StatusError(resp, c.cfg.Now(), errorDetail); err != nil {
		var rej *carrierhttp.RejectedError
		if errors.As(err, &rej) && rej.Code == notYetAvailable {
			return tracking.Result{Number: number, Carrier: c.Name(), NotFound: true}, nil
		}
		return tracking.Result{}, err
	}
	var body details
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return tracking.Result{}, fmt.Errorf("decode: %w", err)
	}
	return c.result(number, body), nil
}

// notYetAvailable is the error code of USPS's HTTP 400 "A status update is
// not yet available on your package…": a fresh label USPS has not seen yet,
// to be polled later like an unknown number.
const notYetAvailable = "150001"

// errorDetail reads the USPS APIs' common error body:
// {"apiVersion": …, "error": {"code", "message", "errors": [{"code", "title", "detail"}]}}.
func errorDetail(body []byte) (string, string) {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Errors  []struct {
				Code   string `json:"code"`
				Title  string `json:"title"`
				Detail string `json:"detail"`
			} `json:"errors"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	code, msg := e.Error.Code, e.Error.Message
	if len(e.Error.Errors) > 0 {
		d := e.Error.Errors[0]
		if d.Code != "" {
			code = d.Code
		}
		if d.Code == notYetAvailable {
			msg = d.Title
		} else if d.Detail != "" {
			msg = d.Detail
		} else if d.Title != "" {
			msg = d.Title
		}
	}
	return code, msg
}

type details struct {
	TrackingNumber                   string  `json:"trackingNumber"`
	MailClass                        string  `json:"mailClass"`
	ExpectedDeliveryTimeStamp        string  `json:"expectedDeliveryTimeStamp"`
	GuaranteedDeliveryTimeStamp      string  `json:"guaranteedDeliveryTimeStamp"`
	PredictedDeliveryDate            string  `json:"predictedDeliveryDate"`
	PredictedDeliveryWindowStartTime string  `json:"predictedDeliveryWindowStartTime"`
	PredictedDeliveryWindowEndTime   string  `json:"predictedDeliveryWindowEndTime"`
	TrackingEvents                   []event `json:"trackingEvents"`
}

type event struct {
	EventType      string `json:"eventType"`
	EventTimestamp string `json:"eventTimestamp"`
	GMTTimestamp   string `json:"GMTTimestamp"`
	GMTOffset      string `json:"GMTOffset"`
	EventCountry   string `json:"eventCountry"`
	EventCity      string `json:"eventCity"`
	EventState     string `json:"eventState"`
	EventZIP       string `json:"eventZIP"`
	EventCode      string `json:"eventCode"`
}

func (c *Client) result(number string, d details) tracking.Result {
	res := tracking.Result{Number: number, Carrier: c.Name()}
	if len(d.TrackingEvents) == 0 {
		res.NotFound = true
		return res
	}
	res.Service = plainText(d.MailClass)
	res.Promised = promised(d)

	evs := slices.Clone(d.TrackingEvents)
	slices.Reverse(evs) // USPS lists newest first
	type timed struct {
		e event
		t time.Time
	}
	order := make([]timed, len(evs))
	for i, e := range evs {
		order[i] = timed{e, eventTime(e)}
	}
	slices.SortStableFunc(order, func(a, b timed) int { return a.t.Compare(b.t) })

	var last tracking.Stage
	for _, o := range order {
		e := o.e
		code := strings.ToUpper(e.EventCode)
		m, ok := statusTable[code]
		if !ok {
			m = mapping{Stage: carrierhttp.SafeStage(last)}
			if c.cfg.OnUnknownCode != nil {
				c.cfg.OnUnknownCode(c.Name(), e.EventCode)
			}
		}
		last = m.Stage
		country := e.EventCountry
		if country == "" && (e.EventState != "" || e.EventZIP != "") {
			country = "US" // domestic events leave the country out
		}
		res.Events = append(res.Events, tracking.Event{
			Time: o.t, Stage: m.Stage, Problem: m.Problem, Movement: movements[code], Code: e.EventCode, Description: e.EventType,
			Location: tracking.Location{City: e.EventCity, Region: e.EventState, PostalCode: e.EventZIP, Country: country},
		})
	}
	return res
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText turns "USPS Ground Advantage<SUP>&#153;</SUP>" into
// "USPS Ground Advantage™".
func plainText(s string) string {
	return strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(s, "")))
}

// offsetRE matches USPS offsets, which may have a one-digit hour ("-7:00").
var offsetRE = regexp.MustCompile(`^([+-])(\d{1,2}):?(\d{2})$`)

func eventTime(e event) time.Time {
	gmt, gmtErr := time.Parse(time.RFC3339, e.GMTTimestamp)
	local, localOK := localTime(e)
	switch {
	case gmtErr == nil && localOK && absDuration(gmt.Sub(local)) > time.Hour:
		// USPS sometimes sends a GMTTimestamp a day off its own local time
		// and offset; the local time is what the scanner recorded.
		return local
	case gmtErr == nil:
		return gmt.UTC()
	case localOK:
		return local
	}
	if t, err := time.Parse(time.RFC3339, e.EventTimestamp); err == nil {
		return t.UTC()
	}
	t, _ := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(e.EventTimestamp, "Z"))
	return t
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// localTime reads eventTimestamp with GMTOffset; ok is false without an offset.
func localTime(e event) (time.Time, bool) {
	local := strings.TrimSuffix(e.EventTimestamp, "Z")
	if m := offsetRE.FindStringSubmatch(strings.TrimSpace(e.GMTOffset)); m != nil {
		hour := m[2]
		if len(hour) == 1 {
			hour = "0" + hour
		}
		off := m[1] + hour + ":" + m[3]
		if t, err := time.Parse("2006-01-02T15:04:05-07:00", local+off); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// promised prefers the predicted date and window, then the expected date,
// then the guarantee (Priority Mail Express, some international).
func promised(d details) tracking.Window {
	if day, err := time.Parse("2006-01-02", d.PredictedDeliveryDate); err == nil {
		w := tracking.Window{Earliest: day, Latest: day}
		if t, ok := clockOn(day, d.PredictedDeliveryWindowStartTime); ok {
			w.Earliest = t
		}
		if t, ok := clockOn(day, d.PredictedDeliveryWindowEndTime); ok {
			w.Latest = t
		}
		return w
	}
	for _, s := range []string{d.ExpectedDeliveryTimeStamp, d.GuaranteedDeliveryTimeStamp} {
		if t, ok := parseStamp(s); ok {
			return tracking.Window{Earliest: t, Latest: t}
		}
	}
	return tracking.Window{}
}

// parseStamp reads a delivery timestamp as a wall-clock value: USPS gives
// the local date and sometimes a misleading "Z".
func parseStamp(s string) (time.Time, bool) {
	s = strings.TrimSuffix(s, "Z")
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// clockOn puts a window time ("15:04", "15:04:05" or "3:04 pm") on day.
func clockOn(day time.Time, s string) (time.Time, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, layout := range []string{"15:04:05", "15:04", "3:04 pm", "3:04pm"} {
		if t, err := time.Parse(layout, s); err == nil {
			return day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second), true
		}
	}
	return time.Time{}, false
}
