package orders

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// The lifecycle tests feed the syncer the platforms' own example payloads
// (testdata/SOURCES.md) and the later states derived from them, as stored
// webhook deliveries, and check what is tracked.

// firedRecorder stands in for the messaging feature: it keeps the triggers
// the syncer hands on (River is not running in these tests).
type firedRecorder struct{ fired []firedFor }

type firedFor struct {
	shipment int64
	trigger  tracking.Trigger
}

func (r *firedRecorder) EnqueueOn(_ context.Context, _ *storage.Tx, _ string, id int64, fired []tracking.Fired) error {
	for _, f := range fired {
		r.fired = append(r.fired, firedFor{id, f.Trigger})
	}
	return nil
}

func (r *firedRecorder) count(t tracking.Trigger) int {
	n := 0
	for _, f := range r.fired {
		if f.trigger == t {
			n++
		}
	}
	return n
}

type lifecycle struct {
	t     *testing.T
	db    *storage.DB
	s     *Syncer
	shop  *storage.Shop
	fired *firedRecorder
}

func newLifecycle(t *testing.T, platform storage.Platform, domain string) *lifecycle {
	t.Helper()
	db := storagetest.Open(t, storage.SQLite)
	shop := &storage.Shop{Platform: platform, Domain: domain, Name: "Shop", Status: "active"}
	if err := db.UpsertShop(context.Background(), shop); err != nil {
		t.Fatal(err)
	}
	rec := &firedRecorder{}
	return &lifecycle{t: t, db: db, s: New(Deps{DB: db, Notifier: rec}), shop: shop, fired: rec}
}

// deliver processes one stored delivery of topic, failing the test on an
// error.
func (l *lifecycle) deliver(topic string, body []byte) {
	l.t.Helper()
	d := &storage.WebhookDelivery{Platform: l.shop.Platform, ShopDomain: l.shop.Domain, Topic: topic, Payload: body}
	var err error
	if l.shop.Platform == storage.Shopify {
		err = l.s.processShopify(context.Background(), d)
	} else {
		err = l.s.processWoo(context.Background(), d)
	}
	if err != nil {
		l.t.Fatalf("%s: %v", topic, err)
	}
}

// shipments maps each tracking number to its shipment.
func (l *lifecycle) shipments() map[string]storage.Shipment {
	l.t.Helper()
	var all []storage.Shipment
	if err := l.db.Gorm.Where("shop_id = ?", l.shop.ID).Order("id").Find(&all).Error; err != nil {
		l.t.Fatal(err)
	}
	out := map[string]storage.Shipment{}
	for _, s := range all {
		out[s.TrackingNumber] = s
	}
	return out
}

func (l *lifecycle) order(platformID string) *storage.Order {
	l.t.Helper()
	o, err := l.db.OrderByPlatformID(context.Background(), l.shop.ID, platformID)
	if err != nil {
		l.t.Fatal(err)
	}
	return o
}

// fixture reads a sample, unwrapping {"order": …} and the like.
func fixture(t *testing.T, name, wrapper string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if wrapper != "" {
		v = v[wrapper].(map[string]any)
	}
	return v
}

// derive copies v and applies change to the copy: a later state of the
// same object.
func derive(t *testing.T, v map[string]any, change func(map[string]any)) map[string]any {
	t.Helper()
	b, _ := json.Marshal(v)
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	change(c)
	return c
}

func body(t *testing.T, v map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	shopifyDomain  = "lifecycle.myshopify.com"
	shopifyOrderID = "gid://shopify/Order/450789469"
)

// shopifyShipped is Shopify's example order with its Bluedart fulfillment
// 1022782888 (number 123456789) shipped.
func shopifyShipped(t *testing.T) *lifecycle {
	l := newLifecycle(t, storage.Shopify, shopifyDomain)
	l.deliver("orders/create", body(t, fixture(t, "shopify_order_450789469.json", "order")))
	l.deliver("fulfillments/create", body(t, fixture(t, "shopify_fulfillment_1022782888.json", "fulfillment")))
	if s, ok := l.shipments()["123456789"]; !ok || s.Ended != "" {
		t.Fatalf("after fulfillments/create: shipments %v; want 123456789 tracked", l.shipments())
	}
	return l
}

