package ingest

import "sync"

// ShopSlots is how many of one shop's deliveries a worker machine
// processes at once; the rest wait (snoozed) so every other shop's
// deliveries find a free worker.
const ShopSlots = 2

// TakeSlot takes one of shop's processing slots on this machine, reporting
// false when all ShopSlots are taken; release gives the slot back. The job
// that processes a delivery takes its shop's slot first.
func (in *Intake) TakeSlot(shop string) (release func(), ok bool) {
	return in.slots.acquire(shop)
}

// shopSlots counts the deliveries each shop has in processing on this
// machine. The zero value is ready to use.
type shopSlots struct {
	mu      sync.Mutex
	running map[string]int
}

// acquire takes one of shop's slots, reporting false when all are taken;
// release gives a taken slot back.
func (s *shopSlots) acquire(shop string) (release func(), ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running == nil {
		s.running = map[string]int{}
	}
	if s.running[shop] >= ShopSlots {
		return nil, false
	}
	s.running[shop]++
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.running[shop]--; s.running[shop] == 0 {
			delete(s.running, shop)
		}
	}, true
}
