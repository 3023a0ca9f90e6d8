// Package wootest is a fake WooCommerce store for tests: an httptest server
// speaking the wc/v3 REST wire format (Basic auth, paging headers, orders,
// notes, webhooks including disabled ones, core fulfillments) and helpers that
// sign webhook deliveries exactly as WooCommerce does. NewTLSServer serves
// the same over https, as a real store must for Basic auth.
package wootest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Sign computes X-WC-Webhook-Signature the way WC_Webhook::generate_signature
// does: base64(HMAC-SHA256(body, wp_specialchars_decode(secret, ENT_QUOTES))).
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(wpSpecialcharsDecode(secret)))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// wpSpecialcharsDecode covers the entities WordPress writes; the production
// decoder in package woocommerce also handles zero-padded numeric forms.
var wpSpecialcharsDecode = strings.NewReplacer(
	"&amp;", "&", "&#038;", "&", "&#38;", "&", "&#x26;", "&",
	"&lt;", "<", "&#060;", "<", "&#60;", "<",
	"&gt;", ">", "&#062;", ">", "&#62;", ">",
	"&quot;", `"`, "&#034;", `"`, "&#34;", `"`, "&#x22;", `"`,
	"&#039;", "'", "&#39;", "'", "&#x27;", "'",
).Replace

// DeliveryRequest builds the POST WooCommerce sends for a webhook delivery:
// JSON body, Hookshot user agent, every X-WC-Webhook-* header and the signature.
func DeliveryRequest(deliveryURL, secret, topic string, webhookID int64, body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, deliveryURL, bytes.NewReader(body))
	resource, event, _ := strings.Cut(topic, ".")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)")
	req.Header.Set("X-WC-Webhook-Source", "https://shop.example/")
	req.Header.Set("X-WC-Webhook-Topic", topic)
	req.Header.Set("X-WC-Webhook-Resource", resource)
	req.Header.Set("X-WC-Webhook-Event", event)
	req.Header.Set("X-WC-Webhook-Signature", Sign(secret, body))
	req.Header.Set("X-WC-Webhook-ID", strconv.FormatInt(webhookID, 10))
	req.Header.Set("X-WC-Webhook-Delivery-ID", fmt.Sprintf("%x", sha256.Sum256(append(body, byte(webhookID)))))
	return req
}

// PingRequest builds the unsigned ping WooCommerce posts when a webhook is created.
func PingRequest(deliveryURL string, webhookID int64) *http.Request {
	req := httptest.NewRequest(http.MethodPost, deliveryURL, strings.NewReader("webhook_id="+strconv.FormatInt(webhookID, 10)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)")
	return req
}

// Webhook is a webhook stored in the fake store.
type Webhook struct {
	ID           int64
	Name         string
	Status       string // active, paused, disabled
	Topic        string
	DeliveryURL  string
	Secret       string
	FailureCount int
	DateModified time.Time
}

// Note is an order note stored in the fake store.
type Note struct {
	ID           int64
	OrderID      int64
	Note         string
	CustomerNote bool
}

// Request records one API call the server received.
type Request struct {
	Method string
	Path   string
	Query  url.Values
}

// Server is the fake store. Its zero state has no orders and no webhooks.
type Server struct {
	*httptest.Server
	Key, Secret string

	mu           sync.Mutex
	orders       map[int64]Order
	webhooks     map[int64]*Webhook
	notes        []Note
	fulfillments map[int64]json.RawMessage
	failures     []failure
	requests     []Request
	nextID       int64
	// FulfillmentsEnabled makes /orders/{id}/fulfillments exist; off, it
	// answers rest_no_route like a store without the feature.
	FulfillmentsEnabled bool
	// PingOnCreate makes webhook creation post the unsigned ping to the
	// delivery URL first, like WooCommerce does.
	PingOnCreate bool
	// Now stamps date_modified on webhooks; defaults to a fixed time.
	Now func() time.Time
	// AdminEmail is the store's "From" address (settings group email),
	// which defaults to WordPress's admin_email.
	AdminEmail string
	// SiteName, TimezoneString and GMTOffset are what the REST API index
	// (/wp-json/) says of the site; Currency is woocommerce_currency and
	// Language the system status's environment.language.
	SiteName       string
	TimezoneString string
	GMTOffset      string
	Currency       string
	Language       string
}

type failure struct {
	status     int
	retryAfter string
}

// NewServer starts a fake store over plain http (loopback only, as the app
// allows for tests) that accepts key/secret, and closes it when the test
// ends.
func NewServer(t testing.TB, key, secret string) *Server {
	t.Helper()
	s := newServer(key, secret)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// NewTLSServer is NewServer over https with a self-signed certificate;
// s.Client() trusts it.
func NewTLSServer(t testing.TB, key, secret string) *Server {
	t.Helper()
	s := newServer(key, secret)
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func newServer(key, secret string) *Server {
	return &Server{
		Key: key, Secret: secret,
		orders:       map[int64]Order{},
		webhooks:     map[int64]*Webhook{},
		fulfillments: map[int64]json.RawMessage{},
		nextID:       1000,
		Now:          func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
		AdminEmail:   "owner@shop.example",
		SiteName:     "Shop Example", TimezoneString: "Europe/Berlin", GMTOffset: "1", Currency: "EUR", Language: "de_DE",
	}
}

// AddOrder stores an order.
func (s *Server) AddOrder(o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID] = o
}

// AddWebhook stores a webhook (any status) and returns its id.
func (s *Server) AddWebhook(w Webhook) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	w.ID = s.nextID
	if w.DateModified.IsZero() {
		w.DateModified = s.Now()
	}
	s.webhooks[w.ID] = &w
	return w.ID
}

// Webhooks returns the stored webhooks ordered by id.
func (s *Server) Webhooks() []Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Webhook, 0, len(s.webhooks))
	for _, w := range s.webhooks {
		out = append(out, *w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Notes returns the notes added to an order.
func (s *Server) Notes(orderID int64) []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Note
	for _, n := range s.notes {
		if n.OrderID == orderID {
			out = append(out, n)
		}
	}
	return out
}

// SetFulfillments stores the raw JSON array GET /orders/{id}/fulfillments returns.
func (s *Server) SetFulfillments(orderID int64, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fulfillments[orderID] = json.RawMessage(raw)
}

// FailNext makes the next API call answer status (with Retry-After when
// non-empty) instead of being served.
func (s *Server) FailNext(status int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{status, retryAfter})
}