// A fulfillments/update retried after a newer state (Shopify's example:
// fulfillment 255858046 is `failure` on the order, `pending` in the older
// update) changes nothing: no shipment for its number.
func TestStaleFulfillmentUpdateChangesNothing(t *testing.T) {
	l := newLifecycle(t, storage.Shopify, shopifyDomain)
	l.deliver("orders/create", body(t, fixture(t, "shopify_order_450789469.json", "order")))
	l.deliver("fulfillments/update", body(t, fixture(t, "shopify_fulfillment_255858046.json", "fulfillment")))
	if got := l.shipments(); len(got) != 0 {
		t.Fatalf("shipments after a stale pending update of a failed fulfillment: %v; want none", got)
	}
}

// A fulfillment that is cancelled, fails or errors ends its shipment: no
// more polls and nothing left to send; an older copy of the fulfillment
// arriving later does not bring it back.
func TestCancelledFulfillmentEndsItsShipment(t *testing.T) {
	for _, status := range []string{"cancelled", "failure", "error"} {
		t.Run(status, func(t *testing.T) {
			l := shopifyShipped(t)
			ship := l.shipments()["123456789"]
			storagetest.Exec(t, l.db, "INSERT INTO notifications (shop_id, shipment_id, trigger, channel, recipient, dedupe_key, status, created_at, updated_at) VALUES (?, ?, 'in_transit', 'email', 'bob@example.com', 'k', 'scheduled', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", l.shop.ID, ship.ID)
			original := fixture(t, "shopify_fulfillment_1022782888.json", "fulfillment")
			l.deliver("fulfillments/update", body(t, derive(t, original, func(f map[string]any) {
				f["status"], f["updated_at"] = status, "2018-07-06T09:00:00-04:00"
			})))
			l.deliver("fulfillments/update", body(t, original)) // the older success, retried
			got := l.shipments()["123456789"]
			if got.Ended != storage.StopCancelled || got.NextPollAt != nil {
				t.Fatalf("shipment after fulfillment %s: ended %q, next poll %v; want %q and no poll", status, got.Ended, got.NextPollAt, storage.StopCancelled)
			}
			if n := storagetest.Count(t, l.db, "notifications", "shipment_id = ? AND status = 'scheduled'", ship.ID); n != 0 {
				t.Fatalf("%d messages still scheduled for the cancelled shipment; want them skipped", n)
			}
		})
	}
}

// A fulfillment whose number changes (or loses it) retires the old
// shipment, kept in history but not polled, and tracks the new one, which
// tells the shopper it shipped.
func TestChangedTrackingNumberRetiresTheOldShipment(t *testing.T) {
	tests := []struct {
		name    string
		numbers []any
		want    []string // tracked afterwards
		shipped int      // "shipped" fired in all: once per number
	}{
		{"number corrected", []any{"1Z999AA10123456784"}, []string{"1Z999AA10123456784"}, 2},
		{"number removed", []any{}, nil, 1},
		{"second number added", []any{"123456789", "1Z999AA10123456784"}, []string{"123456789", "1Z999AA10123456784"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := shopifyShipped(t)
			l.deliver("fulfillments/update", body(t, derive(t, fixture(t, "shopify_fulfillment_1022782888.json", "fulfillment"), func(f map[string]any) {
				f["tracking_numbers"], f["updated_at"] = tt.numbers, "2018-07-06T09:00:00-04:00"
				f["tracking_number"] = nil
				if len(tt.numbers) > 0 {
					f["tracking_number"] = tt.numbers[0]
				}
			})))
			var tracked []string
			for n, s := range l.shipments() {
				switch {
				case s.Ended == "":
					tracked = append(tracked, n)
				case s.Ended != storage.EndReplaced || s.NextPollAt != nil:
					t.Errorf("retired %s: ended %q, next poll %v; want %q and no poll", n, s.Ended, s.NextPollAt, storage.EndReplaced)
				}
			}
			if !sameSet(tracked, tt.want) {
				t.Fatalf("tracked %v; want %v", tracked, tt.want)
			}
			if got := l.fired.count(tracking.TriggerShipped); got != tt.shipped {
				t.Fatalf("shipped fired %d times; want %d (once per number)", got, tt.shipped)
			}
		})
	}
}

