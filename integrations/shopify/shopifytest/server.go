// Package shopifytest is a fake Shopify for tests: an httptest server that
// speaks the token endpoint (authorization code, token exchange, refresh) and
// the GraphQL Admin API (orders, fulfillmentEventCreate, tagsAdd, orderUpdate
// of note and shipping address, flowTriggerReceive against declared trigger
// extensions, cost extensions, throttling, userErrors), plus helpers that sign webhooks, OAuth and app
// proxy queries and mint session tokens exactly as Shopify does. It does not
// import package shopify, so it checks that package against the wire format
// rather than against itself.
package shopifytest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Server is a fake Shopify serving any number of shops. Point the client at
// it with BaseURL. Its clock is Now, which tests may replace before use.
type Server struct {
	URL       string
	APIKey    string
	APISecret string
	// Now is the fake's clock for token expiry and session-token checks.
	Now func() time.Time
	// AccessTTL and RefreshTTL are the lifetimes of issued expiring tokens.
	AccessTTL, RefreshTTL time.Duration
	// ThrottleDeficit is how many points short a THROTTLED answer reports;
	// at the fake's restore rate of 100 points/s the default 5 means a 50 ms
	// wait.
	ThrottleDeficit float64
	// Scopes is what the fake says it granted; empty: a development
	// store's read_orders,read_fulfillments,write_fulfillments.
	Scopes string

	mu        sync.Mutex
	shops     map[string]*shop
	nextID    int64
	flowDecls map[string]map[string]string // Flow trigger handle → field key → type
}

type shop struct {
	access        string
	accessExpires time.Time // zero: non-expiring
	refresh       string
	codes         map[string]bool
	orders        map[int64]Order
	products      map[int64]Product
	events        []FulfillmentEvent
	tracking      []TrackingUpdate
	addresses     map[int64]MailingAddress
	throttleNext  int
	stats         Stats
	flow          []FlowTrigger
	info          ShopInfo
}

// ShopInfo is what the fake answers for the shop query and shopLocales.
type ShopInfo struct {
	Name, Email, ContactEmail, Timezone, Currency, PrimaryLocale, Plan string
}

// SetShopInfo sets what shop says about itself; a shop never set answers
// with a development store's defaults.
func (s *Server) SetShopInfo(shopName string, info ShopInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shop(shopName).info = info
}

// Stats counts what the fake served for one shop.
type Stats struct {
	CodeExchanges   int
	TokenExchanges  int
	Refreshes       int
	GraphQLRequests int
	FlowTriggers    int // flowTriggerReceive requests among GraphQLRequests
	Throttled       int
	Unauthorized    int
}

// FulfillmentEvent is a fulfillmentEventCreate the fake accepted.
type FulfillmentEvent struct {
	ID            string
	FulfillmentID string
	Status        string
	HappenedAt    string
	Message       string
	City          string
	Country       string
}

// TrackingUpdate is a fulfillmentTrackingInfoUpdate the fake accepted,
// its trackingInfoInput as sent.
type TrackingUpdate struct {
	FulfillmentID  string
	Company        string
	Number, URL    string
	Numbers, URLs  []string
	NotifyCustomer bool
}

