// Package fedex tracks parcels with the FedEx Track API (REST, OAuth 2.0
// client credentials): POST /track/v1/trackingnumbers with up to 30 numbers
// per request and includeDetailedScans, so every scan comes back.
//
// Not found: FedEx answers HTTP 200 with a per-number error
// TRACKING.TRACKINGNUMBER.NOTFOUND; that number becomes Result{NotFound: true}.
// Any other per-number error rejects just that number: Track returns the
// results of the others together with a *carrierhttp.RejectedError per
// rejected number (joined).
//
// Times: scan dates carry an offset and are converted to UTC; estimates that
// come without one are kept as UTC wall-clock values.
//
// Multi-piece: every piece of a FedEx multi-piece shipment has its own
// tracking number and is tracked (and batched) like any other number. When a
// number has been reused and FedEx returns several shipments for it, the one
// with the most recent scan is reported.
package fedex

import (
	"context"
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
	ProductionURL = "https://apis.fedex.com"
	SandboxURL    = "https://apis-sandbox.fedex.com"
)

// maxBatch is FedEx's documented limit of trackingInfo entries per request.
const maxBatch = 30

const notFoundCode = "TRACKING.TRACKINGNUMBER.NOTFOUND"

// Config configures a Client.
type Config struct {
	// BaseURL is the host; empty means ProductionURL.
	BaseURL      string
	ClientID     string // API key
	ClientSecret string // secret key
	HTTPClient   *http.Client
	Now          func() time.Time
	// OnUnknownCode is called for every scan code missing from the status
	// table, so the app can count them (Prometheus) and extend the table.
	OnUnknownCode func(carrier, code string)
}

// Client tracks FedEx numbers. It is safe for concurrent use.
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
func (c *Client) Name() string { return "fedex" }

// MaxBatch is how many numbers FedEx accepts in one request: 30.
func (c *Client) MaxBatch() int { return maxBatch }

// Track returns a Result for every number FedEx answered, in the order given;
// longer lists are split into requests of MaxBatch. See the package doc for
// numbers FedEx rejects.
func (c *Client) Track(ctx context.Context, numbers []string) ([]tracking.Result, error) {
	return carrierhttp.TrackBatches(ctx, c.Name(), numbers, maxBatch, c.track)
}

func (c *Client) fetchToken(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.cfg.ClientID},
		"client_secret": {c.cfg.ClientSecret},
	}
	req, err := carrierhttp.NewFormRequest(ctx, c.cfg.BaseURL+"/oauth/token", form)
	if err != nil {
		return "", 0, fmt.Errorf("fedex: %w", err)
	}
	tok, ttl, err := carrierhttp.FetchToken(c.cfg.HTTPClient, req, c.cfg.Now())
	if err != nil {
		return "", 0, fmt.Errorf("fedex: %w", err)
	}
	return tok, ttl, nil
}

type trackRequest struct {
	IncludeDetailedScans bool        `json:"includeDetailedScans"`
	TrackingInfo         []trackInfo `json:"trackingInfo"`
}

type trackInfo struct {
	TrackingNumberInfo struct {
		TrackingNumber string `json:"trackingNumber"`
	} `json:"trackingNumberInfo"`
}

func (c *Client) track(ctx context.Context, numbers []string) ([]tracking.Result, []error, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, nil, err
	}
	body := trackRequest{IncludeDetailedScans: true}
	for _, n := range numbers {
		var info trackInfo
		info.TrackingNumberInfo.TrackingNumber = n
		body.TrackingInfo = append(body.TrackingInfo, info)
	}
	req, err := carrierhttp.NewJSONRequest(ctx, http.MethodPost, c.cfg.BaseURL+"/track/v1/trackingnumbers", body)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-locale", "en_US")
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return nil, nil, err
	}
	if err := c.tokens.StatusError(resp, c.cfg.Now(), errorDetail); err != nil {
		return nil, nil, err
	}
	var tr trackResponse
	if err := json.Unmarshal(resp.Body, &tr); err != nil {
		return nil, nil, fmt.Errorf("decode: %w", err)
	}
	byNumber := make(map[string]completeResult, len(tr.Output.CompleteTrackResults))
	for _, r := range tr.Output.CompleteTrackResults {
		byNumber[r.TrackingNumber] = r
	}
	var out []tracking.Result
	var rejected []error
	for _, n := range numbers {
		cr, ok := byNumber[n]
		if !ok {
			rejected = append(rejected, fmt.Errorf("fedex: track %s: %w", n, &carrierhttp.RejectedError{Status: resp.Status, Message: "number missing from response"}))
			continue
		}
		res, err := c.result(n, cr)
		if err != nil {
			rejected = append(rejected, fmt.Errorf("fedex: track %s: %w", n, err))
			continue
		}
		out = append(out, res)
	}
	return out, rejected, nil
}

