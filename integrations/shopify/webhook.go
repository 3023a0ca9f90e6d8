package shopify

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/integrations/nulfree"
)

// Webhook topics the app subscribes to (shopify.app.toml).
const (
	TopicOrdersCreate                  = "orders/create"
	TopicOrdersUpdated                 = "orders/updated"
	TopicOrdersCancelled               = "orders/cancelled"
	TopicOrdersEdited                  = "orders/edited"
	TopicRefundsCreate                 = "refunds/create"
	TopicReturnsRequest                = "returns/request"
	TopicReturnsApprove                = "returns/approve"
	TopicReturnsCancel                 = "returns/cancel"
	TopicReturnsDecline                = "returns/decline"
	TopicReverseDeliveriesAttach       = "reverse_deliveries/attach_deliverable"
	TopicFulfillmentsCreate            = "fulfillments/create"
	TopicFulfillmentsUpdate            = "fulfillments/update"
	TopicAppUninstalled                = "app/uninstalled"
	TopicCustomersDataRequest          = "customers/data_request"
	TopicCustomersRedact               = "customers/redact"
	TopicShopRedact                    = "shop/redact"
	maxWebhookBody               int64 = 5 << 20
)

// ErrWebhookHeaders means a delivery lacks a header Shopify always sends.
var ErrWebhookHeaders = errors.New("shopify: webhook headers missing or invalid")

// ErrMalformedPayload means a webhook body is not the JSON its topic promises.
var ErrMalformedPayload = errors.New("shopify: malformed webhook payload")

// Delivery is one webhook delivery's headers. Deduplicate on (Shop,
// WebhookID): Shopify delivers at least once, in no particular order, and
// retries carry the original payload (compare TriggeredAt and updated_at).
type Delivery struct {
	Topic       string
	Shop        string
	WebhookID   string
	EventID     string // shared by every delivery of one merchant action
	APIVersion  string
	TriggeredAt time.Time // zero if absent or unparsable
	HMAC        string
}

// ParseDelivery reads the delivery headers, requiring topic, a valid shop
// domain, webhook ID and HMAC.
func ParseDelivery(h http.Header) (Delivery, error) {
	d := Delivery{
		Topic:      h.Get("X-Shopify-Topic"),
		Shop:       h.Get("X-Shopify-Shop-Domain"),
		WebhookID:  h.Get("X-Shopify-Webhook-Id"),
		EventID:    h.Get("X-Shopify-Event-Id"),
		APIVersion: h.Get("X-Shopify-Api-Version"),
		HMAC:       h.Get("X-Shopify-Hmac-Sha256"),
	}
	var missing []string
	for name, v := range map[string]string{
		"X-Shopify-Topic": d.Topic, "X-Shopify-Shop-Domain": d.Shop,
		"X-Shopify-Webhook-Id": d.WebhookID, "X-Shopify-Hmac-Sha256": d.HMAC,
	} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return Delivery{}, fmt.Errorf("missing %s: %w", strings.Join(missing, ", "), ErrWebhookHeaders)
	}
	if !ValidShop(d.Shop) {
		return Delivery{}, fmt.Errorf("X-Shopify-Shop-Domain %q: %w: %w", d.Shop, ErrWebhookHeaders, ErrInvalidShop)
	}
	if ts := h.Get("X-Shopify-Triggered-At"); ts != "" {
		if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
			d.TriggeredAt = t.UTC()
		}
	}
	return d, nil
}

// ReadWebhook reads and authenticates a webhook request: the body (at most
// 5 MB), its headers and its HMAC under any of secrets (pass the old secret
// too while rotating). A bad or missing signature gives ErrSignature, which
// the handler answers with 401; missing headers give ErrWebhookHeaders.
func ReadWebhook(r *http.Request, secrets ...string) (Delivery, []byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil {
		return Delivery{}, nil, fmt.Errorf("read webhook body: %w", err)
	}
	if int64(len(body)) > maxWebhookBody {
		return Delivery{}, nil, fmt.Errorf("webhook body over %d bytes: %w", maxWebhookBody, ErrMalformedPayload)
	}
	if r.Header.Get("X-Shopify-Hmac-Sha256") == "" {
		return Delivery{}, nil, fmt.Errorf("webhook without X-Shopify-Hmac-Sha256: %w", ErrSignature)
	}
	signed := false
	for _, s := range secrets {
		if VerifyWebhook(s, body, r.Header.Get("X-Shopify-Hmac-Sha256")) {
			signed = true
			break
		}
	}
	if !signed {
		return Delivery{}, nil, fmt.Errorf("webhook: %w", ErrSignature)
	}
	d, err := ParseDelivery(r.Header)
	if err != nil {
		return Delivery{}, nil, fmt.Errorf("webhook: %w", err)
	}
	return d, body, nil
}

