package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Push subscription states.
const (
	SubscriptionLive   = "live"   // the carrier pushes (until ExpiresAt, when set)
	SubscriptionFailed = "failed" // the carrier refused it: the shipment is polled
	SubscriptionEnded  = "ended"  // the shipment needs no more news
	// SubscriptionPending: the subscribe call failed (the carrier was down
	// or erred); it is asked again from RetryAt, and the shipment is polled.
	SubscriptionPending = "pending"
)

// PushSubscription is one shipment's push subscription with its carrier.
type PushSubscription struct {
	ShipmentID     int64 `gorm:"primaryKey;autoIncrement:false"`
	ShopID         int64
	Carrier        string
	TrackingNumber string
	CarrierRef     string // the carrier's subscription id, to unsubscribe
	Status         string
	SubscribedAt   time.Time
	ExpiresAt      *time.Time
	LastPushAt     *time.Time
	Pushes         int
	Failure        string
	// ConfirmedAt is when a poll last found nothing unpushed (see
	// tracking.PushConfirmed).
	ConfirmedAt *time.Time
	// RetryAt and Attempts back off failed subscribe calls: not asked
	// again before RetryAt; Attempts counts the failures in a row.
	RetryAt  *time.Time
	Attempts int
}

// Watch is what the polling policy knows of the subscription at now.
func (s PushSubscription) Watch(now time.Time) tracking.PushWatch {
	w := tracking.PushWatch{Since: s.SubscribedAt.UTC()}
	w.Live = s.Status == SubscriptionLive && (s.ExpiresAt == nil || s.ExpiresAt.After(now))
	if s.LastPushAt != nil {
		w.LastPushAt = s.LastPushAt.UTC()
	}
	if s.ConfirmedAt != nil {
		w.ConfirmedAt = s.ConfirmedAt.UTC()
	}
	return w
}

// ShipmentsToSubscribe returns up to limit polled shipments on carrier
// without a live subscription lasting beyond renewBy: never subscribed,
// expiring (UPS's lapse after 14 days), or whose subscribe call failed and
// is due again at now. Refused and ended ones are not asked again.
func (db *DB) ShipmentsToSubscribe(ctx context.Context, carrier string, now, renewBy time.Time, limit int) ([]Shipment, error) {
	var out []Shipment
	err := db.Gorm.WithContext(ctx).
		Where("carrier = ? AND next_poll_at IS NOT NULL", carrier).
		Where(`NOT EXISTS (SELECT 1 FROM push_subscriptions ps WHERE ps.shipment_id = shipments.id
			AND ((ps.status <> ? AND ps.status <> ?) OR (ps.status = ? AND (ps.expires_at IS NULL OR ps.expires_at > ?))
				OR ps.retry_at > ?))`,
			SubscriptionLive, SubscriptionPending, SubscriptionLive, renewBy.UTC(), now.UTC()).
		Order("id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("%s shipments to subscribe: %w", carrier, err)
	}
	return out, nil
}

// SaveSubscriptions stores subscriptions, replacing each shipment's
// previous one (a renewal keeps its push count) and clearing any backoff.
func (db *DB) SaveSubscriptions(ctx context.Context, subs []PushSubscription) error {
	if len(subs) == 0 {
		return nil
	}
	for i := range subs {
		subs[i].RetryAt, subs[i].Attempts = nil, 0
	}
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shipment_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"carrier_ref", "status", "subscribed_at", "expires_at", "failure", "retry_at", "attempts"}),
	}).Create(&subs).Error
	if err != nil {
		return fmt.Errorf("store %d push subscriptions: %w", len(subs), err)
	}
	return nil
}

// DeferSubscriptions records a failed subscribe call for ships: each is
// asked again no sooner than retryAt(attempts), attempts counting this
// failure. A live subscription being renewed stays live meanwhile; a
// shipment without one gets a pending row (polled as without push).
func (db *DB) DeferSubscriptions(ctx context.Context, ships []Shipment, now time.Time, retryAt func(attempts int) time.Time) error {
	return db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, s := range ships {
			var sub PushSubscription
			err := tx.Where("shipment_id = ?", s.ID).Limit(1).Find(&sub).Error
			if err != nil {
				return fmt.Errorf("push subscription of shipment %d: %w", s.ID, err)
			}
			at := retryAt(sub.Attempts + 1).UTC()
			if sub.ShipmentID == 0 {
				err = tx.Create(&PushSubscription{ShipmentID: s.ID, ShopID: s.ShopID, Carrier: s.Carrier, TrackingNumber: s.TrackingNumber,
					Status: SubscriptionPending, SubscribedAt: now.UTC(), RetryAt: &at, Attempts: 1}).Error
			} else {
				err = tx.Model(&PushSubscription{}).Where("shipment_id = ?", s.ID).
					UpdateColumns(map[string]any{"retry_at": at, "attempts": sub.Attempts + 1}).Error
			}
			if err != nil {
				return fmt.Errorf("defer push subscription of shipment %d: %w", s.ID, err)
			}
		}
		return nil
	})
}

// ConfirmPushes records that a poll at found nothing the pushes about the
// shipment had not brought.
func (db *DB) ConfirmPushes(ctx context.Context, shipmentID int64, at time.Time) error {
	err := db.Gorm.WithContext(ctx).Model(&PushSubscription{}).Where("shipment_id = ?", shipmentID).
		UpdateColumn("confirmed_at", at.UTC()).Error
	if err != nil {
		return fmt.Errorf("confirm pushes of shipment %d: %w", shipmentID, err)
	}
	return nil
}

