package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ordertrack/ordertrack/app/apptest"
	"github.com/ordertrack/ordertrack/app/flow"
	"github.com/ordertrack/ordertrack/app/tracking"
	"github.com/ordertrack/ordertrack/integrations/shopify/shopifytest"
	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// flowExtensions reads the Flow trigger extensions under extensions/: handle
// → payload key → type, a reference field keyed as Flow keys it
// ("order_id" for an order_reference).
func flowExtensions(t *testing.T) map[string]map[string]string {
	t.Helper()
	paths, err := filepath.Glob("../extensions/flow-*/shopify.extension.toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no Flow extensions: %v", err)
	}
	handleRE := regexp.MustCompile(`(?m)^handle = "([^"]+)"`)
	fieldRE := regexp.MustCompile(`(?m)^type = "([^"]+)"(?:\n(?:key = "([^"]+)"|[a-z_]+ = .*))*`)
	out := map[string]map[string]string{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src := string(raw)
		if !strings.Contains(src, `type = "flow_trigger"`) {
			continue
		}
		handle := handleRE.FindStringSubmatch(src)[1]
		fields := map[string]string{}
		for _, block := range strings.Split(src, "[[settings.fields]]")[1:] {
			block = strings.TrimSpace(block)
			m := fieldRE.FindStringSubmatch(block)
			if m == nil {
				t.Fatalf("%s: a field without a type", p)
			}
			typ, key := m[1], m[2]
			if k := regexp.MustCompile(`(?m)^key = "([^"]+)"`).FindStringSubmatch(block); k != nil {
				key = k[1]
			}
			if ref, ok := strings.CutSuffix(typ, "_reference"); ok {
				key = ref + "_id"
			}
			fields[key] = typ
		}
		out[handle] = fields
	}
	return out
}

func TestFlowExtensionsDeclareTheFieldsTheAppSends(t *testing.T) {
	t.Parallel()
	exts := flowExtensions(t)
	for handle, keys := range flow.Fields {
		var declared []string
		for k := range exts[handle] {
			declared = append(declared, k)
		}
		slices.Sort(declared)
		want := slices.Clone(keys)
		slices.Sort(want)
		if !slices.Equal(declared, want) {
			t.Errorf("extension %s declares %q; app/flow sends %q", handle, declared, want)
		}
	}
	if len(exts) != len(flow.Fields) {
		t.Errorf("%d trigger extensions, %d triggers in app/flow", len(exts), len(flow.Fields))
	}
}

// startFlowApp starts the app against a fake Shopify that has the app's
// Flow trigger extensions deployed, with shopA installed.
func startFlowApp(t *testing.T, dbURL string) (*App, string, *shopifytest.Server, *storage.Shop) {
	t.Helper()
	a, base, fake := startShopifyApp(t, dbURL, nil)
	for handle, fields := range flowExtensions(t) {
		fake.DeclareFlowTrigger(handle, fields)
	}
	return a, base, fake, installTestShop(t, a, fake, shopA, time.Hour)
}

func waitFlowTrigger(t *testing.T, fake *shopifytest.Server, handle, number string) shopifytest.FlowTrigger {
	t.Helper()
	var got shopifytest.FlowTrigger
	apptest.WaitUntil(t, "the "+handle+" Flow trigger for "+number, func() bool {
		for _, ft := range fake.FlowTriggers(shopA) {
			if ft.Handle == handle && ft.Payload["Tracking number"] == number {
				got = ft
				return true
			}
		}
		return false
	})
	return got
}

func TestCarrierNewsFiresShopifyFlowTriggers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		event  tracking.Event
		handle string
		want   map[string]any
	}{
		{
			name:   "stage changed",
			event:  tracking.Event{Stage: tracking.StageInTransit, Code: "I", Description: "Departed facility"},
			handle: flow.HandleStageChanged,
			want:   map[string]any{"Stage": "in_transit", "Carrier": "UPS"},
		},
		{
			name:   "problem detected with its substatus",
			event:  tracking.Event{Stage: tracking.StageOutForDelivery, Problem: tracking.ProblemFailedAttempt, Code: "X", Description: "Nobody home"},
			handle: flow.HandleProblemDetected,
			want:   map[string]any{"Stage": "out_for_delivery", "Problem": "failed_attempt", "Substatus": "X"},
		},
		{
			name:   "return delivered",
			event:  tracking.Event{Stage: tracking.StageReturned, Code: "RS", Description: "Returned to shipper"},
			handle: flow.HandleReturnDelivered,
			want:   map[string]any{"Carrier": "UPS"},
		},
	}
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, _, fake, shop := startFlowApp(t, dbURL)
		ctx := context.Background()
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id := int64(9700 + i)
				o := shopifytest.SampleOrder(id, time.Now())
				number := fmt.Sprintf("1ZFLOW%09d", id)
				o.Fulfillments[0].Numbers = []string{number}
				seedShopifyOrder(t, a, shop, o)
				s := shipmentOf(t, a, shop.ID, number)
				ev := tc.event
				ev.Time = time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
				if err := a.polling.ApplyResult(ctx, &s, tracking.Result{Number: number, Events: []tracking.Event{ev}}, false, 0); err != nil {
					t.Fatal(err)
				}
				got := waitFlowTrigger(t, fake, tc.handle, number)
				if got.Payload["order_id"] != float64(id) {
					t.Errorf("order_id = %v, want %d (the order's numeric id)", got.Payload["order_id"], id)
				}
				if page, _ := got.Payload["Tracking page"].(string); !strings.HasSuffix(page, "/t/"+s.PublicToken) {
					t.Errorf("Tracking page = %q, want the shipment's page", page)
				}
				for k, v := range tc.want {
					if got.Payload[k] != v {
						t.Errorf("%s = %v, want %v", k, got.Payload[k], v)
					}
				}
			})
		}
	})
}

