package shopifytest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Order is an order fixture. The fake serves it over GraphQL, and
// WebhookJSON renders the REST-shaped body its webhooks would carry.
type Order struct {
	ID           int64
	Name         string // defaults to "#<Number>"
	Number       int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	CancelledAt  time.Time
	Email        string
	Phone        string
	Locale       string
	Currency     string
	Total        string
	Gateways     []string
	CustomerID   int64
	FirstName    string
	LastName     string
	Address      Address
	LineItems    []LineItem
	Fulfillments []Fulfillment
	// Tags and Note are what tagsAdd and orderUpdate change.
	Tags []string
	Note string
}

// Address is a fixture shipping address.
type Address struct {
	Address1, Address2, City, Province, ProvinceCode, Zip, Country, CountryCode, Phone string
}

// LineItem is a fixture line item.
type LineItem struct {
	ID           int64
	Title        string
	VariantTitle string
	SKU          string
	Quantity     int
}

// Fulfillment is a fixture fulfillment. ShipmentStatus is REST spelling
// ("in_transit"); the GraphQL side upper-cases it into displayStatus.
type Fulfillment struct {
	ID             int64
	Status         string // REST spelling: "success", "cancelled", ...
	ShipmentStatus string
	Company        string
	Numbers        []string
	URLs           []string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SampleOrder is a realistic cash-on-delivery order #1001 with one UPS
// fulfillment in transit, updated at updated.
func SampleOrder(id int64, updated time.Time) Order {
	created := updated.Add(-48 * time.Hour)
	return Order{
		ID: id, Number: 1001, CreatedAt: created, UpdatedAt: updated,
		Email: "ana@example.com", Phone: "+14155550123", Locale: "es", Currency: "USD", Total: "59.90",
		Gateways:   []string{"Cash on Delivery (COD)"},
		CustomerID: 7001, FirstName: "Ana", LastName: "García",
		Address: Address{
			Address1: "1 Market St", Address2: "Apt 4", City: "San Francisco", Province: "California",
			ProvinceCode: "CA", Zip: "94105", Country: "United States", CountryCode: "US", Phone: "+14155550199",
		},
		LineItems: []LineItem{{ID: id*10 + 1, Title: "Linen shirt", VariantTitle: "M / Blue", SKU: "LS-M-BL", Quantity: 2}},
		Fulfillments: []Fulfillment{{
			ID: id*10 + 2, Status: "success", ShipmentStatus: "in_transit", Company: "UPS",
			Numbers:   []string{"1Z999AA10123456784"},
			URLs:      []string{"https://www.ups.com/track?tracknum=1Z999AA10123456784"},
			CreatedAt: created.Add(24 * time.Hour), UpdatedAt: updated,
		}},
	}
}

func (o Order) name() string {
	if o.Name != "" {
		return o.Name
	}
	return "#" + strconv.Itoa(o.Number)
}

func gid(resource string, id int64) string {
	return "gid://shopify/" + resource + "/" + strconv.FormatInt(id, 10)
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// WebhookJSON is the orders/create|updated|cancelled body for o, in the
// REST shape Shopify sends.
func (o Order) WebhookJSON() []byte {
	gateway := ""
	if len(o.Gateways) > 0 {
		gateway = o.Gateways[0]
	}
	var items []map[string]any
	for _, li := range o.LineItems {
		items = append(items, map[string]any{
			"id": li.ID, "admin_graphql_api_id": gid("LineItem", li.ID), "title": li.Title,
			"variant_title": li.VariantTitle, "sku": li.SKU, "quantity": li.Quantity, "name": li.Title + " - " + li.VariantTitle,
		})
	}
	var fuls []map[string]any
	for _, f := range o.Fulfillments {
		fuls = append(fuls, f.rest(o.ID))
	}
	body := map[string]any{
		"id": o.ID, "admin_graphql_api_id": gid("Order", o.ID), "name": o.name(),
		"order_number": o.Number, "number": o.Number - 1000,
		"created_at": timeOrNil(o.CreatedAt), "updated_at": timeOrNil(o.UpdatedAt), "cancelled_at": timeOrNil(o.CancelledAt),
		"email": o.Email, "contact_email": o.Email, "phone": strOrNil(o.Phone), "customer_locale": o.Locale,
		"currency": o.Currency, "total_price": o.Total, "gateway": gateway, "payment_gateway_names": o.Gateways,
		"financial_status": "pending", "fulfillment_status": nil, "test": false,
		"customer": map[string]any{
			"id": o.CustomerID, "email": o.Email, "phone": strOrNil(o.Phone), "first_name": o.FirstName,
			"last_name": o.LastName, "admin_graphql_api_id": gid("Customer", o.CustomerID),
		},
		"shipping_address": o.Address.rest(o.FirstName, o.LastName),
		"line_items":       items,
		"fulfillments":     fuls,
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic("shopifytest: marshal order: " + err.Error())
	}
	return b
}

func (a Address) rest(first, last string) map[string]any {
	return map[string]any{
		"first_name": first, "last_name": last, "name": strings.TrimSpace(first + " " + last),
		"address1": a.Address1, "address2": a.Address2, "city": a.City, "province": a.Province,
		"province_code": a.ProvinceCode, "zip": a.Zip, "country": a.Country, "country_code": a.CountryCode,
		"phone": a.Phone, "company": nil, "latitude": 37.79, "longitude": -122.39,
	}
}

func (f Fulfillment) rest(orderID int64) map[string]any {
	number, url := "", ""
	if len(f.Numbers) > 0 {
		number = f.Numbers[0]
	}
	if len(f.URLs) > 0 {
		url = f.URLs[0]
	}
	return map[string]any{
		"id": f.ID, "admin_graphql_api_id": gid("Fulfillment", f.ID), "order_id": orderID,
		"name": "#" + strconv.FormatInt(f.ID, 10), "status": f.Status, "shipment_status": strOrNil(f.ShipmentStatus),
		"created_at": timeOrNil(f.CreatedAt), "updated_at": timeOrNil(f.UpdatedAt),
		"tracking_company": strOrNil(f.Company), "tracking_number": strOrNil(number), "tracking_numbers": f.Numbers,
		"tracking_url": strOrNil(url), "tracking_urls": f.URLs, "service": "manual", "location_id": 905684977,
	}
}

// WebhookJSON is the fulfillments/create|update body for f of order orderID.
func (f Fulfillment) WebhookJSON(orderID int64) []byte {
	b, err := json.Marshal(f.rest(orderID))
	if err != nil {
		panic("shopifytest: marshal fulfillment: " + err.Error())
	}
	return b
}

func (o Order) graphQL(lineItems, fulfillments, tracking int) map[string]any {
	var items []map[string]any
	for i, li := range o.LineItems {
		if i >= lineItems {
			break
		}
		items = append(items, map[string]any{
			"id": gid("LineItem", li.ID), "title": li.Title, "variantTitle": li.VariantTitle, "sku": li.SKU, "quantity": li.Quantity,
		})
	}
	fuls := []map[string]any{}
	for i, f := range o.Fulfillments {
		if i >= fulfillments {
			break
		}
		ti := []map[string]any{}
		for j, n := range f.Numbers {
			if j >= tracking {
				break
			}
			t := map[string]any{"company": strOrNil(f.Company), "number": n, "url": nil}
			if j < len(f.URLs) {
				t["url"] = f.URLs[j]
			}
			ti = append(ti, t)
		}
		fuls = append(fuls, map[string]any{
			"id": gid("Fulfillment", f.ID), "name": o.name() + "-F" + strconv.Itoa(i+1),
			"status": strings.ToUpper(f.Status), "displayStatus": strOrNil(strings.ToUpper(f.ShipmentStatus)),
			"createdAt": timeOrNil(f.CreatedAt), "updatedAt": timeOrNil(f.UpdatedAt), "estimatedDeliveryAt": nil,
			"trackingInfo": ti,
		})
	}
	return map[string]any{
		"id": gid("Order", o.ID), "legacyResourceId": strconv.FormatInt(o.ID, 10), "name": o.name(),
		"createdAt": timeOrNil(o.CreatedAt), "updatedAt": timeOrNil(o.UpdatedAt), "cancelledAt": timeOrNil(o.CancelledAt),
		"email": strOrNil(o.Email), "phone": strOrNil(o.Phone), "customerLocale": strOrNil(o.Locale), "currencyCode": o.Currency,
		"totalPriceSet":       map[string]any{"shopMoney": map[string]any{"amount": o.Total, "currencyCode": o.Currency}},
		"paymentGatewayNames": o.Gateways, "displayFinancialStatus": "PENDING",
		"customer": map[string]any{"id": gid("Customer", o.CustomerID), "firstName": o.FirstName, "lastName": o.LastName},
		"shippingAddress": map[string]any{
			"name": strings.TrimSpace(o.FirstName + " " + o.LastName), "company": nil, "address1": o.Address.Address1,
			"address2": o.Address.Address2, "city": o.Address.City, "province": o.Address.Province,
			"provinceCode": o.Address.ProvinceCode, "zip": o.Address.Zip, "country": o.Address.Country,
			"countryCodeV2": o.Address.CountryCode, "phone": o.Address.Phone,
		},
		"lineItems":    map[string]any{"nodes": items},
		"fulfillments": fuls,
	}
}