// restOrder is the REST order JSON that orders/* webhooks carry.
type restOrder struct {
	ID                  int64          `json:"id"`
	AdminGraphQLAPIID   string         `json:"admin_graphql_api_id"`
	Name                string         `json:"name"`
	OrderNumber         int            `json:"order_number"`
	CreatedAt           time.Time      `json:"created_at"`
	UpdatedAt           time.Time      `json:"updated_at"`
	CancelledAt         *time.Time     `json:"cancelled_at"`
	Email               string         `json:"email"`
	ContactEmail        string         `json:"contact_email"`
	Phone               string         `json:"phone"`
	CustomerLocale      string         `json:"customer_locale"`
	Currency            string         `json:"currency"`
	TotalPrice          string         `json:"total_price"`
	Gateway             string         `json:"gateway"`
	PaymentGatewayNames []string       `json:"payment_gateway_names"`
	Customer            *restCustomer  `json:"customer"`
	ShippingAddress     *restAddress   `json:"shipping_address"`
	LineItems           []restLineItem `json:"line_items"`
	Fulfillments        []restFulfill  `json:"fulfillments"`
	FinancialStatus     string         `json:"financial_status"`
	ShippingLines       []struct {
		Title string `json:"title"`
	} `json:"shipping_lines"`
	Refunds []restRefund `json:"refunds"`
}

type restCustomer struct {
	ID        int64  `json:"id"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

type restAddress struct {
	Name         string `json:"name"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Company      string `json:"company"`
	Address1     string `json:"address1"`
	Address2     string `json:"address2"`
	City         string `json:"city"`
	Province     string `json:"province"`
	ProvinceCode string `json:"province_code"`
	Zip          string `json:"zip"`
	Country      string `json:"country"`
	CountryCode  string `json:"country_code"`
	Phone        string `json:"phone"`
}

type restLineItem struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	VariantTitle string `json:"variant_title"`
	SKU          string `json:"sku"`
	Quantity     int    `json:"quantity"`
	Price        string `json:"price"`
	// CurrentQuantity is absent before API version 2023-01.
	CurrentQuantity *int `json:"current_quantity"`
	// ProductID and VariantID are null for custom items and deleted products.
	ProductID *int64 `json:"product_id"`
	VariantID *int64 `json:"variant_id"`
}

func (li restLineItem) lineItem() LineItem {
	out := LineItem{ID: GID("LineItem", li.ID), Title: li.Title, VariantTitle: li.VariantTitle, SKU: li.SKU, Quantity: li.Quantity, CurrentQuantity: li.CurrentQuantity, Price: li.Price}
	switch {
	case li.VariantID != nil && *li.VariantID > 0:
		out.Product = GID("ProductVariant", *li.VariantID)
	case li.ProductID != nil && *li.ProductID > 0:
		out.Product = GID("Product", *li.ProductID)
	}
	return out
}

