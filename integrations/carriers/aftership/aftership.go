// Package aftership tracks parcels of any carrier through the AfterShip
// Tracking API (version 2024-04, header as-api-key).
//
// Why AfterShip as the aggregator: of the three candidates in our carrier
// research it is the best documented — all 9 delivery statuses and their
// sub-statuses are published (17TRACK's sub-statuses were only seen in
// third-party clients, EasyPost's status_detail list is incomplete), its
// official Go SDK (MIT) pins the request and response shapes, it batches up to
// 50 numbers per lookup, publishes its rate limits, and gives a carrier or
// AI estimated delivery window per tracking.
//
// AfterShip tracks only numbers registered with it. Track lists the requested
// numbers (GET /trackings?tracking_numbers=…), registers any AfterShip does not
// have yet (POST /trackings; the courier is auto-detected unless Config.Slug
// is set) and reports those as Result{NotFound: true}, as it does numbers
// whose tracking has no checkpoint yet. A registration AfterShip refuses (an
// undetectable or invalid number) rejects just that number: Track returns the
// other results together with a *carrierhttp.RejectedError per refused number
// (joined).
//
// Times: checkpoint_time is in the checkpoint's own zone and may lack an
// offset; times with an offset are converted to UTC, the others are kept as
// UTC wall-clock values, as are date-only estimates.
//
// Multi-piece: AfterShip tracks each number on its own (shipment_package_count
// is informational). When one number is registered under several couriers,
// the tracking for Config.Slug is used, else the first AfterShip lists.
package aftership

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// ProductionURL is the Tracking API root for the version this package speaks.
const ProductionURL = "https://api.aftership.com/tracking/2024-04"

// maxBatch is AfterShip's limit on tracking_numbers per list request.
const maxBatch = 50

// retention is how far back AfterShip keeps trackings. The list endpoint
// defaults to the last 30 days, which would hide older shipments still in
// transit, so every lookup asks for the whole retention period.
const retention = 120 * 24 * time.Hour

// alreadyExists is AfterShip's meta.code for registering a number twice.
const alreadyExists = 4003

// Config configures a Client.
type Config struct {
	// BaseURL is the versioned API root; empty means ProductionURL.
	BaseURL string
	APIKey  string
	// Slug optionally fixes the courier (AfterShip's code, e.g. "ups") for
	// registration and for choosing among trackings of the same number.
	Slug       string
	HTTPClient *http.Client
	Now        func() time.Time
	// OnUnknownCode is called for every tag or subtag missing from the status
	// table, so the app can count them (Prometheus) and extend the table.
	OnUnknownCode func(carrier, code string)
}

// Client tracks numbers through AfterShip. It is safe for concurrent use.
type Client struct{ cfg Config }

// New returns a Client for cfg.
func New(cfg Config) *Client {
	cfg.BaseURL = carrierhttp.BaseURL(cfg.BaseURL, ProductionURL)
	cfg.HTTPClient = carrierhttp.Client(cfg.HTTPClient)
	cfg.Now = carrierhttp.Clock(cfg.Now)
	return &Client{cfg: cfg}
}

// Name is the aggregator's name in ordertrack.
func (c *Client) Name() string { return "aftership" }

// MaxBatch is how many numbers one AfterShip lookup carries: 50.
func (c *Client) MaxBatch() int { return maxBatch }

// Track returns a Result for every number AfterShip answered, in the order
// given; longer lists are split into lookups of MaxBatch. See the package doc
// for numbers AfterShip does not know yet or refuses.
func (c *Client) Track(ctx context.Context, numbers []string) ([]tracking.Result, error) {
	return carrierhttp.TrackBatches(ctx, c.Name(), numbers, maxBatch, c.track)
}

