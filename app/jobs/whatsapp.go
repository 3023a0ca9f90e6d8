package jobs

import "github.com/riverqueue/river"

// WhatsAppApprovalsArgs reads WhatsApp's verdict on the shops' message
// templates from Twilio's Content API: one shop's right after its template
// settings change, every shop's on the periodic tick (ShopID 0).
type WhatsAppApprovalsArgs struct {
	ShopID int64 `json:"shop_id,omitempty"`
}

// Kind implements river.JobArgs.
func (WhatsAppApprovalsArgs) Kind() string { return "whatsapp_approvals" }

// InsertOpts keeps at most one pending check per shop (and one sweep).
func (WhatsAppApprovalsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: whilePending}, MaxAttempts: 5}
}