type restFulfill struct {
	ID              int64          `json:"id"`
	OrderID         int64          `json:"order_id"`
	Name            string         `json:"name"`
	Status          string         `json:"status"`
	ShipmentStatus  *string        `json:"shipment_status"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	TrackingCompany *string        `json:"tracking_company"`
	TrackingNumber  *string        `json:"tracking_number"`
	TrackingNumbers []string       `json:"tracking_numbers"`
	TrackingURL     *string        `json:"tracking_url"`
	TrackingURLs    []string       `json:"tracking_urls"`
	EstimatedAt     *time.Time     `json:"estimated_delivery_at"`
	LineItems       []restLineItem `json:"line_items"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (r restFulfill) fulfillment() Fulfillment {
	f := Fulfillment{
		ID:            GID("Fulfillment", r.ID),
		OrderID:       GID("Order", r.OrderID),
		Name:          r.Name,
		Status:        strings.ToUpper(r.Status),
		DisplayStatus: strings.ToUpper(str(r.ShipmentStatus)),
		CreatedAt:     r.CreatedAt,
		UpdatedAt:     r.UpdatedAt,
	}
	for _, li := range r.LineItems {
		f.LineItems = append(f.LineItems, li.lineItem())
	}
	if r.EstimatedAt != nil {
		f.EstimatedDeliveryAt = *r.EstimatedAt
	}
	numbers := r.TrackingNumbers
	if len(numbers) == 0 && str(r.TrackingNumber) != "" {
		numbers = []string{str(r.TrackingNumber)}
	}
	urls := r.TrackingURLs
	if len(urls) == 0 && str(r.TrackingURL) != "" {
		urls = []string{str(r.TrackingURL)}
	}
	// REST keeps one company for the fulfillment and parallel number/URL
	// lists; GraphQL pairs them, so pair them here the same way.
	for i, n := range numbers {
		t := TrackingInfo{Company: str(r.TrackingCompany), Number: n}
		if i < len(urls) {
			t.URL = urls[i]
		}
		f.Tracking = append(f.Tracking, t)
	}
	return f
}

func (r restOrder) order() Order {
	o := Order{
		ID:        r.AdminGraphQLAPIID,
		LegacyID:  r.ID,
		Name:      r.Name,
		Number:    r.OrderNumber,
		CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt,
		Email:     r.Email,
		Phone:     r.Phone,
		Locale:    r.CustomerLocale,
		Currency:  r.Currency,
		Total:     r.TotalPrice,
	}
	if o.ID == "" {
		o.ID = GID("Order", r.ID)
	}
	if o.Email == "" {
		o.Email = r.ContactEmail
	}
	if r.CancelledAt != nil {
		o.CancelledAt = *r.CancelledAt
	}
	o.PaymentGateways = r.PaymentGatewayNames
	if len(o.PaymentGateways) == 0 && r.Gateway != "" {
		o.PaymentGateways = []string{r.Gateway}
	}
	o.COD = anyCOD(o.PaymentGateways) || IsCOD(r.Gateway)
	if c := r.Customer; c != nil {
		o.Customer = Customer{ID: GID("Customer", c.ID), Email: c.Email, Phone: c.Phone, FirstName: c.FirstName, LastName: c.LastName}
	}
	if a := r.ShippingAddress; a != nil {
		name := a.Name
		if name == "" {
			name = strings.TrimSpace(a.FirstName + " " + a.LastName)
		}
		o.ShippingAddress = Address{
			Name: name, Company: a.Company, Address1: a.Address1, Address2: a.Address2, City: a.City,
			Province: a.Province, ProvinceCode: a.ProvinceCode, Zip: a.Zip, Country: a.Country,
			CountryCode: a.CountryCode, Phone: a.Phone,
		}
	}
	for _, li := range r.LineItems {
		o.LineItems = append(o.LineItems, li.lineItem())
	}
	o.FinancialStatus = r.FinancialStatus
	if len(r.ShippingLines) > 0 {
		o.ShippingMethod = r.ShippingLines[0].Title
	}
	for _, rf := range r.Refunds {
		o.Refunds = append(o.Refunds, rf.refund())
	}
	for _, rf := range r.Fulfillments {
		f := rf.fulfillment()
		if f.OrderID == "" {
			f.OrderID = o.ID
		}
		o.Fulfillments = append(o.Fulfillments, f)
	}
	return o
}

func decode(topic string, body []byte, v any) error {
	if err := nulfree.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode %s payload: %w: %w", topic, ErrMalformedPayload, err)
	}
	return nil
}

// DecodeOrder decodes an orders/create, orders/updated or orders/cancelled
// body.
func DecodeOrder(body []byte) (Order, error) {
	var r restOrder
	if err := decode("order", body, &r); err != nil {
		return Order{}, err
	}
	if r.ID == 0 {
		return Order{}, fmt.Errorf("decode order payload: no id: %w", ErrMalformedPayload)
	}
	return r.order(), nil
}

// DecodeFulfillment decodes a fulfillments/create or fulfillments/update
// body. OrderID is set from order_id.
func DecodeFulfillment(body []byte) (Fulfillment, error) {
	var r restFulfill
	if err := decode("fulfillment", body, &r); err != nil {
		return Fulfillment{}, err
	}
	if r.ID == 0 || r.OrderID == 0 {
		return Fulfillment{}, fmt.Errorf("decode fulfillment payload: no id or order_id: %w", ErrMalformedPayload)
	}
	return r.fulfillment(), nil
}

