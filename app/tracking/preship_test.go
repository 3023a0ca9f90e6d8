package tracking

import (
	"reflect"
	"testing"
	"time"
)

func TestUnshippedIsWhatNoParcelCarries(t *testing.T) {
	order := []Line{{ID: "a", Title: "Shirt", Quantity: 2}, {ID: "b", Title: "Scarf", Quantity: 1}, {Title: "Belt", Quantity: 1}}
	tests := []struct {
		name    string
		parcels [][]Line
		want    []Line
	}{
		{"nothing shipped yet", nil, nil},
		{"a parcel that does not say what it carries", [][]Line{nil}, nil},
		{"one of two shirts", [][]Line{{{ID: "a", Quantity: 1}}}, []Line{{ID: "a", Title: "Shirt", Quantity: 1}, {ID: "b", Title: "Scarf", Quantity: 1}, {Title: "Belt", Quantity: 1}}},
		{"two parcels, all but the belt", [][]Line{{{ID: "a", Quantity: 2}}, {{ID: "b", Quantity: 1}}}, []Line{{Title: "Belt", Quantity: 1}}},
		{"everything, belt matched by title", [][]Line{{{ID: "a", Quantity: 2}, {ID: "b", Quantity: 1}}, {{Title: "Belt", Quantity: 1}}}, nil},
	}
	for _, tt := range tests {
		if got := Unshipped(order, tt.parcels); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Unshipped = %+v; want %+v", tt.name, got, tt.want)
		}
	}
}

func TestShipByCountsTheStoresWorkingDays(t *testing.T) {
	fri := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		days int
		want time.Time
	}{
		{0, time.Time{}},
		{1, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)},
		{3, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := ShipBy(fri, tt.days); !got.Equal(tt.want) {
			t.Errorf("ShipBy(Friday, %d) = %v; want %v", tt.days, got, tt.want)
		}
	}
}