// Refunds stop tracking once nothing is left to deliver: Shopify's example
// refund takes back two of three lines (tracking goes on); a second refund
// of the last line stops it and tells the shopper, once, however often it
// is delivered.
func TestRefundsStopTrackingWhenNothingIsLeft(t *testing.T) {
	l := shopifyShipped(t)
	refund := fixture(t, "shopify_refund_509562969.json", "refund")
	l.deliver("refunds/create", body(t, refund))
	if s := l.shipments()["123456789"]; s.Ended != "" {
		t.Fatalf("after a refund of 2 of 3 lines the shipment ended (%q); want it tracked", s.Ended)
	}
	last := derive(t, refund, func(r map[string]any) {
		r["id"] = 509562970
		r["refund_line_items"] = []any{map[string]any{"id": 104689540, "quantity": 1, "line_item_id": 518995019}}
	})
	l.deliver("refunds/create", body(t, last))
	l.deliver("refunds/create", body(t, last)) // delivered again
	if s := l.shipments()["123456789"]; s.Ended != storage.StopRefunded || s.NextPollAt != nil {
		t.Fatalf("after every line was refunded: ended %q, next poll %v; want %q", s.Ended, s.NextPollAt, storage.StopRefunded)
	}
	if n := l.fired.count(tracking.TriggerCancelled); n != 1 {
		t.Fatalf("cancelled fired %d times; want once", n)
	}
	if o := l.order(shopifyOrderID); o.Stopped != storage.StopRefunded {
		t.Fatalf("order stopped %q; want %q", o.Stopped, storage.StopRefunded)
	}
}

// orders/cancelled (and an orders/updated that says cancelled) stops the
// order's parcels; the shopper, told it shipped, hears it once.
func TestCancelledOrderStopsTrackingAndTellsOnce(t *testing.T) {
	l := shopifyShipped(t)
	cancelled := derive(t, fixture(t, "shopify_order_450789469.json", "order"), func(o map[string]any) {
		o["cancelled_at"], o["cancel_reason"], o["updated_at"] = "2018-07-07T10:00:00-04:00", "customer", "2018-07-07T10:00:00-04:00"
	})
	l.deliver("orders/cancelled", body(t, cancelled))
	l.deliver("orders/updated", body(t, derive(t, cancelled, func(o map[string]any) { o["updated_at"] = "2018-07-07T10:05:00-04:00" })))
	if s := l.shipments()["123456789"]; s.Ended != storage.StopCancelled || s.NextPollAt != nil {
		t.Fatalf("shipment of a cancelled order: ended %q, next poll %v; want %q", s.Ended, s.NextPollAt, storage.StopCancelled)
	}
	if n := l.fired.count(tracking.TriggerCancelled); n != 1 {
		t.Fatalf("cancelled fired %d times; want once", n)
	}
}

// An order cancelled before anything shipped stops without a message: the
// shopper never heard it shipped.
func TestOrderCancelledBeforeShippingSendsNothing(t *testing.T) {
	l := newLifecycle(t, storage.Shopify, shopifyDomain)
	l.deliver("orders/cancelled", body(t, derive(t, fixture(t, "shopify_order_450789469.json", "order"), func(o map[string]any) {
		o["cancelled_at"], o["fulfillments"] = "2008-01-10T12:00:00-05:00", []any{}
	})))
	if o := l.order(shopifyOrderID); o.Stopped != storage.StopCancelled {
		t.Fatalf("order stopped %q; want %q", o.Stopped, storage.StopCancelled)
	}
	if len(l.fired.fired) != 0 {
		t.Fatalf("fired %v for an order that never shipped; want nothing", l.fired.fired)
	}
}

