package polling

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
	"github.com/ordertrack/ordertrack/storage"
)

// carrier is a carrier's client with the quota this process may spend on it.
type carrier struct {
	tracking.Carrier
	limit *rate.Limiter // per process; quotas are split across worker machines
	built time.Time     // for merchant accounts: when the client was built
}

func newCarrier(e registry.Carrier, t tracking.Carrier) *carrier {
	return &carrier{Carrier: t, limit: rate.NewLimiter(rate.Limit(e.PerSecond), int(max(1, e.PerSecond)))}
}

// carriers routes a carrier code to its API; unknown codes use the fallback
// aggregator when one is configured. Merchant accounts (a shop's own
// credentials) are built on first use and rebuilt after accountTTL, so
// changed credentials take effect on every worker.
type carriers struct {
	mu       sync.Mutex
	byName   map[string]*carrier
	fallback *carrier
	accounts map[storage.CarrierAccountKey]*carrier
}

const accountTTL = 10 * time.Minute

// errNoAPI is a carrier no API tracks: neither its own nor the fallback.
var errNoAPI = errors.New("no API tracks this carrier")

// add routes e's code to c.
func (cs *carriers) add(e registry.Carrier, c *carrier) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.byName == nil {
		cs.byName = map[string]*carrier{}
	}
	cs.byName[e.Code] = c
	if e.Fallback {
		cs.fallback = c
	}
}

func (cs *carriers) get(name string) (*carrier, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c, ok := cs.byName[name]; ok {
		return c, true
	}
	return cs.fallback, cs.fallback != nil
}

// carrierFor returns the merchant's own account for the carrier when the shop
// has one (shopID > 0), else the platform's; errNoAPI when neither exists.
func (p *Poller) carrierFor(ctx context.Context, shopID int64, name string) (*carrier, error) {
	if shopID == 0 {
		c, ok := p.carriers.get(name)
		if !ok {
			return nil, errNoAPI
		}
		return c, nil
	}
	key := storage.CarrierAccountKey{ShopID: shopID, Carrier: name}
	p.carriers.mu.Lock()
	c, ok := p.carriers.accounts[key]
	p.carriers.mu.Unlock()
	if ok && p.now().Sub(c.built) < accountTTL {
		return c, nil
	}
	creds, err := p.db.CarrierAccountCredentials(ctx, shopID, name)
	if err != nil {
		return nil, err
	}
	e, ok := registry.Lookup(name)
	if !ok || e.New == nil {
		return nil, errNoAPI
	}
	// A merchant's account is theirs to configure: its calls are held to
	// the outbound policy like their store's.
	c = newCarrier(e, e.New(registry.Account{Creds: creds, OnUnknown: p.countUnknownCode, HTTP: p.outbound, Now: p.now}))
	c.built = p.now()
	p.carriers.mu.Lock()
	if p.carriers.accounts == nil {
		p.carriers.accounts = map[storage.CarrierAccountKey]*carrier{}
	}
	p.carriers.accounts[key] = c
	p.carriers.mu.Unlock()
	return c, nil
}

// carrierQuotas are the carriers' documented limits beyond calls per second.
var carrierQuotas = registry.Quotas()