// NewServer starts a fake for the app with apiKey and apiSecret; it stops
// when the test ends.
func NewServer(t testing.TB, apiKey, apiSecret string) *Server {
	t.Helper()
	s := &Server{
		APIKey: apiKey, APISecret: apiSecret, Now: time.Now,
		AccessTTL: time.Hour, RefreshTTL: 90 * 24 * time.Hour, ThrottleDeficit: 5,
		shops: map[string]*shop{}, nextID: 1,
	}
	ts := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// BaseURL maps a shop to its origin on the fake, for shopify.Config.BaseURL.
func (s *Server) BaseURL(shop string) string { return s.URL + "/" + shop }

func (s *Server) shop(name string) *shop {
	sh, ok := s.shops[name]
	if !ok {
		sh = &shop{codes: map[string]bool{}, orders: map[int64]Order{}, products: map[int64]Product{}, addresses: map[int64]MailingAddress{}, info: ShopInfo{
			Name: strings.TrimSuffix(name, ".myshopify.com"), Email: "owner@" + name, Timezone: "America/New_York",
			Currency: "USD", PrimaryLocale: "en", Plan: "Development",
		}}
		s.shops[name] = sh
	}
	return sh
}

// Install gives shop a fresh expiring token pair, as if the app had been
// installed, and returns it with the access token's expiry.
func (s *Server) Install(shopName string) (access, refresh string, expires time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.shop(shopName)
	s.issue(sh, true)
	return sh.access, sh.refresh, sh.accessExpires
}

// AddCode registers an authorization code for shop, as the OAuth redirect
// would carry it. It can be exchanged once.
func (s *Server) AddCode(shopName, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shop(shopName).codes[code] = true
}

// RevokeAccessToken makes shop's current access token answer 401 (as after
// expiry) while its refresh token stays valid.
func (s *Server) RevokeAccessToken(shopName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shop(shopName).access = "revoked-" + randomID()
}

// Throttle makes shop's next n GraphQL requests answer THROTTLED.
func (s *Server) Throttle(shopName string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shop(shopName).throttleNext = n
}

// AddOrder stores (or replaces) an order fixture for shop.
func (s *Server) AddOrder(shopName string, o Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shop(shopName).orders[o.ID] = o
}

// Order returns shop's order id as the fake now holds it.
func (s *Server) Order(shopName string, id int64) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shop(shopName).orders[id]
}

// FulfillmentEvents returns the events created on shop, oldest first.
func (s *Server) FulfillmentEvents(shopName string) []FulfillmentEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]FulfillmentEvent(nil), s.shop(shopName).events...)
}

// TrackingUpdates returns the tracking updates made on shop, oldest first.
func (s *Server) TrackingUpdates(shopName string) []TrackingUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TrackingUpdate(nil), s.shop(shopName).tracking...)
}

// Stats returns what the fake served for shop.
func (s *Server) Stats(shopName string) Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shop(shopName).stats
}

// AccessToken returns shop's currently valid access token.
func (s *Server) AccessToken(shopName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shop(shopName).access
}

