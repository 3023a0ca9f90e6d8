package carriertest

import (
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestServerAnswersWithFixturesAndRecordsRequests(t *testing.T) {
	srv := NewServer(t)
	route := srv.Handle(http.MethodGet, "/track/", func(t *testing.T, r *http.Request) string {
		return strings.TrimPrefix(r.URL.Path, "/track/")
	}, map[string]Reply{
		"A": {Status: 429, File: "ok.json", Header: map[string]string{"Retry-After": "7"}},
		"*": {Status: 200, File: "ok.json", Header: map[string]string{"Content-Type": "application/problem+json"}},
	})
	tests := []struct {
		path string
		want []string // status, Retry-After, Content-Type, body
	}{
		{"/track/A", []string{"429 Too Many Requests", "7", "application/json", `{"ok":true}`}},
		{"/track/B", []string{"200 OK", "", "application/problem+json", `{"ok":true}`}},
	}
	for _, tt := range tests {
		resp, err := srv.Client().Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := []string{resp.Status, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), strings.TrimSpace(string(body))}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("GET %s = %q, want %q", tt.path, got, tt.want)
		}
	}
	if got := route.Keys(); !reflect.DeepEqual(got, []string{"A", "B"}) {
		t.Errorf("Keys = %q, want [A B]", got)
	}
	if n := srv.TokenCalls(); n != 0 {
		t.Errorf("TokenCalls = %d without a token endpoint, want 0", n)
	}
}
