package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// State returns the shipment's derived status.
func (s *Shipment) State() tracking.State {
	return tracking.State{
		Stage: tracking.Stage(s.Stage), Problem: tracking.Problem(s.Problem), Substatus: s.Substatus,
		LastEventAt: deref(s.LastEventAt), StageAt: deref(s.StageAt), ProblemAt: deref(s.ProblemAt), Expired: s.Expired,
	}
}

// ETA returns the shipment's current estimate.
func (s *Shipment) ETA() tracking.ETA {
	return tracking.ETA{Window: tracking.Window{Earliest: deref(s.ETAEarliest), Latest: deref(s.ETALatest)}, Source: s.ETASource}
}

func (s *Shipment) setState(st tracking.State) {
	s.Stage, s.Problem, s.Substatus, s.Expired = string(st.Stage), string(st.Problem), st.Substatus, st.Expired
	s.LastEventAt, s.StageAt, s.ProblemAt = ptr(st.LastEventAt), ptr(st.StageAt), ptr(st.ProblemAt)
}

// Events returns a shipment's stored timeline, oldest first.
func (db *DB) Events(ctx context.Context, shipmentID int64) ([]tracking.Event, error) {
	var rows []TrackingEvent
	if err := db.Gorm.WithContext(ctx).Where("shipment_id = ?", shipmentID).Order("occurred_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("events of shipment %d: %w", shipmentID, err)
	}
	out := make([]tracking.Event, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, nil
}

func (r TrackingEvent) event() tracking.Event {
	return tracking.Event{
		Time: r.OccurredAt.UTC(), Stage: tracking.Stage(r.Stage), Problem: tracking.Problem(r.Problem),
		Movement: tracking.Movement(r.Movement), Code: r.Code, Description: r.Description,
		Location: tracking.Location{City: r.City, Region: r.Region, PostalCode: r.PostalCode, Country: r.Country},
	}
}

// Update is what one poll (or push) learned about a shipment.
type Update struct {
	Added      []tracking.Event
	Recoded    []tracking.Event // replace the stored uncoded scans they match (tracking.Merge)
	State      tracking.State
	ETA        tracking.ETA
	Service    string
	NextPollAt *time.Time // nil stops polling
	Polled     bool
	Failed     bool // the carrier call failed; counts towards backoff
	NotFound   bool
	Fired      []tracking.Fired
}

// ApplyUpdate writes a poll's outcome (atomically on a Tx): new events (a
// re-fetched event is a no-op by its fingerprint), the derived status, an
// ETA change record when the estimate moved, and the triggers. It returns the
// triggers that were not already recorded — exactly the ones to act on.
func (q queries) ApplyUpdate(ctx context.Context, s *Shipment, u Update) ([]tracking.Fired, error) {
	tx := q.g.WithContext(ctx)
	now := tx.NowFunc()
	// A poll that was under way when the store cancelled or replaced the
	// parcel must not bring it back: its news is dropped.
	var ended string
	if err := tx.Model(&Shipment{}).Where("id = ?", s.ID).Select("ended").Scan(&ended).Error; err != nil {
		return nil, fmt.Errorf("check shipment %d is tracked: %w", s.ID, err)
	}
	if ended != "" {
		s.Ended = ended
		return nil, nil
	}
	for _, e := range u.Added {
		row := TrackingEvent{
			ShopID: s.ShopID, ShipmentID: s.ID, Fingerprint: e.Fingerprint(), OccurredAt: e.Time.UTC(),
			Stage: string(e.Stage), Problem: string(e.Problem), Movement: string(e.Movement), Code: e.Code, Description: e.Description,
			City: e.Location.City, Region: e.Location.Region, PostalCode: e.Location.PostalCode, Country: e.Location.Country,
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return nil, fmt.Errorf("store event of shipment %d: %w", s.ID, err)
		}
	}
	for _, e := range u.Recoded {
		err := tx.Model(&TrackingEvent{}).Where("shipment_id = ? AND fingerprint = ?", s.ID, e.UncodedFingerprint()).Updates(map[string]any{
			"fingerprint": e.Fingerprint(), "stage": string(e.Stage), "problem": string(e.Problem), "movement": string(e.Movement),
			"code": e.Code, "description": e.Description,
		}).Error
		if err != nil {
			return nil, fmt.Errorf("recode event of shipment %d: %w", s.ID, err)
		}
	}
	prevETA := s.ETA()
	if u.ETA.Window != prevETA.Window && !u.ETA.IsZero() {
		ch := ETAChange{ShopID: s.ShopID, ShipmentID: s.ID, Earliest: ptr(u.ETA.Earliest), Latest: ptr(u.ETA.Latest), Source: u.ETA.Source}
		if err := tx.Create(&ch).Error; err != nil {
			return nil, fmt.Errorf("record eta change of shipment %d: %w", s.ID, err)
		}
	}
	s.setState(u.State)
	if !u.ETA.IsZero() {
		s.ETAEarliest, s.ETALatest, s.ETASource = ptr(u.ETA.Earliest), ptr(u.ETA.Latest), u.ETA.Source
	}
	if u.Service != "" {
		s.Service = u.Service
	}
	if s.ShippedAt == nil {
		for _, e := range u.Added {
			if e.Stage.Rank() >= tracking.StageShipped.Rank() {
				s.ShippedAt = ptr(e.Time)
				break
			}
		}
	}
	if u.State.Stage == tracking.StageDelivered && s.DeliveredAt == nil {
		s.DeliveredAt = ptr(u.State.StageAt)
	}
	s.NextPollAt = u.NextPollAt
	if u.Polled {
		s.LastPolledAt = &now
		s.PollCount++
	}
	switch {
	case u.Failed:
		s.PollFailures++
	case u.Polled:
		s.PollFailures = 0
	}
	switch {
	case u.NotFound && s.NotFoundSince == nil:
		s.NotFoundSince = &now
	case !u.NotFound && u.Polled:
		s.NotFoundSince = nil
	}
	if err := tx.Select("*").Omit("created_at", "ended", "ended_at", "kind", "items").Save(s).Error; err != nil {
		return nil, fmt.Errorf("save shipment %d: %w", s.ID, err)
	}
	return fireTriggers(tx, s.ShopID, s.ID, u.Fired)
}

// FireTriggers records triggers for a shipment and returns the ones not
// recorded before: the unique (shipment, key) makes each fire once, even when
// a poll is retried or two workers race.
func (s ShopScope) FireTriggers(ctx context.Context, shipmentID int64, fired []tracking.Fired) ([]tracking.Fired, error) {
	return fireTriggers(s.g.WithContext(ctx), s.id, shipmentID, fired)
}

func fireTriggers(tx *gorm.DB, shopID, shipmentID int64, fired []tracking.Fired) ([]tracking.Fired, error) {
	var fresh []tracking.Fired
	for _, f := range fired {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ShipmentTrigger{ShopID: shopID, ShipmentID: shipmentID, Key: f.Key, Trigger: string(f.Trigger)})
		if res.Error != nil {
			return nil, fmt.Errorf("record trigger %s of shipment %d: %w", f.Key, shipmentID, res.Error)
		}
		if res.RowsAffected == 1 {
			fresh = append(fresh, f)
		}
	}
	return fresh, nil
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func ptr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