// An order edit that removes every line stops tracking.
func TestEditRemovingEveryItemStopsTracking(t *testing.T) {
	l := shopifyShipped(t)
	edit := map[string]any{"order_edit": map[string]any{
		"id": 78912328, "app_id": nil, "created_at": "2018-07-07T10:00:00-04:00", "notify_customer": false,
		"order_id": 450789469, "staff_note": "", "user_id": nil,
		"line_items": map[string]any{"additions": []any{}, "removals": []any{
			map[string]any{"id": 466157049, "delta": 1}, map[string]any{"id": 518995019, "delta": 1},
			map[string]any{"id": 703073504, "delta": 1},
		}},
	}}
	l.deliver("orders/edited", body(t, edit))
	if s := l.shipments()["123456789"]; s.Ended != storage.StopItemsRemoved {
		t.Fatalf("shipment after an edit removed every line: ended %q; want %q", s.Ended, storage.StopItemsRemoved)
	}
	// A later orders/updated without current_quantity keeps what the edit removed.
	l.deliver("orders/updated", body(t, derive(t, fixture(t, "shopify_order_450789469.json", "order"), func(o map[string]any) {
		o["updated_at"] = "2018-07-07T10:05:00-04:00"
	})))
	if o := l.order(shopifyOrderID); o.Stopped != storage.StopItemsRemoved || o.LineItems.V[0].Left() != 0 {
		t.Fatalf("order after a later update: stopped %q, first line left %d; want stopped and nothing left", o.Stopped, o.LineItems.V[0].Left())
	}
}

const wooDomain = "https://shop.example"

// wooTracked is the REST docs' order 727 with one Shipment Tracking row.
func wooTracked(t *testing.T) (*lifecycle, map[string]any) {
	l := newLifecycle(t, storage.WooCommerce, wooDomain)
	order := derive(t, fixture(t, "woocommerce_order_727.json", ""), func(o map[string]any) {
		o["meta_data"] = append(o["meta_data"].([]any), map[string]any{"id": 13200, "key": "_wc_shipment_tracking_items", "value": []any{
			map[string]any{"tracking_provider": "USPS", "custom_tracking_provider": "", "custom_tracking_link": "",
				"tracking_number": "9400111899560000000000", "date_shipped": "1490212800", "tracking_id": "7f4978c390ee633c6294ae0f258656f9"},
		}})
	})
	l.deliver("order.updated", body(t, order))
	if s, ok := l.shipments()["9400111899560000000000"]; !ok || s.Ended != "" {
		t.Fatalf("shipments %v; want the tracking row's number tracked", l.shipments())
	}
	return l, order
}

// WooCommerce: a tracking row the merchant deletes retires its shipment; a
// cancelled or refunded order stops tracking.
func TestWooChangesStopTracking(t *testing.T) {
	tests := []struct {
		name   string
		change func(o map[string]any)
		want   string
	}{
		{"tracking row removed", func(o map[string]any) {
			o["meta_data"] = o["meta_data"].([]any)[:2]
		}, storage.EndReplaced},
		{"order cancelled", func(o map[string]any) { o["status"] = "cancelled" }, storage.StopCancelled},
		{"order refunded", func(o map[string]any) { o["status"] = "refunded" }, storage.StopRefunded},
		{"order trashed", func(o map[string]any) { o["status"] = "trash" }, storage.StopCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, order := wooTracked(t)
			l.deliver("order.updated", body(t, derive(t, order, func(o map[string]any) {
				tt.change(o)
				o["date_modified_gmt"], o["date_modified"] = "2017-03-23T10:00:00", "2017-03-23T10:00:00"
			})))
			if s := l.shipments()["9400111899560000000000"]; s.Ended != tt.want || s.NextPollAt != nil {
				t.Fatalf("ended %q, next poll %v; want %q and no poll", s.Ended, s.NextPollAt, tt.want)
			}
		})
	}
}

// A deleted WooCommerce order stops its parcels.
func TestWooDeletedOrderStopsTracking(t *testing.T) {
	l, _ := wooTracked(t)
	l.deliver("order.deleted", []byte(`{"id":727}`))
	if s := l.shipments()["9400111899560000000000"]; s.Ended != storage.StopCancelled || s.NextPollAt != nil {
		t.Fatalf("parcel of a deleted order: ended %q, next poll %v; want cancelled", s.Ended, s.NextPollAt)
	}
}

