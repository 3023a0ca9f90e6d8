package shopper

import (
	"context"
	"fmt"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// shipmentOrder is the order and shop a shipment belongs to.
type shipmentOrder struct {
	shop  *storage.Shop
	order *storage.Order
}

// zone is the shopper's time zone: see tracking.ShopperZone.
func (m shipmentOrder) zone() *time.Location {
	return tracking.ShopperZone(m.order.Timezone, m.shop.Timezone)
}

func (p *Pages) loadOrder(ctx context.Context, s *storage.Shipment) (shipmentOrder, error) {
	order, err := p.db.OrderByID(ctx, s.OrderID)
	if err != nil {
		return shipmentOrder{}, fmt.Errorf("order of shipment %d: %w", s.ID, err)
	}
	shop, err := p.db.ShopByID(ctx, s.ShopID)
	if err != nil {
		return shipmentOrder{}, fmt.Errorf("shop of shipment %d: %w", s.ID, err)
	}
	return shipmentOrder{shop: shop, order: order}, nil
}

// previousETA is the estimate before the current one, which the page shows
// as changed; zero when there was none or it cannot be read.
func previousETA(changes []storage.ETAChange) tracking.Window {
	if len(changes) < 2 {
		return tracking.Window{}
	}
	prev := changes[len(changes)-2]
	var w tracking.Window
	if prev.Earliest != nil {
		w.Earliest = *prev.Earliest
	}
	if prev.Latest != nil {
		w.Latest = *prev.Latest
	}
	return w
}
