package shopify

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Order is what the app keeps of a Shopify order, the same whether it came
// from a webhook (REST-shaped JSON) or from GraphQL. IDs are GraphQL global
// IDs ("gid://shopify/Order/123"); LegacyID is the numeric REST ID.
type Order struct {
	ID          string
	LegacyID    int64
	Name        string // "#1001", what the shopper sees
	Number      int    // 1001; 0 when unknown
	CreatedAt   time.Time
	UpdatedAt   time.Time // reconcile out-of-order deliveries on this
	CancelledAt time.Time // zero unless cancelled
	Email       string
	Phone       string
	Locale      string // customer_locale, e.g. "fr-CA"
	Currency    string // ISO 4217 shop currency
	Total       string // decimal amount in Currency, e.g. "59.90"
	// PaymentGateways are the gateway names paid through; COD is derived
	// from them (cash on delivery changes the shopper messaging).
	PaymentGateways []string
	COD             bool
	Customer        Customer
	ShippingAddress Address
	LineItems       []LineItem
	Fulfillments    []Fulfillment
	// FinancialStatus is Shopify's payment state, lower case ("paid",
	// "refunded", …); empty when the source does not say.
	FinancialStatus string
	// ShippingMethod is the first shipping line's title, the delivery
	// method the shopper chose ("Standard", "Express 1-2 days").
	ShippingMethod string
	// Refunds are the order's refunds so far, with the items each removed.
	Refunds []Refund
}

// Customer is the order's customer, empty for guest checkouts without one.
type Customer struct {
	ID        string
	Email     string
	Phone     string
	FirstName string
	LastName  string
}

// Address is a shipping address.
type Address struct {
	Name         string
	Company      string
	Address1     string
	Address2     string
	City         string
	Province     string
	ProvinceCode string
	Zip          string
	Country      string
	CountryCode  string // ISO 3166-1 alpha-2
	Phone        string
}

// LineItem is one ordered product.
type LineItem struct {
	ID           string
	Title        string
	VariantTitle string
	SKU          string
	Quantity     int
	// CurrentQuantity is Quantity minus what refunds and edits removed; nil
	// when the source does not carry it (REST before 2023-01, our GraphQL).
	CurrentQuantity *int
	// Price is the unit price as ordered, a decimal string in the order's
	// currency ("25.00"); empty when Shopify did not send it.
	Price string
	// ImageURL is the variant's (else the product's) image, from GraphQL;
	// order webhooks carry none.
	ImageURL string
	// Product is the GID of the line's variant (else its product), whose
	// image ProductImages reads; empty for custom items.
	Product string
}

// Fulfillment is one shipment of an order. Status is Shopify's fulfillment
// status in GraphQL enum spelling (SUCCESS, CANCELLED, ERROR, FAILURE, …);
// DisplayStatus is the shipment progress Shopify shows (IN_TRANSIT,
// DELIVERED, …; REST shipment_status upper-cased), empty when unknown.
type Fulfillment struct {
	ID                  string
	OrderID             string
	Name                string
	Status              string
	DisplayStatus       string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	EstimatedDeliveryAt time.Time
	Tracking            []TrackingInfo
	// LineItems are the order lines this fulfillment ships, with the
	// quantity it ships of each.
	LineItems []LineItem
}

// Cancelled reports whether the fulfillment will never deliver: Shopify
// cancelled it, or it failed or errored at the fulfillment service.
func (f Fulfillment) Cancelled() bool {
	return f.Status == "CANCELLED" || f.Status == "FAILURE" || f.Status == "ERROR"
}

// TrackingInfo is one tracking number of a fulfillment. Company is the
// carrier name the merchant picked or typed; it may be empty or free text.
type TrackingInfo struct {
	Company string
	Number  string
	URL     string
}

// ContactPhone is the best phone number to reach the shopper: the order's,
// then the customer's, then the shipping address's.
func (o Order) ContactPhone() string {
	for _, p := range []string{o.Phone, o.Customer.Phone, o.ShippingAddress.Phone} {
		if p != "" {
			return p
		}
	}
	return ""
}

