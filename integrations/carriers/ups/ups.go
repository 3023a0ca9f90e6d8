// Package ups tracks parcels with the UPS Track API (REST, OAuth 2.0 client
// credentials): GET /api/track/v1/details/{inquiryNumber}, one number per call.
//
// Not found: UPS answers an unknown or not-yet-scanned number with HTTP 200
// and a shipment-level warning TW0001 (sometimes a 404 carrying the same
// code); both become Result{NotFound: true}.
//
// Times: an activity's gmtDate/gmtTime are used when present; otherwise its
// local date/time with gmtOffset; otherwise the local time is taken as UTC.
// Delivery dates and windows carry no zone and are kept as UTC wall-clock
// values (2026-11-27 10:00 local becomes 2026-11-27T10:00Z).
//
// Multi-piece: UPS tracks each package number on its own. When the inquiry is
// a lead number whose response lists several packages, the Result is the
// package whose trackingNumber equals the inquiry (or the first one listed);
// the other packages must be tracked by their own numbers.
package ups

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// Hosts for Config.BaseURL.
const (
	ProductionURL = "https://onlinetools.ups.com"
	SandboxURL    = "https://wwwcie.ups.com"
)

// notFoundCode is UPS's "Tracking Information Not Found" warning and error.
const notFoundCode = "TW0001"

// Config configures a Client.
type Config struct {
	// BaseURL is the host, without the /api prefix; empty means ProductionURL.
	BaseURL      string
	ClientID     string
	ClientSecret string
	// TransactionSrc names this application in UPS's logs (the required
	// transactionSrc header); empty means "ordertrack".
	TransactionSrc string
	HTTPClient     *http.Client
	Now            func() time.Time
	// OnUnknownCode is called for every activity code missing from the status
	// table, so the app can count them (Prometheus) and extend the table.
	OnUnknownCode func(carrier, code string)
}

// Client tracks UPS numbers. It is safe for concurrent use.
type Client struct {
	cfg    Config
	tokens *carrierhttp.TokenCache
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg.BaseURL = carrierhttp.BaseURL(cfg.BaseURL, ProductionURL)
	if cfg.TransactionSrc == "" {
		cfg.TransactionSrc = "ordertrack"
	}
	cfg.HTTPClient = carrierhttp.Client(cfg.HTTPClient)
	cfg.Now = carrierhttp.Clock(cfg.Now)
	c := &Client{cfg: cfg}
	c.tokens = carrierhttp.NewTokenCache(c.fetchToken, cfg.Now)
	return c
}

// Name is the carrier's name in ordertrack.
func (c *Client) Name() string { return "ups" }

// MaxBatch is how many numbers one Track call sends to UPS per request: one.
func (c *Client) MaxBatch() int { return 1 }

// Track fetches each number in turn and returns one Result per number, in
// order. It stops at the first error; results fetched before it are returned.
func (c *Client) Track(ctx context.Context, numbers []string) ([]tracking.Result, error) {
	return carrierhttp.TrackEach(ctx, c.Name(), numbers, c.track)
}

func (c *Client) fetchToken(ctx context.Context) (string, time.Duration, error) {
	// UPS wants the client credentials as HTTP Basic auth, not in the form.
	form := url.Values{"grant_type": {"client_credentials"}}
	req, err := carrierhttp.NewFormRequest(ctx, c.cfg.BaseURL+"/security/v1/oauth/token", form)
	if err != nil {
		return "", 0, fmt.Errorf("ups: %w", err)
	}
	req.SetBasicAuth(c.cfg.ClientID, c.cfg.ClientSecret)
	req.Header.Set("Accept", "application/json")
	tok, ttl, err := carrierhttp.FetchToken(c.cfg.HTTPClient, req, c.cfg.Now())
	if err != nil {
		return "", 0, fmt.Errorf("ups: %w", err)
	}
	return tok, ttl, nil
}

func (c *Client) track(ctx context.Context, number string) (tracking.Result, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return tracking.Result{}, err
	}
	q := url.Values{"locale": {"en_US"}, "returnSignature": {"false"}, "returnMilestones": {"false"}, "returnPOD": {"false"}}
	u := c.cfg.BaseURL + "/api/track/v1/details/" + url.PathEscape(number) + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return tracking.Result{}, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("transId", transID())
	req.Header.Set("transactionSrc", c.cfg.TransactionSrc)
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return tracking.Result{}, err
	}
	if resp.Status == http.StatusNotFound {
		if code, _ := errorDetail(resp.Body); code == notFoundCode {
			return tracking.Result{Number: number, Carrier: c.Name(), NotFound: true}, nil
		}
	}
	if err := c.tokens.StatusError(resp, c.cfg.Now(), errorDetail); err != nil {
		return tracking.Result{}, err
	}
	var body trackResponse
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return tracking.Result{}, fmt.Errorf("decode: %w", err)
	}
	return c.result(number, body), nil
}

// transID is the per-request id UPS requires (up to 32 characters).
func transID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func errorDetail(body []byte) (string, string) {
	var e struct {
		Response struct {
			Errors []struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Response.Errors) == 0 {
		return "", ""
	}
	return e.Response.Errors[0].Code, e.Response.Errors[0].Message
}

type trackResponse struct {
	TrackResponse struct {
		Shipment []struct {
			InquiryNumber string    `json:"inquiryNumber"`
			Package       []pkg     `json:"package"`
			Warnings      []codeMsg `json:"warnings"`
		} `json:"shipment"`
	} `json:"trackResponse"`
}

type codeMsg struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type pkg struct {
	TrackingNumber string     `json:"trackingNumber"`
	Activity       []activity `json:"activity"`
	DeliveryDate   []struct {
		Type string `json:"type"`
		Date string `json:"date"`
	} `json:"deliveryDate"`
	DeliveryTime struct {
		Type      string `json:"type"`
		StartTime string `json:"startTime"`
		EndTime   string `json:"endTime"`
	} `json:"deliveryTime"`
	Service struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	} `json:"service"`
}

