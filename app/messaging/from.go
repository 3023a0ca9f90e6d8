package messaging

import (
	"context"
	"sync"
	"time"

	"github.com/ordertrack/ordertrack/integrations/messaging/sendgrid"
)

// domainsTTL is how long SendGrid's list of authenticated domains is
// trusted: a merchant whose DNS records just validated waits at most this.
const domainsTTL = 10 * time.Minute

// domainCache holds the SendGrid account's authenticated domains.
type domainCache struct {
	mu      sync.Mutex
	domains []string
	at      time.Time
}

// SenderAuthenticated reports whether shopper emails may come from the
// merchant's own address: its domain is authenticated (SPF and DKIM) in
// the platform's SendGrid account. Without it SendGrid's mail would fail
// DMARC at the shopper's provider, so the platform's From is used, with
// the shop's name and a Reply-To to the merchant.
func (m *Messenger) SenderAuthenticated(ctx context.Context, address string) (bool, error) {
	if m.sendgrid == nil {
		return false, nil
	}
	c := &m.domains
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at.IsZero() || m.now().Sub(c.at) > domainsTTL {
		domains, err := m.sendgrid.AuthenticatedDomains(ctx)
		if err != nil {
			c.at = m.now().Add(time.Minute - domainsTTL) // ask again in a minute, not on every send
			return sendgrid.DomainCovers(c.domains, address), err
		}
		c.domains, c.at = domains, m.now()
	}
	return sendgrid.DomainCovers(c.domains, address), nil
}
