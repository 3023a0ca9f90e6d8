package sendgrid

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sendgrid/rest"
	sg "github.com/sendgrid/sendgrid-go"
)

// maxDomains is the page size asked of SendGrid's domain list; an account
// has at most a few hundred.
const maxDomains = 500

// AuthenticatedDomains lists the sending domains authenticated (SPF and
// DKIM records valid) in the SendGrid account, from GET
// /v3/whitelabel/domains. Mail from these domains may carry their own From
// address; any other goes out as the account's default sender.
func (c *Client) AuthenticatedDomains(ctx context.Context) ([]string, error) {
	req := sg.GetRequest(c.key, "/v3/whitelabel/domains", c.baseURL)
	req.Method = rest.Get
	req.QueryParams = map[string]string{"limit": fmt.Sprint(maxDomains)}
	resp, err := c.http.SendWithContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("sendgrid domains: %w", (&Error{Message: err.Error(), Retryable: ctx.Err() == nil, err: err}).asRetryable())
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("sendgrid domains: %w", c.responseError(resp).asRetryable())
	}
	var list []struct {
		Domain string `json:"domain"`
		Valid  bool   `json:"valid"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &list); err != nil {
		return nil, fmt.Errorf("sendgrid domains: decode: %w", err)
	}
	var out []string
	for _, d := range list {
		if d.Valid && d.Domain != "" {
			out = append(out, strings.ToLower(d.Domain))
		}
	}
	return out, nil
}

// DomainCovers reports whether mail from address may use it as its From on
// one of the authenticated domains: its domain is one of them or below one.
func DomainCovers(domains []string, address string) bool {
	_, host, ok := strings.Cut(strings.ToLower(strings.TrimSpace(address)), "@")
	if !ok || host == "" {
		return false
	}
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
