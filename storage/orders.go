package storage

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// UpsertOrder inserts or updates an order keyed by (shop, platform id). A
// stale update — PlatformUpdatedAt older than the stored one — changes
// nothing and reports stale, because webhooks arrive out of order.
func (q queries) UpsertOrder(ctx context.Context, o *Order) (stale bool, err error) {
	if o.PublicToken == "" {
		o.PublicToken = NewToken()
	}
	updates := clause.AssignmentColumns([]string{
		"name", "email", "phone", "customer_name", "customer_id", "locale", "timezone", "country", "currency", "total",
		"cod", "shipping_address", "line_items", "shipping_method", "platform_updated_at", "cancelled_at", "updated_at",
	})
	// Orders stored before pages had their own token get one on their next update.
	updates = append(updates, clause.Assignment{Column: clause.Column{Name: "public_token"},
		Value: gorm.Expr("CASE WHEN orders.public_token = '' THEN excluded.public_token ELSE orders.public_token END")})
	res := q.g.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "platform_id"}},
		DoUpdates: updates,
		Where: clause.Where{Exprs: []clause.Expression{clause.Expr{
			SQL: "orders.platform_updated_at IS NULL OR excluded.platform_updated_at IS NULL OR excluded.platform_updated_at >= orders.platform_updated_at",
		}}},
	}).Create(o)
	if res.Error != nil {
		return false, fmt.Errorf("upsert order %s: %w", o.PlatformID, res.Error)
	}
	stale = res.RowsAffected == 0
	if err := q.g.WithContext(ctx).Where("shop_id = ? AND platform_id = ?", o.ShopID, o.PlatformID).Take(o).Error; err != nil {
		return stale, fmt.Errorf("reload order %s: %w", o.PlatformID, err)
	}
	return stale, nil
}

// UpsertShipment creates a shipment keyed by (shop, carrier, number), or
// refreshes its order link and URL; status fields belong to the poller and
// are never overwritten here. It reports whether the row is new.
func (q queries) UpsertShipment(ctx context.Context, s *Shipment) (created bool, err error) {
	if s.PublicToken == "" {
		s.PublicToken = NewToken()
	}
	res := q.g.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "carrier"}, {Name: "tracking_number"}},
		DoUpdates: clause.AssignmentColumns([]string{"order_id", "platform_fulfillment_id", "tracking_url", "carrier_company", "kind", "items", "updated_at"}),
	}).Create(s)
	if res.Error != nil {
		return false, fmt.Errorf("upsert shipment %s %s: %w", s.Carrier, s.TrackingNumber, res.Error)
	}
	token := s.PublicToken
	if err := q.g.WithContext(ctx).Where("shop_id = ? AND carrier = ? AND tracking_number = ?", s.ShopID, s.Carrier, s.TrackingNumber).Take(s).Error; err != nil {
		return false, fmt.Errorf("reload shipment %s: %w", s.TrackingNumber, err)
	}
	return s.PublicToken == token, nil
}

// NewToken returns an unguessable URL-safe token for public links.
func NewToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Due is a shipment whose next poll time has come.
type Due struct {
	ID      int64
	ShopID  int64
	Carrier string
}

// ClaimDue selects up to limit shipments due by now and moves their next
// poll time to now+lease (inside a Tx, with the jobs that poll them), so the next scheduler tick (on any
// machine) does not pick them again while their poll job is pending. The
// poll job sets the real next time.
//
// Shops take turns: every shop's oldest due shipment comes before any
// shop's second, and so on, so one shop's backlog neither fills a tick nor
// goes ahead of another shop's few polls (the result is in that order,
// for the jobs to be queued in it). The cost follows the due work, not the
// table, through the partial index on next_poll_at.
func (q queries) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Due, error) {
	// One statement, and the outer WHERE repeats the due test: under read
	// committed a concurrent claim or Uninstall that changed a row first
	// makes Postgres re-check it, so a row is never leased twice nor
	// re-scheduled after polling stopped.
	var due []Due
	err := q.g.WithContext(ctx).Raw(`UPDATE shipments SET next_poll_at = ?
WHERE id IN (SELECT id FROM (
    SELECT id, next_poll_at, ROW_NUMBER() OVER (PARTITION BY shop_id ORDER BY next_poll_at, id) AS turn
    FROM shipments WHERE next_poll_at IS NOT NULL AND next_poll_at <= ?) AS due
  ORDER BY turn, next_poll_at, id LIMIT ?)
AND next_poll_at IS NOT NULL AND next_poll_at <= ?
RETURNING id, shop_id, carrier`, now.Add(lease), now, limit, now).Scan(&due).Error
	if err != nil {
		return nil, fmt.Errorf("lease due shipments: %w", err)
	}
	return inTurns(due), nil
}

