package ups

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/carrierhttp"
)

// Track Alert (UPS's push API, "UPSTrackAlert.yaml"): a subscription takes
// up to 100 1Z numbers and a callback URL with a credential of ours, which
// UPS echoes in the credential header of every event it posts; it lasts 14
// days, cannot be cancelled, and UPS keeps no history, so an event sent
// while we are down is lost (the safety-net polls find it).
const (
	PushHeader       = "credential"
	SubscribeBatch   = 100
	SubscriptionLife = 14 * 24 * time.Hour
)

// ErrMalformedPush is a push body that is not a Track Alert event.
var ErrMalformedPush = errors.New("malformed ups track alert event")

// VerifyPush reports whether h echoes credential, in constant time; an
// empty credential verifies nothing.
func VerifyPush(credential string, h http.Header) bool {
	got := h.Get(PushHeader)
	return credential != "" && subtle.ConstantTimeCompare([]byte(got), []byte(credential)) == 1
}

// Subscribe asks UPS to push the news of numbers to hook for 14 days. It
// returns the numbers UPS accepted and those it refused.
func (c *Client) Subscribe(ctx context.Context, numbers []string, hook tracking.PushHook) ([]tracking.Subscription, []string, error) {
	if len(numbers) > SubscribeBatch {
		return nil, nil, fmt.Errorf("ups: subscribe %d numbers: at most %d a request", len(numbers), SubscribeBatch)
	}
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, nil, err
	}
	var body struct {
		Locale             string   `json:"locale"`
		CountryCode        string   `json:"countryCode"`
		TrackingNumberList []string `json:"trackingNumberList"`
		Destination        struct {
			URL            string `json:"url"`
			CredentialType string `json:"credentialType"`
			Credential     string `json:"credential"`
		} `json:"destination"`
	}
	body.Locale, body.CountryCode, body.TrackingNumberList = "en_US", "US", numbers
	body.Destination.URL, body.Destination.CredentialType, body.Destination.Credential = hook.URL, "Bearer", hook.Secret
	req, err := carrierhttp.NewJSONRequest(ctx, http.MethodPost, c.cfg.BaseURL+"/api/track/v1/subscription/standard/package", body)
	if err != nil {
		return nil, nil, fmt.Errorf("ups: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("transId", transID())
	req.Header.Set("transactionSrc", c.cfg.TransactionSrc)
	resp, err := carrierhttp.Send(c.cfg.HTTPClient, req)
	if err != nil {
		return nil, nil, err
	}
	if err := c.tokens.StatusError(resp, c.cfg.Now(), errorDetail); err != nil {
		return nil, nil, fmt.Errorf("ups: subscribe: %w", err)
	}
	var out struct {
		Valid   []string `json:"validTrackingNumbers"`
		Invalid []string `json:"invalidTrackingNumbers"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		return nil, nil, fmt.Errorf("ups: subscribe: decode: %w", err)
	}
	expires := c.cfg.Now().UTC().Add(SubscriptionLife)
	subs := make([]tracking.Subscription, 0, len(out.Valid))
	for _, n := range out.Valid {
		subs = append(subs, tracking.Subscription{Number: strings.TrimSpace(n), Expires: expires})
	}
	return subs, out.Invalid, nil
}

// pushEvent is one Track Alert event: a flat object, not the Track API's
// trackResponse.
type pushEvent struct {
	TrackingNumber    string `json:"trackingNumber"`
	LocalActivityDate string `json:"localActivityDate"`
	LocalActivityTime string `json:"localActivityTime"`
	GMTActivityDate   string `json:"gmtActivityDate"`
	GMTActivityTime   string `json:"gmtActivityTime"`
	ActivityLocation  struct {
		City          string `json:"city"`
		StateProvince string `json:"stateProvince"`
		PostalCode    string `json:"postalCode"`
		Country       string `json:"country"`
	} `json:"activityLocation"`
	ActivityStatus struct {
		Type            string `json:"type"`
		Code            string `json:"code"`
		Description     string `json:"description"`
		DescriptionCode string `json:"descriptionCode"`
	} `json:"activityStatus"`
	ScheduledDeliveryDate string `json:"scheduledDeliveryDate"`
}

// ParsePush decodes a Track Alert event into the Result Track would give
// for that one activity, so pushed and polled news merge alike.
func (c *Client) ParsePush(body []byte) ([]tracking.Result, error) {
	var e pushEvent
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedPush, err)
	}
	number := strings.TrimSpace(e.TrackingNumber)
	if number == "" || e.ActivityStatus.Type == "" && e.ActivityStatus.Code == "" {
		return nil, fmt.Errorf("%w: no tracking number or status", ErrMalformedPush)
	}
	var a activity
	a.Location.Address.City = e.ActivityLocation.City
	a.Location.Address.StateProvince = e.ActivityLocation.StateProvince
	a.Location.Address.PostalCode = e.ActivityLocation.PostalCode
	a.Location.Address.CountryCode = e.ActivityLocation.Country
	// descriptionCode is the Track API's 3-digit status code: read first, it
	// tells a departure ("DP", 005) from a manifest code.
	a.Status = activityStatus{Type: e.ActivityStatus.Type, Code: e.ActivityStatus.Code, StatusCode: e.ActivityStatus.DescriptionCode, Description: e.ActivityStatus.Description}
	a.Date, a.Time, a.GMTDate, a.GMTTime = e.LocalActivityDate, e.LocalActivityTime, e.GMTActivityDate, e.GMTActivityTime
	p := pkg{TrackingNumber: number, Activity: []activity{a}}
	if e.ScheduledDeliveryDate != "" {
		p.DeliveryDate = append(p.DeliveryDate, struct {
			Type string `json:"type"`
			Date string `json:"date"`
		}{Type: "SDD", Date: e.ScheduledDeliveryDate})
	}
	var tr trackResponse
	tr.TrackResponse.Shipment = append(tr.TrackResponse.Shipment, struct {
		InquiryNumber string    `json:"inquiryNumber"`
		Package       []pkg     `json:"package"`
		Warnings      []codeMsg `json:"warnings"`
	}{InquiryNumber: number, Package: []pkg{p}})
	return []tracking.Result{c.result(number, tr)}, nil
}
