package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// PageRows is everything a tracking page shows of one order: its shop, the
// order, its lines' images (see DB.LineImages), its shipments (oldest
// first) and, by shipment ID, their scans (oldest first), the shopper's
// requests and the ETA changes.
type PageRows struct {
	Shop       *Shop
	Order      *Order
	Images     map[string]string
	Shipments  []Shipment
	Events     map[int64][]tracking.Event
	Actions    map[int64][]CustomerAction
	ETAChanges map[int64][]ETAChange
}

// PageRows loads the page a token opens (a shipment's, or the order's own)
// in two round trips however many parcels the order has: the order, then
// the shop, the images of its products, shipments, scans, requests and ETA
// changes at once (in one batch on one Postgres connection; SQLite's one
// connection takes them in turn). A token that opens nothing is
// ErrNotFound.
func (db *DB) PageRows(ctx context.Context, token string) (*PageRows, error) {
	if token == "" {
		return nil, fmt.Errorf("page: %w", ErrNotFound)
	}
	r, events, actions, etas, err := db.pageRows(ctx, token)
	if err != nil {
		return nil, err
	}
	r.Events = map[int64][]tracking.Event{}
	for _, e := range events {
		r.Events[e.ShipmentID] = append(r.Events[e.ShipmentID], e.event())
	}
	r.Actions = map[int64][]CustomerAction{}
	for _, a := range actions {
		if a.ShipmentID != nil {
			r.Actions[*a.ShipmentID] = append(r.Actions[*a.ShipmentID], a)
		}
	}
	r.ETAChanges = map[int64][]ETAChange{}
	for _, c := range etas {
		r.ETAChanges[c.ShipmentID] = append(r.ETAChanges[c.ShipmentID], c)
	}
	return r, nil
}

// The page's queries. An order's shipments are found by order alone: with
// the shop in the subquery too, Postgres may intersect the shop's whole
// shipment index with the order's, a cost that grows with the shop. An
// order's shipments are its shop's.
const (
	pageOrderSQL     = "SELECT * FROM orders WHERE id = (SELECT order_id FROM shipments WHERE public_token = ?) OR (public_token = ? AND public_token <> '') LIMIT 1"
	pageShopSQL      = "SELECT * FROM shops WHERE id = ? LIMIT 1"
	pageShipmentsSQL = "SELECT * FROM shipments WHERE order_id = ? ORDER BY id"
	pageEventsSQL    = "SELECT * FROM tracking_events WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id = ?) ORDER BY shipment_id, occurred_at, id"
	pageActionsSQL   = "SELECT * FROM customer_actions WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id = ?) ORDER BY created_at, id"
	pageETAsSQL      = "SELECT * FROM eta_changes WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id = ?) ORDER BY created_at, id"
	pgPageImagesSQL  = "SELECT * FROM product_images WHERE shop_id = $1 AND product = ANY($2)"
)

// On Postgres the rows of the order's shipments are asked for as
// "shipment_id = ANY(ARRAY(…))": the shipment IDs are found first and each
// is looked up in the table's shipment index. Written as IN (subquery),
// Postgres may plan a hash join that reads the whole table (all shops'
// scans) for every page when its statistics lag behind the table's growth,
// as they do after a bulk import: 8 ms a page at 24k scans, growing with
// every scan stored.
const (
	pgPageEventsSQL  = "SELECT * FROM tracking_events WHERE shipment_id = ANY(ARRAY(SELECT id FROM shipments WHERE order_id = $1)) ORDER BY shipment_id, occurred_at, id"
	pgPageActionsSQL = "SELECT * FROM customer_actions WHERE shipment_id = ANY(ARRAY(SELECT id FROM shipments WHERE order_id = $1)) ORDER BY created_at, id"
	pgPageETAsSQL    = "SELECT * FROM eta_changes WHERE shipment_id = ANY(ARRAY(SELECT id FROM shipments WHERE order_id = $1)) ORDER BY created_at, id"
)

// The queries both databases share, numbered for pgx once rather than on
// every page.
var (
	pgPageOrderSQL     = pgPlaceholders(pageOrderSQL)
	pgPageShopSQL      = pgPlaceholders(pageShopSQL)
	pgPageShipmentsSQL = pgPlaceholders(pageShipmentsSQL)
)