// Requests returns the API calls received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"code": code, "message": message, "data": map[string]int{"status": status}})
}

const prefix = "/wp-json/wc/v3"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()})
	var fail *failure
	if len(s.failures) > 0 {
		fail = &s.failures[0]
		s.failures = s.failures[1:]
	}
	s.mu.Unlock()

	if fail != nil {
		if fail.retryAfter != "" {
			w.Header().Set("Retry-After", fail.retryAfter)
		}
		writeError(w, fail.status, "fake_failure", http.StatusText(fail.status))
		return
	}
	if strings.TrimSuffix(r.URL.Path, "/") == "/wp-json" {
		s.index(w)
		return
	}
	key, secret, ok := r.BasicAuth()
	switch {
	case !ok:
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
		return
	case key != s.Key:
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
		return
	case !hmac.Equal([]byte(secret), []byte(s.Secret)):
		writeError(w, http.StatusUnauthorized, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
		return
	}
	path, found := strings.CutPrefix(r.URL.Path, prefix)
	if !found {
		writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "orders" && r.Method == http.MethodGet:
		s.listOrders(w, r)
	case len(parts) == 2 && parts[0] == "orders" && r.Method == http.MethodGet:
		s.getOrder(w, parts[1])
	case len(parts) == 3 && parts[0] == "orders" && parts[2] == "notes" && r.Method == http.MethodPost:
		s.addNote(w, r, parts[1])
	case len(parts) == 3 && parts[0] == "orders" && parts[2] == "fulfillments" && r.Method == http.MethodGet:
		s.listFulfillments(w, parts[1])
	case len(parts) == 1 && parts[0] == "system_status" && r.Method == http.MethodGet:
		s.systemStatus(w)
	case len(parts) == 3 && parts[0] == "settings" && r.Method == http.MethodGet:
		s.getSetting(w, parts[1], parts[2])
	case len(parts) == 1 && parts[0] == "webhooks" && r.Method == http.MethodGet:
		s.listWebhooks(w, r)
	case len(parts) == 1 && parts[0] == "webhooks" && r.Method == http.MethodPost:
		s.createWebhook(w, r)
	case len(parts) == 2 && parts[0] == "webhooks" && (r.Method == http.MethodPut || r.Method == http.MethodPatch):
		s.updateWebhook(w, r, parts[1])
	case len(parts) == 2 && parts[0] == "webhooks" && r.Method == http.MethodDelete:
		s.deleteWebhook(w, r, parts[1])
	default:
		writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
	}
}