var graphQLPath = regexp.MustCompile(`^/admin/api/\d{4}-\d{2}/graphql\.json$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	rest = "/" + rest
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch {
	case rest == "/admin/oauth/access_token":
		s.serveToken(w, r, name)
	case graphQLPath.MatchString(rest):
		s.serveGraphQL(w, r, name)
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}

// issue replaces sh's tokens; the old refresh token stops working.
func (s *Server) issue(sh *shop, expiring bool) map[string]any {
	sh.access = "shpat_" + randomID()
	scope := s.Scopes
	if scope == "" {
		scope = "read_orders,read_fulfillments,write_fulfillments"
	}
	out := map[string]any{"access_token": sh.access, "scope": scope}
	if !expiring {
		sh.accessExpires, sh.refresh = time.Time{}, ""
		return out
	}
	sh.accessExpires = s.Now().Add(s.AccessTTL)
	sh.refresh = "shprt_" + randomID()
	out["expires_in"] = int(s.AccessTTL / time.Second)
	out["refresh_token"] = sh.refresh
	out["refresh_token_expires_in"] = int(s.RefreshTTL / time.Second)
	return out
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, shopName string) {
	var req map[string]string
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		oauthError(w, "invalid_request", "body must be a JSON object of strings")
		return
	}
	if req["client_id"] != s.APIKey || req["client_secret"] != s.APISecret {
		oauthError(w, "invalid_client", "Client credentials are invalid")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.shop(shopName)
	switch req["grant_type"] {
	case "":
		if !sh.codes[req["code"]] {
			oauthError(w, "invalid_request", "The authorization code was not found or was already used")
			return
		}
		delete(sh.codes, req["code"])
		sh.stats.CodeExchanges++
		writeJSON(w, http.StatusOK, s.issue(sh, req["expiring"] == "1"))
	case "urn:ietf:params:oauth:grant-type:token-exchange":
		if req["subject_token_type"] != "urn:ietf:params:oauth:token-type:id_token" ||
			req["requested_token_type"] != "urn:shopify:params:oauth:token-type:offline-access-token" {
			oauthError(w, "invalid_request", "unsupported token types")
			return
		}
		if err := s.checkSessionToken(req["subject_token"], shopName); err != nil {
			oauthError(w, "invalid_subject_token", err.Error())
			return
		}
		sh.stats.TokenExchanges++
		writeJSON(w, http.StatusOK, s.issue(sh, req["expiring"] == "1"))
	case "refresh_token":
		if sh.refresh == "" || req["refresh_token"] != sh.refresh {
			oauthError(w, "invalid_grant", "The refresh token is invalid or has already been used")
			return
		}
		sh.stats.Refreshes++
		writeJSON(w, http.StatusOK, s.issue(sh, true))
	default:
		oauthError(w, "unsupported_grant_type", "grant_type "+req["grant_type"]+" is not supported")
	}
}

func (s *Server) checkSessionToken(token, shopName string) error {
	var c struct {
		Dest string `json:"dest"`
		jwt.RegisteredClaims
	}
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return []byte(s.APISecret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience(s.APIKey), jwt.WithExpirationRequired(),
		jwt.WithLeeway(10*time.Second), jwt.WithTimeFunc(s.Now))
	if err != nil {
		return err
	}
	if c.Dest != "https://"+shopName {
		return fmt.Errorf("token is for %s", c.Dest)
	}
	return nil
}

// Query costs the fake reports; at restoreRate points per second.
const (
	maxAvailable = 2000.0
	restoreRate  = 100.0
)

type graphQLRequest struct {
	Query     string          `json:"query"`
	Variables json.RawMessage `json:"variables"`
}

var operationName = regexp.MustCompile(`^\s*(query|mutation)\s+(\w+)`)

func cost(requested float64, available float64) map[string]any {
	var actual any = requested
	if available < requested {
		actual = nil
	}
	return map[string]any{"cost": map[string]any{
		"requestedQueryCost": requested, "actualQueryCost": actual,
		"throttleStatus": map[string]any{"maximumAvailable": maxAvailable, "currentlyAvailable": available, "restoreRate": restoreRate},
	}}
}

func (s *Server) serveGraphQL(w http.ResponseWriter, r *http.Request, shopName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.shop(shopName)
	sh.stats.GraphQLRequests++
	tok := r.Header.Get("X-Shopify-Access-Token")
	if tok == "" || tok != sh.access || (!sh.accessExpires.IsZero() && !s.Now().Before(sh.accessExpires)) {
		sh.stats.Unauthorized++
		writeJSON(w, http.StatusUnauthorized, map[string]string{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
		return
	}
	var req graphQLRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": map[string]string{"query": "Required parameter missing or invalid"}})
		return
	}
	m := operationName.FindStringSubmatch(req.Query)
	if m == nil {
		writeJSON(w, http.StatusOK, gqlErrors("the fake needs a named operation", "PARSE_ERROR", cost(1, maxAvailable)))
		return
	}
	requested := map[string]float64{
		"Order": 52, "OrdersUpdatedSince": 205, "FulfillmentEventCreate": 10, "FulfillmentTrackingInfoUpdate": 10, "TagsAdd": 10, "OrderNote": 1, "OrderUpdate": 10, "FlowTriggerReceive": 1, "ShopInfo": 2, "ProductImages": 10,
	}[m[2]]
	if sh.throttleNext > 0 {
		sh.throttleNext--
		sh.stats.Throttled++
		writeJSON(w, http.StatusOK, gqlErrors("Throttled", "THROTTLED", cost(requested, requested-s.ThrottleDeficit)))
		return
	}
	ext := cost(requested, maxAvailable-requested)
	switch m[2] {
	case "Order":
		s.gqlOrder(w, sh, req.Variables, ext)
	case "OrdersUpdatedSince":
		s.gqlOrders(w, sh, req.Variables, ext)
	case "FulfillmentEventCreate":
		s.gqlFulfillmentEvent(w, sh, req.Variables, ext)
	case "FulfillmentTrackingInfoUpdate":
		s.gqlTrackingInfo(w, sh, req.Variables, ext)
	case "TagsAdd":
		s.gqlTagsAdd(w, sh, req.Variables, ext)
	case "OrderNote":
		s.gqlOrderNote(w, sh, req.Variables, ext)
	case "OrderUpdate":
		s.gqlOrderUpdate(w, sh, req.Variables, ext)
	case "FlowTriggerReceive":
		sh.stats.FlowTriggers++
		s.gqlFlowTrigger(w, sh, req.Variables, ext)
	case "ShopInfo":
		s.gqlShopInfo(w, sh, ext)
	case "ProductImages":
		s.gqlNodes(w, sh, req.Variables, ext)
	default:
		writeJSON(w, http.StatusOK, gqlErrors("Field '"+m[2]+"' doesn't exist on type 'QueryRoot'", "undefinedField", ext))
	}
}

func gqlErrors(msg, code string, ext map[string]any) map[string]any {
	return map[string]any{
		"errors":     []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
		"extensions": ext,
	}
}

type sizes struct {
	LineItems    int `json:"lineItems"`
	Fulfillments int `json:"fulfillments"`
	Tracking     int `json:"tracking"`
}

func (s *Server) gqlOrder(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		ID string `json:"id"`
		sizes
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: "+err.Error(), "INVALID_VARIABLE", ext))
		return
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(v.ID, "gid://shopify/Order/"), 10, 64)
	o, ok := sh.orders[id]
	if !ok {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"order": nil}, "extensions": ext})
		return
	}
	node := o.graphQL(v.LineItems, v.Fulfillments, v.Tracking)
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"order": node}, "extensions": ext})
}

var updatedAfter = regexp.MustCompile(`updated_at:>'([^']+)'`)