// ContactEmail is the order's email, else the customer's.
func (o Order) ContactEmail() string {
	if o.Email != "" {
		return o.Email
	}
	return o.Customer.Email
}

var codPattern = regexp.MustCompile(`(?i)\bcod\b|cash[ _-]?on[ _-]?delivery|collect on delivery`)

// IsCOD reports whether a payment gateway name means cash on delivery.
// Shopify's manual gateway is called "Cash on Delivery (COD)"; regional COD
// apps use similar names.
func IsCOD(gateway string) bool { return codPattern.MatchString(gateway) }

func anyCOD(gateways []string) bool {
	for _, g := range gateways {
		if IsCOD(g) {
			return true
		}
	}
	return false
}

// GID builds a GraphQL global ID from a REST resource name and numeric ID.
func GID(resource string, id int64) string {
	if id == 0 {
		return ""
	}
	return "gid://shopify/" + resource + "/" + strconv.FormatInt(id, 10)
}

// LegacyID returns the numeric ID at the end of a GraphQL global ID, or 0.
func LegacyID(gid string) int64 {
	i := strings.LastIndexByte(gid, '/')
	n, err := strconv.ParseInt(gid[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// orderFields is the one order shape both queries read. Sizes come from
// variables so the backfill page can stay under Shopify's 1000-point
// single-query cost limit.
const orderFields = `
fragment OrderFields on Order {
  id legacyResourceId name createdAt updatedAt cancelledAt
  email phone customerLocale currencyCode
  totalPriceSet { shopMoney { amount currencyCode } }
  paymentGatewayNames
  displayFinancialStatus
  customer { id firstName lastName }
  shippingAddress { name company address1 address2 city province provinceCode zip country countryCodeV2 phone }
  lineItems(first: $lineItems) { nodes { id title variantTitle sku quantity originalUnitPriceSet { shopMoney { amount } } image { url } } }
  fulfillments(first: $fulfillments) {
    id name status displayStatus createdAt updatedAt estimatedDeliveryAt
    trackingInfo(first: $tracking) { company number url }
  }
}`

const orderQuery = `query Order($id: ID!, $lineItems: Int!, $fulfillments: Int!, $tracking: Int!) {
  order(id: $id) { ...OrderFields }
}` + orderFields

const ordersQuery = `query OrdersUpdatedSince($query: String!, $first: Int!, $after: String, $lineItems: Int!, $fulfillments: Int!, $tracking: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...OrderFields }
  }
}` + orderFields

const fulfillmentEventMutation = `mutation FulfillmentEventCreate($event: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $event) {
    fulfillmentEvent { id status happenedAt }
    userErrors { field message }
  }
}`

// OrdersPageSize is how many orders one backfill page holds; with the nested
// sizes below a page costs well under Shopify's 1000-point limit.
const OrdersPageSize = 10

type gqlMoney struct {
	ShopMoney struct {
		Amount       string `json:"amount"`
		CurrencyCode string `json:"currencyCode"`
	} `json:"shopMoney"`
}

type gqlOrder struct {
	ID                  string    `json:"id"`
	LegacyResourceID    string    `json:"legacyResourceId"`
	Name                string    `json:"name"`
	CreatedAt           time.Time `json:"createdAt"`
	UpdatedAt           time.Time `json:"updatedAt"`
	CancelledAt         time.Time `json:"cancelledAt"`
	Email               string    `json:"email"`
	Phone               string    `json:"phone"`
	CustomerLocale      string    `json:"customerLocale"`
	CurrencyCode        string    `json:"currencyCode"`
	TotalPriceSet       gqlMoney  `json:"totalPriceSet"`
	PaymentGatewayNames []string  `json:"paymentGatewayNames"`
	FinancialStatus     string    `json:"displayFinancialStatus"`
	Customer            *struct {
		ID        string `json:"id"`
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
	} `json:"customer"`
	ShippingAddress *struct {
		Name         string `json:"name"`
		Company      string `json:"company"`
		Address1     string `json:"address1"`
		Address2     string `json:"address2"`
		City         string `json:"city"`
		Province     string `json:"province"`
		ProvinceCode string `json:"provinceCode"`
		Zip          string `json:"zip"`
		Country      string `json:"country"`
		CountryCode  string `json:"countryCodeV2"`
		Phone        string `json:"phone"`
	} `json:"shippingAddress"`
	LineItems struct {
		Nodes []struct {
			ID           string `json:"id"`
			Title        string `json:"title"`
			VariantTitle string `json:"variantTitle"`
			SKU          string `json:"sku"`
			Quantity     int    `json:"quantity"`
			Price        struct {
				ShopMoney struct {
					Amount string `json:"amount"`
				} `json:"shopMoney"`
			} `json:"originalUnitPriceSet"`
			Image *struct {
				URL string `json:"url"`
			} `json:"image"`
		} `json:"nodes"`
	} `json:"lineItems"`
	Fulfillments []struct {
		ID                  string    `json:"id"`
		Name                string    `json:"name"`
		Status              string    `json:"status"`
		DisplayStatus       string    `json:"displayStatus"`
		CreatedAt           time.Time `json:"createdAt"`
		UpdatedAt           time.Time `json:"updatedAt"`
		EstimatedDeliveryAt time.Time `json:"estimatedDeliveryAt"`
		TrackingInfo        []struct {
			Company string `json:"company"`
			Number  string `json:"number"`
			URL     string `json:"url"`
		} `json:"trackingInfo"`
	} `json:"fulfillments"`
}

var trailingDigits = regexp.MustCompile(`(\d+)\D*$`)

func (g gqlOrder) order() Order {
	o := Order{
		ID:              g.ID,
		LegacyID:        LegacyID(g.ID),
		Name:            g.Name,
		CreatedAt:       g.CreatedAt,
		UpdatedAt:       g.UpdatedAt,
		CancelledAt:     g.CancelledAt,
		Email:           g.Email,
		Phone:           g.Phone,
		Locale:          g.CustomerLocale,
		Currency:        g.CurrencyCode,
		Total:           g.TotalPriceSet.ShopMoney.Amount,
		PaymentGateways: g.PaymentGatewayNames,
		FinancialStatus: strings.ToLower(g.FinancialStatus),
		COD:             anyCOD(g.PaymentGatewayNames),
	}
	// GraphQL has no order_number; the name is "#1001" unless the merchant
	// set a prefix or suffix, which still surround the number.
	if m := trailingDigits.FindStringSubmatch(g.Name); m != nil {
		o.Number, _ = strconv.Atoi(m[1])
	}
	if g.Customer != nil {
		o.Customer = Customer{ID: g.Customer.ID, FirstName: g.Customer.FirstName, LastName: g.Customer.LastName, Email: g.Email, Phone: g.Phone}
	}
	if a := g.ShippingAddress; a != nil {
		o.ShippingAddress = Address{
			Name: a.Name, Company: a.Company, Address1: a.Address1, Address2: a.Address2, City: a.City,
			Province: a.Province, ProvinceCode: a.ProvinceCode, Zip: a.Zip, Country: a.Country,
			CountryCode: a.CountryCode, Phone: a.Phone,
		}
	}
	for _, li := range g.LineItems.Nodes {
		item := LineItem{ID: li.ID, Title: li.Title, VariantTitle: li.VariantTitle, SKU: li.SKU, Quantity: li.Quantity, Price: li.Price.ShopMoney.Amount}
		if li.Image != nil {
			item.ImageURL = li.Image.URL
		}
		o.LineItems = append(o.LineItems, item)
	}
	for _, f := range g.Fulfillments {
		ff := Fulfillment{
			ID: f.ID, OrderID: g.ID, Name: f.Name, Status: f.Status, DisplayStatus: f.DisplayStatus,
			CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt, EstimatedDeliveryAt: f.EstimatedDeliveryAt,
		}
		for _, t := range f.TrackingInfo {
			ff.Tracking = append(ff.Tracking, TrackingInfo{Company: t.Company, Number: t.Number, URL: t.URL})
		}
		o.Fulfillments = append(o.Fulfillments, ff)
	}
	return o
}

// ErrOrderNotFound means the order does not exist or is older than the app
// may read (60 days without read_all_orders).
var ErrOrderNotFound = errors.New("shopify: order not found")

// Order fetches one order by its global ID (or numeric REST ID) with its
// fulfillments and tracking numbers.
func (c *Client) Order(ctx context.Context, shop, id string) (Order, error) {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		id = GID("Order", n)
	}
	var data struct {
		Order *gqlOrder `json:"order"`
	}
	vars := map[string]any{"id": id, "lineItems": 100, "fulfillments": 30, "tracking": 10}
	if err := c.Do(ctx, shop, orderQuery, vars, &data); err != nil {
		return Order{}, fmt.Errorf("fetch order %s: %w", id, err)
	}
	if data.Order == nil {
		return Order{}, fmt.Errorf("fetch order %s of %s: %w", id, shop, ErrOrderNotFound)
	}
	return data.Order.order(), nil
}

// OrderPage is one page of OrdersUpdatedSince. Pass EndCursor back as after
// while HasNextPage.
type OrderPage struct {
	Orders      []Order
	EndCursor   string
	HasNextPage bool
}

// OrdersUpdatedSince returns the page of orders updated after since, oldest
// update first, starting after cursor after ("" for the first page). The
// backfill job walks it for the last 60 days and may checkpoint the cursor.
func (c *Client) OrdersUpdatedSince(ctx context.Context, shop string, since time.Time, after string) (OrderPage, error) {
	vars := map[string]any{
		"query":        "updated_at:>'" + since.UTC().Format(time.RFC3339) + "'",
		"first":        OrdersPageSize,
		"lineItems":    20,
		"fulfillments": 5,
		"tracking":     5,
	}
	if after != "" {
		vars["after"] = after
	}
	var data struct {
		Orders struct {
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Nodes []gqlOrder `json:"nodes"`
		} `json:"orders"`
	}
	if err := c.Do(ctx, shop, ordersQuery, vars, &data); err != nil {
		return OrderPage{}, fmt.Errorf("list orders updated since %s: %w", since.Format(time.RFC3339), err)
	}
	page := OrderPage{EndCursor: data.Orders.PageInfo.EndCursor, HasNextPage: data.Orders.PageInfo.HasNextPage}
	for _, g := range data.Orders.Nodes {
		page.Orders = append(page.Orders, g.order())
	}
	return page, nil
}

// EachOrderUpdatedSince walks every page of OrdersUpdatedSince and calls fn
// for each order; fn's error stops the walk and is returned.
func (c *Client) EachOrderUpdatedSince(ctx context.Context, shop string, since time.Time, fn func(Order) error) error {
	after := ""
	for {
		page, err := c.OrdersUpdatedSince(ctx, shop, since, after)
		if err != nil {
			return err
		}
		for _, o := range page.Orders {
			if err := fn(o); err != nil {
				return err
			}
		}
		if !page.HasNextPage || page.EndCursor == "" {
			return nil
		}
		after = page.EndCursor
	}
}

// EventStatus is a FulfillmentEventStatus value.
type EventStatus string

// The fulfillment event statuses (Admin API 2025-10 and later).
const (
	EventAttemptedDelivery EventStatus = "ATTEMPTED_DELIVERY"
	EventCarrierPickedUp   EventStatus = "CARRIER_PICKED_UP"
	EventConfirmed         EventStatus = "CONFIRMED"
	EventDelayed           EventStatus = "DELAYED"
	EventDelivered         EventStatus = "DELIVERED"
	EventFailure           EventStatus = "FAILURE"
	EventInTransit         EventStatus = "IN_TRANSIT"
	EventLabelPrinted      EventStatus = "LABEL_PRINTED"
	EventLabelPurchased    EventStatus = "LABEL_PURCHASED"
	EventOutForDelivery    EventStatus = "OUT_FOR_DELIVERY"
	EventReadyForPickup    EventStatus = "READY_FOR_PICKUP"
)

// EventStatusFor maps ordertrack's normalized status to the fulfillment event
// written back to Shopify. A problem wins over the stage except once
// delivered. ok is false when Shopify has no matching status (returns).
func EventStatusFor(stage tracking.Stage, problem tracking.Problem) (status EventStatus, ok bool) {
	if stage != tracking.StageDelivered {
		switch problem {
		case tracking.ProblemDelayed:
			return EventDelayed, true
		case tracking.ProblemFailedAttempt:
			return EventAttemptedDelivery, true
		case tracking.ProblemException:
			return EventFailure, true
		}
	}
	switch stage {
	case tracking.StageConfirmed:
		return EventConfirmed, true
	case tracking.StagePacked:
		return EventLabelPrinted, true
	case tracking.StageShipped:
		return EventCarrierPickedUp, true
	case tracking.StageInTransit:
		return EventInTransit, true
	case tracking.StageOutForDelivery:
		return EventOutForDelivery, true
	case tracking.StageAvailableForPickup:
		return EventReadyForPickup, true
	case tracking.StageDelivered:
		return EventDelivered, true
	}
	return "", false
}

// FulfillmentEvent is a carrier scan written back to a Shopify fulfillment,
// so the admin timeline and Shopify's own shipping emails follow it.
type FulfillmentEvent struct {
	FulfillmentID       string // global ID
	Status              EventStatus
	HappenedAt          time.Time
	EstimatedDeliveryAt time.Time // zero to omit
	Message             string
	City                string
	Province            string
	Country             string
	Zip                 string
}

// CreateFulfillmentEvent records ev on its fulfillment (needs the
// write_fulfillments scope) and returns the new event's global ID. Shopify's
// refusal comes back as UserErrors.
func (c *Client) CreateFulfillmentEvent(ctx context.Context, shop string, ev FulfillmentEvent) (string, error) {
	in := map[string]any{"fulfillmentId": ev.FulfillmentID, "status": string(ev.Status)}
	if !ev.HappenedAt.IsZero() {
		in["happenedAt"] = ev.HappenedAt.UTC().Format(time.RFC3339)
	}
	if !ev.EstimatedDeliveryAt.IsZero() {
		in["estimatedDeliveryAt"] = ev.EstimatedDeliveryAt.UTC().Format(time.RFC3339)
	}
	for k, v := range map[string]string{"message": ev.Message, "city": ev.City, "province": ev.Province, "country": ev.Country, "zip": ev.Zip} {
		if v != "" {
			in[k] = v
		}
	}
	var data struct {
		Result struct {
			FulfillmentEvent *struct {
				ID string `json:"id"`
			} `json:"fulfillmentEvent"`
			UserErrors UserErrors `json:"userErrors"`
		} `json:"fulfillmentEventCreate"`
	}
	if err := c.Do(ctx, shop, fulfillmentEventMutation, map[string]any{"event": in}, &data); err != nil {
		return "", fmt.Errorf("create fulfillment event on %s: %w", ev.FulfillmentID, err)
	}
	if len(data.Result.UserErrors) > 0 {
		return "", fmt.Errorf("create fulfillment event on %s: %w", ev.FulfillmentID, data.Result.UserErrors)
	}
	if data.Result.FulfillmentEvent == nil {
		return "", fmt.Errorf("create fulfillment event on %s: no event in response", ev.FulfillmentID)
	}
	return data.Result.FulfillmentEvent.ID, nil
}
