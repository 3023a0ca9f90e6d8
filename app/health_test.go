package app

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	eachDB(t, func(t *testing.T, url string) {
		a, base := startApp(t, url, Config{})
		if code, _ := getBody(t, base+"/healthz"); code != http.StatusOK {
			t.Fatalf("/healthz = %d", code)
		}
		if code, body := getBody(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, "ready") {
			t.Fatalf("/readyz = %d %s; want 200 ready", code, body)
		}
		code, body := getBody(t, base+"/metrics")
		if code != http.StatusOK || !strings.Contains(body, `ordertrack_http_request_duration_seconds_count{method="GET",route="/readyz",status="200"} 1`) {
			t.Fatalf("/metrics = %d; want the /readyz request counted:\n%.2000s", code, body)
		}
		// A database that is down makes the machine unready.
		a.db.SQL.Close()
		if code, _ := getBody(t, base+"/readyz"); code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz with the database closed = %d; want 503", code)
		}
	})
}