func errorDetail(body []byte) (string, string) {
	var e struct {
		Errors []apiError `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return "", ""
	}
	return e.Errors[0].Code, e.Errors[0].Message
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type trackResponse struct {
	TransactionID string `json:"transactionId"`
	Output        struct {
		CompleteTrackResults []completeResult `json:"completeTrackResults"`
	} `json:"output"`
}

type completeResult struct {
	TrackingNumber string        `json:"trackingNumber"`
	TrackResults   []trackResult `json:"trackResults"`
}

type location struct {
	City                string `json:"city"`
	StateOrProvinceCode string `json:"stateOrProvinceCode"`
	PostalCode          string `json:"postalCode"`
	CountryCode         string `json:"countryCode"`
}

type trackResult struct {
	ServiceDetail struct {
		Description string `json:"description"`
	} `json:"serviceDetail"`
	ScanEvents []struct {
		Date                 string   `json:"date"`
		EventType            string   `json:"eventType"`
		EventDescription     string   `json:"eventDescription"`
		DerivedStatusCode    string   `json:"derivedStatusCode"`
		ExceptionDescription string   `json:"exceptionDescription"`
		ScanLocation         location `json:"scanLocation"`
	} `json:"scanEvents"`
	DateAndTimes []struct {
		Type     string `json:"type"`
		DateTime string `json:"dateTime"`
	} `json:"dateAndTimes"`
	EstimatedDeliveryTimeWindow struct {
		Window struct {
			Begins string `json:"begins"`
			Ends   string `json:"ends"`
		} `json:"window"`
	} `json:"estimatedDeliveryTimeWindow"`
	Error *apiError `json:"error"`
}

func (c *Client) result(number string, cr completeResult) (tracking.Result, error) {
	res := tracking.Result{Number: number, Carrier: c.Name()}
	var best *trackResult
	var bestTime time.Time
	var firstErr *apiError
	for i := range cr.TrackResults {
		tr := &cr.TrackResults[i]
		if tr.Error != nil && tr.Error.Code != "" {
			if firstErr == nil {
				firstErr = tr.Error
			}
			continue
		}
		latest := latestScan(*tr)
		if best == nil || latest.After(bestTime) {
			best, bestTime = tr, latest
		}
	}
	if best == nil {
		if firstErr == nil || firstErr.Code == notFoundCode {
			res.NotFound = true
			return res, nil
		}
		return res, &carrierhttp.RejectedError{Status: http.StatusOK, Code: firstErr.Code, Message: firstErr.Message}
	}
	res.Service = best.ServiceDetail.Description
	res.Promised = promised(*best)

	scans := slices.Clone(best.ScanEvents)
	slices.Reverse(scans) // FedEx lists newest first
	type timed struct {
		i int
		t time.Time
	}
	order := make([]timed, len(scans))
	for i, s := range scans {
		order[i] = timed{i, carrierhttp.ParseTime(s.Date)}
	}
	slices.SortStableFunc(order, func(a, b timed) int { return a.t.Compare(b.t) })

	var last tracking.Stage
	for _, o := range order {
		s := scans[o.i]
		code := s.EventType
		key := strings.ToUpper(code)
		m, ok := statusTable[key]
		if !ok && s.DerivedStatusCode != "" {
			key = strings.ToUpper(s.DerivedStatusCode)
			m, ok = statusTable[key]
		}
		if !ok {
			m = mapping{Stage: carrierhttp.SafeStage(last)}
			if c.cfg.OnUnknownCode != nil {
				c.cfg.OnUnknownCode(c.Name(), code)
			}
		}
		last = m.Stage
		desc := s.EventDescription
		if s.ExceptionDescription != "" {
			desc += ": " + s.ExceptionDescription
		}
		l := s.ScanLocation
		res.Events = append(res.Events, tracking.Event{
			Time: o.t, Stage: m.Stage, Problem: m.Problem, Movement: movements[key], Code: code, Description: desc,
			Location: tracking.Location{City: l.City, Region: l.StateOrProvinceCode, PostalCode: l.PostalCode, Country: l.CountryCode},
		})
	}
	return res, nil
}

func latestScan(tr trackResult) time.Time {
	var latest time.Time
	for _, s := range tr.ScanEvents {
		if t := carrierhttp.ParseTime(s.Date); t.After(latest) {
			latest = t
		}
	}
	return latest
}

// promised prefers the estimated window, then the single-date estimates in
// order of how firm they are: an appointment, the commitment, the estimate.
func promised(tr trackResult) tracking.Window {
	w := tr.EstimatedDeliveryTimeWindow.Window
	if w.Begins != "" || w.Ends != "" {
		out := tracking.Window{Earliest: carrierhttp.ParseTime(w.Begins), Latest: carrierhttp.ParseTime(w.Ends)}
		if out.Earliest.IsZero() {
			out.Earliest = out.Latest
		}
		if out.Latest.IsZero() {
			out.Latest = out.Earliest
		}
		return out
	}
	for _, typ := range []string{"APPOINTMENT_DELIVERY", "COMMITMENT", "ESTIMATED_DELIVERY"} {
		for _, d := range tr.DateAndTimes {
			if d.Type == typ {
				if t := carrierhttp.ParseTime(d.DateTime); !t.IsZero() {
					return tracking.Window{Earliest: t, Latest: t}
				}
			}
		}
	}
	return tracking.Window{}
}
