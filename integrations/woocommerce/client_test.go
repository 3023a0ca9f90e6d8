package woocommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/egress"
	"github.com/ordertrack/ordertrack/integrations/woocommerce"
	"github.com/ordertrack/ordertrack/integrations/woocommerce/wootest"
)

const (
	testKey    = "ck_test"
	testSecret = "cs_test"
)

func newStore(t *testing.T) (*wootest.Server, *woocommerce.Client) {
	t.Helper()
	srv := wootest.NewServer(t, testKey, testSecret)
	c, err := woocommerce.NewClient(srv.URL, testKey, testSecret, srv.Client())
	if err != nil {
		t.Fatalf("NewClient(%s): %v", srv.URL, err)
	}
	return srv, c
}

var base = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func TestOrdersModifiedAfterWalksEveryPage(t *testing.T) {
	srv, c := newStore(t)
	for i := int64(1); i <= 250; i++ {
		srv.AddOrder(wootest.Order{ID: i, Modified: base.Add(time.Duration(i) * time.Minute)})
	}
	after := base.Add(20 * time.Minute) // orders 21..250 qualify

	orders, err := c.OrdersModifiedAfter(context.Background(), after)
	if err != nil {
		t.Fatalf("OrdersModifiedAfter: %v", err)
	}
	if len(orders) != 230 || orders[0].ID != 21 || orders[229].ID != 250 {
		t.Fatalf("got %d orders (first %d), want 230 orders 21..250 oldest first", len(orders), orders[0].ID)
	}
	var pages []string
	for _, r := range srv.Requests() {
		pages = append(pages, r.Query.Get("page")+"/"+r.Query.Get("per_page")+"@"+r.Query.Get("modified_after")+" gmt="+r.Query.Get("dates_are_gmt"))
	}
	want := []string{
		"1/100@2026-11-01T00:20:00 gmt=true",
		"2/100@2026-11-01T00:20:00 gmt=true",
		"3/100@2026-11-01T00:20:00 gmt=true",
	}
	if !reflect.DeepEqual(pages, want) {
		t.Errorf("requests = %v, want %v", pages, want)
	}
}

func TestListOrdersReportsPagingHeaders(t *testing.T) {
	srv, c := newStore(t)
	for i := int64(1); i <= 25; i++ {
		srv.AddOrder(wootest.Order{ID: i, Modified: base.Add(time.Duration(i) * time.Second)})
	}
	p, err := c.ListOrders(context.Background(), woocommerce.OrderQuery{Page: 3, PerPage: 10})
	if err != nil {
		t.Fatalf("ListOrders: %v", err)
	}
	if p.Total != 25 || p.TotalPages != 3 || len(p.Orders) != 5 || p.Orders[0].ID != 21 {
		t.Errorf("page = total %d pages %d len %d first %d; want 25, 3, 5, 21", p.Total, p.TotalPages, len(p.Orders), p.Orders[0].ID)
	}
}

func TestOrdersModifiedAfterWithNoOrdersReturnsNone(t *testing.T) {
	_, c := newStore(t)
	orders, err := c.OrdersModifiedAfter(context.Background(), base)
	if err != nil || len(orders) != 0 {
		t.Errorf("OrdersModifiedAfter = %d orders, %v; want none", len(orders), err)
	}
}

func TestGetOrderDecodesTracking(t *testing.T) {
	srv, c := newStore(t)
	srv.AddOrder(wootest.Order{ID: 5, Modified: base, Meta: []wootest.Meta{{ID: 1, Key: woocommerce.TrackingMetaKey,
		Value: []map[string]string{{"tracking_provider": "usps", "tracking_number": "9400111899223818472301", "date_shipped": "1732406400"}}}}})
	o, err := c.GetOrder(context.Background(), 5)
	if err != nil {
		t.Fatalf("GetOrder: %v", err)
	}
	if len(o.Tracking) != 1 || o.Tracking[0].Number != "9400111899223818472301" {
		t.Errorf("Tracking = %+v, want the USPS number", o.Tracking)
	}
}

func TestClientClassifiesErrors(t *testing.T) {
	tests := []struct {
		name    string
		secret  string
		orderID int64
		want    error
	}{
		{"missing order", testSecret, 404, woocommerce.ErrNotFound},
		{"revoked keys", "cs_wrong", 1, woocommerce.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := wootest.NewServer(t, testKey, testSecret)
			srv.AddOrder(wootest.Order{ID: 1, Modified: base})
			c, err := woocommerce.NewClient(srv.URL, testKey, tt.secret, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetOrder(context.Background(), tt.orderID)
			var retry *tracking.RetryableError
			if !errors.Is(err, tt.want) || errors.As(err, &retry) {
				t.Errorf("GetOrder error = %v, want %v and not retryable", err, tt.want)
			}
		})
	}
}

