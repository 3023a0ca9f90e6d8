package shopifytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// MailingAddress is a shipping address orderUpdate wrote, field for field
// as the MailingAddressInput carried it.
type MailingAddress struct {
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	Company      string `json:"company"`
	Address1     string `json:"address1"`
	Address2     string `json:"address2"`
	City         string `json:"city"`
	ProvinceCode string `json:"provinceCode"`
	Zip          string `json:"zip"`
	CountryCode  string `json:"countryCode"`
	Phone        string `json:"phone"`
}

// OrderTags returns the tags of shop's order id, nil for an unknown order.
func (s *Server) OrderTags(shopName string, id int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.shop(shopName).orders[id].Tags)
}

// OrderNote returns the note of shop's order id.
func (s *Server) OrderNote(shopName string, id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shop(shopName).orders[id].Note
}

// ShippingAddress returns the last address orderUpdate wrote to shop's order
// id; ok is false when none was written.
func (s *Server) ShippingAddress(shopName string, id int64) (addr MailingAddress, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	addr, ok = s.shop(shopName).addresses[id]
	return addr, ok
}

// orderID is the numeric ID of an order's global ID, or 0.
func orderID(gid string) int64 {
	rest, ok := strings.CutPrefix(gid, "gid://shopify/Order/")
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(rest, 10, 64)
	return n
}

// refused is a mutation answer whose payload carries one userError.
func refused(mutation string, payload map[string]any, field, msg string, ext map[string]any) map[string]any {
	payload["userErrors"] = []map[string]any{{"field": []string{field}, "message": msg}}
	return map[string]any{"data": map[string]any{mutation: payload}, "extensions": ext}
}

func (s *Server) gqlTagsAdd(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		ID   string   `json:"id"`
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: "+err.Error(), "INVALID_VARIABLE", ext))
		return
	}
	id := orderID(v.ID)
	o, ok := sh.orders[id]
	if !ok {
		writeJSON(w, http.StatusOK, refused("tagsAdd", map[string]any{"node": nil}, "id", "Order does not exist", ext))
		return
	}
	for _, t := range v.Tags {
		// Shopify also splits comma-separated values into tags.
		for _, tag := range strings.Split(t, ",") {
			if tag = strings.TrimSpace(tag); tag != "" && !slices.Contains(o.Tags, tag) {
				o.Tags = append(o.Tags, tag)
			}
		}
	}
	sh.orders[id] = o
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"tagsAdd": map[string]any{
		"node": map[string]any{"id": v.ID}, "userErrors": []any{},
	}}, "extensions": ext})
}

func (s *Server) gqlOrderNote(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: "+err.Error(), "INVALID_VARIABLE", ext))
		return
	}
	o, ok := sh.orders[orderID(v.ID)]
	if !ok {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"order": nil}, "extensions": ext})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"order": map[string]any{
		"id": v.ID, "note": strOrNil(o.Note),
	}}, "extensions": ext})
}

// gqlOrderUpdate applies the note and shippingAddress of an OrderInput,
// each overwriting the stored value as Shopify documents.
func (s *Server) gqlOrderUpdate(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		Input struct {
			ID              string          `json:"id"`
			Note            *string         `json:"note"`
			ShippingAddress *MailingAddress `json:"shippingAddress"`
		} `json:"input"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: "+err.Error(), "INVALID_VARIABLE", ext))
		return
	}
	id := orderID(v.Input.ID)
	o, ok := sh.orders[id]
	if !ok {
		writeJSON(w, http.StatusOK, refused("orderUpdate", map[string]any{"order": nil}, "id", "Order does not exist", ext))
		return
	}
	if v.Input.Note != nil {
		o.Note = *v.Input.Note
	}
	if a := v.Input.ShippingAddress; a != nil {
		sh.addresses[id] = *a
		province, country := o.Address.Province, o.Address.Country
		if a.ProvinceCode != o.Address.ProvinceCode {
			province = a.ProvinceCode
		}
		if a.CountryCode != o.Address.CountryCode {
			country = a.CountryCode
		}
		o.Address = Address{
			Address1: a.Address1, Address2: a.Address2, City: a.City, Province: province, ProvinceCode: a.ProvinceCode,
			Zip: a.Zip, Country: country, CountryCode: a.CountryCode, Phone: a.Phone,
		}
	}
	sh.orders[id] = o
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"orderUpdate": map[string]any{
		"order": map[string]any{"id": v.Input.ID}, "userErrors": []any{},
	}}, "extensions": ext})
}
