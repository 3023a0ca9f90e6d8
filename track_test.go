package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// fakeDHL serves the Unified Tracking API from the DHL adapter's recorded
// answers: a real Express response for 9750874965, 404 for anything else,
// 401 for a wrong key.
func fakeDHL(t *testing.T) *httptest.Server {
	t.Helper()
	real, err := os.ReadFile(filepath.Join("integrations", "carriers", "dhl", "testdata", "express_real_two_shipments.json"))
	if err != nil {
		t.Fatal(err)
	}
	notFound, err := os.ReadFile(filepath.Join("integrations", "carriers", "dhl", "testdata", "not_found.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/track/shipments":
			http.NotFound(w, r)
		case r.Header.Get("DHL-API-Key") != "test-key":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"title":"Unauthorized","status":401,"detail":"Invalid API key."}`))
		case r.URL.Query().Get("trackingNumber") == "9750874965":
			w.Header().Set("Content-Type", "application/json")
			w.Write(real)
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			w.Write(notFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestTrackPrintsTheNormalizedShipment(t *testing.T) {
	srv := fakeDHL(t)
	env := envOf(map[string]string{"DHL_API_KEY": "test-key", "DHL_BASE_URL": srv.URL})
	var out bytes.Buffer
	if err := runTrack(context.Background(), []string{"9750874965", "--json"}, env, &out); err != nil {
		t.Fatal(err)
	}
	var rep trackReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	if rep.Carrier != "dhl" || rep.Stage != tracking.StageDelivered || rep.Problem != tracking.ProblemNone || rep.Substatus != "delivered" || len(rep.Events) != 18 {
		t.Errorf("report = %s %s/%s substatus %q with %d events; want dhl delivered/ substatus delivered with 18", rep.Carrier, rep.Stage, rep.Problem, rep.Substatus, len(rep.Events))
	}
	if e := rep.Events[14]; e.Stage != tracking.StageInTransit || e.Problem != tracking.ProblemFailedAttempt || e.Description != "Delivery attempted; recipient not home" {
		t.Errorf("event 14 = %+v; want the second failed attempt", e)
	}
	if rep.ETA != nil || len(rep.UnknownCodes) != 0 {
		t.Errorf("eta %+v, unknown %q; want none for a delivered shipment with every code known", rep.ETA, rep.UnknownCodes)
	}

	out.Reset()
	if err := runTrack(context.Background(), []string{"--carrier", "DHL Express", "9750874965"}, env, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DHL 9750874965 (express)", "stage:     delivered", "in_transit/failed_attempt", "Delivery attempted; recipient not home — SHARJAH - UNITED ARAB EMIRATES"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("timeline lacks %q:\n%s", want, out.String())
		}
	}
}

func TestTrackExitStatus(t *testing.T) {
	srv := fakeDHL(t)
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		status int
		stderr string
	}{
		{"a result", []string{"9750874965"}, map[string]string{"DHL_API_KEY": "test-key", "DHL_BASE_URL": srv.URL}, 0, ""},
		{"not found", []string{"3318810025", "--carrier", "dhl"}, map[string]string{"DHL_API_KEY": "test-key", "DHL_BASE_URL": srv.URL}, 3, "does not know"},
		{"rejected credentials", []string{"9750874965"}, map[string]string{"DHL_API_KEY": "wrong", "DHL_BASE_URL": srv.URL}, 1, "Invalid API key."},
		{"no credentials", []string{"1Z1202R66698804005"}, nil, 1, "set UPS_CLIENT_ID, UPS_CLIENT_SECRET"},
		{"unknown carrier", []string{"9750874965", "--carrier", "pigeon"}, nil, 1, "no tracking API"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], append([]string{"track"}, tt.args...)...)
			cmd.Env = []string{"OT_RUN_MAIN=1", "PATH=" + os.Getenv("PATH")}
			for k, v := range tt.env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			status := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			lines := strings.Count(strings.TrimSpace(stderr.String()), "\n")
			if status != tt.status || !strings.Contains(stderr.String(), tt.stderr) || lines > 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line naming %q", status, stderr.String(), tt.status, tt.stderr)
			}
		})
	}
}
