package app

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
	"github.com/ordertrack/ordertrack/storage/storagetest"
)

// A browser whose request fails outside the shopper pages (which have
// their own branded pages) gets the error page from templates/errors: the
// message, and a way back only to a page of this site (the Referer's path,
// escaped); an API client gets JSON.
func TestFailedBrowserRequestsGetTheErrorPage(t *testing.T) {
	t.Parallel()
	_, base := startApp(t, storagetest.URL(t, storage.SQLite), Config{})
	host := strings.TrimPrefix(base, "http://")
	tests := []struct {
		name, accept, referer string
		want, notWant         []string
	}{
		{"a browser coming from this site", "text/html", "http://" + host + "/track?q=<b>", []string{"<title>Not Found</title>", `<a href="/track?q=%3cb%3e">Go back</a>`}, []string{"<b>"}},
		{"a browser coming from elsewhere", "text/html", "https://elsewhere.example/x", []string{"<p>Not Found</p>"}, []string{"Go back"}},
		{"an API client", "application/json", "", []string{`{"error":"Not Found"}`}, []string{"<html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, base+"/no-such-page", nil)
			req.Header.Set("Accept", tt.accept)
			if tt.referer != "" {
				req.Header.Set("Referer", tt.referer)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d; want 404", res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("body lacks %q:\n%s", w, b)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(b), w) {
					t.Errorf("body has %q:\n%s", w, b)
				}
			}
		})
	}
}
