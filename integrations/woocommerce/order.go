package woocommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/integrations/nulfree"
)

// TrackingMetaKey is the order meta where both the official Shipment Tracking
// extension and Advanced Shipment Tracking (AST) keep tracking numbers.
const TrackingMetaKey = "_wc_shipment_tracking_items"

// ErrMalformedPayload means a body was not the JSON shape WooCommerce sends.
var ErrMalformedPayload = errors.New("malformed WooCommerce payload")

// Order is a WooCommerce order reduced to what ordertrack needs. Money stays
// in WooCommerce's decimal strings so nothing is lost to floats.
type Order struct {
	ID                 int64
	Number             string // the shopper-facing order number (may differ from ID)
	Key                string // order_key, used by WooCommerce's guest order links
	Status             string // pending, processing, on-hold, completed, ...
	DateCreated        time.Time
	DateModified       time.Time // UTC; reconcile and dedupe on this
	Currency           string
	Total              string
	PaymentMethod      string // gateway id as WooCommerce stores it, e.g. "cod", "stripe"
	PaymentMethodTitle string
	// COD is true when the order is cash on delivery (gateway "cod").
	COD           bool
	CustomerID    int64
	CustomerNote  string
	Billing       Address
	Shipping      Address
	LineItems     []LineItem
	ShippingLines []ShippingLine
	// Tracking holds every tracking number found on the order: Shipment
	// Tracking / AST meta first, then core fulfillments, deduplicated.
	Tracking []TrackingItem
	// Consent is what the shopper agreed to at checkout (the plugin's
	// boxes); nil when they ticked none.
	Consent *CheckoutConsent
}

// Address is a billing or shipping address. Email is only set on billing.
type Address struct {
	FirstName string
	LastName  string
	Company   string
	Address1  string
	Address2  string
	City      string
	State     string
	Postcode  string
	Country   string // ISO 3166-1 alpha-2
	Email     string
	Phone     string
}

// LineItem is one product line of an order.
type LineItem struct {
	ID          int64
	Name        string
	ProductID   int64
	VariationID int64
	SKU         string
	Quantity    int
	Total       string
}

// ShippingLine is a shipping method chosen at checkout.
type ShippingLine struct {
	MethodID    string
	MethodTitle string
	Total       string
}

// Tracking sources.
const (
	SourceShipmentTracking = "shipment_tracking" // _wc_shipment_tracking_items meta (Shipment Tracking, AST)
	SourceFulfillment      = "fulfillment"       // WooCommerce core order fulfillments
)

// TrackingItem is one tracking number attached to an order.
type TrackingItem struct {
	// Provider is the carrier as the store names it: a provider slug ("usps",
	// "dhl-express") or, for custom providers, the merchant's free text.
	Provider string
	// ProviderName is a display name when the source has one.
	ProviderName string
	Number       string
	URL          string    // the store's tracking link, if any
	DateShipped  time.Time // UTC; zero when unknown
	ID           string    // tracking_id or fulfillment id, for dedupe
	Source       string
	// Return marks a row the merchant flagged as a return coming back
	// (ReturnFlag set truthy on the row).
	Return bool
}

// ReturnFlag is the tracking row field that marks a row as the shopper's
// return rather than a parcel to them.
const ReturnFlag = "ordertrack_return"

