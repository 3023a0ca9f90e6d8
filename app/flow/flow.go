// Package flow connects ordertrack to Shopify Flow, the automation tool in
// Shopify admin: it fires the app's Flow triggers (extensions/flow-*) through
// the Admin API when a shipment's news or a shopper's request arrives, and
// serves the "Send tracking update" Flow action.
package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/links"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/storage"
)

// The handles of the Flow trigger extensions under extensions/, and of the
// action. A handle never changes once deployed.
const (
	HandleStageChanged    = "shipment-stage-changed"
	HandleProblemDetected = "shipment-problem-detected"
	HandleDelayed         = "shipment-delayed"
	HandleRequestReceived = "shopper-request-received"
	HandleReturnDelivered = "return-delivered"
	HandleSendUpdate      = "send-tracking-update"
)

// Payload keys: "order_id" is how Flow names an order_reference field; the
// others are the custom fields' keys in the extensions' TOML.
const (
	keyOrder     = "order_id"
	keyNumber    = "Tracking number"
	keyCarrier   = "Carrier"
	keyStage     = "Stage"
	keyProblem   = "Problem"
	keySubstatus = "Substatus"
	keyEstimate  = "Estimated delivery"
	keyPage      = "Tracking page"
	keyRequest   = "Request"
	keyDetails   = "Details"
)

// Fields lists every trigger's payload keys; each extension's TOML declares
// exactly these (a test holds them together).
var Fields = map[string][]string{
	HandleStageChanged:    {keyOrder, keyNumber, keyCarrier, keyStage, keyEstimate, keyPage},
	HandleProblemDetected: {keyOrder, keyNumber, keyCarrier, keyStage, keyProblem, keySubstatus, keyEstimate, keyPage},
	HandleDelayed:         {keyOrder, keyNumber, keyCarrier, keyStage, keyEstimate, keyPage},
	HandleReturnDelivered: {keyOrder, keyNumber, keyCarrier, keyPage},
	HandleRequestReceived: {keyOrder, keyNumber, keyCarrier, keyRequest, keyDetails, keyPage},
}

// Deps are what Flow works with.
type Deps struct {
	DB      *storage.DB
	Jobs    *jobs.Client
	Log     *slog.Logger
	Now     func() time.Time
	Links   *links.Links
	Shopify *platform.Shopify // nil without SHOPIFY_API_KEY: nothing to fire
	// APISecret verifies the Flow action requests Shopify signs.
	APISecret string
}

// Flow fires triggers and serves the action.
type Flow struct {
	db        *storage.DB
	jobs      *jobs.Client
	log       *slog.Logger
	now       func() time.Time
	links     *links.Links
	shopify   *platform.Shopify
	apiSecret string
}

// New builds Flow.
func New(d Deps) *Flow {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Flow{db: d.DB, jobs: d.Jobs, log: d.Log, now: d.Now, links: d.Links, shopify: d.Shopify, apiSecret: d.APISecret}
}

// handleFor is the Flow trigger a shipment trigger fires, "" for none
// (an estimate change or a COD reminder is no workflow's start).
func handleFor(t tracking.Trigger, stage string) string {
	switch t {
	case tracking.TriggerDelayed:
		return HandleDelayed
	case tracking.TriggerFailedAttempt, tracking.TriggerActionRequired, tracking.TriggerException:
		return HandleProblemDetected
	case tracking.TriggerReturning:
		if stage == string(tracking.StageReturned) {
			return HandleReturnDelivered
		}
		return HandleStageChanged
	case tracking.TriggerShipped, tracking.TriggerInTransit, tracking.TriggerOutForDelivery,
		tracking.TriggerAvailableForPickup, tracking.TriggerDelivered:
		return HandleStageChanged
	}
	return ""
}

// ForwardTrigger implements messaging.Forwarder: a Shopify shop's trigger
// that starts a workflow is fired by a job enqueued in tx.
func (f *Flow) ForwardTrigger(ctx context.Context, tx *storage.Tx, shop *storage.Shop, shipmentID int64, trigger tracking.Trigger, key string) error {
	if f.shopify == nil || shop.Platform != storage.Shopify || handleFor(trigger, "") == "" {
		return nil
	}
	if _, err := f.jobs.InsertTx(ctx, tx.SQL(), jobs.FlowTriggerArgs{ShipmentID: shipmentID, Trigger: string(trigger), Key: key}, nil); err != nil {
		return fmt.Errorf("enqueue flow trigger %s: %w", trigger, err)
	}
	return nil
}