func TestClientReportsThrottlingAndOutagesAsRetryable(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantWait   time.Duration
	}{
		{"429 with seconds", http.StatusTooManyRequests, "7", 7 * time.Second},
		{"429 with HTTP date", http.StatusTooManyRequests, now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"503 without Retry-After", http.StatusServiceUnavailable, "", 0},
		{"500", http.StatusInternalServerError, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newStore(t)
			c.SetClock(func() time.Time { return now })
			srv.FailNext(tt.status, tt.retryAfter)
			_, err := c.ListOrders(context.Background(), woocommerce.OrderQuery{})
			var retry *tracking.RetryableError
			if !errors.As(err, &retry) || retry.RetryAfter != tt.wantWait {
				t.Fatalf("error = %v, want RetryableError waiting %s", err, tt.wantWait)
			}
			var apiErr *woocommerce.APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tt.status {
				t.Errorf("error = %v, want it to wrap APIError %d", err, tt.status)
			}
		})
	}
}

func TestClientReportsUnreachableStoreAsRetryable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	c, err := woocommerce.NewClient(url, testKey, testSecret, egress.NewClient(egress.Options{AllowLoopback: true, AllowHTTP: true}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetOrder(context.Background(), 1)
	var retry *tracking.RetryableError
	if !errors.As(err, &retry) {
		t.Errorf("error = %v, want RetryableError", err)
	}
}

// TestDefaultClientRefusesLoopbackStore: without an explicit client the
// store URL is held to the production policy, so a merchant-typed loopback
// address is never called, and the refusal is final, not retried.
func TestDefaultClientRefusesLoopbackStore(t *testing.T) {
	srv := wootest.NewServer(t, testKey, testSecret)
	c, err := woocommerce.NewClient(srv.URL, testKey, testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetOrder(context.Background(), 1)
	var retry *tracking.RetryableError
	if !errors.Is(err, egress.ErrRefused) || errors.As(err, &retry) || len(srv.Requests()) != 0 {
		t.Errorf("GetOrder on %s: err %v, %d requests reached the store; want egress.ErrRefused, not retryable, and none", srv.URL, err, len(srv.Requests()))
	}
}

func TestNewClientRefusesPlainHTTPToPublicHosts(t *testing.T) {
	if _, err := woocommerce.NewClient("http://shop.example", testKey, testSecret, nil); !errors.Is(err, woocommerce.ErrInvalidStoreURL) {
		t.Errorf("NewClient error = %v, want ErrInvalidStoreURL: Basic auth over http would leak the secret", err)
	}
}

const deliveryURL = "https://app.example/webhooks/woocommerce/shop-1"

func TestEnsureWebhooksCreatesEveryTopic(t *testing.T) {
	srv, c := newStore(t)
	srv.AddWebhook(wootest.Webhook{Name: "Other app", Status: "active", Topic: "order.updated", DeliveryURL: "https://other.example/hook"})

	sync, err := c.EnsureWebhooks(context.Background(), "ordertrack", deliveryURL, "sec123")
	if err != nil {
		t.Fatalf("EnsureWebhooks: %v", err)
	}
	if len(sync.Created) != len(woocommerce.Topics) {
		t.Fatalf("created %d webhooks, want %d", len(sync.Created), len(woocommerce.Topics))
	}
	var got []string
	for _, w := range srv.Webhooks() {
		if w.DeliveryURL == deliveryURL {
			got = append(got, fmt.Sprintf("%s %s %s", w.Topic, w.Status, w.Secret))
		}
	}
	want := []string{
		"order.created active sec123", "order.updated active sec123", "order.deleted active sec123",
		"action.wc_ordertrack_tracking_updated active sec123",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("store webhooks = %v, want %v", got, want)
	}
}

func TestEnsureWebhooksReenablesDisabledAndLeavesPausedAlone(t *testing.T) {
	srv, c := newStore(t)
	disabled := srv.AddWebhook(wootest.Webhook{Status: "disabled", Topic: "order.updated", DeliveryURL: deliveryURL, FailureCount: 6})
	paused := srv.AddWebhook(wootest.Webhook{Status: "paused", Topic: "order.created", DeliveryURL: deliveryURL})
	active := srv.AddWebhook(wootest.Webhook{Status: "active", Topic: "order.deleted", DeliveryURL: deliveryURL})
	srv.AddWebhook(wootest.Webhook{Status: "active", Topic: woocommerce.TopicTrackingUpdated, DeliveryURL: deliveryURL})

	sync, err := c.EnsureWebhooks(context.Background(), "ordertrack", deliveryURL, "sec")
	if err != nil {
		t.Fatalf("EnsureWebhooks: %v", err)
	}
	if len(sync.Created) != 0 || len(sync.Reenabled) != 1 || sync.Reenabled[0].ID != disabled || sync.Reenabled[0].Disabled() {
		t.Errorf("sync = %+v, want only webhook %d re-enabled", sync, disabled)
	}
	if len(sync.Paused) != 1 || sync.Paused[0].ID != paused {
		t.Errorf("paused = %+v, want webhook %d reported", sync.Paused, paused)
	}
	status := map[int64]string{}
	for _, w := range srv.Webhooks() {
		status[w.ID] = w.Status
	}
	if status[disabled] != "active" || status[paused] != "paused" || status[active] != "active" {
		t.Errorf("store statuses = %v, want disabled→active, paused kept", status)
	}
	var puts int
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPut || r.Method == http.MethodPost {
			puts++
		}
	}
	if puts != 1 {
		t.Errorf("%d writes to the store, want exactly the one re-enable", puts)
	}
}

func TestListWebhooksDetectsDisabledAcrossPages(t *testing.T) {
	srv, c := newStore(t)
	for i := 0; i < 150; i++ {
		srv.AddWebhook(wootest.Webhook{Status: "active", Topic: "product.updated", DeliveryURL: "https://x.example/h"})
	}
	want := srv.AddWebhook(wootest.Webhook{Status: "disabled", Topic: "order.updated", DeliveryURL: deliveryURL})
	hooks, err := c.ListWebhooks(context.Background())
	if err != nil {
		t.Fatalf("ListWebhooks: %v", err)
	}
	var disabled []int64
	for _, h := range hooks {
		if h.Disabled() {
			disabled = append(disabled, h.ID)
		}
	}
	if len(hooks) != 151 || !reflect.DeepEqual(disabled, []int64{want}) {
		t.Errorf("listed %d hooks, disabled %v; want 151 and [%d]", len(hooks), disabled, want)
	}
}

func TestTrackingTopicIsOneWooCommerceAccepts(t *testing.T) {
	srv, c := newStore(t)
	_, err := c.CreateWebhook(context.Background(), woocommerce.WebhookSpec{Topic: "action.ordertrack_tracking_updated", DeliveryURL: deliveryURL})
	var apiErr *woocommerce.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "woocommerce_rest_webhook_invalid_topic" {
		t.Fatalf("unprefixed action topic: error = %v, want woocommerce_rest_webhook_invalid_topic", err)
	}
	if _, err := c.CreateWebhook(context.Background(), woocommerce.WebhookSpec{Topic: woocommerce.TopicTrackingUpdated, DeliveryURL: deliveryURL}); err != nil {
		t.Errorf("CreateWebhook(%s): %v", woocommerce.TopicTrackingUpdated, err)
	}
	if n := len(srv.Webhooks()); n != 1 {
		t.Errorf("store has %d webhooks, want 1", n)
	}
}

func TestCreateWebhookIsPingedUnsigned(t *testing.T) {
	var (
		mu    sync.Mutex
		pings int
	)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 64)
		n, _ := r.Body.Read(body)
		if woocommerce.IsPing(r.Header, body[:n]) {
			mu.Lock()
			pings++
			mu.Unlock()
		}
	}))
	defer app.Close()
	srv, c := newStore(t)
	srv.PingOnCreate = true
	if _, err := c.CreateWebhook(context.Background(), woocommerce.WebhookSpec{Topic: "order.updated", DeliveryURL: app.URL, Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if pings != 1 {
		t.Errorf("app recognised %d pings, want 1", pings)
	}
}

func TestDeleteWebhookForcesDeletion(t *testing.T) {
	srv, c := newStore(t)
	id := srv.AddWebhook(wootest.Webhook{Status: "active", Topic: "order.updated", DeliveryURL: deliveryURL})
	if err := c.DeleteWebhook(context.Background(), id); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	if n := len(srv.Webhooks()); n != 0 {
		t.Errorf("store still has %d webhooks", n)
	}
}

func TestAddOrderNote(t *testing.T) {
	srv, c := newStore(t)
	srv.AddOrder(wootest.Order{ID: 8, Modified: base})
	n, err := c.AddOrderNote(context.Background(), 8, "Shopper confirmed the address.", false)
	if err != nil {
		t.Fatalf("AddOrderNote: %v", err)
	}
	stored := srv.Notes(8)
	if len(stored) != 1 || stored[0].Note != "Shopper confirmed the address." || stored[0].CustomerNote || n.ID != stored[0].ID {
		t.Errorf("stored notes %+v, returned %+v; want one private note", stored, n)
	}
	if _, err := c.AddOrderNote(context.Background(), 9, "x", false); !errors.Is(err, woocommerce.ErrNotFound) {
		t.Errorf("note on a missing order: error = %v, want ErrNotFound", err)
	}
}

func TestListFulfillments(t *testing.T) {
	srv, c := newStore(t)
	srv.AddOrder(wootest.Order{ID: 123, Modified: base})
	srv.SetFulfillments(123, fulfillmentsJSON)

	if _, err := c.ListFulfillments(context.Background(), 123); !errors.Is(err, woocommerce.ErrFulfillmentsUnavailable) {
		t.Fatalf("feature off: error = %v, want ErrFulfillmentsUnavailable", err)
	}
	srv.FulfillmentsEnabled = true
	fs, err := c.ListFulfillments(context.Background(), 123)
	if err != nil {
		t.Fatalf("ListFulfillments: %v", err)
	}
	if len(fs) != 4 || fs[0].TrackingNumber != "1Z999AA1234567890" {
		t.Errorf("fulfillments = %+v, want the 4 stored", fs)
	}
	if _, err := c.ListFulfillments(context.Background(), 999); !errors.Is(err, woocommerce.ErrNotFound) || errors.Is(err, woocommerce.ErrFulfillmentsUnavailable) {
		t.Errorf("missing order: error = %v, want ErrNotFound only", err)
	}
}