func (s *Server) gqlOrders(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		Query string `json:"query"`
		First int    `json:"first"`
		After string `json:"after"`
		sizes
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.First < 1 || v.First > 250 {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables", "INVALID_VARIABLE", ext))
		return
	}
	var since time.Time
	if m := updatedAfter.FindStringSubmatch(v.Query); m != nil {
		since, _ = time.Parse(time.RFC3339, m[1])
	}
	var list []Order
	for _, o := range sh.orders {
		if o.UpdatedAt.After(since) {
			list = append(list, o)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].UpdatedAt.Equal(list[j].UpdatedAt) {
			return list[i].UpdatedAt.Before(list[j].UpdatedAt)
		}
		return list[i].ID < list[j].ID
	})
	start := 0
	if v.After != "" {
		b, err := base64.StdEncoding.DecodeString(v.After)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil {
			writeJSON(w, http.StatusOK, gqlErrors("Invalid cursor for current pagination sort.", "BAD_REQUEST", ext))
			return
		}
		start = n
	}
	end := min(start+v.First, len(list))
	nodes := []map[string]any{}
	for _, o := range list[min(start, end):end] {
		nodes = append(nodes, o.graphQL(v.LineItems, v.Fulfillments, v.Tracking))
	}
	var cursor any
	if end > start {
		cursor = base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"orders": map[string]any{
		"pageInfo": map[string]any{"hasNextPage": end < len(list), "endCursor": cursor},
		"nodes":    nodes,
	}}, "extensions": ext})
}

var eventStatuses = map[string]bool{
	"ATTEMPTED_DELIVERY": true, "CARRIER_PICKED_UP": true, "CONFIRMED": true, "DELAYED": true, "DELIVERED": true,
	"FAILURE": true, "IN_TRANSIT": true, "LABEL_PRINTED": true, "LABEL_PURCHASED": true, "OUT_FOR_DELIVERY": true,
	"READY_FOR_PICKUP": true,
}

