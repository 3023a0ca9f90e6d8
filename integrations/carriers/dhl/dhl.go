// Package dhl tracks shipments of every DHL division with the Shipment
// Tracking – Unified API: GET /track/shipments?trackingNumber=…, authenticated
// by the DHL-API-Key header, one number per call.
//
// Not found: DHL answers an unknown number (or one not yet visible, which takes
// 10–30 minutes after label creation) with an RFC 7807 problem and HTTP 404;
// that becomes Result{NotFound: true}.
//
// Stages: DHL exposes only five status codes plus a shipment-level returnFlag,
// and DHL Express events carry no statusCode at all. An event's wording (in
// the languages the API answers in) refines its code or, without one, decides
// alone and names the event's code, so that two events in the same minute
// and place stay distinct (see wordRules). The shipment-level status counts
// when it is ahead of the events. With returnFlag, events from the first
// failure onward (or only the latest event, when DHL reports no failure) are
// read as the return leg. DHL Express reuses waybill numbers: events more
// than 90 days before the next belong to an earlier use and are dropped.
//
// Times: timestamps with an offset are converted to UTC; DHL often sends local
// times without one, which are kept as UTC wall-clock values.
//
// Multi-piece: DHL tracks the shipment as a whole; a query by shipment or
// piece number returns the shipment's events, and the piece count and ids are
// in details (not carried into the Result). When DHL returns several
// shipments for one number (different divisions), the one whose id equals the
// number is used; set Config.Service to pick a division explicitly.
package dhl

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// ProductionURL is DHL's API host; DHL has no separate test environment.
const ProductionURL = "https://api-eu.dhl.com"

// Config configures a Client.
type Config struct {
	// BaseURL is the host; empty means ProductionURL.
	BaseURL string
	APIKey  string
	// Service optionally restricts the lookup to one DHL division ("express",
	// "parcel-de", "ecommerce", "freight", …). Without it DHL may match a
	// different shipment with the same id.
	Service    string
	HTTPClient *http.Client
	Now        func() time.Time
	// OnUnknownCode is called for every status code missing from the status
	// table, so the app can count them (Prometheus) and extend the table.
	OnUnknownCode func(carrier, code string)
}

// Client tracks DHL numbers. It is safe for concurrent use.
type Client struct{ cfg Config }

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg.BaseURL = carrierhttp.BaseURL(cfg.BaseURL, ProductionURL)
	cfg.HTTPClient = carrierhttp.Client(cfg.HTTPClient)
	cfg.Now = carrierhttp.Clock(cfg.Now)
	return &Client{cfg: cfg}
}

// Name is the carrier's name in ordertrack.
func (c *Client) Name() string { return "dhl" }

// MaxBatch is how many numbers one DHL request carries: one.
func (c *Client) MaxBatch() int { return 1 }

// Track fetches each number in turn and returns one Result per number, in
// order. It stops at the first error; results fetched before it are returned.
func (c *Client) Track(ctx context.Context, numbers []string) ([]tracking.Result, error) {
	return carrierhttp.TrackEach(ctx, c.Name(), numbers, c.track)
}

func (c *Client) track(ctx context.Context, number string) (tracking.Result, error) {
	q := url.Values{"trackingNumber": {number}}
	if c.cfg.Service != "" {
		q.Set("service", c.cfg.Service)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.BaseURL+"/track/shipments?"+q.Encode(), nil)
	if err != nil {
		return tracking.Result{}, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("DHL-API-Key", c.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return tracking.Result{}, err
	}
	if resp.Status == http.StatusNotFound {
		return tracking.Result{Number: number, Carrier: c.Name(), NotFound: true}, nil
	}
	if err := carrierhttp.StatusError(resp, c.cfg.Now(), problemDetail); err != nil {
		return tracking.Result{}, err
	}
	var body response
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return tracking.Result{}, fmt.Errorf("decode: %w", err)
	}
	return c.result(number, body), nil
}

// problemDetail reads DHL's RFC 7807 problem body.
func problemDetail(body []byte) (string, string) {
	var p struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &p) != nil {
		return "", ""
	}
	return p.Title, p.Detail
}

type response struct {
	Shipments []shipment `json:"shipments"`
}

type shipment struct {
	ID                         string `json:"id"`
	Service                    string `json:"service"`
	ReturnFlag                 bool   `json:"returnFlag"`
	Status                     event  `json:"status"`
	EstimatedTimeOfDelivery    string `json:"estimatedTimeOfDelivery"`
	EstimatedDeliveryTimeFrame struct {
		EstimatedFrom    string `json:"estimatedFrom"`
		EstimatedThrough string `json:"estimatedThrough"`
	} `json:"estimatedDeliveryTimeFrame"`
	Details struct {
		Product struct {
			ProductName string `json:"productName"`
		} `json:"product"`
	} `json:"details"`
	Events []event `json:"events"`
}

type event struct {
	Timestamp string `json:"timestamp"`
	Location  struct {
		Address struct {
			CountryCode     string `json:"countryCode"`
			PostalCode      string `json:"postalCode"`
			AddressLocality string `json:"addressLocality"`
		} `json:"address"`
	} `json:"location"`
	StatusCode  string `json:"statusCode"`
	Status      string `json:"status"`
	Description string `json:"description"`
}

