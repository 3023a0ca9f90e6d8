package shopify

import (
	"context"
	"fmt"
	"strings"
)

// The write-backs below need the write_orders scope. Shapes checked against
// the Admin GraphQL reference (2025-10 to 2026-10): tagsAdd(id: ID!, tags:
// [String!]!) returns TagsAddPayload { node userErrors }; orderUpdate(input:
// OrderInput!) returns OrderUpdatePayload { order userErrors }. OrderInput
// documents that note and shippingAddress each overwrite the stored value,
// hence the read-then-append for notes and a whole address for updates.

const tagsAddMutation = `mutation TagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}`

const orderNoteQuery = `query OrderNote($id: ID!) {
  order(id: $id) { id note }
}`

const orderUpdateMutation = `mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id }
    userErrors { field message }
  }
}`

// MailingAddressInput is a whole shipping address as orderUpdate takes it.
// Shopify replaces the order's address with it, so fields left empty are
// cleared: start from the order's current address (Order.ShippingAddress).
type MailingAddressInput struct {
	FirstName    string `json:"firstName,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	Company      string `json:"company,omitempty"`
	Address1     string `json:"address1,omitempty"`
	Address2     string `json:"address2,omitempty"`
	City         string `json:"city,omitempty"`
	ProvinceCode string `json:"provinceCode,omitempty"`
	Zip          string `json:"zip,omitempty"`
	CountryCode  string `json:"countryCode,omitempty"` // ISO 3166-1 alpha-2
	Phone        string `json:"phone,omitempty"`
}

// MailingAddressFrom is a's input form, for changing some fields of an
// order's current address. The order's single name is split at the first
// space; Shopify joins first and last name back the same way.
func MailingAddressFrom(a Address) MailingAddressInput {
	first, last, _ := strings.Cut(a.Name, " ")
	return MailingAddressInput{
		FirstName: first, LastName: last, Company: a.Company, Address1: a.Address1, Address2: a.Address2,
		City: a.City, ProvinceCode: a.ProvinceCode, Zip: a.Zip, CountryCode: a.CountryCode, Phone: a.Phone,
	}
}

// AddOrderTags adds tags to an order, keeping its existing ones; adding a
// tag it already has changes nothing, so a retry is harmless. An unknown
// order comes back as UserErrors.
func (c *Client) AddOrderTags(ctx context.Context, shop, orderGID string, tags []string) error {
	var data struct {
		Result struct {
			Node *struct {
				ID string `json:"id"`
			} `json:"node"`
			UserErrors UserErrors `json:"userErrors"`
		} `json:"tagsAdd"`
	}
	if err := c.Do(ctx, shop, tagsAddMutation, map[string]any{"id": orderGID, "tags": tags}, &data); err != nil {
		return fmt.Errorf("tag order %s: %w", orderGID, err)
	}
	if len(data.Result.UserErrors) > 0 {
		return fmt.Errorf("tag order %s: %w", orderGID, data.Result.UserErrors)
	}
	return nil
}

// AppendOrderNote adds text as a new line of the order's note. orderUpdate
// overwrites the note, so the current one is read first and kept above the
// new line: the merchant's own notes are never lost. A note that already
// holds text as a line is left alone, so a retried job does not repeat it.
// The read and the write are two calls; a merchant edit in between is lost,
// a window Shopify offers no way to close. An unknown order is
// ErrOrderNotFound.
func (c *Client) AppendOrderNote(ctx context.Context, shop, orderGID, text string) error {
	var cur struct {
		Order *struct {
			Note *string `json:"note"`
		} `json:"order"`
	}
	if err := c.Do(ctx, shop, orderNoteQuery, map[string]any{"id": orderGID}, &cur); err != nil {
		return fmt.Errorf("read note of order %s: %w", orderGID, err)
	}
	if cur.Order == nil {
		return fmt.Errorf("read note of order %s of %s: %w", orderGID, shop, ErrOrderNotFound)
	}
	note := ""
	if cur.Order.Note != nil {
		note = *cur.Order.Note
	}
	for _, line := range strings.Split(note, "\n") {
		if strings.TrimSpace(line) == strings.TrimSpace(text) {
			return nil
		}
	}
	if note != "" {
		note += "\n"
	}
	return c.updateOrder(ctx, shop, map[string]any{"id": orderGID, "note": note + text})
}

// UpdateShippingAddress replaces the order's shipping address with addr
// (orderUpdate), for a shopper's corrected address. Shopify does not
// re-rate shipping or tell the carrier; the merchant still has to. Refused
// input (an unknown order, an address Shopify cannot validate) comes back as
// UserErrors.
func (c *Client) UpdateShippingAddress(ctx context.Context, shop, orderGID string, addr MailingAddressInput) error {
	return c.updateOrder(ctx, shop, map[string]any{"id": orderGID, "shippingAddress": addr})
}

func (c *Client) updateOrder(ctx context.Context, shop string, input map[string]any) error {
	var data struct {
		Result struct {
			Order *struct {
				ID string `json:"id"`
			} `json:"order"`
			UserErrors UserErrors `json:"userErrors"`
		} `json:"orderUpdate"`
	}
	if err := c.Do(ctx, shop, orderUpdateMutation, map[string]any{"input": input}, &data); err != nil {
		return fmt.Errorf("update order %s: %w", input["id"], err)
	}
	if len(data.Result.UserErrors) > 0 {
		return fmt.Errorf("update order %s: %w", input["id"], data.Result.UserErrors)
	}
	return nil
}