// WooCommerce sends line item names HTML-encoded; they are stored decoded,
// once, so the page escapes them once.
func TestWooLineItemNamesAreDecodedOnce(t *testing.T) {
	l, _ := wooTracked(t)
	items := l.order("727").LineItems.V
	if len(items) != 2 || items[1].Title != "Ship Your Idea – Color: Black, Size: M Test" {
		t.Fatalf("line items %+v; want the second named with a real en dash", items)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// A Shopify return is tracked like any parcel, as a return: its reverse
// delivery's number fires "return label created"; refunding the order (how
// a return ends) keeps following it; a cancelled return ends it.
func TestShopifyReturnIsTrackedAsAReturn(t *testing.T) {
	ret := map[string]any{
		"id": 945000954, "admin_graphql_api_id": "gid://shopify/Return/945000954", "status": "open", "name": "#1001-R1",
		"order": map[string]any{"id": 450789469, "admin_graphql_api_id": "gid://shopify/Order/450789469"},
	}
	delivery := map[string]any{
		"id": 1003981, "admin_graphql_api_id": "gid://shopify/ReverseDelivery/1003981",
		"return": map[string]any{"id": 945000954, "admin_graphql_api_id": "gid://shopify/Return/945000954"},
		"shipping_deliverable": map[string]any{"tracking": map[string]any{
			"carrier_name": "USPS", "tracking_number": "9400111899560000000000", "tracking_url": "https://tools.usps.com/tracking/9400111899560000000000",
		}},
	}
	t.Run("refunded after", func(t *testing.T) {
		l := shopifyShipped(t)
		l.deliver("returns/request", body(t, ret))
		l.deliver("reverse_deliveries/attach_deliverable", body(t, delivery))
		back := l.shipments()["9400111899560000000000"]
		if back.Kind != storage.KindReturn || back.Ended != "" || back.NextPollAt == nil {
			t.Fatalf("return parcel: kind %q, ended %q, next poll %v; want a tracked return", back.Kind, back.Ended, back.NextPollAt)
		}
		if l.fired.count(tracking.TriggerReturnLabel) != 1 {
			t.Fatalf("fired %v; want return_label_created once", l.fired.fired)
		}
		l.deliver("orders/updated", body(t, derive(t, fixture(t, "shopify_order_450789469.json", "order"), func(o map[string]any) {
			o["financial_status"], o["updated_at"] = "refunded", "2018-07-09T10:00:00-04:00"
		})))
		if got := l.shipments(); got["9400111899560000000000"].Ended != "" || got["123456789"].Ended != storage.StopRefunded {
			t.Fatalf("after the refund: return ended %q, delivery ended %q; want the return still followed", got["9400111899560000000000"].Ended, got["123456789"].Ended)
		}
	})
	t.Run("return cancelled", func(t *testing.T) {
		l := shopifyShipped(t)
		l.deliver("returns/request", body(t, ret))
		l.deliver("reverse_deliveries/attach_deliverable", body(t, delivery))
		l.deliver("returns/cancel", body(t, derive(t, ret, func(r map[string]any) { r["status"] = "canceled" })))
		if s := l.shipments()["9400111899560000000000"]; s.Ended != storage.StopCancelled || s.NextPollAt != nil {
			t.Fatalf("parcel of a cancelled return: ended %q, next poll %v; want cancelled", s.Ended, s.NextPollAt)
		}
		if s := l.shipments()["123456789"]; s.Ended != "" {
			t.Fatalf("the order's own parcel ended %q; want it untouched", s.Ended)
		}
	})
}

// A WooCommerce tracking row the merchant flags as a return is tracked as
// the shopper's return.
func TestWooReturnRowIsTrackedAsAReturn(t *testing.T) {
	l, order := wooTracked(t)
	l.deliver("order.updated", body(t, derive(t, order, func(o map[string]any) {
		meta := o["meta_data"].([]any)
		row := meta[2].(map[string]any)
		row["value"] = append(row["value"].([]any), map[string]any{
			"tracking_provider": "UPS", "tracking_number": "1Z999AA10123456784", "date_shipped": "1490400000",
			"tracking_id": "b1", "ordertrack_return": true,
		})
		o["date_modified_gmt"] = "2017-03-25T10:00:00"
	})))
	got := l.shipments()
	if got["1Z999AA10123456784"].Kind != storage.KindReturn || got["9400111899560000000000"].Kind != storage.KindDelivery {
		t.Fatalf("kinds: return row %q, parcel %q; want return and delivery", got["1Z999AA10123456784"].Kind, got["9400111899560000000000"].Kind)
	}
	if l.fired.count(tracking.TriggerReturnLabel) != 1 {
		t.Fatalf("fired %v; want return_label_created once", l.fired.fired)
	}
}
