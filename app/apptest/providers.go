package apptest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Twilio credentials the fake Providers expect; twilio-go refuses a token
// that is not 32 hex digits.
const (
	TwilioSID   = "AC00000000000000000000000000000001"
	TwilioToken = "0123456789abcdef0123456789abcdef"
)

// Mail is one message SendGrid's v3 Mail Send API accepted.
type Mail struct {
	From, FromName, ReplyTo, To, Subject, Text string
	Headers                                    map[string]string
}

// Text is one message Twilio's Messages API accepted (SMS or WhatsApp), on
// Account.
type Text struct{ Account, From, To, Body, ContentSID, ContentVariables string }

// Call is one call Twilio's Calls API accepted.
type Call struct{ From, To, Twiml string }

// Providers answers SendGrid's v3 Mail Send and Twilio's Messages and Calls
// APIs (account TwilioSID) on one host, as the providers document them,
// and records what each accepted. A recipient can be given a script of
// HTTP statuses, answered in turn (the last one repeats), to fake an outage
// or a refusal; the others are accepted.
type Providers struct {
	// URL is the base URL for both SendGrid and Twilio.
	URL string

	mu       sync.Mutex
	script   map[string][]int
	tries    map[string]int
	accepted map[string]int
	mails    []Mail
	texts    []Text
	calls    []Call
	// approvals are the Content API templates' WhatsApp statuses by SID.
	approvals map[string]string
	// accounts are the Twilio accounts known, SID to auth token.
	accounts map[string]string
	// domains are the sending domains authenticated in SendGrid.
	domains []string
}

// NewProviders starts a Providers server, closed when the test ends.
func NewProviders(t testing.TB) *Providers {
	t.Helper()
	p := &Providers{script: map[string][]int{}, tries: map[string]int{}, accepted: map[string]int{}, approvals: map[string]string{}, accounts: map[string]string{TwilioSID: TwilioToken}}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Script makes the provider answer calls for recipient to with statuses in
// turn, the last one for every call after.
func (p *Providers) Script(to string, statuses ...int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script[to] = statuses
}

// AddTwilioAccount makes the fake Twilio know another account (a
// merchant's own), which it accepts messages and calls on.
func (p *Providers) AddTwilioAccount(sid, token string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.accounts[sid] = token
}

// SetAuthenticatedDomains makes SendGrid list domains as authenticated
// (valid DNS records), next to one whose records are not valid yet.
func (p *Providers) SetAuthenticatedDomains(domains ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.domains = domains
}

// SetApproval makes Twilio's Content API know the template contentSID,
// with WhatsApp's verdict status ("approved", "pending", "rejected").
func (p *Providers) SetApproval(contentSID, status string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.approvals[contentSID] = status
}

// Tries counts the calls made for recipient to, and how many of them the
// provider accepted.
func (p *Providers) Tries(to string) (calls, accepted int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tries[to], p.accepted[to]
}

// Mails is the email accepted so far, in order.
func (p *Providers) Mails() []Mail {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Mail(nil), p.mails...)
}

// Texts is the SMS and WhatsApp messages accepted so far, in order.
func (p *Providers) Texts() []Text {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Text(nil), p.texts...)
}

// Calls is the calls placed so far, in order.
func (p *Providers) Calls() []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Call(nil), p.calls...)
}

// status is the answer to the next call for to, counted.
func (p *Providers) status(to string, ok int) int {
	status := ok
	if steps := p.script[to]; len(steps) > 0 {
		status = steps[min(p.tries[to], len(steps)-1)]
	}
	p.tries[to]++
	if status < 300 {
		p.accepted[to]++
	}
	return status
}

// id is the provider's id of the message to to just accepted: prefix and
// the recipient, numbered from the second message on.
func (p *Providers) id(prefix, to string) string {
	if n := p.accepted[to]; n > 1 {
		return fmt.Sprintf("%s%s-%d", prefix, to, n)
	}
	return prefix + to
}

func (p *Providers) serve(w http.ResponseWriter, r *http.Request) {
	sid, token := TwilioSID, ""
	if rest, ok := strings.CutPrefix(r.URL.Path, "/2010-04-01/Accounts/"); ok {
		sid, _, _ = strings.Cut(strings.TrimSuffix(rest, ".json"), "/")
		p.mu.Lock()
		token = p.accounts[sid]
		p.mu.Unlock()
		if user, pass, _ := r.BasicAuth(); token == "" || user != sid || pass != token {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`)
			return
		}
	}
	account := "/2010-04-01/Accounts/" + sid
	switch r.URL.Path {
	case account + ".json":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"sid":%q,"friendly_name":"My first Twilio account","status":"active","type":"Full","owner_account_sid":%q}`, sid, sid)
	case "/v3/mail/send":
		p.serveMail(w, r)
	case "/v3/whitelabel/domains":
		p.serveDomains(w)
	case account + "/Messages.json":
		r.ParseForm()
		msg := Text{Account: sid, From: r.PostForm.Get("From"), To: r.PostForm.Get("To"), Body: r.PostForm.Get("Body"),
			ContentSID: r.PostForm.Get("ContentSid"), ContentVariables: r.PostForm.Get("ContentVariables")}
		p.mu.Lock()
		status := p.status(msg.To, http.StatusCreated)
		if status < 300 {
			p.texts = append(p.texts, msg)
		}
		sid := p.id("SM-", strings.TrimPrefix(msg.To, "+"))
		p.mu.Unlock()
		twilioAnswer(w, status, sid, msg.To)
	case account + "/Calls.json":
		r.ParseForm()
		c := Call{From: r.PostForm.Get("From"), To: r.PostForm.Get("To"), Twiml: r.PostForm.Get("Twiml")}
		p.mu.Lock()
		status := p.status(c.To, http.StatusCreated)
		if status < 300 {
			p.calls = append(p.calls, c)
		}
		sid := p.id("CA-", strings.TrimPrefix(c.To, "+"))
		p.mu.Unlock()
		twilioAnswer(w, status, sid, c.To)
	default:
		if sid, ok := strings.CutPrefix(r.URL.Path, "/v1/Content/"); ok && r.Method == http.MethodGet {
			p.serveApproval(w, strings.TrimSuffix(sid, "/ApprovalRequests"))
			return
		}
		http.NotFound(w, r)
	}
}