func (s *Server) gqlFulfillmentEvent(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		Event struct {
			FulfillmentID string `json:"fulfillmentId"`
			Status        string `json:"status"`
			HappenedAt    string `json:"happenedAt"`
			Message       string `json:"message"`
			City          string `json:"city"`
			Country       string `json:"country"`
		} `json:"event"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: "+err.Error(), "INVALID_VARIABLE", ext))
		return
	}
	if !eventStatuses[v.Event.Status] {
		writeJSON(w, http.StatusOK, gqlErrors(fmt.Sprintf("Variable $event of type FulfillmentEventInput! was provided invalid value for status (Expected %q to be one of: ATTEMPTED_DELIVERY, CARRIER_PICKED_UP, CONFIRMED, DELAYED, DELIVERED, FAILURE, IN_TRANSIT, LABEL_PRINTED, LABEL_PURCHASED, OUT_FOR_DELIVERY, READY_FOR_PICKUP)", v.Event.Status), "INVALID_VARIABLE", ext))
		return
	}
	if !sh.hasFulfillment(v.Event.FulfillmentID) {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"fulfillmentEventCreate": map[string]any{
			"fulfillmentEvent": nil,
			"userErrors":       []map[string]any{{"field": []string{"fulfillmentEvent", "fulfillmentId"}, "message": "Fulfillment does not exist."}},
		}}, "extensions": ext})
		return
	}
	s.nextID++
	ev := FulfillmentEvent{
		ID: gid("FulfillmentEvent", s.nextID), FulfillmentID: v.Event.FulfillmentID, Status: v.Event.Status,
		HappenedAt: v.Event.HappenedAt, Message: v.Event.Message, City: v.Event.City, Country: v.Event.Country,
	}
	sh.events = append(sh.events, ev)
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"fulfillmentEventCreate": map[string]any{
		"fulfillmentEvent": map[string]any{"id": ev.ID, "status": ev.Status, "happenedAt": ev.HappenedAt},
		"userErrors":       []any{},
	}}, "extensions": ext})
}

// gqlTrackingInfo replaces a fulfillment's tracking as
// fulfillmentTrackingInfoUpdate does, answering in the documented payload
// shape; later webhooks and queries show the new tracking.
func (s *Server) gqlTrackingInfo(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		FulfillmentID string `json:"fulfillmentId"`
		Input         struct {
			Company string   `json:"company"`
			Number  string   `json:"number"`
			URL     string   `json:"url"`
			Numbers []string `json:"numbers"`
			URLs    []string `json:"urls"`
		} `json:"trackingInfoInput"`
		NotifyCustomer bool `json:"notifyCustomer"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("invalid variables: "+err.Error(), "INVALID_VARIABLE", ext))
		return
	}
	in := v.Input
	numbers, urls := in.Numbers, in.URLs
	if in.Number != "" {
		numbers, urls = []string{in.Number}, nil
		if in.URL != "" {
			urls = []string{in.URL}
		}
	}
	for oid, o := range sh.orders {
		for i, f := range o.Fulfillments {
			if gid("Fulfillment", f.ID) != v.FulfillmentID {
				continue
			}
			sh.tracking = append(sh.tracking, TrackingUpdate{
				FulfillmentID: v.FulfillmentID, Company: in.Company, Number: in.Number, URL: in.URL,
				Numbers: in.Numbers, URLs: in.URLs, NotifyCustomer: v.NotifyCustomer,
			})
			if in.Company != "" {
				f.Company = in.Company
			}
			f.Numbers, f.URLs = numbers, urls
			f.UpdatedAt = s.Now().UTC()
			o.Fulfillments[i] = f
			sh.orders[oid] = o
			info := []map[string]any{}
			for j, n := range numbers {
				t := map[string]any{"company": strOrNil(f.Company), "number": n, "url": nil}
				if j < len(urls) {
					t["url"] = urls[j]
				}
				info = append(info, t)
			}
			writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"fulfillmentTrackingInfoUpdate": map[string]any{
				"fulfillment": map[string]any{"id": v.FulfillmentID, "trackingInfo": info},
				"userErrors":  []any{},
			}}, "extensions": ext})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"fulfillmentTrackingInfoUpdate": map[string]any{
		"fulfillment": nil,
		"userErrors":  []map[string]any{{"field": []string{"fulfillmentId"}, "message": "Fulfillment does not exist."}},
	}}, "extensions": ext})
}

func (sh *shop) hasFulfillment(id string) bool {
	for _, o := range sh.orders {
		for _, f := range o.Fulfillments {
			if gid("Fulfillment", f.ID) == id {
				return true
			}
		}
	}
	return false
}

// gqlShopInfo answers the shop query and shopLocales in the Admin API's
// shapes: contactEmail may be empty, shopLocales lists the primary locale
// and a published alternate.
func (s *Server) gqlShopInfo(w http.ResponseWriter, sh *shop, ext map[string]any) {
	in := sh.info
	locales := []map[string]any{{"locale": "fr", "primary": false, "published": true}}
	if in.PrimaryLocale != "" {
		locales = append(locales, map[string]any{"locale": in.PrimaryLocale, "primary": true, "published": true})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"shop": map[string]any{
			"name": in.Name, "email": in.Email, "contactEmail": in.ContactEmail, "ianaTimezone": in.Timezone,
			"currencyCode": in.Currency, "plan": map[string]any{"displayName": in.Plan},
		},
		"shopLocales": locales,
	}, "extensions": ext})
}
