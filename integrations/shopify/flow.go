package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// MaxFlowPayload is the largest trigger payload Flow accepts (50 KB).
const MaxFlowPayload = 50_000

// ErrFlowPayloadTooLarge is returned before calling Shopify for a payload
// Flow would refuse.
var ErrFlowPayloadTooLarge = errors.New("shopify: flow trigger payload over 50 KB")

const flowTriggerMutation = `mutation FlowTriggerReceive($handle: String, $payload: JSON) {
  flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
}`

// FlowTrigger starts the shop's Shopify Flow workflows that begin with the
// trigger extension handle. payload carries the extension's fields by key
// ("order_id" for an order reference, then the custom fields' keys).
func (c *Client) FlowTrigger(ctx context.Context, shop, handle string, payload map[string]any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("flow trigger %s on %s: encode: %w", handle, shop, err)
	}
	if len(raw) > MaxFlowPayload {
		return fmt.Errorf("flow trigger %s on %s: %d bytes: %w", handle, shop, len(raw), ErrFlowPayloadTooLarge)
	}
	var data struct {
		Result struct {
			UserErrors UserErrors `json:"userErrors"`
		} `json:"flowTriggerReceive"`
	}
	if err := c.Do(ctx, shop, flowTriggerMutation, map[string]any{"handle": handle, "payload": payload}, &data); err != nil {
		return fmt.Errorf("flow trigger %s: %w", handle, err)
	}
	if len(data.Result.UserErrors) > 0 {
		return fmt.Errorf("flow trigger %s on %s: %w", handle, shop, data.Result.UserErrors)
	}
	return nil
}

// FlowAction is the body Shopify Flow posts to an action's runtime_url.
type FlowAction struct {
	ShopID      int64          `json:"shop_id"`
	ShopDomain  string         `json:"shopify_domain"`
	ActionRunID string         `json:"action_run_id"`
	Handle      string         `json:"handle"`
	Properties  map[string]any `json:"properties"`
}

// ReadFlowAction verifies a Flow action request (X-Shopify-Hmac-SHA256 over
// the raw body, keyed with the app's client secret, as webhooks are) and
// decodes it.
func ReadFlowAction(secret string, body []byte, hmacHeader string) (FlowAction, error) {
	var a FlowAction
	if !VerifyWebhook(secret, body, hmacHeader) {
		return a, ErrSignature
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return a, fmt.Errorf("flow action: %w", err)
	}
	if err := checkShop(a.ShopDomain); err != nil {
		return a, fmt.Errorf("flow action: %w", err)
	}
	return a, nil
}