type activity struct {
	Location struct {
		Address struct {
			City          string `json:"city"`
			StateProvince string `json:"stateProvince"`
			PostalCode    string `json:"postalCode"`
			CountryCode   string `json:"countryCode"`
		} `json:"address"`
	} `json:"location"`
	Status    activityStatus `json:"status"`
	Date      string         `json:"date"`
	Time      string         `json:"time"`
	GMTDate   string         `json:"gmtDate"`
	GMTTime   string         `json:"gmtTime"`
	GMTOffset string         `json:"gmtOffset"`
}

type activityStatus struct {
	Type        string `json:"type"`
	Description string `json:"description"`
	Code        string `json:"code"`
	StatusCode  string `json:"statusCode"`
}

func (c *Client) result(number string, body trackResponse) tracking.Result {
	res := tracking.Result{Number: number, Carrier: c.Name()}
	var p *pkg
	for _, s := range body.TrackResponse.Shipment {
		for i := range s.Package {
			if p == nil || s.Package[i].TrackingNumber == number {
				p = &s.Package[i]
			}
		}
	}
	if p == nil {
		// Only TW0001 is documented, but a 200 with no package at all is the
		// same answer whatever the warning says.
		res.NotFound = true
		return res
	}
	res.Service = strings.TrimSpace(p.Service.Description)
	res.Promised = promised(*p)

	acts := slices.Clone(p.Activity)
	times := make([]time.Time, len(acts))
	for i, a := range acts {
		times[i] = activityTime(a)
	}
	// UPS lists newest first; reverse, then stable-sort so equal times keep
	// the carrier's order.
	slices.Reverse(acts)
	slices.Reverse(times)
	idx := make([]int, len(acts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return times[a].Compare(times[b]) })

	var last tracking.Stage
	for _, i := range idx {
		a := acts[i]
		m, key, ok := lookup(a.Status)
		if !ok {
			m = mapping{Stage: carrierhttp.SafeStage(last)}
			if c.cfg.OnUnknownCode != nil {
				c.cfg.OnUnknownCode(c.Name(), key)
			}
		}
		last = m.Stage
		code := a.Status.StatusCode
		if code == "" {
			code = a.Status.Code
		}
		addr := a.Location.Address
		desc := strings.TrimSpace(a.Status.Description)
		res.Events = append(res.Events, tracking.Event{
			Time:        times[i],
			Stage:       m.Stage,
			Problem:     m.Problem,
			Movement:    movement(key, m, desc),
			Code:        code,
			Description: desc,
			Location:    tracking.Location{City: addr.City, Region: addr.StateProvince, PostalCode: addr.PostalCode, Country: addr.CountryCode},
		})
	}
	return res
}

// movement is what an activity says about where the package is: a customs
// release by its code, anything else by its description.
func movement(key string, m mapping, desc string) tracking.Movement {
	if mv, ok := releases[key]; ok {
		return mv
	}
	return tracking.MovementOf(m.Stage, m.Problem, desc)
}

// activityTime reads an activity's instant in UTC; see the package doc.
func activityTime(a activity) time.Time {
	if a.GMTDate != "" && a.GMTTime != "" {
		if t, err := time.Parse("20060102150405", a.GMTDate+digits(a.GMTTime)); err == nil {
			return t
		}
	}
	local := a.Date + digits(a.Time)
	if a.GMTOffset != "" {
		if t, err := time.Parse("20060102150405-07:00", local+a.GMTOffset); err == nil {
			return t.UTC()
		}
	}
	t, _ := time.Parse("20060102150405", local)
	return t
}

// digits drops the separators from "21:30:00" so both documented time forms
// read as HHMMSS.
func digits(s string) string { return strings.ReplaceAll(s, ":", "") }

// promised reads the scheduled or rescheduled delivery date and any window.
// A rescheduled date (RDD) supersedes the scheduled one (SDD); a delivered
// package has no promise left to keep.
func promised(p pkg) tracking.Window {
	var day string
	for _, d := range p.DeliveryDate {
		switch d.Type {
		case "RDD":
			day = d.Date
		case "SDD":
			if day == "" {
				day = d.Date
			}
		}
	}
	if day == "" {
		return tracking.Window{}
	}
	date, err := time.Parse("20060102", day)
	if err != nil {
		return tracking.Window{}
	}
	w := tracking.Window{Earliest: date, Latest: date}
	at := func(hhmmss string) (time.Time, bool) {
		t, err := time.Parse("20060102150405", day+digits(hhmmss))
		return t, err == nil
	}
	switch p.DeliveryTime.Type {
	case "EDW", "CDW", "IDW": // estimated, confirmed, imminent window
		if t, ok := at(p.DeliveryTime.StartTime); ok {
			w.Earliest = t
		}
		if t, ok := at(p.DeliveryTime.EndTime); ok {
			w.Latest = t
		}
	case "CMT", "EOD": // committed by a time, or end of day
		if t, ok := at(p.DeliveryTime.EndTime); ok {
			w.Latest = t
		}
	}
	return w
}
