package shopper

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

// viewStale is how long past viewTTL a page is still served while a fresh
// one is built in the background, so no shopper waits on the database for a
// page someone else opened a minute ago.
const viewStale = time.Minute

// maxCachedViews bounds the cache's memory; past it the pages no longer
// served are dropped, then others at random, down to three quarters.
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
	if ok && now.Before(e.expires.Add(viewStale)) {
		c.builds.DoChan(token, func() (any, error) { // refresh, detached from this request
			bctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return c.store(bctx, token, now, build)
		})
		return e.v, nil
	}
	built, err, _ := c.builds.Do(token, func() (any, error) { return c.store(ctx, token, now, build) })
	if err != nil {
		return trackpage.View{}, err
	}
	return built.(trackpage.View), nil
}

// store builds token's view and caches it.
func (c *viewCache) store(ctx context.Context, token string, now time.Time, build func(context.Context, string) (trackpage.View, error)) (trackpage.View, error) {
	v, err := build(ctx, token)
	if err != nil {
		return trackpage.View{}, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]cachedView)
	}
	if len(c.m) >= maxCachedViews {
		c.evict(now)
	}
	c.m[token] = cachedView{v: v, expires: now.Add(viewTTL)}
	c.mu.Unlock()
	return v, nil
}

// evict makes room: it drops the views past their stale window, then
// views at random (map order) until a quarter of the cache is free, so
// the pages shoppers are reading now mostly stay. The caller holds c.mu.
func (c *viewCache) evict(now time.Time) {
	for t, e := range c.m {
		if !now.Before(e.expires.Add(viewStale)) {
			delete(c.m, t)
		}
	}
	for t := range c.m {
		if len(c.m) <= maxCachedViews*3/4 {
			return
		}
		delete(c.m, t)
	}
}

// reset drops every cached page (a shop's branding changed, say).
func (c *viewCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// forget drops a token's view, so the shopper sees their own action at once.
func (c *viewCache) forget(token string) {
	c.mu.Lock()
	delete(c.m, token)
	c.mu.Unlock()
}

// page returns the rendered page of token in locale, while its view is
// served (fresh, or stale during a refresh).
func (c *viewCache) page(token, locale string, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[token]
	if !ok || !now.Before(e.expires.Add(viewStale)) {
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
