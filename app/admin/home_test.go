package admin

import (
	"slices"
	"testing"
)

// A shop installed before the app asked for returns is asked to approve
// just what it lacks; write_X covers read_X; an unknown grant asks nothing.
func TestMissingScopes(t *testing.T) {
	wanted := []string{"read_orders", "write_orders", "read_fulfillments", "read_returns", "read_merchant_managed_fulfillment_orders"}
	tests := []struct {
		name, granted string
		want          []string
	}{
		{"installed before returns", "write_orders,read_fulfillments", []string{"read_returns", "read_merchant_managed_fulfillment_orders"}},
		{"everything granted", "write_orders,read_fulfillments,read_returns,read_merchant_managed_fulfillment_orders", nil},
		{"grant not recorded", "", nil},
	}
	for _, tt := range tests {
		if got := MissingScopes(tt.granted, wanted); !slices.Equal(got, tt.want) {
			t.Errorf("%s: MissingScopes = %v; want %v", tt.name, got, tt.want)
		}
	}
}