func (c *Client) track(ctx context.Context, numbers []string) ([]tracking.Result, []error, error) {
	q := url.Values{
		"tracking_numbers": {strings.Join(numbers, ",")},
		"created_at_min":   {c.cfg.Now().Add(-retention).UTC().Format(time.RFC3339)},
		"limit":            {"200"},
	}
	if c.cfg.Slug != "" {
		q.Set("slug", c.cfg.Slug)
	}
	resp, err := c.do(ctx, http.MethodGet, "/trackings?"+q.Encode(), nil)
	if err != nil {
		return nil, nil, err
	}
	if err := carrierhttp.StatusError(resp, c.cfg.Now(), metaDetail); err != nil {
		return nil, nil, err
	}
	var body struct {
		Data struct {
			Trackings []trackingObj `json:"trackings"`
		} `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return nil, nil, fmt.Errorf("decode: %w", err)
	}
	byNumber := map[string]trackingObj{}
	for _, t := range body.Data.Trackings {
		prev, seen := byNumber[t.TrackingNumber]
		if !seen || (c.cfg.Slug != "" && prev.Slug != c.cfg.Slug && t.Slug == c.cfg.Slug) {
			byNumber[t.TrackingNumber] = t
		}
	}
	var out []tracking.Result
	var rejected []error
	for _, n := range numbers {
		t, ok := byNumber[n]
		if ok {
			out = append(out, c.result(n, t))
			continue
		}
		if err := c.register(ctx, n); err != nil {
			var rej *carrierhttp.RejectedError
			if !errors.As(err, &rej) {
				return out, rejected, err
			}
			rejected = append(rejected, fmt.Errorf("aftership: register %s: %w", n, err))
			continue
		}
		out = append(out, tracking.Result{Number: n, Carrier: c.Name(), NotFound: true})
	}
	return out, rejected, nil
}

// register asks AfterShip to start tracking number. A number registered
// meanwhile (by a concurrent poll or the merchant) is not an error.
func (c *Client) register(ctx context.Context, number string) error {
	payload, err := json.Marshal(map[string]string{"tracking_number": number, "slug": c.cfg.Slug})
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	resp, err := c.do(ctx, http.MethodPost, "/trackings", payload)
	if err != nil {
		return err
	}
	if resp.Status == http.StatusBadRequest && metaCode(resp.Body) == alreadyExists {
		return nil
	}
	return carrierhttp.StatusError(resp, c.cfg.Now(), metaDetail)
}

func (c *Client) do(ctx context.Context, method, path string, body []byte) (*carrierhttp.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("as-api-key", c.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return carrierhttp.Send(c.cfg.HTTPClient, req)
}

type meta struct {
	Meta struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Type    string `json:"type"`
	} `json:"meta"`
}

func metaCode(body []byte) int {
	var m meta
	if json.Unmarshal(body, &m) != nil {
		return 0
	}
	return m.Meta.Code
}

// metaDetail reads AfterShip's {"meta": {"code", "message", "type"}} envelope.
func metaDetail(body []byte) (string, string) {
	var m meta
	if json.Unmarshal(body, &m) != nil || m.Meta.Code == 0 {
		return "", ""
	}
	return fmt.Sprint(m.Meta.Code), m.Meta.Message
}

type estimate struct {
	Type        string `json:"type"`
	Datetime    string `json:"datetime"`
	DatetimeMin string `json:"datetime_min"`
	DatetimeMax string `json:"datetime_max"`
}

type trackingObj struct {
	TrackingNumber          string       `json:"tracking_number"`
	Slug                    string       `json:"slug"`
	Tag                     string       `json:"tag"`
	Subtag                  string       `json:"subtag"`
	SubtagMessage           string       `json:"subtag_message"`
	ShipmentDeliveryDate    string       `json:"shipment_delivery_date"`
	CreatedAt               string       `json:"created_at"`
	ShipmentType            string       `json:"shipment_type"`
	ExpectedDelivery        string       `json:"expected_delivery"`
	LatestEstimatedDelivery *estimate    `json:"latest_estimated_delivery"`
	Checkpoints             []checkpoint `json:"checkpoints"`
}

type checkpoint struct {
	CheckpointTime string `json:"checkpoint_time"`
	Location       string `json:"location"`
	City           string `json:"city"`
	State          string `json:"state"`
	Zip            string `json:"zip"`
	CountryISO3    string `json:"country_iso3"`
	Message        string `json:"message"`
	Tag            string `json:"tag"`
	Subtag         string `json:"subtag"`
}

func (c *Client) result(number string, t trackingObj) tracking.Result {
	res := tracking.Result{Number: number, Carrier: c.Name(), Service: t.ShipmentType}
	if len(t.Checkpoints) == 0 && (t.Tag == "" || t.Tag == "Pending" || t.Tag == "Expired") {
		res.NotFound = true
		return res
	}
	res.Promised = promised(t)

	type timed struct {
		cp checkpoint
		t  time.Time
	}
	// AfterShip lists checkpoints oldest first; sort anyway, stably, because
	// carriers backfill late scans.
	order := make([]timed, len(t.Checkpoints))
	for i, cp := range t.Checkpoints {
		order[i] = timed{cp, carrierhttp.ParseTime(cp.CheckpointTime)}
	}
	slices.SortStableFunc(order, func(a, b timed) int { return a.t.Compare(b.t) })

	var last tracking.Stage
	for _, o := range order {
		cp := o.cp
		m, ok := statusTable[cp.Subtag]
		code := cp.Subtag
		if !ok {
			m, ok = statusTable[cp.Tag]
			if cp.Subtag == "" {
				code = cp.Tag
			}
		}
		if !ok {
			m = mapping{Stage: carrierhttp.SafeStage(last)}
			if c.cfg.OnUnknownCode != nil {
				c.cfg.OnUnknownCode(c.Name(), code)
			}
		}
		last = m.Stage
		city := cp.City
		if city == "" {
			city = cp.Location
		}
		res.Events = append(res.Events, tracking.Event{
			Time: o.t, Stage: m.Stage, Problem: m.Problem, Movement: movements[cp.Subtag], Code: code, Description: cp.Message,
			Location: tracking.Location{City: city, Region: cp.State, PostalCode: cp.Zip, Country: alpha2(cp.CountryISO3)},
		})
	}
	if sum, ok := c.summary(t); ok {
		res.Events = carrierhttp.WithSummary(res.Events, sum)
	}
	return res
}

// summary is the tracking-level tag and subtag as an event, for when they
// are ahead of the checkpoints (AfterShip moves the tag on a carrier's
// summary before, or without, a matching checkpoint). Its time must not move
// between fetches, or every poll would store it again: the delivery date for
// a delivered tracking, else the last checkpoint's (see
// carrierhttp.WithSummary), else when the tracking was created.
func (c *Client) summary(t trackingObj) (tracking.Event, bool) {
	code := t.Subtag
	m, ok := statusTable[code]
	if !ok {
		code = t.Tag
		m, ok = statusTable[code]
	}
	if !ok || t.Tag == "Pending" || t.Tag == "Expired" {
		return tracking.Event{}, false
	}
	var at time.Time
	if m.Stage == tracking.StageDelivered {
		at = carrierhttp.ParseTime(t.ShipmentDeliveryDate)
	}
	if at.IsZero() && len(t.Checkpoints) == 0 {
		at = carrierhttp.ParseTime(t.CreatedAt)
	}
	desc := t.SubtagMessage
	if desc == "" {
		desc = t.Tag
	}
	return tracking.Event{Time: at, Stage: m.Stage, Problem: m.Problem, Movement: movements[t.Subtag], Code: code, Description: desc}, true
}

// alpha2 turns AfterShip's ISO 3166-1 alpha-3 country into the alpha-2 code
// tracking.Location uses; an unrecognised value is dropped.
func alpha2(iso3 string) string {
	if iso3 == "" {
		return ""
	}
	r, err := language.ParseRegion(iso3)
	if err != nil {
		return ""
	}
	return r.String()
}

// promised reads the latest estimate (carrier's, AfterShip's AI or custom),
// falling back to the older expected_delivery field.
func promised(t trackingObj) tracking.Window {
	if e := t.LatestEstimatedDelivery; e != nil {
		lo, hi := carrierhttp.ParseTime(e.DatetimeMin), carrierhttp.ParseTime(e.DatetimeMax)
		if e.Type == "range" && !lo.IsZero() && !hi.IsZero() {
			return tracking.Window{Earliest: lo, Latest: hi}
		}
		if d := carrierhttp.ParseTime(e.Datetime); !d.IsZero() {
			return tracking.Window{Earliest: d, Latest: d}
		}
	}
	if d := carrierhttp.ParseTime(t.ExpectedDelivery); !d.IsZero() {
		return tracking.Window{Earliest: d, Latest: d}
	}
	return tracking.Window{}
}
