package app

import (
	"golang.org/x/time/rate"

	"github.com/ordertrack/ordertrack/integrations/carriers/registry"
)

// setupCarriers registers every carrier whose platform account is
// configured; the fallback among them tracks every other carrier.
func (a *App) setupCarriers(rates map[string]rate.Limit) {
	for _, e := range registry.Accounts() {
		if creds := a.cfg.Carriers[e.Code]; e.Complete(creds) {
			a.carriers.add(e, e.New(registry.Account{Creds: creds, OnUnknown: a.countUnknownCode}))
			if r, ok := rates[e.Code]; ok {
				a.carriers.byName[e.Code].limit = rate.NewLimiter(r, 1)
			}
		}
	}
}

// countUnknownCode counts a carrier status code no status table maps.
func (a *App) countUnknownCode(carrier, code string) {
	a.metrics.UnknownCodes.WithLabelValues(carrier, code).Inc()
}
