// Package helpdesk answers support tools (a Gorgias HTTP integration, a
// Zendesk sidebar app): "which orders and parcels does this customer have?"
// by email or phone, read-only, authenticated by the shop's helpdesk key,
// which also says which shop is asking.
package helpdesk

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/storage"
)

// Deps are what the endpoint works with.
type Deps struct {
	DB    *storage.DB
	Links *links.Links
}

// Desk serves the endpoint.
type Desk struct {
	db    *storage.DB
	links *links.Links
}

// New builds a Desk.
func New(d Deps) *Desk { return &Desk{db: d.DB, links: d.Links} }

// Parcel is one shipment as a support agent reads it.
type Parcel struct {
	TrackingNumber    string     `json:"tracking_number"`
	Carrier           string     `json:"carrier"`
	Stage             string     `json:"stage"`
	Problem           string     `json:"problem,omitempty"`
	Substatus         string     `json:"substatus,omitempty"`
	EstimatedDelivery string     `json:"estimated_delivery,omitempty"`
	LastEventAt       *time.Time `json:"last_event_at,omitempty"`
	DeliveredAt       *time.Time `json:"delivered_at,omitempty"`
	TrackingURL       string     `json:"tracking_url"`
}

// Order is one order with its parcels.
type Order struct {
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Parcels   []Parcel  `json:"parcels"`
}

// Answer is the endpoint's JSON.
type Answer struct {
	Email  string  `json:"email,omitempty"`
	Phone  string  `json:"phone,omitempty"`
	Orders []Order `json:"orders"`
}

// Customer answers GET /api/helpdesk/customer?email=…&phone=… with the
// shop's helpdesk key as "Authorization: Bearer KEY": the customer's orders
// (newest first, at most 50) with their parcels. 401 without a valid key,
// 400 without an email or phone.
func (d *Desk) Customer(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	key, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if !ok || !strings.HasPrefix(key, storage.HelpdeskKeyPrefix) {
		return echo.NewHTTPError(http.StatusUnauthorized, "send the shop's helpdesk key as Authorization: Bearer KEY")
	}
	ctx := c.Request().Context()
	shop, err := d.db.ShopByHelpdeskKey(ctx, strings.TrimSpace(key))
	if errors.Is(err, storage.ErrNotFound) {
		return echo.NewHTTPError(http.StatusUnauthorized, "unknown helpdesk key")
	}
	if err != nil {
		return err
	}
	email, phone := strings.TrimSpace(c.QueryParam("email")), strings.TrimSpace(c.QueryParam("phone"))
	if email == "" && phone == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "give email or phone")
	}
	found, err := d.db.Scope(shop.ID).CustomerOrders(ctx, email, phone)
	if err != nil {
		return err
	}
	out := Answer{Email: email, Phone: phone, Orders: []Order{}}
	for _, co := range found {
		o := Order{Name: co.Order.Name, CreatedAt: co.Order.CreatedAt.UTC(), Parcels: []Parcel{}}
		for _, s := range co.Shipments {
			p := Parcel{
				TrackingNumber: s.TrackingNumber, Carrier: s.Carrier, Stage: s.Stage, Problem: s.Problem, Substatus: s.Substatus,
				LastEventAt: s.LastEventAt, DeliveredAt: s.DeliveredAt, TrackingURL: d.links.Tracking(s.PublicToken),
			}
			if s.ETALatest != nil {
				p.EstimatedDelivery = s.ETALatest.UTC().Format(time.DateOnly)
			}
			o.Parcels = append(o.Parcels, p)
		}
		out.Orders = append(out.Orders, o)
	}
	return c.JSON(http.StatusOK, out)
}
