package flow

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// maxActionBody bounds a Flow action request.
const maxActionBody = 64 << 10

// SendUpdate serves the "Send tracking update" Flow action: Shopify Flow
// posts the order a workflow chose, signed with the app's secret, and every
// parcel of that order gets a message with its current news, through the
// shop's usual rules (channels, quiet hours, opt-outs). Flow retries a run
// with the same action_run_id, which keys the messages, so a retry sends
// nothing twice. Answers: 200 queued, 401 bad signature, 404 unknown shop or
// order (Flow fails the run without retrying).
func (f *Flow) SendUpdate(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxActionBody))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable body")
	}
	act, err := shopify.ReadFlowAction(f.apiSecret, body, c.Request().Header.Get("X-Shopify-Hmac-SHA256"))
	switch {
	case errors.Is(err, shopify.ErrSignature):
		return echo.NewHTTPError(http.StatusUnauthorized, "bad signature")
	case err != nil:
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	case act.Handle != HandleSendUpdate || act.ActionRunID == "":
		return echo.NewHTTPError(http.StatusBadRequest, "not the send-tracking-update action")
	}
	ctx := c.Request().Context()
	shop, err := f.db.ShopByDomain(ctx, storage.Shopify, act.ShopDomain)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && shop.Status != "active") {
		return echo.NewHTTPError(http.StatusNotFound, "shop not installed")
	}
	if err != nil {
		return err
	}
	id, ok := act.Properties[keyOrder].(float64)
	if !ok || id <= 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "order_id missing")
	}
	order, err := f.db.OrderByPlatformID(ctx, shop.ID, "gid://shopify/Order/"+strconv.FormatInt(int64(id), 10))
	if errors.Is(err, storage.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "ordertrack does not track this order")
	}
	if err != nil {
		return err
	}
	ships, err := f.db.OrderShipments(ctx, shop.ID, order.ID)
	if err != nil {
		return err
	}
	var params []river.InsertManyParams
	for _, s := range ships {
		if t, ok := currentTrigger(&s); ok {
			// The run id as the trigger's variant keys fresh messages.
			key := string(t) + ":flow-" + act.ActionRunID
			params = append(params, river.InsertManyParams{Args: jobs.NotifyArgs{ShipmentID: s.ID, Trigger: string(t), Key: key}})
		}
	}
	if len(params) > 0 {
		if _, err := f.jobs.InsertMany(ctx, params); err != nil {
			return fmt.Errorf("flow action %s: %w", act.ActionRunID, err)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"queued": len(params)})
}

// currentTrigger is the message that tells a parcel's news as it stands:
// its problem if it has one, else its stage; none before the first scan.
func currentTrigger(s *storage.Shipment) (tracking.Trigger, bool) {
	for _, f := range tracking.FiredBetween(tracking.State{}, s.State(), tracking.Window{}, s.ETA().Window) {
		if f.Trigger != tracking.TriggerETAChanged {
			return f.Trigger, true
		}
	}
	return "", false
}