// SubscriptionsToEnd returns up to limit live subscriptions on carrier
// whose shipment is no longer polled (delivered, returned, expired).
func (db *DB) SubscriptionsToEnd(ctx context.Context, carrier string, limit int) ([]PushSubscription, error) {
	var out []PushSubscription
	err := db.Gorm.WithContext(ctx).
		Where("carrier = ? AND status = ?", carrier, SubscriptionLive).
		Where("NOT EXISTS (SELECT 1 FROM shipments s WHERE s.id = push_subscriptions.shipment_id AND s.next_poll_at IS NOT NULL)").
		Order("shipment_id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("%s subscriptions to end: %w", carrier, err)
	}
	return out, nil
}

// EndSubscription marks a shipment's subscription ended.
func (db *DB) EndSubscription(ctx context.Context, shipmentID int64) error {
	err := db.Gorm.WithContext(ctx).Model(&PushSubscription{}).Where("shipment_id = ?", shipmentID).
		UpdateColumn("status", SubscriptionEnded).Error
	if err != nil {
		return fmt.Errorf("end push subscription of shipment %d: %w", shipmentID, err)
	}
	return nil
}

// Subscription returns a shipment's push subscription; ErrNotFound when it
// has none.
func (db *DB) Subscription(ctx context.Context, shipmentID int64) (PushSubscription, error) {
	var s PushSubscription
	if err := db.Gorm.WithContext(ctx).Where("shipment_id = ?", shipmentID).Take(&s).Error; err != nil {
		return PushSubscription{}, notFound(err, "push subscription of shipment %d", shipmentID)
	}
	return s, nil
}

// RecordPushed counts a push about a shipment, received at.
func (db *DB) RecordPushed(ctx context.Context, shipmentID int64, at time.Time) error {
	err := db.Gorm.WithContext(ctx).Model(&PushSubscription{}).Where("shipment_id = ?", shipmentID).
		UpdateColumns(map[string]any{"last_push_at": at.UTC(), "pushes": gorm.Expr("pushes + 1")}).Error
	if err != nil {
		return fmt.Errorf("record push of shipment %d: %w", shipmentID, err)
	}
	return nil
}

// CarrierPushStat is one carrier's push counters at the intake.
type CarrierPushStat struct {
	Carrier    string `gorm:"primaryKey"`
	Received   int64
	Rejected   int64
	LastPushAt *time.Time
}

// CountPush counts one push from carrier at the intake: accepted (stored)
// or rejected (its credential or signature did not verify).
func (db *DB) CountPush(ctx context.Context, carrier string, accepted bool, at time.Time) error {
	row := CarrierPushStat{Carrier: carrier}
	update := map[string]any{}
	if accepted {
		t := at.UTC()
		row.Received, row.LastPushAt = 1, &t
		update["received"] = gorm.Expr("carrier_push_stats.received + 1")
		update["last_push_at"] = t
	} else {
		row.Rejected = 1
		update["rejected"] = gorm.Expr("carrier_push_stats.rejected + 1")
	}
	err := db.Gorm.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "carrier"}}, DoUpdates: clause.Assignments(update),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("count %s push: %w", carrier, err)
	}
	return nil
}

// PushStat is what a shop sees of one carrier's pushes: its shipments with
// a live subscription, the pushes about them and the latest, and the
// pushes the intake rejected (for every shop: an unverified push names no
// shop).
type PushStat struct {
	Carrier    string
	Subscribed int64
	Received   int64
	Rejected   int64
	LastPushAt *time.Time
}

// PushStats returns shopID's push figures for each carrier in carriers.
func (db *DB) PushStats(ctx context.Context, shopID int64, carriers []string) ([]PushStat, error) {
	type agg struct {
		Carrier    string
		Subscribed int64
		Received   int64
	}
	var rows []agg
	err := db.Gorm.WithContext(ctx).Model(&PushSubscription{}).
		Select("carrier, SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS subscribed, SUM(pushes) AS received", SubscriptionLive).
		Where("shop_id = ? AND carrier IN ?", shopID, carriers).Group("carrier").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("push stats of shop %d: %w", shopID, err)
	}
	var intake []CarrierPushStat
	if err := db.Gorm.WithContext(ctx).Where("carrier IN ?", carriers).Find(&intake).Error; err != nil {
		return nil, fmt.Errorf("push intake stats: %w", err)
	}
	out := make([]PushStat, len(carriers))
	for i, c := range carriers {
		out[i].Carrier = c
		for _, r := range rows {
			if r.Carrier == c {
				out[i].Subscribed, out[i].Received = r.Subscribed, r.Received
			}
		}
		var latest PushSubscription
		err := db.Gorm.WithContext(ctx).Where("shop_id = ? AND carrier = ? AND last_push_at IS NOT NULL", shopID, c).
			Order("last_push_at DESC").Limit(1).Find(&latest).Error
		if err != nil {
			return nil, fmt.Errorf("latest %s push of shop %d: %w", c, shopID, err)
		}
		if latest.LastPushAt != nil {
			t := latest.LastPushAt.UTC()
			out[i].LastPushAt = &t
		}
		for _, s := range intake {
			if s.Carrier == c {
				out[i].Rejected = s.Rejected
			}
		}
	}
	return out, nil
}

// LiveSubscriptions counts live subscriptions per carrier (the metrics
// gauge).
func (db *DB) LiveSubscriptions(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Carrier string
		N       int64
	}
	err := db.Gorm.WithContext(ctx).Model(&PushSubscription{}).Select("carrier, COUNT(*) AS n").
		Where("status = ?", SubscriptionLive).Group("carrier").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count live push subscriptions: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Carrier] = r.N
	}
	return out, nil
}
