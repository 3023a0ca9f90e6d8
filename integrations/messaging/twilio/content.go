package twilio

import (
	"context"
	"fmt"

	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
	content "github.com/twilio/twilio-go/rest/content/v1"
)

// Approval is what WhatsApp decided about a Content API template, as
// Twilio's Content API reports it.
type Approval struct {
	Name     string // the template's name at WhatsApp
	Category string // UTILITY, MARKETING, AUTHENTICATION
	// Status is WhatsApp's verdict: "approved", "pending", "rejected",
	// "paused", "disabled", or "unsubmitted" when never sent for approval.
	Status          string
	RejectionReason string
}

// Approved reports whether WhatsApp lets the template go outside the
// 24 h session window.
func (a Approval) Approved() bool { return a.Status == "approved" }

// Approval fetches the WhatsApp approval of the content template
// contentSID ("HX…") from GET content.twilio.com/v1/Content/{sid}/ApprovalRequests.
func (c *Client) Approval(ctx context.Context, contentSID string) (Approval, error) {
	var out Approval
	err := c.with(ctx, func(tc *twclient.Client) error {
		f, err := content.NewApiServiceWithClient(tc).FetchApprovalFetch(contentSID)
		if err != nil {
			return err
		}
		if f.Whatsapp == nil {
			out.Status = "unsubmitted"
			return nil
		}
		w := *f.Whatsapp
		str := func(k string) string { s, _ := w[k].(string); return s }
		out = Approval{Name: str("name"), Category: str("category"), Status: str("status"), RejectionReason: str("rejection_reason")}
		if out.Status == "" {
			out.Status = "unsubmitted"
		}
		return nil
	})
	if err != nil {
		return Approval{}, fmt.Errorf("twilio content %s approval: %w", contentSID, err)
	}
	return out, nil
}

// CheckAccount fetches the client's own account (GET
// /2010-04-01/Accounts/{sid}.json): an error says the SID or auth token is
// wrong, or the account is not active.
func (c *Client) CheckAccount(ctx context.Context) error {
	status := ""
	err := c.do(ctx, func(s *api.ApiService) error {
		a, err := s.FetchAccount(c.cfg.AccountSID)
		if err == nil && a.Status != nil {
			status = *a.Status
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("twilio account %s: %w", c.cfg.AccountSID, err)
	}
	if status != "" && status != "active" {
		return fmt.Errorf("twilio account %s is %s", c.cfg.AccountSID, status)
	}
	return nil
}