// Refund is a refund of an order: the items it gave money back for.
type Refund struct {
	ID      string
	OrderID string
	Items   []RefundItem
}

// RefundItem is a quantity of one order line a refund covers.
type RefundItem struct {
	LineItemID string
	Quantity   int
}

type restRefund struct {
	ID              int64 `json:"id"`
	OrderID         int64 `json:"order_id"`
	RefundLineItems []struct {
		LineItemID int64 `json:"line_item_id"`
		Quantity   int   `json:"quantity"`
	} `json:"refund_line_items"`
}

func (r restRefund) refund() Refund {
	out := Refund{ID: GID("Refund", r.ID), OrderID: GID("Order", r.OrderID)}
	for _, li := range r.RefundLineItems {
		out.Items = append(out.Items, RefundItem{LineItemID: GID("LineItem", li.LineItemID), Quantity: li.Quantity})
	}
	return out
}

// DecodeRefund decodes a refunds/create body (the refund resource, bare or
// wrapped in {"refund": …} as the REST API returns it).
func DecodeRefund(body []byte) (Refund, error) {
	var w struct {
		restRefund
		Refund *restRefund `json:"refund"`
	}
	if err := decode(TopicRefundsCreate, body, &w); err != nil {
		return Refund{}, err
	}
	r := w.restRefund
	if w.Refund != nil {
		r = *w.Refund
	}
	if r.ID == 0 || r.OrderID == 0 {
		return Refund{}, fmt.Errorf("decode %s payload: no id or order_id: %w", TopicRefundsCreate, ErrMalformedPayload)
	}
	return r.refund(), nil
}

// OrderEdit is an orders/edited body: the quantities an edit added to and
// removed from the order's lines.
type OrderEdit struct {
	ID       string
	OrderID  string
	Removals []RefundItem // LineItemID and the quantity removed
}

// DecodeOrderEdit decodes an orders/edited body.
func DecodeOrderEdit(body []byte) (OrderEdit, error) {
	var w struct {
		OrderEdit struct {
			ID        int64 `json:"id"`
			OrderID   int64 `json:"order_id"`
			LineItems struct {
				Removals []struct {
					ID    int64 `json:"id"`
					Delta int   `json:"delta"`
				} `json:"removals"`
			} `json:"line_items"`
		} `json:"order_edit"`
	}
	if err := decode(TopicOrdersEdited, body, &w); err != nil {
		return OrderEdit{}, err
	}
	e := w.OrderEdit
	if e.ID == 0 || e.OrderID == 0 {
		return OrderEdit{}, fmt.Errorf("decode %s payload: no id or order_id: %w", TopicOrdersEdited, ErrMalformedPayload)
	}
	out := OrderEdit{ID: GID("OrderEdit", e.ID), OrderID: GID("Order", e.OrderID)}
	for _, r := range e.LineItems.Removals {
		out.Removals = append(out.Removals, RefundItem{LineItemID: GID("LineItem", r.ID), Quantity: r.Delta})
	}
	return out, nil
}

// Return is a returns/* body reduced to what links a return to its order.
type Return struct {
	ID      string // gid://shopify/Return/…
	OrderID string // gid://shopify/Order/…
	Status  string // lower case: requested, open, closed, declined, canceled
}

type restRef struct {
	ID  int64  `json:"id"`
	GID string `json:"admin_graphql_api_id"`
}

func (r restRef) gid(resource string) string {
	if r.GID != "" {
		return r.GID
	}
	if r.ID == 0 {
		return ""
	}
	return GID(resource, r.ID)
}

// DecodeReturn decodes a returns/request, approve, cancel or decline body.
func DecodeReturn(body []byte) (Return, error) {
	var w struct {
		restRef
		Status string  `json:"status"`
		Order  restRef `json:"order"`
	}
	if err := decode("return", body, &w); err != nil {
		return Return{}, err
	}
	r := Return{ID: w.gid("Return"), OrderID: w.Order.gid("Order"), Status: strings.ToLower(w.Status)}
	if r.ID == "" || r.OrderID == "" {
		return Return{}, fmt.Errorf("decode return payload: no id or order: %w", ErrMalformedPayload)
	}
	return r, nil
}

// ReverseDelivery is a reverse_deliveries/attach_deliverable body: the
// tracking of the parcel a shopper sends back for a return.
type ReverseDelivery struct {
	ID       string // gid://shopify/ReverseDelivery/…
	ReturnID string
	Tracking TrackingInfo
}

