package wootest

import (
	"encoding/json"
	"strconv"
	"time"
)

// StoreOffset is the fake store's time zone offset: the plain date_* fields
// are rendered in it and the *_gmt twins in UTC, as WooCommerce does.
const StoreOffset = 2 * time.Hour

// Order is a fixture rendered as a wc/v3 order. Zero fields get plausible
// defaults so tests set only what they assert on.
type Order struct {
	ID                 int64
	Number             string // defaults to the id
	Key                string
	Status             string // defaults to "processing"
	Currency           string // defaults to "USD"
	Total              string // defaults to "29.90"
	PaymentMethod      string // defaults to "bacs"
	PaymentMethodTitle string
	CustomerID         int64
	Created            time.Time
	Modified           time.Time
	Billing            Address
	Shipping           Address
	Items              []Item
	Meta               []Meta
}

// Address is a billing or shipping address fixture.
type Address struct {
	FirstName, LastName, Company, Address1, Address2, City, State, Postcode, Country, Email, Phone string
}

// Item is a line item fixture.
type Item struct {
	ID        int64
	Name      string
	ProductID int64
	SKU       string
	Quantity  int
	Total     string
}

// Meta is one meta_data entry; Value is encoded as JSON, so pass a
// json.RawMessage to control the exact shape.
type Meta struct {
	ID    int64
	Key   string
	Value any
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func restTime(t time.Time, offset time.Duration) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Add(offset).Format("2006-01-02T15:04:05")
}

func (a Address) wire(withEmail bool) map[string]any {
	m := map[string]any{
		"first_name": a.FirstName, "last_name": a.LastName, "company": a.Company,
		"address_1": a.Address1, "address_2": a.Address2, "city": a.City, "state": a.State,
		"postcode": a.Postcode, "country": a.Country, "phone": a.Phone,
	}
	if withEmail {
		m["email"] = a.Email
	}
	return m
}

// JSON renders the order as WooCommerce's REST v3 (and webhook payload) shape.
func (o Order) JSON() json.RawMessage {
	created := o.Created
	if created.IsZero() {
		created = o.Modified
	}
	items := []map[string]any{}
	for _, it := range o.Items {
		items = append(items, map[string]any{
			"id": it.ID, "name": it.Name, "product_id": it.ProductID, "variation_id": 0,
			"quantity": it.Quantity, "tax_class": "", "subtotal": or(it.Total, "0.00"), "subtotal_tax": "0.00",
			"total": or(it.Total, "0.00"), "total_tax": "0.00", "taxes": []any{}, "meta_data": []any{},
			"sku": it.SKU, "price": 0, "parent_name": nil,
		})
	}
	meta := []map[string]any{}
	for _, m := range o.Meta {
		meta = append(meta, map[string]any{"id": m.ID, "key": m.Key, "value": m.Value})
	}
	payment := or(o.PaymentMethod, "bacs")
	title := o.PaymentMethodTitle
	if title == "" && payment == "cod" {
		title = "Cash on delivery"
	}
	w := map[string]any{
		"id":                   o.ID,
		"parent_id":            0,
		"status":               or(o.Status, "processing"),
		"currency":             or(o.Currency, "USD"),
		"version":              "10.3.0",
		"prices_include_tax":   false,
		"date_created":         restTime(created, StoreOffset),
		"date_modified":        restTime(o.Modified, StoreOffset),
		"discount_total":       "0.00",
		"shipping_total":       "5.00",
		"total":                or(o.Total, "29.90"),
		"total_tax":            "0.00",
		"customer_id":          o.CustomerID,
		"order_key":            or(o.Key, "wc_order_"+strconv.FormatInt(o.ID, 36)),
		"billing":              o.Billing.wire(true),
		"shipping":             o.Shipping.wire(false),
		"payment_method":       payment,
		"payment_method_title": or(title, "Direct bank transfer"),
		"transaction_id":       "",
		"customer_ip_address":  "203.0.113.9",
		"customer_user_agent":  "Mozilla/5.0",
		"created_via":          "checkout",
		"customer_note":        "",
		"date_completed":       nil,
		"date_paid":            restTime(created, StoreOffset),
		"cart_hash":            "",
		"number":               or(o.Number, strconv.FormatInt(o.ID, 10)),
		"meta_data":            meta,
		"line_items":           items,
		"tax_lines":            []any{},
		"shipping_lines": []map[string]any{{
			"id": o.ID*10 + 1, "method_title": "Flat rate", "method_id": "flat_rate", "instance_id": "1",
			"total": "5.00", "total_tax": "0.00", "taxes": []any{}, "meta_data": []any{},
		}},
		"fee_lines":          []any{},
		"coupon_lines":       []any{},
		"refunds":            []any{},
		"payment_url":        "https://shop.example/checkout/order-pay/" + strconv.FormatInt(o.ID, 10) + "/",
		"is_editable":        false,
		"needs_payment":      false,
		"needs_processing":   true,
		"date_created_gmt":   restTime(created, 0),
		"date_modified_gmt":  restTime(o.Modified, 0),
		"date_completed_gmt": nil,
		"date_paid_gmt":      restTime(created, 0),
		"currency_symbol":    "$",
	}
	b, err := json.Marshal(w)
	if err != nil {
		panic("wootest: order fixture does not encode: " + err.Error())
	}
	return b
}