// pageRows runs the page's queries: on Postgres on one connection, those
// that follow the order in one batch (one round trip, one connection
// taken from the pool instead of five: under load, first views waited
// for connections and paid a round trip per query); on SQLite through GORM.
func (db *DB) pageRows(ctx context.Context, token string) (r *PageRows, events []TrackingEvent, actions []CustomerAction, etas []ETAChange, err error) {
	r = &PageRows{Order: &Order{}, Shop: &Shop{}}
	if db.pool == nil {
		g := db.Gorm.WithContext(ctx)
		if err := g.Raw(pageOrderSQL, token, token).Take(r.Order).Error; err != nil {
			return nil, nil, nil, nil, notFound(err, "page")
		}
		o := r.Order
		for _, q := range []struct {
			dest any
			sql  string
			args []any
		}{
			{r.Shop, pageShopSQL, []any{o.ShopID}},
			{&r.Shipments, pageShipmentsSQL, []any{o.ID}},
			{&events, pageEventsSQL, []any{o.ID}},
			{&actions, pageActionsSQL, []any{o.ID}},
			{&etas, pageETAsSQL, []any{o.ID}},
		} {
			if err := g.Raw(q.sql, q.args...).Scan(q.dest).Error; err != nil {
				return nil, nil, nil, nil, fmt.Errorf("page of order %d: %w", o.ID, err)
			}
		}
		if r.Shop.ID == 0 {
			return nil, nil, nil, nil, fmt.Errorf("shop %d: %w", o.ShopID, ErrNotFound)
		}
		cached, err := db.ProductImages(ctx, o.ShopID, imagelessProducts(o.LineItems.V))
		if err != nil {
			return nil, nil, nil, nil, fmt.Errorf("page of order %d: %w", o.ID, err)
		}
		r.Images = lineImages(o.LineItems.V, cached)
		return r, events, actions, etas, nil
	}

	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("page: %w", err)
	}
	defer conn.Release()
	rows, err := conn.Query(ctx, pgPageOrderSQL, token, token)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("page: %w", err)
	}
	n, err := db.scanRows(ctx, rows, r.Order)
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("page: %w", err)
	}
	if n == 0 {
		return nil, nil, nil, nil, fmt.Errorf("page: %w", ErrNotFound)
	}
	o := r.Order
	var shops int
	b := &pgx.Batch{}
	queue := func(dest any, n *int, sql string, args ...any) {
		b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
			got, err := db.scanRows(ctx, rows, dest)
			if n != nil {
				*n = got
			}
			return err
		})
	}
	queue(r.Shop, &shops, pgPageShopSQL, o.ShopID)
	queue(&r.Shipments, nil, pgPageShipmentsSQL, o.ID)
	queue(&events, nil, pgPageEventsSQL, o.ID)
	queue(&actions, nil, pgPageActionsSQL, o.ID)
	queue(&etas, nil, pgPageETAsSQL, o.ID)
	var images []ProductImage
	if products := imagelessProducts(o.LineItems.V); len(products) > 0 {
		queue(&images, nil, pgPageImagesSQL, o.ShopID, products)
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("page of order %d: %w", o.ID, err)
	}
	if shops == 0 {
		return nil, nil, nil, nil, fmt.Errorf("shop %d: %w", o.ShopID, ErrNotFound)
	}
	r.Images = lineImages(o.LineItems.V, byProduct(images))
	return r, events, actions, etas, nil
}

// pgPlaceholders numbers a query's ? placeholders for pgx ($1, $2…). The
// page's queries have no ? inside quotes.
func pgPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// scanRows reads rows into dest (a model, or a slice of them) as GORM's
// Find does, matching columns to fields by name, and says how many rows
// there were.
func (db *DB) scanRows(ctx context.Context, rows pgx.Rows, dest any) (int, error) {
	defer rows.Close()
	tx := db.Gorm.WithContext(ctx).Model(dest)
	if err := tx.Statement.Parse(dest); err != nil {
		return 0, err
	}
	tx.Statement.Dest = dest
	tx.Statement.ReflectValue = reflect.Indirect(reflect.ValueOf(dest))
	gorm.Scan(gormRows{rows}, tx, 0)
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return int(tx.RowsAffected), tx.Error
}

// gormRows lets GORM scan pgx's rows.
type gormRows struct{ pgx.Rows }

func (r gormRows) Columns() ([]string, error) {
	fs := r.FieldDescriptions()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names, nil
}

// ColumnTypes is only asked for when scanning into maps, which the page
// does not.
func (r gormRows) ColumnTypes() ([]*sql.ColumnType, error) {
	return nil, errors.New("column types of pgx rows: not supported")
}

func (r gormRows) Close() error {
	r.Rows.Close()
	return nil
}