func (c *Client) result(number string, body response) tracking.Result {
	res := tracking.Result{Number: number, Carrier: c.Name()}
	if len(body.Shipments) == 0 {
		res.NotFound = true
		return res
	}
	s := body.Shipments[0]
	for _, cand := range body.Shipments {
		if cand.ID == number {
			s = cand
			break
		}
	}
	res.Service = s.Details.Product.ProductName
	if res.Service == "" {
		res.Service = s.Service
	}
	res.Promised = promised(s)

	evs := slices.Clone(s.Events)
	slices.Reverse(evs) // DHL lists newest first
	type timed struct {
		e event
		t time.Time
	}
	order := make([]timed, len(evs))
	for i, e := range evs {
		order[i] = timed{e, carrierhttp.ParseTime(e.Timestamp)}
	}
	slices.SortStableFunc(order, func(a, b timed) int { return a.t.Compare(b.t) })
	// DHL Express reuses waybill numbers: events from an earlier use of the
	// number sit months before the rest; keep only the latest use.
	for i := len(order) - 1; i > 0; i-- {
		if order[i].t.Sub(order[i-1].t) > reuseGap {
			order = order[i:]
			break
		}
	}

	returnFrom := len(order) // index of the first event on the return leg
	if s.ReturnFlag {
		returnFrom = len(order) - 1
		for i, o := range order {
			if o.e.StatusCode == "failure" {
				returnFrom = i
				break
			}
		}
	}
	var last tracking.Stage
	for i, o := range order {
		e := o.e
		ev := c.event(e, o.t, i >= returnFrom, last)
		last = ev.Stage
		res.Events = append(res.Events, ev)
	}
	if s.Status.StatusCode != "" || s.Status.Description != "" || s.Status.Status != "" {
		st := c.event(s.Status, carrierhttp.ParseTime(s.Status.Timestamp), s.ReturnFlag, last)
		res.Events = carrierhttp.WithSummary(res.Events, st)
	}
	return res
}

// event normalizes one DHL event; onReturn says it belongs to the return leg
// of a shipment with returnFlag. A statusCode is looked up in the status
// table and refined by the wording (see refines); without one (DHL Express)
// the wording alone decides and names the event's code.
func (c *Client) event(e event, t time.Time, onReturn bool, last tracking.Stage) tracking.Event {
	desc := e.Description
	if desc == "" {
		desc = e.Status
	}
	code := e.StatusCode
	w, worded := readWords(desc)
	if !worded && e.Status != desc {
		w, worded = readWords(e.Status)
	}
	var m mapping
	var ok bool
	movement := tracking.MovementNone
	switch {
	case code == "" && worded:
		m, ok, code, movement = w.Map, true, w.Key, w.Movement
		if onReturn {
			m = returnLeg(m)
		}
	case onReturn:
		m, ok = statusTable["return:"+code]
	default:
		m, ok = statusTable[code]
		if ok && worded && refines(code, w) {
			m, movement = w.Map, w.Movement
		}
	}
	if !ok {
		m = mapping{Stage: carrierhttp.SafeStage(last)}
		if c.cfg.OnUnknownCode != nil {
			unknown := code
			if unknown == "" {
				unknown = "text:" + desc
			}
			c.cfg.OnUnknownCode(c.Name(), unknown)
		}
	}
	if movement == tracking.MovementNone {
		movement = tracking.MovementOf(m.Stage, m.Problem, desc)
	}
	a := e.Location.Address
	return tracking.Event{
		Time: t, Stage: m.Stage, Problem: m.Problem, Movement: movement, Code: code, Description: desc,
		Location: tracking.Location{City: a.AddressLocality, PostalCode: a.PostalCode, Country: a.CountryCode},
	}
}

// returnLeg reads a worded event on a returning shipment: delivered means
// delivered back to the sender, anything else is on the way back.
func returnLeg(m mapping) mapping {
	if m.Stage == tracking.StageDelivered {
		return mapping{tracking.StageReturned, tracking.ProblemNone}
	}
	return mapping{tracking.StageReturning, m.Problem}
}

// reuseGap is a silence no single shipment has: DHL keeps tracking for about
// 90 days, so events further apart belong to two uses of one number.
const reuseGap = 90 * 24 * time.Hour

func promised(s shipment) tracking.Window {
	f := s.EstimatedDeliveryTimeFrame
	if from, through := carrierhttp.ParseTime(f.EstimatedFrom), carrierhttp.ParseTime(f.EstimatedThrough); !from.IsZero() || !through.IsZero() {
		if from.IsZero() {
			from = through
		}
		if through.IsZero() {
			through = from
		}
		return tracking.Window{Earliest: from, Latest: through}
	}
	if t := carrierhttp.ParseTime(s.EstimatedTimeOfDelivery); !t.IsZero() {
		return tracking.Window{Earliest: t, Latest: t}
	}
	return tracking.Window{}
}
