package app

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ordertrack/ordertrack/app/trackpage"
)

// viewTTL is how long a built tracking page is reused. Carrier news arrives
// over minutes at the fastest, so a few seconds of reuse is invisible to a
// shopper, and it takes every database query off repeated views (a shopper
// refreshing, a link opened from several messages, an extension polling).
const viewTTL = 5 * time.Second

// maxCachedViews bounds the cache's memory; past it the cache starts over.
const maxCachedViews = 20000

// viewCache keeps recently built tracking pages by shipment token.
type viewCache struct {
	mu     sync.Mutex
	m      map[string]cachedView
	builds singleflight.Group // one build per token at a time, however many shoppers wait
}

type cachedView struct {
	v       trackpage.View
	expires time.Time
	pages   map[string][]byte // rendered HTML by locale
}

// get returns the cached view for token, or builds and caches it.
func (c *viewCache) get(ctx context.Context, token string, now time.Time, build func(context.Context, string) (trackpage.View, error)) (trackpage.View, error) {
	c.mu.Lock()
	e, ok := c.m[token]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	built, err, _ := c.builds.Do(token, func() (any, error) {
		v, err := build(ctx, token)
		if err != nil {
			return trackpage.View{}, err
		}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= maxCachedViews {
			c.m = make(map[string]cachedView)
		}
		c.m[token] = cachedView{v: v, expires: now.Add(viewTTL)}
		c.mu.Unlock()
		return v, nil
	})
	if err != nil {
		return trackpage.View{}, err
	}
	return built.(trackpage.View), nil
}

// forget drops a token's view, so the shopper sees their own action at once.
func (c *viewCache) forget(token string) {
	c.mu.Lock()
	delete(c.m, token)
	c.mu.Unlock()
}

// page returns the rendered page of token in locale, when still fresh.
func (c *viewCache) page(token, locale string, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[token]
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	b, ok := e.pages[locale]
	return b, ok
}

// storePage keeps a rendered page next to its view, until the view expires.
func (c *viewCache) storePage(token, locale string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[token]
	if !ok {
		return
	}
	if e.pages == nil {
		e.pages = map[string][]byte{}
	}
	e.pages[locale] = b
	c.m[token] = e
}