// DecodeReverseDelivery decodes a reverse_deliveries/attach_deliverable body.
func DecodeReverseDelivery(body []byte) (ReverseDelivery, error) {
	var w struct {
		restRef
		Return              restRef `json:"return"`
		ShippingDeliverable struct {
			Tracking struct {
				CarrierName    string `json:"carrier_name"`
				TrackingNumber string `json:"tracking_number"`
				TrackingURL    string `json:"tracking_url"`
			} `json:"tracking"`
		} `json:"shipping_deliverable"`
	}
	if err := decode(TopicReverseDeliveriesAttach, body, &w); err != nil {
		return ReverseDelivery{}, err
	}
	t := w.ShippingDeliverable.Tracking
	d := ReverseDelivery{ID: w.gid("ReverseDelivery"), ReturnID: w.Return.gid("Return"),
		Tracking: TrackingInfo{Company: t.CarrierName, Number: t.TrackingNumber, URL: t.TrackingURL}}
	if d.ID == "" || d.ReturnID == "" {
		return ReverseDelivery{}, fmt.Errorf("decode %s payload: no id or return: %w", TopicReverseDeliveriesAttach, ErrMalformedPayload)
	}
	return d, nil
}

// Uninstalled is the app/uninstalled body (the shop resource). Mark the shop
// uninstalled and drop its tokens; delete its data on shop/redact.
type Uninstalled struct {
	ShopID int64  `json:"id"`
	Domain string `json:"myshopify_domain"`
}

// DecodeUninstalled decodes an app/uninstalled body.
func DecodeUninstalled(body []byte) (Uninstalled, error) {
	var u Uninstalled
	if err := decode(TopicAppUninstalled, body, &u); err != nil {
		return Uninstalled{}, err
	}
	if u.ShopID == 0 {
		return Uninstalled{}, fmt.Errorf("decode %s payload: no id: %w", TopicAppUninstalled, ErrMalformedPayload)
	}
	return u, nil
}

// RedactCustomer identifies the shopper in a compliance request.
type RedactCustomer struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// DataRequest is a customers/data_request body: send the merchant what the
// app stores about Customer (for OrdersRequested) within 30 days.
type DataRequest struct {
	ShopID          int64          `json:"shop_id"`
	ShopDomain      string         `json:"shop_domain"`
	Customer        RedactCustomer `json:"customer"`
	OrdersRequested []int64        `json:"orders_requested"`
	DataRequest     struct {
		ID int64 `json:"id"`
	} `json:"data_request"`
}

// CustomerRedact is a customers/redact body: erase Customer's data for
// OrdersToRedact within 30 days.
type CustomerRedact struct {
	ShopID         int64          `json:"shop_id"`
	ShopDomain     string         `json:"shop_domain"`
	Customer       RedactCustomer `json:"customer"`
	OrdersToRedact []int64        `json:"orders_to_redact"`
}

// ShopRedact is a shop/redact body, sent 48 h after uninstall: erase the
// shop's data.
type ShopRedact struct {
	ShopID     int64  `json:"shop_id"`
	ShopDomain string `json:"shop_domain"`
}

// DecodeDataRequest decodes a customers/data_request body.
func DecodeDataRequest(body []byte) (DataRequest, error) {
	var v DataRequest
	if err := decode(TopicCustomersDataRequest, body, &v); err != nil {
		return DataRequest{}, err
	}
	return v, requireShopDomain(TopicCustomersDataRequest, v.ShopDomain)
}

// DecodeCustomerRedact decodes a customers/redact body.
func DecodeCustomerRedact(body []byte) (CustomerRedact, error) {
	var v CustomerRedact
	if err := decode(TopicCustomersRedact, body, &v); err != nil {
		return CustomerRedact{}, err
	}
	return v, requireShopDomain(TopicCustomersRedact, v.ShopDomain)
}

// DecodeShopRedact decodes a shop/redact body.
func DecodeShopRedact(body []byte) (ShopRedact, error) {
	var v ShopRedact
	if err := decode(TopicShopRedact, body, &v); err != nil {
		return ShopRedact{}, err
	}
	return v, requireShopDomain(TopicShopRedact, v.ShopDomain)
}

func requireShopDomain(topic, domain string) error {
	if !ValidShop(domain) {
		return fmt.Errorf("decode %s payload: shop_domain %q: %w", topic, domain, ErrMalformedPayload)
	}
	return nil
}
