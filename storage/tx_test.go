package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// A Tx's rows and what is written on its *sql.Tx (River's InsertTx) commit
// together or not at all: SQL() is the same transaction, not another
// connection (which would not see the uncommitted order on Postgres, and
// wait forever for the only connection on SQLite).
func TestInTxCommitsOrRollsBackItsSQLWritesWithItsRows(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "tx.myshopify.com")
		errStop := errors.New("stop")
		for _, tt := range []struct {
			name   string
			result error
			want   int64
		}{
			{"rolled back", errStop, 0},
			{"committed", nil, 1},
		} {
			t.Run(tt.name, func(t *testing.T) {
				id := "o-" + tt.name
				err := db.InTx(ctx, func(tx *storage.Tx) error {
					o := &storage.Order{ShopID: shop.ID, PlatformID: id, Name: "#1"}
					if _, err := tx.UpsertOrder(ctx, o); err != nil {
						return err
					}
					res, err := tx.SQL().ExecContext(ctx, storagetest.Rebind(db, "UPDATE orders SET name = ? WHERE id = ?"), "#2", o.ID)
					if err != nil {
						return err
					}
					if n, _ := res.RowsAffected(); n != 1 {
						t.Errorf("update on Tx.SQL changed %d rows; want the order written in the same transaction", n)
					}
					return tt.result
				})
				if !errors.Is(err, tt.result) {
					t.Fatalf("InTx = %v; want %v", err, tt.result)
				}
				if got := storagetest.Count(t, db, "orders", "platform_id = ? AND name = ?", id, "#2"); got != tt.want {
					t.Fatalf("%d orders named by Tx.SQL after the transaction; want %d", got, tt.want)
				}
			})
		}
	})
}

// Tx.Shop runs a shop's queries inside the transaction and only on its rows.
func TestTxShopIsScopedToItsShop(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		own, other := newShop(t, db, "own.myshopify.com"), newShop(t, db, "other.myshopify.com")
		d := &storage.WebhookDelivery{ShopID: &own.ID, Platform: storage.Shopify, DeliveryID: "d1", Topic: "orders/updated",
			Payload: []byte(`{}`), Status: storage.DeliveryFailed, ReceivedAt: db.Now()}
		if _, err := db.RecordDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		s := newShipment(t, db, own, "1Z0001")
		fired := []tracking.Fired{{Trigger: tracking.TriggerShipped, Key: "shipped", At: db.Now()}}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.Shop(other.ID).ResetDelivery(ctx, d.ID); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("another shop resets the delivery: %v; want ErrNotFound", err)
			}
			if err := tx.Shop(own.ID).ResetDelivery(ctx, d.ID); err != nil {
				return err
			}
			for i, want := range []int{1, 0} {
				fresh, err := tx.Shop(own.ID).FireTriggers(ctx, s.ID, fired)
				if err != nil {
					return err
				}
				if len(fresh) != want {
					t.Errorf("FireTriggers call %d returned %d fresh triggers; want %d", i+1, len(fresh), want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := storagetest.Count(t, db, "webhook_deliveries", "id = ? AND status = ?", d.ID, storage.DeliveryReceived); n != 1 {
			t.Errorf("delivery not reset for replay (%d rows)", n)
		}
		if n := storagetest.Count(t, db, "shipment_triggers", "shop_id = ? AND shipment_id = ?", own.ID, s.ID); n != 1 {
			t.Errorf("%d triggers stored; want 1", n)
		}
	})
}

func TestStopPollingClearsOnlyTheGivenShipments(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		shop := newShop(t, db, "stop.myshopify.com")
		stopped, polled := newShipment(t, db, shop, "1Z0001"), newShipment(t, db, shop, "1Z0002")
		if err := db.StopPolling(ctx, nil); err != nil {
			t.Fatalf("StopPolling(nil) = %v", err)
		}
		if err := db.StopPolling(ctx, []int64{stopped.ID}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			s    *storage.Shipment
			want int64
		}{{stopped, 0}, {polled, 1}} {
			if n := storagetest.Count(t, db, "shipments", "id = ? AND next_poll_at IS NOT NULL", tt.s.ID); n != tt.want {
				t.Errorf("shipment %s: %d scheduled; want %d", tt.s.TrackingNumber, n, tt.want)
			}
		}
	})
}

func TestPingFailsOnAClosedDatabase(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if err := db.Ping(ctx); err != nil {
			t.Fatalf("Ping = %v", err)
		}
		db.Close()
		if err := db.Ping(ctx); err == nil {
			t.Fatal("Ping on a closed database = nil; want an error")
		}
	})
}
