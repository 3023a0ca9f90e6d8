package shopify

import (
	"context"
	"fmt"
)

// MaxNodes is how many IDs one nodes query may ask for.
const MaxNodes = 250

// Image is a product image: its URL and alt text.
type Image struct {
	URL     string
	AltText string
}

// productImagesQuery reads the image of each variant (falling back to its
// product's featured image) and of each product (needs read_products).
const productImagesQuery = `query ProductImages($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on ProductVariant { id image { url altText } product { featuredImage { url altText } } }
    ... on Product { id featuredImage { url altText } }
  }
}`

type gqlImage struct {
	URL     string `json:"url"`
	AltText string `json:"altText"`
}

// ProductImages reads the images of up to MaxNodes variant or product GIDs:
// a variant's own image, else its product's featured image. IDs Shopify no
// longer knows, or whose product has no image, are absent from the result.
func (c *Client) ProductImages(ctx context.Context, shop string, ids []string) (map[string]Image, error) {
	if len(ids) > MaxNodes {
		return nil, fmt.Errorf("product images: %d ids, at most %d", len(ids), MaxNodes)
	}
	var data struct {
		Nodes []*struct {
			ID            string    `json:"id"`
			Image         *gqlImage `json:"image"`
			FeaturedImage *gqlImage `json:"featuredImage"`
			Product       *struct {
				FeaturedImage *gqlImage `json:"featuredImage"`
			} `json:"product"`
		} `json:"nodes"`
	}
	if err := c.Do(ctx, shop, productImagesQuery, map[string]any{"ids": ids}, &data); err != nil {
		return nil, fmt.Errorf("fetch product images of %s: %w", shop, err)
	}
	out := make(map[string]Image, len(data.Nodes))
	for _, n := range data.Nodes {
		if n == nil || n.ID == "" {
			continue
		}
		img := n.Image
		if img == nil && n.Product != nil {
			img = n.Product.FeaturedImage
		}
		if img == nil {
			img = n.FeaturedImage
		}
		if img != nil && img.URL != "" {
			out[n.ID] = Image{URL: img.URL, AltText: img.AltText}
		}
	}
	return out, nil
}
