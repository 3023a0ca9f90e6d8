package shopper

import (
	"context"
	"fmt"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/trackpage"
)

var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// numberedBuild returns a build func whose views say which build made them.
func numberedBuild() func(context.Context, string) (trackpage.View, error) {
	var n atomic.Int64
	return func(context.Context, string) (trackpage.View, error) {
		return trackpage.View{PageURL: fmt.Sprintf("build %d", n.Add(1))}, nil
	}
}

func TestViewCacheReusesAViewUntilItExpiresOrIsDropped(t *testing.T) {
	tests := []struct {
		name string
		drop func(*viewCache)
		at   time.Time
		want string
	}{
		{"fresh view is reused", func(*viewCache) {}, t0.Add(viewTTL - time.Nanosecond), "build 1"},
		{"stale view is served while a new one builds", func(*viewCache) {}, t0.Add(viewTTL + viewStale - time.Nanosecond), "build 1"},
		{"expired view is rebuilt before answering", func(*viewCache) {}, t0.Add(viewTTL + viewStale), "build 2"},
		{"forgotten view is rebuilt", func(c *viewCache) { c.forget("tok") }, t0.Add(time.Second), "build 2"},
		{"reset drops every view", func(c *viewCache) { c.reset() }, t0.Add(time.Second), "build 2"},
		{"forgetting another token keeps this one", func(c *viewCache) { c.forget("other") }, t0.Add(time.Second), "build 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c viewCache
			build := numberedBuild()
			if _, err := c.get(context.Background(), "tok", t0, build); err != nil {
				t.Fatal(err)
			}
			tt.drop(&c)
			v, err := c.get(context.Background(), "tok", tt.at, build)
			if err != nil {
				t.Fatal(err)
			}
			if v.PageURL != tt.want {
				t.Errorf("served %q, want %q", v.PageURL, tt.want)
			}
		})
	}
}

func TestViewCacheKeepsRenderedPagesWithTheirView(t *testing.T) {
	tests := []struct {
		name   string
		token  string
		locale string
		at     time.Time
		want   string // "" when no page is kept
	}{
		{"same locale while fresh", "tok", "de", t0.Add(time.Second), "<de>"},
		{"same locale while stale", "tok", "de", t0.Add(viewTTL + viewStale - time.Nanosecond), "<de>"},
		{"other locale", "tok", "fr", t0.Add(time.Second), ""},
		{"after the view expired", "tok", "de", t0.Add(viewTTL + viewStale), ""},
		{"token never built", "other", "de", t0.Add(time.Second), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c viewCache
			if _, err := c.get(context.Background(), "tok", t0, numberedBuild()); err != nil {
				t.Fatal(err)
			}
			c.storePage("tok", "de", []byte("<de>"))
			c.storePage("other", "de", []byte("<other>")) // no view: not kept
			got, _ := c.page(tt.token, tt.locale, tt.at)
			if string(got) != tt.want {
				t.Errorf("page = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestViewCacheReturnsBuildErrorsUncached(t *testing.T) {
	var c viewCache
	fail := func(context.Context, string) (trackpage.View, error) {
		return trackpage.View{}, fmt.Errorf("database down")
	}
	if _, err := c.get(context.Background(), "tok", t0, fail); err == nil {
		t.Fatal("a failed build served a view")
	}
	v, err := c.get(context.Background(), "tok", t0, numberedBuild())
	if err != nil || v.PageURL != "build 1" {
		t.Errorf("after a failed build got %q, %v; want a fresh build", v.PageURL, err)
	}
}

func TestPageViewCounterHandsOverEachViewOnce(t *testing.T) {
	tests := []struct {
		name   string
		tokens []string
		want   map[string]int
	}{
		{"nothing viewed", nil, nil},
		{"views summed by token", []string{"a", "b", "a"}, map[string]int{"a": 2, "b": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p pageViewCounter
			for _, tok := range tt.tokens {
				p.add(tok)
			}
			if got := p.take(); !maps.Equal(got, tt.want) {
				t.Errorf("take() = %v, want %v", got, tt.want)
			}
			if again := p.take(); len(again) != 0 {
				t.Errorf("second take() = %v, want nothing", again)
			}
		})
	}
}

// A full cache makes room without dropping the pages being read: views
// past their stale window go first, and a page viewed a moment ago stays.
func TestFullViewCacheKeepsThePagesBeingRead(t *testing.T) {
	var c viewCache
	build := numberedBuild()
	ctx := context.Background()
	old := t0.Add(-viewTTL - viewStale) // built long ago, no longer served
	for i := range maxCachedViews - 1 {
		if _, err := c.get(ctx, fmt.Sprintf("old-%d", i), old, build); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.get(ctx, "hot", t0, build); err != nil {
		t.Fatal(err)
	}
	if _, err := c.get(ctx, "new", t0.Add(time.Second), build); err != nil { // the cache is full here
		t.Fatal(err)
	}
	if n := len(c.m); n != 2 {
		t.Fatalf("%d views cached after making room; want the 2 still served", n)
	}
	if v, _ := c.get(ctx, "hot", t0.Add(2*time.Second), build); v.PageURL != fmt.Sprintf("build %d", maxCachedViews) {
		t.Errorf("the page being read was rebuilt (%s)", v.PageURL)
	}

	// With every view still served, a quarter of the cache is freed at random.
	c.reset()
	for i := range maxCachedViews + 1 {
		if _, err := c.get(ctx, fmt.Sprintf("live-%d", i), t0, build); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.m); n > maxCachedViews*3/4+1 || n < maxCachedViews/2 {
		t.Fatalf("%d views cached after making room among live pages; want about %d", n, maxCachedViews*3/4)
	}
}