// serveDomains answers SendGrid's list of authenticated domains in the
// shape SendGrid documents (integrations/messaging/sendgrid/testdata).
func (p *Providers) serveDomains(w http.ResponseWriter) {
	p.mu.Lock()
	domains := append(append([]string(nil), p.domains...), "pending.example")
	p.mu.Unlock()
	var list []map[string]any
	for i, d := range domains {
		valid := d != "pending.example"
		rec := func(host, data string) map[string]any {
			return map[string]any{"valid": valid, "type": "cname", "host": host, "data": data}
		}
		list = append(list, map[string]any{
			"id": i + 1, "user_id": 7, "subdomain": "em", "domain": d, "username": "ordertrack", "ips": []string{},
			"custom_spf": false, "default": false, "legacy": false, "automatic_security": true, "valid": valid,
			"dns": map[string]any{
				"mail_cname": rec("em."+d, "u7.wl.sendgrid.net"),
				"dkim1":      rec("s1._domainkey."+d, "s1.domainkey.u7.wl.sendgrid.net"),
				"dkim2":      rec("s2._domainkey."+d, "s2.domainkey.u7.wl.sendgrid.net"),
			},
		})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

// serveApproval answers the Content API's fetch of a template's approval
// in the shape Twilio documents (integrations/messaging/twilio/testdata).
func (p *Providers) serveApproval(w http.ResponseWriter, sid string) {
	p.mu.Lock()
	status, ok := p.approvals[sid]
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"code":20404,"message":"The requested resource /v1/Content/`+sid+`/ApprovalRequests was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`)
		return
	}
	fmt.Fprintf(w, `{"account_sid":%q,"sid":%q,"url":"https://content.twilio.com/v1/Content/%s/ApprovalRequests",`+
		`"whatsapp":{"name":"ordertrack_update","category":"UTILITY","content_type":"twilio/text","status":%q,"rejection_reason":"","allow_category_change":true,"type":"whatsapp","flows":null}}`,
		TwilioSID, sid, sid, status)
}

func (p *Providers) serveMail(w http.ResponseWriter, r *http.Request) {
	var m struct {
		From             struct{ Email, Name string } `json:"from"`
		ReplyTo          *struct{ Email string }      `json:"reply_to"`
		Personalizations []struct {
			To []struct{ Email string } `json:"to"`
		} `json:"personalizations"`
		Subject string `json:"subject"`
		Content []struct{ Type, Value string }
		Headers map[string]string `json:"headers"`
	}
	body, _ := io.ReadAll(r.Body)
	if json.Unmarshal(body, &m) != nil || len(m.Personalizations) != 1 || len(m.Personalizations[0].To) != 1 {
		http.Error(w, `{"errors":[{"message":"bad request"}]}`, http.StatusBadRequest)
		return
	}
	mail := Mail{From: m.From.Email, FromName: m.From.Name, To: m.Personalizations[0].To[0].Email, Subject: m.Subject, Headers: m.Headers}
	if m.ReplyTo != nil {
		mail.ReplyTo = m.ReplyTo.Email
	}
	for _, c := range m.Content {
		if c.Type == "text/plain" {
			mail.Text = c.Value
		}
	}
	p.mu.Lock()
	status := p.status(mail.To, http.StatusAccepted)
	if status < 300 {
		p.mails = append(p.mails, mail)
	}
	id := p.id("sg-", mail.To)
	p.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	switch {
	case status < 300:
		w.Header().Set("X-Message-Id", id)
		w.WriteHeader(status)
	case status == http.StatusBadRequest:
		w.WriteHeader(status)
		io.WriteString(w, `{"errors":[{"message":"The from address does not match a verified Sender Identity.","field":"from","help":null}]}`)
	default:
		w.WriteHeader(status)
		io.WriteString(w, `{"errors":[{"message":"Internal server error","field":null,"help":null}]}`)
	}
}

// twilioAnswer writes Twilio's answer for status: the created resource, or
// the error Twilio documents for a bad number or an outage.
func twilioAnswer(w http.ResponseWriter, status int, sid, to string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	switch {
	case status < 300:
		fmt.Fprintf(w, `{"sid":%q,"status":"queued","to":%q,"account_sid":%q}`, sid, to, TwilioSID)
	case status == http.StatusBadRequest:
		io.WriteString(w, `{"code":21211,"message":"The 'To' number is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`)
	default:
		io.WriteString(w, `{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`)
	}
}

// TextsTo is the messages accepted for number, by SMS or WhatsApp.
func (p *Providers) TextsTo(number string) []Text {
	var out []Text
	for _, m := range p.Texts() {
		if m.To == number || m.To == "whatsapp:"+number {
			out = append(out, m)
		}
	}
	return out
}
