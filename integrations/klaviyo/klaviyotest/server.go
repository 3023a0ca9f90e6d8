// Package klaviyotest is a fake Klaviyo for tests: an httptest server that
// speaks the Events API as documented (POST /api/events, JSON:API, the
// private-key Authorization header and the required revision header; 202 on
// acceptance, 429 with Retry-After when throttled, JSON:API errors). It does
// not import package klaviyo, so it checks that package against the wire
// format rather than against itself.
package klaviyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Server is a fake Klaviyo account per private key.
type Server struct {
	URL string

	mu        sync.Mutex
	keys      map[string]bool
	events    []Event
	throttle  int
	retryWait int
	requests  int
}

// Event is an event the fake accepted.
type Event struct {
	Key        string // the private key it came with
	Revision   string
	Metric     string
	Email      string
	Phone      string
	Time       string
	UniqueID   string
	Properties map[string]any
}

// NewServer starts a fake accepting the given private keys.
func NewServer(t testing.TB, keys ...string) *Server {
	t.Helper()
	s := &Server{keys: map[string]bool{}}
	for _, k := range keys {
		s.keys[k] = true
	}
	ts := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// Throttle makes the next n requests answer 429 with Retry-After: seconds.
func (s *Server) Throttle(n, seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle, s.retryWait = n, seconds
}

// Events lists the accepted events, oldest first. Klaviyo keeps one event
// per unique_id, so a repeated unique_id is listed once.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Requests counts every request, refused ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func jsonAPIError(w http.ResponseWriter, status int, code, detail string) {
	w.Header().Set("Content-Type", "application/vnd.api+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"id": "00000000-0000-0000-0000-000000000000", "status": status, "code": code,
		"title": http.StatusText(status), "detail": detail, "source": map[string]any{"pointer": "/data/"},
	}}})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if r.Method != http.MethodPost || strings.TrimSuffix(r.URL.Path, "/") != "/api/events" {
		jsonAPIError(w, http.StatusNotFound, "not_found", "Not found.")
		return
	}
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Klaviyo-API-Key ")
	if !ok || !s.keys[key] {
		jsonAPIError(w, http.StatusUnauthorized, "not_authenticated", "Authentication credentials were not provided.")
		return
	}
	rev := r.Header.Get("revision")
	if rev == "" {
		jsonAPIError(w, http.StatusBadRequest, "invalid", "Missing `revision` header.")
		return
	}
	if s.throttle > 0 {
		s.throttle--
		w.Header().Set("Retry-After", strconv.Itoa(s.retryWait))
		jsonAPIError(w, http.StatusTooManyRequests, "throttled", fmt.Sprintf("Request was throttled. Expected available in %d seconds.", s.retryWait))
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/vnd.api+json") && !strings.HasPrefix(ct, "application/json") {
		jsonAPIError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "Unsupported media type "+ct)
		return
	}
	var doc struct {
		Data struct {
			Type       string `json:"type"`
			Attributes struct {
				Properties map[string]any `json:"properties"`
				Time       string         `json:"time"`
				UniqueID   string         `json:"unique_id"`
				Metric     struct {
					Data struct {
						Type       string `json:"type"`
						Attributes struct {
							Name string `json:"name"`
						} `json:"attributes"`
					} `json:"data"`
				} `json:"metric"`
				Profile struct {
					Data struct {
						Type       string `json:"type"`
						Attributes struct {
							Email       string `json:"email"`
							PhoneNumber string `json:"phone_number"`
						} `json:"attributes"`
					} `json:"data"`
				} `json:"profile"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil {
		jsonAPIError(w, http.StatusBadRequest, "invalid", "Malformed JSON: "+err.Error())
		return
	}
	a := doc.Data.Attributes
	switch {
	case doc.Data.Type != "event":
		jsonAPIError(w, http.StatusConflict, "conflict", "The type in the body must be `event`.")
		return
	case a.Properties == nil:
		jsonAPIError(w, http.StatusBadRequest, "invalid", "`properties` is required.")
		return
	case a.Metric.Data.Type != "metric" || a.Metric.Data.Attributes.Name == "":
		jsonAPIError(w, http.StatusBadRequest, "invalid", "A metric name is required.")
		return
	case a.Profile.Data.Type != "profile" || (a.Profile.Data.Attributes.Email == "" && a.Profile.Data.Attributes.PhoneNumber == ""):
		jsonAPIError(w, http.StatusBadRequest, "invalid", "The profile needs an identifier.")
		return
	case a.Profile.Data.Attributes.PhoneNumber != "" && !strings.HasPrefix(a.Profile.Data.Attributes.PhoneNumber, "+"):
		jsonAPIError(w, http.StatusBadRequest, "invalid", "Invalid phone number format (Example of a valid format: +12345678901)")
		return
	}
	ev := Event{
		Key: key, Revision: rev, Metric: a.Metric.Data.Attributes.Name, Email: a.Profile.Data.Attributes.Email,
		Phone: a.Profile.Data.Attributes.PhoneNumber, Time: a.Time, UniqueID: a.UniqueID, Properties: a.Properties,
	}
	dup := false
	for _, e := range s.events {
		dup = dup || (ev.UniqueID != "" && e.UniqueID == ev.UniqueID && e.Metric == ev.Metric)
	}
	if !dup {
		s.events = append(s.events, ev)
	}
	w.WriteHeader(http.StatusAccepted)
}