func TestShopperRequestFiresShopifyFlowTrigger(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake, shop := startFlowApp(t, dbURL)
		_, s := seedWritebackOrder(t, a, fake, shop, 9750, true)
		postAction(t, a, base, s, url.Values{"kind": {"not_received"}, "note": {"Nothing on the porch"}})
		got := waitFlowTrigger(t, fake, flow.HandleRequestReceived, s.TrackingNumber)
		if got.Payload["Request"] != "not_received" || !strings.Contains(got.Payload["Details"].(string), "Nothing on the porch") {
			t.Fatalf("payload = %v, want the not_received request with the shopper's words", got.Payload)
		}
	})
}

// postFlowAction posts a Flow action run as Shopify Flow does: JSON signed
// with the app's client secret.
func postFlowAction(t *testing.T, base, secret string, payload map[string]any) int {
	t.Helper()
	body, _ := json.Marshal(payload)
	req, _ := http.NewRequest(http.MethodPost, base+"/flow/actions/send-tracking-update", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Hmac-SHA256", shopifytest.SignWebhook(secret, body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestFlowActionSendsATrackingUpdateOncePerRun(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, dbURL string) {
		a, base, fake, shop := startFlowApp(t, dbURL)
		ctx := context.Background()
		o, s := seedWritebackOrder(t, a, fake, shop, 9760, false)
		ev := tracking.Event{Time: time.Now().Add(-time.Hour).UTC().Truncate(time.Second), Stage: tracking.StageInTransit, Code: "I", Description: "Departed"}
		if err := a.polling.ApplyResult(ctx, &s, tracking.Result{Number: s.TrackingNumber, Events: []tracking.Event{ev}}, false, 0); err != nil {
			t.Fatal(err)
		}
		sent := func() int {
			return int(storagetest.Count(t, a.db, "notifications", "shipment_id = ? AND trigger = ? AND status = ?", s.ID, "in_transit", "sent"))
		}
		apptest.WaitUntil(t, "the in-transit message", func() bool { return sent() == 1 })
		run := map[string]any{
			"shop_id": 1, "shopify_domain": shopA, "action_run_id": "run-42", "handle": flow.HandleSendUpdate,
			"properties": map[string]any{"order_id": o.ID},
		}
		for _, tc := range []struct {
			name   string
			secret string
			run    map[string]any
			status int
			sent   int
		}{
			{"wrong signature", "not-the-secret", run, http.StatusUnauthorized, 1},
			{"unknown order", testSecret, withProps(run, map[string]any{"order_id": 1}), http.StatusNotFound, 1},
			{"a run", testSecret, run, http.StatusOK, 2},
			{"the same run retried", testSecret, run, http.StatusOK, 2},
		} {
			if code := postFlowAction(t, base, tc.secret, tc.run); code != tc.status {
				t.Fatalf("%s: status %d, want %d", tc.name, code, tc.status)
			}
			if tc.status == http.StatusOK {
				apptest.WaitUntil(t, tc.name+": its message", func() bool { return sent() >= tc.sent && jobsSettled(t, a, "notify", "send") })
			}
			if n := sent(); n != tc.sent {
				t.Fatalf("%s: %d in-transit messages, want %d", tc.name, n, tc.sent)
			}
		}
	})
}

// jobsSettled reports whether every job of kinds has finished.
func jobsSettled(t *testing.T, a *App, kinds ...string) bool {
	t.Helper()
	res, err := a.jobs.JobList(context.Background(), river.NewJobListParams().Kinds(kinds...).
		States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled, rivertype.JobStatePending).First(1))
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs) == 0
}

func withProps(run, props map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range run {
		out[k] = v
	}
	out["properties"] = props
	return out
}
