package shopifytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// FlowTrigger is a flowTriggerReceive the fake accepted.
type FlowTrigger struct {
	Handle  string
	Payload map[string]any
}

// DeclareFlowTrigger deploys a Flow trigger extension: its handle and its
// fields, each by the key the payload uses ("order_id" for an
// order_reference) and its type (single_line_text_field, url, …). Like
// Flow, the fake then refuses payloads for other handles, with missing or
// extra fields, or with values of the wrong type.
func (s *Server) DeclareFlowTrigger(handle string, fields map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flowDecls == nil {
		s.flowDecls = map[string]map[string]string{}
	}
	s.flowDecls[handle] = fields
}

// FlowTriggers returns the triggers shop received, oldest first.
func (s *Server) FlowTriggers(shopName string) []FlowTrigger {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]FlowTrigger(nil), s.shop(shopName).flow...)
}

// flowFieldOK checks one payload value against its declared type.
func flowFieldOK(typ string, v any) bool {
	switch typ {
	case "order_reference", "customer_reference", "product_reference", "number_integer":
		n, ok := v.(float64)
		return ok && n == float64(int64(n)) && n > 0
	case "number_decimal":
		_, ok := v.(float64)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "url":
		s, ok := v.(string)
		return ok && (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"))
	case "single_line_text_field", "multi_line_text_field", "email":
		s, ok := v.(string)
		return ok && (typ != "single_line_text_field" || !strings.ContainsAny(s, "\n"))
	}
	return false
}

func (s *Server) gqlFlowTrigger(w http.ResponseWriter, sh *shop, raw json.RawMessage, ext map[string]any) {
	var v struct {
		Handle  string         `json:"handle"`
		Payload map[string]any `json:"payload"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusOK, gqlErrors("Variable $payload of type JSON was provided invalid value", "INVALID_VARIABLE", ext))
		return
	}
	body, _ := json.Marshal(v.Payload)
	var problems []string
	decl, ok := s.flowDecls[v.Handle]
	switch {
	case !ok:
		problems = append(problems, fmt.Sprintf("Invalid handle %q", v.Handle))
	case len(body) > 50_000:
		problems = append(problems, "Payload exceeds 50KB")
	default:
		for key, typ := range decl {
			val, present := v.Payload[key]
			if !present {
				problems = append(problems, fmt.Sprintf("Missing required field %q", key))
			} else if !flowFieldOK(typ, val) {
				problems = append(problems, fmt.Sprintf("Field %q is not a valid %s", key, typ))
			}
		}
		for key := range v.Payload {
			if _, declared := decl[key]; !declared {
				problems = append(problems, fmt.Sprintf("Unknown field %q", key))
			}
		}
	}
	var userErrors []map[string]any
	if len(problems) > 0 {
		sort.Strings(problems)
		userErrors = append(userErrors, map[string]any{"field": []string{"body"}, "message": "Errors validating schema:\n  " + strings.Join(problems, "\n  ")})
	} else {
		sh.flow = append(sh.flow, FlowTrigger{Handle: v.Handle, Payload: v.Payload})
	}
	if userErrors == nil {
		userErrors = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"data":       map[string]any{"flowTriggerReceive": map[string]any{"userErrors": userErrors}},
		"extensions": ext,
	})
}
