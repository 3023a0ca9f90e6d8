package ingest

import "testing"

// A shop holds at most ShopSlots deliveries in processing; a released
// slot can be taken again, and other shops have their own.
func TestShopSlotsBoundEachShopAlone(t *testing.T) {
	var s shopSlots
	var releases []func()
	for i := range ShopSlots {
		release, ok := s.acquire("busy")
		if !ok {
			t.Fatalf("slot %d of %d refused", i+1, ShopSlots)
		}
		releases = append(releases, release)
	}
	for _, c := range []struct {
		name string
		shop string
		want bool
	}{
		{"one over the shop's slots", "busy", false},
		{"another shop", "other", true},
	} {
		if _, ok := s.acquire(c.shop); ok != c.want {
			t.Errorf("%s: acquire(%q) = %v; want %v", c.name, c.shop, ok, c.want)
		}
	}
	releases[0]()
	if _, ok := s.acquire("busy"); !ok {
		t.Error("a released slot was refused")
	}
}
