package app

import "github.com/ordertrack/ordertrack/app/ingest"

// webhookSnooze forwards to ingest until processWebhook moves.
const webhookSnooze = ingest.SlotWait
