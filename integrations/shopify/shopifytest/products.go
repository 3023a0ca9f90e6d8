package shopifytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Image is a product or variant image the fake answers with.
type Image struct {
	URL, AltText string
}

// Product is a product fixture: its featured image and its variants, each
// with its own image or nil (then Shopify's variant has none).
type Product struct {
	ID            int64
	FeaturedImage *Image
	Variants      map[int64]*Image
}

// AddProduct stores (or replaces) a product fixture for shop, which the
// nodes query answers for the product's and its variants' GIDs.
func (s *Server) AddProduct(shopName string, p Product) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shop(shopName).products[p.ID] = p
}

func (img *Image) graphQL() any {
	if img == nil {
		return nil
	}
	return map[string]any{"url": img.URL, "altText": strOrNil(img.AltText)}
}

// gqlNodes answers nodes(ids:) for products and variants as the Admin API
// does: one entry per ID, in order, null for an ID it does not know.
func (s *Server) gqlNodes(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		IDs []string `json:"ids"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || len(v.IDs) > 250 {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: ids must be at most 250 IDs", "INVALID_VARIABLE", ext))
		return
	}
	nodes := make([]any, 0, len(v.IDs))
	for _, id := range v.IDs {
		nodes = append(nodes, sh.node(id))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"nodes": nodes}, "extensions": ext})
}

func (sh *shop) node(gid string) any {
	rest, ok := strings.CutPrefix(gid, "gid://shopify/")
	if !ok {
		return nil
	}
	kind, num, _ := strings.Cut(rest, "/")
	id, _ := strconv.ParseInt(num, 10, 64)
	for _, p := range sh.products {
		switch {
		case kind == "Product" && p.ID == id:
			return map[string]any{"id": gid, "featuredImage": p.FeaturedImage.graphQL()}
		case kind == "ProductVariant":
			if img, ok := p.Variants[id]; ok {
				return map[string]any{"id": gid, "image": img.graphQL(), "product": map[string]any{"featuredImage": p.FeaturedImage.graphQL()}}
			}
		}
	}
	return nil
}