// ForwardRequest implements messaging.Forwarder: a shopper's request fires
// "Shopper request received" (the job skips shops not on Shopify).
func (f *Flow) ForwardRequest(ctx context.Context, tx *storage.Tx, actionID int64) error {
	if f.shopify == nil {
		return nil
	}
	if _, err := f.jobs.InsertTx(ctx, tx.SQL(), jobs.FlowTriggerArgs{ActionID: actionID}, nil); err != nil {
		return fmt.Errorf("enqueue flow trigger for request %d: %w", actionID, err)
	}
	return nil
}

// errSkip ends a job with nothing to fire.
var errSkip = errors.New("nothing to fire")

// TriggerJob fires one Flow trigger on the shop.
func (f *Flow) TriggerJob(ctx context.Context, job *river.Job[jobs.FlowTriggerArgs]) error {
	if f.shopify == nil {
		return river.JobCancel(platform.ErrNoShopify)
	}
	shop, handle, payload, err := f.payload(ctx, job.Args)
	if errors.Is(err, errSkip) || errors.Is(err, storage.ErrNotFound) {
		return nil // redacted, uninstalled, or not a Shopify shop
	}
	if err != nil {
		return err
	}
	if err := f.shopify.Client.FlowTrigger(ctx, shop.Domain, handle, payload); err != nil {
		return platform.ShopifyJobError(job.Attempt, err)
	}
	return nil
}

// payload builds the trigger's payload from what is stored now.
func (f *Flow) payload(ctx context.Context, a jobs.FlowTriggerArgs) (*storage.Shop, string, map[string]any, error) {
	shipmentID := a.ShipmentID
	var act *storage.CustomerAction
	if a.ActionID != 0 {
		var err error
		if act, err = f.db.CustomerAction(ctx, a.ActionID); err != nil {
			return nil, "", nil, err
		}
		if act.ShipmentID == nil {
			return nil, "", nil, errSkip
		}
		shipmentID = *act.ShipmentID
	}
	ships, err := f.db.ShipmentsByID(ctx, []int64{shipmentID})
	if err != nil {
		return nil, "", nil, err
	}
	if len(ships) == 0 {
		return nil, "", nil, errSkip
	}
	s := &ships[0]
	shop, err := f.db.ShopByID(ctx, s.ShopID)
	if err != nil {
		return nil, "", nil, err
	}
	if shop.Platform != storage.Shopify || shop.Status != "active" {
		return nil, "", nil, errSkip
	}
	order, err := f.db.OrderByID(ctx, s.OrderID)
	if err != nil {
		return nil, "", nil, err
	}
	orderID, err := strconv.ParseInt(order.PlatformID[strings.LastIndex(order.PlatformID, "/")+1:], 10, 64)
	if err != nil {
		return nil, "", nil, errSkip // not an order Shopify knows by id
	}
	handle := HandleRequestReceived
	if act == nil {
		handle = handleFor(tracking.Trigger(a.Trigger), s.Stage)
	}
	all := map[string]any{
		keyOrder: orderID, keyNumber: s.TrackingNumber, keyCarrier: carrierName(s), keyStage: s.Stage,
		keyProblem: s.Problem, keySubstatus: s.Substatus, keyEstimate: "", keyPage: f.links.Tracking(s.PublicToken),
	}
	if s.ETALatest != nil {
		all[keyEstimate] = s.ETALatest.UTC().Format(time.DateOnly)
	}
	if act != nil {
		all[keyRequest] = act.Kind
		all[keyDetails] = details(act.Details.V)
	}
	payload := map[string]any{}
	for _, k := range Fields[handle] {
		payload[k] = all[k]
	}
	return shop, handle, payload, nil
}

// carrierName is the store's wording when it gave one, else the code.
func carrierName(s *storage.Shipment) string {
	if s.CarrierCompany != "" {
		return s.CarrierCompany
	}
	return s.Carrier
}

// details writes a request's fields one per line, in a stable order.
func details(d map[string]string) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, d[k])
	}
	return strings.TrimSuffix(b.String(), "\n")
}
