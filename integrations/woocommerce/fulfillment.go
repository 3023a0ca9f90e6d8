package woocommerce

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ordertrack/ordertrack/integrations/nulfree"
)

// Fulfillment is a WooCommerce core order fulfillment (WooCommerce 10.2+,
// behind the fulfillments feature flag), read from
// GET /wc/v3/orders/{id}/fulfillments. Tracking lives in its meta_data under
// _tracking_number, _tracking_url, _shipment_provider, _provider_name and
// _date_fulfilled.
type Fulfillment struct {
	ID          int64
	OrderID     int64 // entity_id when entity_type is WC_Order
	Status      string
	IsFulfilled bool
	DateUpdated time.Time // UTC
	Deleted     bool      // date_deleted set: the fulfillment was removed

	TrackingNumber   string
	TrackingURL      string
	ShipmentProvider string // provider slug, or "other" for a custom provider
	ProviderName     string // display name, set for custom providers
	DateFulfilled    time.Time
	Items            []FulfillmentItem
}

// FulfillmentItem is an order line and quantity shipped in a fulfillment.
type FulfillmentItem struct {
	ItemID   int64
	Quantity int
}

type wireFulfillment struct {
	ID          json.RawMessage `json:"id"`
	EntityType  string          `json:"entity_type"`
	EntityID    json.RawMessage `json:"entity_id"`
	Status      string          `json:"status"`
	IsFulfilled bool            `json:"is_fulfilled"`
	DateUpdated *string         `json:"date_updated"`
	DateDeleted *string         `json:"date_deleted"`
	MetaData    []wireMeta      `json:"meta_data"`
}

// DecodeFulfillments decodes the body of GET /orders/{id}/fulfillments.
func DecodeFulfillments(body []byte) ([]Fulfillment, error) {
	var ws []wireFulfillment
	if err := nulfree.Unmarshal(body, &ws); err != nil {
		return nil, fmt.Errorf("%w: decode fulfillments: %v", ErrMalformedPayload, err)
	}
	out := make([]Fulfillment, 0, len(ws))
	for _, w := range ws {
		f, err := w.fulfillment()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformedPayload, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func (w wireFulfillment) fulfillment() (Fulfillment, error) {
	id, err := flexInt(w.ID)
	if err != nil {
		return Fulfillment{}, fmt.Errorf("fulfillment id: %w", err)
	}
	f := Fulfillment{
		ID:          id,
		Status:      w.Status,
		IsFulfilled: w.IsFulfilled,
		Deleted:     w.DateDeleted != nil && *w.DateDeleted != "",
	}
	if w.EntityType == "" || w.EntityType == "WC_Order" {
		f.OrderID, _ = flexInt(w.EntityID)
	}
	if w.DateUpdated != nil {
		f.DateUpdated = parseLooseTime(*w.DateUpdated)
	}
	for _, m := range w.MetaData {
		str := func() string { s, _ := flexString(m.Value); return s }
		switch m.Key {
		case "_tracking_number":
			f.TrackingNumber = str()
		case "_tracking_url":
			f.TrackingURL = str()
		case "_shipment_provider":
			f.ShipmentProvider = str()
		case "_provider_name":
			f.ProviderName = str()
		case "_date_fulfilled":
			f.DateFulfilled = parseLooseTime(str())
		case "_items":
			var items []struct {
				ItemID json.RawMessage `json:"item_id"`
				Qty    json.RawMessage `json:"qty"`
			}
			if json.Unmarshal(m.Value, &items) != nil {
				continue
			}
			for _, it := range items {
				itemID, _ := flexInt(it.ItemID)
				qty, _ := flexInt(it.Qty)
				f.Items = append(f.Items, FulfillmentItem{ItemID: itemID, Quantity: int(qty)})
			}
		}
	}
	return f, nil
}

// TrackingItem returns the fulfillment's tracking number as a TrackingItem;
// ok is false for deleted fulfillments and those without a number.
func (f Fulfillment) TrackingItem() (TrackingItem, bool) {
	if f.Deleted || f.TrackingNumber == "" {
		return TrackingItem{}, false
	}
	t := TrackingItem{
		Provider:     f.ShipmentProvider,
		ProviderName: f.ProviderName,
		Number:       f.TrackingNumber,
		URL:          f.TrackingURL,
		DateShipped:  f.DateFulfilled,
		ID:           strconv.FormatInt(f.ID, 10),
		Source:       SourceFulfillment,
	}
	if (t.Provider == "" || t.Provider == "other") && f.ProviderName != "" {
		t.Provider = f.ProviderName
	}
	if t.DateShipped.IsZero() && f.IsFulfilled {
		t.DateShipped = f.DateUpdated
	}
	return t, true
}