// wire types: the REST v3 order as WooCommerce serializes it.
type wireOrder struct {
	ID                 json.RawMessage `json:"id"`
	Number             json.RawMessage `json:"number"`
	OrderKey           string          `json:"order_key"`
	Status             string          `json:"status"`
	Currency           string          `json:"currency"`
	DateCreated        *string         `json:"date_created"`
	DateCreatedGMT     *string         `json:"date_created_gmt"`
	DateModified       *string         `json:"date_modified"`
	DateModifiedGMT    *string         `json:"date_modified_gmt"`
	Total              json.RawMessage `json:"total"`
	CustomerID         json.RawMessage `json:"customer_id"`
	CustomerNote       string          `json:"customer_note"`
	PaymentMethod      string          `json:"payment_method"`
	PaymentMethodTitle string          `json:"payment_method_title"`
	Billing            wireAddress     `json:"billing"`
	Shipping           wireAddress     `json:"shipping"`
	LineItems          []struct {
		ID          json.RawMessage `json:"id"`
		Name        string          `json:"name"`
		ProductID   json.RawMessage `json:"product_id"`
		VariationID json.RawMessage `json:"variation_id"`
		Quantity    json.RawMessage `json:"quantity"`
		SKU         json.RawMessage `json:"sku"`
		Total       json.RawMessage `json:"total"`
	} `json:"line_items"`
	ShippingLines []struct {
		MethodID    string          `json:"method_id"`
		MethodTitle string          `json:"method_title"`
		Total       json.RawMessage `json:"total"`
	} `json:"shipping_lines"`
	MetaData []wireMeta `json:"meta_data"`
	// Fulfillments is read when a store embeds core fulfillments in the order
	// (same shape as /orders/{id}/fulfillments); absent on stock WooCommerce.
	Fulfillments []wireFulfillment `json:"fulfillments"`
}

type wireAddress struct {
	FirstName string          `json:"first_name"`
	LastName  string          `json:"last_name"`
	Company   string          `json:"company"`
	Address1  string          `json:"address_1"`
	Address2  string          `json:"address_2"`
	City      string          `json:"city"`
	State     string          `json:"state"`
	Postcode  json.RawMessage `json:"postcode"`
	Country   string          `json:"country"`
	Email     string          `json:"email"`
	Phone     json.RawMessage `json:"phone"`
}

