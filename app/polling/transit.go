package polling

import (
	"slices"
	"sync"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// transitModel is the learned transit-time distribution, shared by the
// poll jobs of this process and rebuilt from delivered history at start.
type transitModel struct {
	mu sync.Mutex
	m  *tracking.TransitModel
}

// Model returns a snapshot safe to read while others observe.
func (t *transitModel) Model() *tracking.TransitModel {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = tracking.NewTransitModel()
	}
	cp := tracking.NewTransitModel()
	for k, v := range t.m.Lanes {
		cp.Lanes[k] = slices.Clone(v)
	}
	cp.PriorWeight = t.m.PriorWeight
	return cp
}

// learn rebuilds the model from delivered history.
func (t *transitModel) learn(history []storage.Delivered) {
	m := tracking.NewTransitModel()
	for _, h := range history {
		cal := tracking.CalendarFor(h.Carrier, h.Service)
		m.Observe(tracking.Lane{Carrier: h.Carrier, Service: h.Service, Origin: h.OriginRegion, Destination: h.DestRegion},
			tracking.TransitDays(h.ShippedAt, h.DeliveredAt, cal))
	}
	t.mu.Lock()
	t.m = m
	t.mu.Unlock()
}

// Observe adds one delivered shipment.
func (t *transitModel) Observe(l tracking.Lane, days int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = tracking.NewTransitModel()
	}
	t.m.Observe(l, days)
}
