package notify

import "github.com/ordertrack/ordertrack/app/tracking"

// VoiceAction is what a keypress during a voice update asks for. The call
// handler (the Twilio <Gather> callback) maps the digit back to the action.
type VoiceAction string

// The voice actions.
const (
	// VoiceConfirm: the shopper acknowledges. For failed_attempt, "I'll be
	// available next time"; for cod_reminder, "I'll be there and ready to
	// pay"; for action_required, "text me the link to fix it".
	VoiceConfirm VoiceAction = "confirm"
	// VoiceReschedule: text the shopper the link to pick a new day or a
	// pickup point.
	VoiceReschedule VoiceAction = "reschedule"
	// VoiceSupport: connect the call to the shop's support line.
	VoiceSupport VoiceAction = "support"
	// VoiceRepeat: play the message again.
	VoiceRepeat VoiceAction = "repeat"
)

// VoiceOption is one keypress offered at the end of a voice update.
type VoiceOption struct {
	Digit  string
	Action VoiceAction
}

// VoiceOptions lists the keypresses the default voice script for a trigger
// offers, in the order it says them. Triggers that need the shopper to act
// offer confirm and reschedule; every trigger offers support and repeat.
func VoiceOptions(t tracking.Trigger) []VoiceOption {
	if t.AsksShopper() {
		return []VoiceOption{{"1", VoiceConfirm}, {"2", VoiceReschedule}, {"3", VoiceSupport}, {"9", VoiceRepeat}}
	}
	return []VoiceOption{{"3", VoiceSupport}, {"9", VoiceRepeat}}
}