// inTurns orders claimed shipments shop by shop in turns: each shop's
// first, then each shop's second, and so on (within a shop by id, which
// follows creation; RETURNING keeps no order, and SQLite's cannot return
// the subquery's turn).
func inTurns(due []Due) []Due {
	slices.SortFunc(due, func(a, b Due) int { return cmp.Or(cmp.Compare(a.ShopID, b.ShopID), cmp.Compare(a.ID, b.ID)) })
	turn := make(map[int64]int, len(due))
	turns := make([]int, len(due))
	for i, d := range due {
		turns[i] = turn[d.ShopID]
		turn[d.ShopID]++
	}
	idx := make([]int, len(due))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(turns[a], turns[b]) })
	out := make([]Due, len(due))
	for i, j := range idx {
		out[i] = due[j]
	}
	return out
}

// ShipmentsByID loads shipments (any shop: used by jobs that got the ids
// from ClaimDue) in id order.
func (db *DB) ShipmentsByID(ctx context.Context, ids []int64) ([]Shipment, error) {
	var out []Shipment
	if err := db.Gorm.WithContext(ctx).Where("id IN ?", ids).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load shipments: %w", err)
	}
	return out, nil
}

// Delivered is one delivered shipment's lane and transit, for learning ETAs.
type Delivered struct {
	Carrier, Service, OriginRegion, DestRegion string
	ShippedAt, DeliveredAt                     time.Time
}

// DeliveredSince returns up to limit delivered shipments (newest first) that
// shipped after since, across shops: transit times are a property of the lane.
func (db *DB) DeliveredSince(ctx context.Context, since time.Time, limit int) ([]Delivered, error) {
	var out []Delivered
	err := db.Gorm.WithContext(ctx).Model(&Shipment{}).
		Select("carrier, service, origin_region, dest_region, shipped_at, delivered_at").
		Where("delivered_at IS NOT NULL AND shipped_at IS NOT NULL AND shipped_at > ?", since).
		Order("delivered_at DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("delivered history: %w", err)
	}
	return out, nil
}

// ShipmentByToken finds the shipment behind a public tracking link.
func (db *DB) ShipmentByToken(ctx context.Context, token string) (*Shipment, error) {
	var s Shipment
	if token == "" {
		return nil, fmt.Errorf("shipment: %w", ErrNotFound)
	}
	if err := db.Gorm.WithContext(ctx).Where("public_token = ?", token).Take(&s).Error; err != nil {
		return nil, notFound(err, "shipment")
	}
	return &s, nil
}

// OrderShipments lists an order's shipments, oldest first.
func (db *DB) OrderShipments(ctx context.Context, shopID, orderID int64) ([]Shipment, error) {
	var out []Shipment
	if err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND order_id = ?", shopID, orderID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("shipments of order %d: %w", orderID, err)
	}
	return out, nil
}