type wireMeta struct {
	ID    json.RawMessage `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// DecodeOrder decodes a REST v3 order: an order.created/order.updated webhook
// body or one element of GET /orders.
func DecodeOrder(body []byte) (Order, error) {
	var w wireOrder
	if err := nulfree.Unmarshal(body, &w); err != nil {
		return Order{}, fmt.Errorf("%w: decode order: %v", ErrMalformedPayload, err)
	}
	id, err := flexInt(w.ID)
	if err != nil || id <= 0 {
		return Order{}, fmt.Errorf("%w: order without a valid id", ErrMalformedPayload)
	}
	o, err := w.order(id)
	if err != nil {
		return Order{}, fmt.Errorf("%w: order %d: %v", ErrMalformedPayload, id, err)
	}
	return o, nil
}

func (w wireOrder) order(id int64) (Order, error) {
	o := Order{
		ID:                 id,
		Key:                w.OrderKey,
		Status:             w.Status,
		Currency:           w.Currency,
		CustomerNote:       w.CustomerNote,
		PaymentMethod:      w.PaymentMethod,
		PaymentMethodTitle: w.PaymentMethodTitle,
		COD:                w.PaymentMethod == "cod",
		Billing:            w.Billing.address(),
		Shipping:           w.Shipping.address(),
	}
	var err error
	if o.Number, err = flexString(w.Number); err != nil {
		return Order{}, fmt.Errorf("number: %w", err)
	}
	if o.Number == "" {
		o.Number = strconv.FormatInt(id, 10)
	}
	if o.Total, err = flexString(w.Total); err != nil {
		return Order{}, fmt.Errorf("total: %w", err)
	}
	if o.CustomerID, err = flexInt(w.CustomerID); err != nil {
		return Order{}, fmt.Errorf("customer_id: %w", err)
	}
	if o.DateCreated, err = restDate(w.DateCreatedGMT, w.DateCreated); err != nil {
		return Order{}, fmt.Errorf("date_created: %w", err)
	}
	if o.DateModified, err = restDate(w.DateModifiedGMT, w.DateModified); err != nil {
		return Order{}, fmt.Errorf("date_modified: %w", err)
	}
	for _, li := range w.LineItems {
		// WooCommerce sends names HTML-encoded ("Ship Your Idea &ndash; Color:
		// Black"): decode once, so pages and messages escape them once.
		item := LineItem{Name: html.UnescapeString(li.Name)}
		item.ID, _ = flexInt(li.ID)
		item.ProductID, _ = flexInt(li.ProductID)
		item.VariationID, _ = flexInt(li.VariationID)
		q, _ := flexInt(li.Quantity)
		item.Quantity = int(q)
		item.SKU, _ = flexString(li.SKU)
		item.Total, _ = flexString(li.Total)
		o.LineItems = append(o.LineItems, item)
	}
	for _, sl := range w.ShippingLines {
		total, _ := flexString(sl.Total)
		o.ShippingLines = append(o.ShippingLines, ShippingLine{MethodID: sl.MethodID, MethodTitle: sl.MethodTitle, Total: total})
	}
	for _, m := range w.MetaData {
		switch m.Key {
		case TrackingMetaKey:
			o.Tracking = append(o.Tracking, trackingFromMeta(m.Value)...)
		case ConsentMetaKey:
			o.Consent = consentFromMeta(m.Value)
		}
	}
	for _, wf := range w.Fulfillments {
		f, err := wf.fulfillment()
		if err != nil {
			return Order{}, fmt.Errorf("fulfillment: %w", err)
		}
		o.AddFulfillments([]Fulfillment{f})
	}
	return o, nil
}

func (a wireAddress) address() Address {
	postcode, _ := flexString(a.Postcode)
	phone, _ := flexString(a.Phone)
	return Address{
		FirstName: a.FirstName, LastName: a.LastName, Company: a.Company,
		Address1: a.Address1, Address2: a.Address2, City: a.City, State: a.State,
		Postcode: postcode, Country: a.Country, Email: a.Email, Phone: phone,
	}
}

// AddFulfillments appends the tracking numbers of core fulfillments that the
// order does not already carry (same number), so a store running both Shipment
// Tracking and core fulfillments does not produce duplicate shipments.
func (o *Order) AddFulfillments(fs []Fulfillment) {
	for _, f := range fs {
		t, ok := f.TrackingItem()
		if !ok || o.hasNumber(t.Number) {
			continue
		}
		o.Tracking = append(o.Tracking, t)
	}
}

func (o *Order) hasNumber(n string) bool {
	for _, t := range o.Tracking {
		if normalizeNumber(t.Number) == normalizeNumber(n) {
			return true
		}
	}
	return false
}

func normalizeNumber(n string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(n), " ", ""))
}

// wireTrackingItem covers the official Shipment Tracking item, AST's extra
// fields and AST's formatted/REST fields. Every field may arrive as a string
// or a number depending on how the row was written.
type wireTrackingItem struct {
	TrackingProvider          json.RawMessage `json:"tracking_provider"`
	CustomTrackingProvider    json.RawMessage `json:"custom_tracking_provider"`
	FormattedTrackingProvider json.RawMessage `json:"formatted_tracking_provider"`
	TrackingNumber            json.RawMessage `json:"tracking_number"`
	CustomTrackingLink        json.RawMessage `json:"custom_tracking_link"`
	FormattedTrackingLink     json.RawMessage `json:"formatted_tracking_link"`
	TrackingLink              json.RawMessage `json:"tracking_link"`
	DateShipped               json.RawMessage `json:"date_shipped"`
	TrackingID                json.RawMessage `json:"tracking_id"`
	Return                    json.RawMessage `json:"ordertrack_return"`
}

// trackingFromMeta reads the _wc_shipment_tracking_items value. PHP arrays
// with gaps serialize as JSON objects, so both a list and an index-keyed object
// are accepted. It is lenient by design: a malformed tracking row must not stop
// the order from being ingested, so rows without a number are skipped.
func trackingFromMeta(v json.RawMessage) []TrackingItem {
	v = bytes.TrimSpace(v)
	var rows []json.RawMessage
	switch {
	case len(v) == 0:
		return nil
	case v[0] == '[':
		if json.Unmarshal(v, &rows) != nil {
			return nil
		}
	case v[0] == '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(v, &m) != nil {
			return nil
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return indexLess(keys[i], keys[j]) })
		for _, k := range keys {
			rows = append(rows, m[k])
		}
	default:
		return nil
	}
	var out []TrackingItem
	for _, r := range rows {
		var w wireTrackingItem
		if json.Unmarshal(r, &w) != nil {
			continue
		}
		t := w.item()
		if t.Number == "" {
			continue
		}
		out = append(out, t)
	}
	return out
}

func indexLess(a, b string) bool {
	ai, aerr := strconv.Atoi(a)
	bi, berr := strconv.Atoi(b)
	if aerr == nil && berr == nil {
		return ai < bi
	}
	return a < b
}

func (w wireTrackingItem) item() TrackingItem {
	s := func(b json.RawMessage) string {
		v, _ := flexString(b)
		return strings.TrimSpace(v)
	}
	t := TrackingItem{
		Provider:     s(w.TrackingProvider),
		ProviderName: s(w.FormattedTrackingProvider),
		Number:       s(w.TrackingNumber),
		URL:          firstNonEmpty(s(w.CustomTrackingLink), s(w.FormattedTrackingLink), s(w.TrackingLink)),
		ID:           s(w.TrackingID),
		Source:       SourceShipmentTracking,
	}
	if custom := s(w.CustomTrackingProvider); t.Provider == "" {
		t.Provider = custom
		if t.ProviderName == "" {
			t.ProviderName = custom
		}
	}
	t.DateShipped = shippedDate(w.DateShipped)
	switch strings.ToLower(string(bytes.Trim(bytes.TrimSpace(w.Return), `"`))) {
	case "1", "true", "yes":
		t.Return = true
	}
	return t
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// shippedDate parses date_shipped: Shipment Tracking and AST store a Unix
// timestamp (number or numeric string); imports sometimes leave a date string.
func shippedDate(b json.RawMessage) time.Time {
	s, err := flexString(b)
	if err != nil || s == "" || s == "0" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC()
	}
	return parseLooseTime(s)
}

func parseLooseTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// restDate parses WooCommerce's REST dates. The *_gmt field is UTC without a
// zone suffix; the plain field is in the store's zone and is only a fallback
// (read as UTC) for payloads that lack the gmt twin.
func restDate(gmt, local *string) (time.Time, error) {
	for _, p := range []*string{gmt, local} {
		if p == nil || *p == "" {
			continue
		}
		if t := parseLooseTime(*p); !t.IsZero() {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("unparseable date %q", *p)
	}
	return time.Time{}, nil
}

// DecodeDeleted decodes an order.deleted webhook body, which carries only the id.
func DecodeDeleted(body []byte) (int64, error) {
	var w struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return 0, fmt.Errorf("%w: decode deleted order: %v", ErrMalformedPayload, err)
	}
	id, err := flexInt(w.ID)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: deleted order without a valid id", ErrMalformedPayload)
	}
	return id, nil
}

// Action is the body of an action.* webhook: the hook name and its first argument.
type Action struct {
	Name string          `json:"action"`
	Arg  json.RawMessage `json:"arg"`
}

// DecodeAction decodes an action.* webhook body.
func DecodeAction(body []byte) (Action, error) {
	var a Action
	if err := nulfree.Unmarshal(body, &a); err != nil {
		return Action{}, fmt.Errorf("%w: decode action: %v", ErrMalformedPayload, err)
	}
	if a.Name == "" {
		return Action{}, fmt.Errorf("%w: action without a name", ErrMalformedPayload)
	}
	return a, nil
}

// OrderID returns the action's argument as an order id, as the companion
// plugin's tracking action passes it.
func (a Action) OrderID() (int64, error) {
	id, err := flexInt(a.Arg)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: action %s arg %s is not an order id", ErrMalformedPayload, a.Name, a.Arg)
	}
	return id, nil
}
