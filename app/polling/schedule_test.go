package polling

import (
	"context"
	"reflect"
	"testing"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// batchOf is a carrier API that only says how many numbers a call carries.
type batchOf int

func (batchOf) Track(context.Context, []string) ([]tracking.Result, error) { return nil, nil }
func (b batchOf) MaxBatch() int                                            { return int(b) }

// claimed is shipment id of shop on carrier, as ClaimDue returns it.
func claimed(id, shop int64, carrier string) storage.Due {
	return storage.Due{ID: id, ShopID: shop, Carrier: carrier}
}

func TestPollBatchesGroupShipmentsPerAccount(t *testing.T) {
	const shopA, shopB = 1, 2
	if carrierQuotas["dhl"].PerDay == 0 || carrierQuotas["ups"].PerDay != 0 {
		t.Fatalf("the table assumes DHL has a daily quota and UPS none; quotas are %+v", carrierQuotas)
	}
	tests := []struct {
		name string
		own  map[storage.CarrierAccountKey]bool
		due  []storage.Due
		want []jobs.PollArgs
	}{
		{
			name: "the platform's account batches every shop's shipments up to the carrier's batch size, in claim order",
			due:  []storage.Due{claimed(1, shopA, "ups"), claimed(2, shopB, "ups"), claimed(3, shopA, "ups"), claimed(4, shopB, "ups"), claimed(5, shopA, "ups")},
			want: []jobs.PollArgs{{Carrier: "ups", ShipmentIDs: []int64{1, 2, 3}}, {Carrier: "ups", ShipmentIDs: []int64{4, 5}}},
		},
		{
			name: "a carrier with a daily quota batches one shop's shipments at a time",
			due:  []storage.Due{claimed(1, shopA, "dhl"), claimed(2, shopB, "dhl"), claimed(3, shopA, "dhl")},
			want: []jobs.PollArgs{{Carrier: "dhl", ShipmentIDs: []int64{1, 3}}, {Carrier: "dhl", ShipmentIDs: []int64{2}}},
		},
		{
			name: "a merchant's own account polls its shop's shipments apart from the platform's",
			own:  map[storage.CarrierAccountKey]bool{{ShopID: shopA, Carrier: "ups"}: true},
			due:  []storage.Due{claimed(1, shopA, "ups"), claimed(2, shopB, "ups"), claimed(3, shopA, "ups")},
			want: []jobs.PollArgs{{Carrier: "ups", ShopID: shopA, ShipmentIDs: []int64{1, 3}}, {Carrier: "ups", ShipmentIDs: []int64{2}}},
		},
		{
			name: "a carrier without its own API takes the fallback's batch size",
			due:  []storage.Due{claimed(1, shopA, "ontrac"), claimed(2, shopA, "ontrac"), claimed(3, shopB, "ontrac"), claimed(4, shopB, "ontrac"), claimed(5, shopB, "ontrac")},
			want: []jobs.PollArgs{{Carrier: "ontrac", ShipmentIDs: []int64{1, 2, 3, 4}}, {Carrier: "ontrac", ShipmentIDs: []int64{5}}},
		},
		{
			name: "carriers are batched apart, each batch queued when it fills",
			due:  []storage.Due{claimed(1, shopA, "ups"), claimed(2, shopA, "ontrac"), claimed(3, shopA, "ups"), claimed(4, shopA, "ups"), claimed(5, shopA, "ontrac")},
			want: []jobs.PollArgs{{Carrier: "ups", ShipmentIDs: []int64{1, 3, 4}}, {Carrier: "ontrac", ShipmentIDs: []int64{2, 5}}},
		},
	}
	p := &Poller{}
	p.carriers.add(registry.Carrier{Code: "ups"}, &carrier{Carrier: batchOf(3)})
	p.carriers.add(registry.Carrier{Code: "dhl"}, &carrier{Carrier: batchOf(10)})
	p.carriers.add(registry.Carrier{Code: "aftership", Fallback: true}, &carrier{Carrier: batchOf(4)})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []jobs.PollArgs
			for _, params := range p.pollBatches(tt.due, tt.own) {
				got = append(got, params.Args.(jobs.PollArgs))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("pollBatches = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestPollBatchesPollOneByOneWithoutAnyAPI(t *testing.T) {
	p := &Poller{}
	var got []jobs.PollArgs
	for _, params := range p.pollBatches([]storage.Due{claimed(1, 1, "ups"), claimed(2, 1, "ups")}, nil) {
		got = append(got, params.Args.(jobs.PollArgs))
	}
	want := []jobs.PollArgs{{Carrier: "ups", ShipmentIDs: []int64{1}}, {Carrier: "ups", ShipmentIDs: []int64{2}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pollBatches without carriers = %+v; want one shipment per job %+v", got, want)
	}
}
