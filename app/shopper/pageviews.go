package shopper

import (
	"context"
	"sync"
	"time"
)

// pageViewFlushEvery is how often counted tracking-page views are written.
const pageViewFlushEvery = 10 * time.Second

// pageViewCounter counts tracking-page views in memory and writes them in
// batches: a view costs no database write on the request path. Views counted
// since the last flush are lost if the machine dies, which analytics can bear.
type pageViewCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (p *pageViewCounter) add(token string) {
	p.mu.Lock()
	if p.n == nil {
		p.n = map[string]int{}
	}
	p.n[token]++
	p.mu.Unlock()
}

func (p *pageViewCounter) take() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.n
	p.n = nil
	return out
}

// flushPageViews writes the counted views.
func (p *Pages) flushPageViews(ctx context.Context) {
	if views := p.pageViews.take(); len(views) > 0 {
		if err := p.db.AddPageViews(ctx, views); err != nil {
			p.log.Warn("store page views", "err", err)
		}
	}
}

// CountViews writes the counted page views every pageViewFlushEvery until
// ctx ends, then once more. Web processes run it beside the server.
func (p *Pages) CountViews(ctx context.Context) {
	t := time.NewTicker(pageViewFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.flushPageViews(ctx)
		case <-ctx.Done():
			flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			p.flushPageViews(flushCtx)
			cancel()
			return
		}
	}
}
