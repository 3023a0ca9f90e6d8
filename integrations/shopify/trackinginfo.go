package shopify

import (
	"context"
	"fmt"
)

const trackingInfoMutation = `mutation FulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) {
    fulfillment { id trackingInfo { company number url } }
    userErrors { field message }
  }
}`

// FulfillmentTracking is a fulfillment's tracking as Shopify shows it: one URL per
// number, in the same order.
type FulfillmentTracking struct {
	Company string
	Numbers []string
	URLs    []string
}

// trackingInfoResult is the fulfillmentTrackingInfoUpdate payload.
type trackingInfoResult struct {
	Result struct {
		Fulfillment *struct {
			ID string `json:"id"`
		} `json:"fulfillment"`
		UserErrors UserErrors `json:"userErrors"`
	} `json:"fulfillmentTrackingInfoUpdate"`
}

// UpdateFulfillmentTracking replaces the tracking of fulfillment (a global
// ID) with info, without notifying the customer (needs the
// write_fulfillments scope). Shopify's refusal comes back as UserErrors.
func (c *Client) UpdateFulfillmentTracking(ctx context.Context, shop, fulfillment string, info FulfillmentTracking) error {
	in := map[string]any{}
	if info.Company != "" {
		in["company"] = info.Company
	}
	// Shopify's input takes number/url for one parcel and numbers/urls
	// for several, never both.
	if len(info.Numbers) == 1 && len(info.URLs) == 1 {
		in["number"], in["url"] = info.Numbers[0], info.URLs[0]
	} else {
		in["numbers"], in["urls"] = info.Numbers, info.URLs
	}
	vars := map[string]any{"fulfillmentId": fulfillment, "trackingInfoInput": in, "notifyCustomer": false}
	var data trackingInfoResult
	if err := c.Do(ctx, shop, trackingInfoMutation, vars, &data); err != nil {
		return fmt.Errorf("update tracking of %s: %w", fulfillment, err)
	}
	return data.check(fulfillment)
}

func (d trackingInfoResult) check(fulfillment string) error {
	if len(d.Result.UserErrors) > 0 {
		return fmt.Errorf("update tracking of %s: %w", fulfillment, d.Result.UserErrors)
	}
	if d.Result.Fulfillment == nil {
		return fmt.Errorf("update tracking of %s: no fulfillment in response", fulfillment)
	}
	return nil
}
