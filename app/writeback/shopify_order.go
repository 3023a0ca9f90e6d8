package writeback

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/jobs"
	"github.com/ordertrack/ordertrack/app/locale"
	"github.com/ordertrack/ordertrack/app/platform"
	"github.com/ordertrack/ordertrack/app/trackpage"
	"github.com/ordertrack/ordertrack/integrations/shopify"
	"github.com/ordertrack/ordertrack/storage"
)

// writebackTagPrefix starts the order tag of every shopper request
// ("ordertrack-reschedule"), so merchants can filter their order list.
const writebackTagPrefix = "ordertrack-"

// ShopifyWritesBack reports whether act's order lives on a Shopify shop the
// app can still write to. Shops without a token (webhook-only installs, the
// demo) and uninstalled shops get the email and admin entry only.
func (w *Writer) ShopifyWritesBack(ctx context.Context, act *storage.CustomerAction) (bool, error) {
	if act.OrderID == nil || w.shopify == nil {
		return false, nil
	}
	shop, err := w.db.ShopByID(ctx, act.ShopID)
	if err != nil {
		return false, fmt.Errorf("shop of customer action: %w", err)
	}
	return shopifyWritable(shop), nil
}

func shopifyWritable(shop *storage.Shop) bool {
	return shop.Platform == storage.Shopify && shop.Status == "active" && len(shop.AccessToken) > 0
}

// EnqueueOrderWriteback queues, in the transaction that stores the action,
// writing it back to the Shopify order.
func (w *Writer) EnqueueOrderWriteback(ctx context.Context, tx *storage.Tx, actionID int64) error {
	if _, err := w.jobs.InsertTx(ctx, tx.SQL(), jobs.ShopifyOrderWritebackArgs{ActionID: actionID}, nil); err != nil {
		return fmt.Errorf("enqueue shopify order write-back: %w", err)
	}
	return nil
}

// OrderWriteback tags the Shopify order with the request, adds a line
// to its note and, for an address correction, replaces its shipping
// address. Each step is safe to repeat, so a retry after a partial run
// redoes nothing visible. Refusals (an order deleted on Shopify, a missing
// write_orders scope) cancel the job and are logged; other failures retry
// with River's backoff.
func (w *Writer) OrderWriteback(ctx context.Context, job *river.Job[jobs.ShopifyOrderWritebackArgs]) error {
	sh := w.shopify
	if sh == nil {
		return river.JobCancel(platform.ErrNoShopify)
	}
	act, err := w.db.CustomerAction(ctx, job.Args.ActionID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err) // redacted meanwhile
	}
	if err != nil {
		return err
	}
	if act.OrderID == nil {
		return nil
	}
	shop, err := w.db.ShopByID(ctx, act.ShopID)
	if errors.Is(err, storage.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !shopifyWritable(shop) {
		return nil // uninstalled since: nothing to write with
	}
	order, err := w.db.OrderByID(ctx, *act.OrderID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && order.ShopID != shop.ID) {
		return river.JobCancel(fmt.Errorf("order %d of shop %d: %w", *act.OrderID, shop.ID, storage.ErrNotFound))
	}
	if err != nil {
		return err
	}
	gid := order.PlatformID
	if n, err := strconv.ParseInt(gid, 10, 64); err == nil {
		gid = shopify.GID("Order", n)
	}
	err = writeBackAction(ctx, sh.Client, shop.Domain, gid, act)
	if err == nil {
		return nil
	}
	out := writebackJobError(job.Attempt, err)
	var cancel *river.JobCancelError
	if errors.As(out, &cancel) {
		w.log.Warn("shopper request not written back to the Shopify order", "action", act.ID, "shop", shop.Domain, "order", gid, "err", err)
	}
	return out
}

func writeBackAction(ctx context.Context, c *shopify.Client, shop, orderGID string, act *storage.CustomerAction) error {
	if err := c.AddOrderTags(ctx, shop, orderGID, []string{writebackTagPrefix + act.Kind}); err != nil {
		return err
	}
	if err := c.AppendOrderNote(ctx, shop, orderGID, actionNote(act)); err != nil {
		return err
	}
	d := act.Details.V
	if act.Kind != string(trackpage.ActionCorrectAddress) || !usableAddress(d) {
		return nil
	}
	// orderUpdate replaces the whole address: start from Shopify's current
	// one so the name, region, country and phone stay.
	cur, err := c.Order(ctx, shop, orderGID)
	if err != nil {
		return err
	}
	addr := shopify.MailingAddressFrom(cur.ShippingAddress)
	// A new street makes the old apartment line meaningless, so address2 is
	// what the shopper typed, even empty.
	addr.Address1, addr.Address2 = d[trackpage.FieldAddress1], d[trackpage.FieldAddress2]
	if v := d[trackpage.FieldCity]; v != "" {
		addr.City = v
	}
	if v := d[trackpage.FieldPostalCode]; v != "" {
		addr.Zip = v
	}
	return c.UpdateShippingAddress(ctx, shop, orderGID, addr)
}

// usableAddress is a correction Shopify can ship to: a street and a city or
// postal code. Anything less stays a note for the merchant to follow up.
func usableAddress(d map[string]string) bool {
	return d[trackpage.FieldAddress1] != "" && (d[trackpage.FieldCity] != "" || d[trackpage.FieldPostalCode] != "")
}

// writebackJobError adds the write-back's own refusals to platform.ShopifyJobError's:
// an order Shopify no longer has, and a token without write_orders (granted
// only when the merchant approves the new scope).
func writebackJobError(attempt int, err error) error {
	var gqlErr *shopify.GraphQLError
	if errors.Is(err, shopify.ErrOrderNotFound) || (errors.As(err, &gqlErr) && gqlErr.Code() == "ACCESS_DENIED") {
		return river.JobCancel(err)
	}
	return platform.ShopifyJobError(attempt, err)
}

// actionNote is the order-note line for a request, one line so a retry can
// recognise it: "ordertrack: the shopper asked to reschedule the delivery by
// SMS: Tue Dec 1". The sentence is the one every merchant text uses.
func actionNote(act *storage.CustomerAction) string {
	c := locale.Merchant()
	d := act.Details.V
	what := c.T("merchant.shopper") + " " + c.MerchantAction(act.Kind, act.Source)
	var detail string
	switch trackpage.ActionKind(act.Kind) {
	case trackpage.ActionReschedule:
		if day, err := time.Parse(time.DateOnly, d[trackpage.FieldDate]); err == nil {
			detail = day.Format("Mon Jan 2")
		}
	case trackpage.ActionCorrectAddress:
		var parts []string
		for _, f := range []string{trackpage.FieldAddress1, trackpage.FieldAddress2, trackpage.FieldCity, trackpage.FieldPostalCode} {
			if d[f] != "" {
				parts = append(parts, d[f])
			}
		}
		detail = strings.Join(parts, ", ")
	}
	if detail != "" {
		what += ": " + detail
	}
	if n := d[trackpage.FieldNote]; n != "" {
		what += ` "` + n + `"`
	}
	return strings.Join(strings.Fields("ordertrack: "+what), " ")
}
