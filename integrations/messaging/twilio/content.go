package twilio

import (
	"context"
	"fmt"

	twclient "github.com/twilio/twilio-go/client"
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