// paginate applies WordPress's page/per_page rules and sets X-WP-Total and
// X-WP-TotalPages; it reports false after writing an error.
func paginate(w http.ResponseWriter, r *http.Request, n int) (lo, hi int, ok bool) {
	page, perPage := 1, 10
	if v := r.URL.Query().Get("page"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			writeError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): page")
			return 0, 0, false
		}
		page = p
	}
	if v := r.URL.Query().Get("per_page"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 100 {
			writeError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): per_page")
			return 0, 0, false
		}
		perPage = p
	}
	pages := (n + perPage - 1) / perPage
	if page > pages && n > 0 {
		writeError(w, http.StatusBadRequest, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.")
		return 0, 0, false
	}
	w.Header().Set("X-WP-Total", strconv.Itoa(n))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	lo = min((page-1)*perPage, n)
	return lo, min(lo+perPage, n), true
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var after time.Time
	if v := q.Get("modified_after"); v != "" {
		t, err := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(v, "Z"))
		if err != nil {
			writeError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): modified_after")
			return
		}
		after = t
	}
	s.mu.Lock()
	var list []Order
	for _, o := range s.orders {
		if after.IsZero() || o.Modified.After(after) {
			list = append(list, o)
		}
	}
	s.mu.Unlock()
	if q.Get("orderby") == "modified" {
		sort.Slice(list, func(i, j int) bool {
			if !list[i].Modified.Equal(list[j].Modified) {
				return list[i].Modified.Before(list[j].Modified)
			}
			return list[i].ID < list[j].ID
		})
	} else { // WooCommerce's default: newest first by date created
		sort.Slice(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	}
	if q.Get("order") == "desc" && q.Get("orderby") == "modified" {
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	lo, hi, ok := paginate(w, r, len(list))
	if !ok {
		return
	}
	out := make([]json.RawMessage, 0, hi-lo)
	for _, o := range list[lo:hi] {
		out = append(out, o.JSON())
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) order(w http.ResponseWriter, rawID string) (Order, bool) {
	id, _ := strconv.ParseInt(rawID, 10, 64)
	s.mu.Lock()
	o, ok := s.orders[id]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
	}
	return o, ok
}

func (s *Server) getOrder(w http.ResponseWriter, rawID string) {
	if o, ok := s.order(w, rawID); ok {
		writeJSON(w, http.StatusOK, o.JSON())
	}
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, rawID string) {
	o, ok := s.order(w, rawID)
	if !ok {
		return
	}
	var in struct {
		Note         string `json:"note"`
		CustomerNote bool   `json:"customer_note"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Note == "" {
		writeError(w, http.StatusBadRequest, "rest_missing_callback_param", "Missing parameter(s): note")
		return
	}
	s.mu.Lock()
	s.nextID++
	n := Note{ID: s.nextID, OrderID: o.ID, Note: in.Note, CustomerNote: in.CustomerNote}
	s.notes = append(s.notes, n)
	s.mu.Unlock()
	now := s.Now().UTC().Format("2006-01-02T15:04:05")
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": n.ID, "author": "system", "date_created": now, "date_created_gmt": now,
		"note": n.Note, "customer_note": n.CustomerNote,
	})
}

func (s *Server) listFulfillments(w http.ResponseWriter, rawID string) {
	if !s.FulfillmentsEnabled {
		writeError(w, http.StatusNotFound, "rest_no_route", "No route was found matching the URL and request method.")
		return
	}
	o, ok := s.order(w, rawID)
	if !ok {
		return
	}
	s.mu.Lock()
	raw := s.fulfillments[o.ID]
	s.mu.Unlock()
	if raw == nil {
		raw = json.RawMessage("[]")
	}
	writeJSON(w, http.StatusOK, raw)
}

func (s *Server) webhookJSON(h *Webhook) map[string]any {
	resource, event, _ := strings.Cut(h.Topic, ".")
	mod := h.DateModified.UTC().Format("2006-01-02T15:04:05")
	return map[string]any{
		"id": h.ID, "name": h.Name, "status": h.Status, "topic": h.Topic,
		"resource": resource, "event": event, "hooks": []string{}, "delivery_url": h.DeliveryURL,
		"date_created": mod, "date_created_gmt": mod, "date_modified": mod, "date_modified_gmt": mod,
	}
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	hooks := s.Webhooks()
	lo, hi, ok := paginate(w, r, len(hooks))
	if !ok {
		return
	}
	out := []map[string]any{}
	for i := lo; i < hi; i++ {
		out = append(out, s.webhookJSON(&hooks[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

// validTopic mirrors wc_is_webhook_valid_topic.
func validTopic(topic string) bool {
	if strings.HasPrefix(topic, "action.woocommerce_") || strings.HasPrefix(topic, "action.wc_") {
		return true
	}
	resource, event, ok := strings.Cut(topic, ".")
	if !ok {
		return false
	}
	switch resource {
	case "coupon", "customer", "order", "product":
	default:
		return false
	}
	switch event {
	case "created", "updated", "deleted", "restored":
		return true
	}
	return false
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name        string `json:"name"`
		Status      string `json:"status"`
		Topic       string `json:"topic"`
		DeliveryURL string `json:"delivery_url"`
		Secret      string `json:"secret"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	if !validTopic(in.Topic) {
		writeError(w, http.StatusBadRequest, "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.")
		return
	}
	if !strings.HasPrefix(in.DeliveryURL, "http://") && !strings.HasPrefix(in.DeliveryURL, "https://") {
		writeError(w, http.StatusBadRequest, "woocommerce_rest_webhook_invalid_delivery_url", "Webhook delivery URL must be a valid URL starting with http:// or https://.")
		return
	}
	if in.Status == "" {
		in.Status = "active"
	}
	id := s.AddWebhook(Webhook{Name: in.Name, Status: in.Status, Topic: in.Topic, DeliveryURL: in.DeliveryURL, Secret: in.Secret})
	if s.PingOnCreate {
		resp, err := http.Post(in.DeliveryURL, "application/x-www-form-urlencoded", strings.NewReader("webhook_id="+strconv.FormatInt(id, 10)))
		if err == nil {
			resp.Body.Close()
		}
	}
	s.mu.Lock()
	out := s.webhookJSON(s.webhooks[id])
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request, rawID string) {
	id, _ := strconv.ParseInt(rawID, 10, 64)
	var in struct {
		Status *string `json:"status"`
		Secret *string `json:"secret"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "rest_invalid_json", "Invalid JSON body passed.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.webhooks[id]
	if !ok {
		writeError(w, http.StatusNotFound, "woocommerce_rest_webhook_invalid_id", "Invalid webhook ID.")
		return
	}
	if in.Status != nil {
		switch *in.Status {
		case "active", "paused", "disabled":
		default:
			writeError(w, http.StatusBadRequest, "rest_invalid_param", "Invalid parameter(s): status")
			return
		}
		h.Status = *in.Status
		if h.Status == "active" {
			h.FailureCount = 0
		}
	}
	if in.Secret != nil {
		h.Secret = *in.Secret
	}
	h.DateModified = s.Now()
	writeJSON(w, http.StatusOK, s.webhookJSON(h))
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, rawID string) {
	id, _ := strconv.ParseInt(rawID, 10, 64)
	if r.URL.Query().Get("force") != "true" {
		writeError(w, http.StatusNotImplemented, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.webhooks[id]
	if !ok {
		writeError(w, http.StatusNotFound, "woocommerce_rest_webhook_invalid_id", "Invalid webhook ID.")
		return
	}
	out := s.webhookJSON(h)
	delete(s.webhooks, id)
	writeJSON(w, http.StatusOK, out)
}

// getSetting answers GET /settings/{group}/{id} for the one setting the app
// reads, in the shape of WC_REST_Setting_Options_Controller.
func (s *Server) getSetting(w http.ResponseWriter, group, id string) {
	if group == "general" && id == "woocommerce_currency" {
		s.mu.Lock()
		cur := s.Currency
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{
			"id": id, "label": "Currency", "description": "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.",
			"type": "select", "default": "USD", "value": cur, "group_id": group,
		})
		return
	}
	if group != "email" || id != "woocommerce_email_from_address" {
		writeError(w, http.StatusNotFound, "rest_setting_setting_invalid", "Invalid setting.")
		return
	}
	s.mu.Lock()
	email := s.AdminEmail
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": id, "label": `"From" address`, "description": "How the sender email appears in outgoing WooCommerce emails.",
		"type": "email", "default": email, "tip": "How the sender email appears in outgoing WooCommerce emails.",
		"value": email, "group_id": group,
	})
}

// index answers the public REST API index the way WordPress does (the
// fields the app reads, and namespaces); gmt_offset is a string there.
func (s *Server) index(w http.ResponseWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"name": s.SiteName, "description": "", "url": s.URL, "home": s.URL,
		"gmt_offset": s.GMTOffset, "timezone_string": s.TimezoneString,
		"namespaces": []string{"oembed/1.0", "wc/v3", "wp/v2"},
	})
}

// systemStatus answers GET /system_status with its environment section's
// language and default_timezone, which is always UTC (PHP's zone under
// WordPress), never the site's.
func (s *Server) systemStatus(w http.ResponseWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"environment": map[string]any{"home_url": s.URL, "site_url": s.URL, "language": s.Language, "default_timezone": "UTC"},
		"settings":    map[string]any{"currency": s.Currency},
	})
}
