package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ShopScope runs the admin's queries for one shop: every query it offers is
// filtered by shop_id, so an unscoped admin read cannot be written.
type ShopScope struct {
	db *DB
	g  *gorm.DB // the database, or the transaction of Tx.Shop
	id int64
}

// Scope returns the queries of one shop.
func (db *DB) Scope(shopID int64) ShopScope { return ShopScope{db: db, g: db.Gorm, id: shopID} }

func (s ShopScope) q(ctx context.Context) *gorm.DB {
	return s.g.WithContext(ctx).Where("shop_id = ?", s.id)
}

// ShipmentFilter narrows the shipment list.
type ShipmentFilter struct {
	Stage, Problem, Carrier string
	Query                   string    // order name, tracking number, customer email or phone
	From, To                time.Time // created in [From, To); zero = open
	Limit                   int
}

// ShipmentRow is a shipment with its order's name and customer.
type ShipmentRow struct {
	Shipment
	OrderName     string
	CustomerName  string
	CustomerEmail string
}

// Shipments lists the shop's shipments, newest first.
func (s ShopScope) Shipments(ctx context.Context, f ShipmentFilter) ([]ShipmentRow, error) {
	q := s.g.WithContext(ctx).Table("shipments").
		Select("shipments.*, orders.name AS order_name, orders.customer_name AS customer_name, orders.email AS customer_email").
		Joins("JOIN orders ON orders.id = shipments.order_id").Where("shipments.shop_id = ?", s.id)
	if f.Stage != "" {
		q = q.Where("shipments.stage = ?", f.Stage)
	}
	if f.Problem != "" {
		q = q.Where("shipments.problem = ?", f.Problem)
	}
	if f.Carrier != "" {
		q = q.Where("shipments.carrier = ?", f.Carrier)
	}
	if !f.From.IsZero() {
		q = q.Where("shipments.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("shipments.created_at < ?", f.To.UTC())
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		phone := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(t)
		q = q.Where("shipments.tracking_number = ? OR orders.name IN ? OR lower(orders.email) = ? OR orders.phone IN ?",
			strings.ToUpper(t), []string{t, "#" + strings.TrimPrefix(t, "#")}, strings.ToLower(t), []string{t, phone, "+" + strings.TrimPrefix(phone, "+")})
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	var out []ShipmentRow
	if err := q.Order("shipments.id DESC").Limit(limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list shipments: %w", err)
	}
	return out, nil
}

// Count is a number of shipments in one group.
type Count struct {
	Key string
	N   int64
}

// StageCounts counts the shop's shipments by stage, and separately by problem.
func (s ShopScope) StageCounts(ctx context.Context) (stages, problems []Count, err error) {
	if err = s.q(ctx).Model(&Shipment{}).Select("stage AS key, count(*) AS n").Where("ended = ''").Group("stage").Scan(&stages).Error; err != nil {
		return nil, nil, fmt.Errorf("count stages: %w", err)
	}
	if err = s.q(ctx).Model(&Shipment{}).Select("problem AS key, count(*) AS n").Where("problem <> '' AND ended = ''").Group("problem").Scan(&problems).Error; err != nil {
		return nil, nil, fmt.Errorf("count problems: %w", err)
	}
	return stages, problems, nil
}

// Shipment loads one of the shop's shipments with its order's name;
// another shop's id is ErrNotFound.
func (s ShopScope) Shipment(ctx context.Context, id int64) (*ShipmentRow, error) {
	var out ShipmentRow
	err := s.g.WithContext(ctx).Table("shipments").Select("shipments.*, orders.name AS order_name").
		Joins("JOIN orders ON orders.id = shipments.order_id").
		Where("shipments.shop_id = ? AND shipments.id = ?", s.id, id).Take(&out).Error
	if err != nil {
		return nil, notFound(err, "shipment %d", id)
	}
	return &out, nil
}

// ShipmentNotifications lists the messages about one of the shop's shipments.
func (s ShopScope) ShipmentNotifications(ctx context.Context, shipmentID int64) ([]Notification, error) {
	var out []Notification
	if err := s.q(ctx).Where("shipment_id = ?", shipmentID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("messages of shipment %d: %w", shipmentID, err)
	}
	return out, nil
}

// Notifications lists the shop's message log, newest first.
func (s ShopScope) Notifications(ctx context.Context, limit int) ([]Notification, error) {
	var out []Notification
	if err := s.q(ctx).Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

// Notification loads one of the shop's messages; another shop's id is
// ErrNotFound.
func (s ShopScope) Notification(ctx context.Context, id int64) (*Notification, error) {
	var out Notification
	if err := s.q(ctx).Where("id = ?", id).Take(&out).Error; err != nil {
		return nil, notFound(err, "notification %d", id)
	}
	return &out, nil
}

// Delivery loads one of the shop's webhook deliveries with its payload;
// another shop's id is ErrNotFound.
func (s ShopScope) Delivery(ctx context.Context, id int64) (*WebhookDelivery, error) {
	var out WebhookDelivery
	if err := s.q(ctx).Where("id = ?", id).Take(&out).Error; err != nil {
		return nil, notFound(err, "webhook delivery %d", id)
	}
	return &out, nil
}

// Actions lists shopper actions, newest first.
func (s ShopScope) Actions(ctx context.Context, limit int) ([]CustomerAction, error) {
	var out []CustomerAction
	if err := s.q(ctx).Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list customer actions: %w", err)
	}
	return out, nil
}

// ActionRow is a shopper request with the order it is about.
type ActionRow struct {
	CustomerAction
	OrderName    string
	CustomerName string
}

// ActionRows lists the shop's latest shopper requests, newest first, with
// their orders' names and customers.
func (s ShopScope) ActionRows(ctx context.Context, limit int) ([]ActionRow, error) {
	var out []ActionRow
	err := s.g.WithContext(ctx).Table("customer_actions").
		Select("customer_actions.*, orders.name AS order_name, orders.customer_name AS customer_name").
		Joins("LEFT JOIN orders ON orders.id = customer_actions.order_id").
		Where("customer_actions.shop_id = ?", s.id).Order("customer_actions.id DESC").Limit(limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list customer actions: %w", err)
	}
	return out, nil
}

// SetActionStatus marks one of the shop's shopper requests "new" or
// "handled"; another shop's id is ErrNotFound.
func (s ShopScope) SetActionStatus(ctx context.Context, id int64, status string) error {
	res := s.q(ctx).Model(&CustomerAction{}).Where("id = ?", id).Update("status", status)
	if res.Error != nil {
		return fmt.Errorf("set action %d status: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("action %d: %w", id, ErrNotFound)
	}
	return nil
}

// Deliveries lists webhook deliveries with the given status (all when empty).
func (s ShopScope) Deliveries(ctx context.Context, status string, limit int) ([]WebhookDelivery, error) {
	q := s.q(ctx)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var out []WebhookDelivery
	if err := q.Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, nil
}

// ResetDelivery marks one of the shop's deliveries for replay, failing
// with ErrNotFound when it belongs to another shop.
func (s ShopScope) ResetDelivery(ctx context.Context, id int64) error {
	res := s.g.WithContext(ctx).Model(&WebhookDelivery{}).Where("shop_id = ? AND id = ?", s.id, id).
		Updates(map[string]any{"status": DeliveryReceived, "error": ""})
	if res.Error != nil {
		return fmt.Errorf("reset delivery %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("delivery %d: %w", id, ErrNotFound)
	}
	return nil
}

// ConsentRow is a consent with its order's name.
type ConsentRow struct {
	Consent
	OrderName string
}

// Consents lists the shop's consents, newest first: every number's proof
// of what the shopper agreed to. number, when set, keeps one address's.
func (s ShopScope) Consents(ctx context.Context, number string, limit int) ([]ConsentRow, error) {
	q := s.g.WithContext(ctx).Table("consents").Select("consents.*, orders.name AS order_name").
		Joins("LEFT JOIN orders ON orders.id = consents.order_id").Where("consents.shop_id = ?", s.id)
	if number != "" {
		q = q.Where("consents.address = ?", number)
	}
	var out []ConsentRow
	if err := q.Order("consents.created_at DESC, consents.id DESC").Limit(limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list consents: %w", err)
	}
	return out, nil
}