// FindOrderToken finds the tracking token of an order by its name (with
// or without "#", see tracking.OrderNumber) and the email or phone used at
// checkout, within one shop (see tracking.SameContact: phones match by
// digits, emails case-folded). Any mismatch is ErrNotFound, whichever field
// was wrong. The lookup throttle keys on the same normal forms.
func (db *DB) FindOrderToken(ctx context.Context, shopDomain, orderName, contact string) (string, error) {
	orderName = tracking.OrderNumber(orderName)
	if orderName == "" || strings.TrimSpace(contact) == "" {
		return "", fmt.Errorf("lookup: %w", ErrNotFound)
	}
	// A shop has one order of a name, or a few across platform resets, so
	// the contact is matched here rather than in each dialect's SQL.
	var orders []struct {
		ID           int64
		PublicToken  string
		Email, Phone string
	}
	err := db.Gorm.WithContext(ctx).Table("orders").Select("orders.id, orders.public_token, orders.email, orders.phone").
		Joins("JOIN shops ON shops.id = orders.shop_id").
		Where("shops.domain = ? AND orders.name IN ?", shopDomain, []string{orderName, "#" + orderName}).
		Order("orders.id").Scan(&orders).Error
	if err != nil {
		return "", fmt.Errorf("lookup: %w", err)
	}
	for _, o := range orders {
		if !tracking.SameContact(o.Email, o.Phone, contact) {
			continue
		}
		// A parcel's link when one exists (tracked ones first), else the
		// order's own: an order that has not shipped yet is found too.
		var ships []struct{ PublicToken, Ended string }
		if err := db.Gorm.WithContext(ctx).Table("shipments").Select("public_token, ended").Where("order_id = ?", o.ID).Order("id").Scan(&ships).Error; err != nil {
			return "", fmt.Errorf("lookup: %w", err)
		}
		for _, sh := range ships {
			if sh.Ended == "" {
				return sh.PublicToken, nil
			}
		}
		if len(ships) > 0 {
			return ships[0].PublicToken, nil
		}
		if o.PublicToken != "" {
			return o.PublicToken, nil
		}
	}
	return "", fmt.Errorf("lookup: %w", ErrNotFound)
}

// AddPageViews adds counted tracking-page views (by page token) to their
// shipments, for the merchant's contact-rate analytics: one statement per
// pageViewChunk tokens, so a flush after thousands of views is a few writes,
// not thousands. A token of no shipment (an order's own page) counts nothing.
func (db *DB) AddPageViews(ctx context.Context, views map[string]int) error {
	tokens := make([]string, 0, len(views))
	for t := range views {
		tokens = append(tokens, t)
	}
	slices.Sort(tokens) // the same row order in every flush: no deadlocks between machines
	for chunk := range slices.Chunk(tokens, pageViewChunk) {
		var b strings.Builder
		args := make([]any, 0, 2*len(chunk))
		b.WriteString("UPDATE shipments SET page_views = page_views + v.column2 FROM (VALUES ")
		for i, t := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, CAST(? AS INTEGER))")
			args = append(args, t, views[t])
		}
		b.WriteString(") AS v WHERE shipments.public_token = v.column1")
		if err := db.Gorm.WithContext(ctx).Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("add page views of %d pages: %w", len(chunk), err)
		}
	}
	return nil
}

// pageViewChunk is how many pages' views one statement adds.
const pageViewChunk = 500

// ShipmentsByNumber finds every tracked shipment (any shop) with a tracking
// number, for carrier pushes, which name the number but not the shop.
func (db *DB) ShipmentsByNumber(ctx context.Context, number string) ([]Shipment, error) {
	var out []Shipment
	if err := db.Gorm.WithContext(ctx).Where("tracking_number = ? AND ended = ''", number).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("shipments with number %s: %w", number, err)
	}
	return out, nil
}

// PostponePoll moves a shipment's next poll to at least t, when it is polled
// at all: a carrier that pushes its news needs polling only as a safety net.
func (db *DB) PostponePoll(ctx context.Context, shipmentID int64, t time.Time) error {
	err := db.Gorm.WithContext(ctx).Model(&Shipment{}).
		Where("id = ? AND next_poll_at IS NOT NULL AND next_poll_at < ?", shipmentID, t).
		UpdateColumn("next_poll_at", t).Error
	if err != nil {
		return fmt.Errorf("postpone poll of shipment %d: %w", shipmentID, err)
	}
	return nil
}

// StopPolling takes shipments off the poll schedule, for a carrier no API
// tracks: no scheduler tick claims them again.
func (db *DB) StopPolling(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := db.Gorm.WithContext(ctx).Model(&Shipment{}).Where("id IN ?", ids).UpdateColumn("next_poll_at", nil).Error
	if err != nil {
		return fmt.Errorf("stop polling %d shipments: %w", len(ids), err)
	}
	return nil
}

// RecordLookup notes that a shopper found the shipment with token through
// the order lookup: analytics counts it as a contact, a shopper who had to
// ask where the order is.
func (db *DB) RecordLookup(ctx context.Context, token string) error {
	err := db.Gorm.WithContext(ctx).Exec(`INSERT INTO order_lookups (shop_id, shipment_id, created_at)
SELECT shop_id, id, ? FROM shipments WHERE public_token = ?`, db.now(), token).Error
	if err != nil {
		return fmt.Errorf("record lookup: %w", err)
	}
	return nil
}
