package twilio

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestApprovalReadsWhatsAppsVerdict(t *testing.T) {
	sample, err := os.ReadFile("testdata/approval_fetch.json")
	if err != nil {
		t.Fatal(err)
	}
	rejected := strings.Replace(strings.Replace(string(sample), `"status": "approved"`, `"status": "rejected"`, 1),
		`"rejection_reason": ""`, `"rejection_reason": "Variables at the start"`, 1)
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   Approval
		err    bool
	}{
		{"approved (recorded sample)", http.StatusOK, string(sample), Approval{Name: "template_1", Category: "UTILITY", Status: "approved"}, false},
		{"rejected", http.StatusOK, rejected, Approval{Name: "template_1", Category: "UTILITY", Status: "rejected", RejectionReason: "Variables at the start"}, false},
		{"never submitted", http.StatusOK, `{"account_sid":"AC1","sid":"HX1","url":"https://content.twilio.com/v1/Content/HX1/ApprovalRequests","whatsapp":{}}`, Approval{Status: "unsubmitted"}, false},
		{"unknown sid", http.StatusNotFound, `{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`, Approval{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTwilio{status: tc.status, body: tc.body}
			c := newFake(t, f, sendCfg)
			got, err := c.Approval(context.Background(), "HX0123456789abcdef0123456789abcdef")
			if (err != nil) != tc.err || got != tc.want {
				t.Fatalf("Approval = %+v, %v; want %+v (error %v)", got, err, tc.want, tc.err)
			}
			if f.method != http.MethodGet || f.path != "/v1/Content/HX0123456789abcdef0123456789abcdef/ApprovalRequests" {
				t.Fatalf("request = %s %s; want GET /v1/Content/{sid}/ApprovalRequests", f.method, f.path)
			}
			if !f.basicOK || f.user != testSID || f.pass != testToken {
				t.Fatalf("basic auth = %q/%q; want the account's", f.user, f.pass)
			}
		})
	}
}

func TestCheckAccountFetchesTheAccount(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		ok     bool
	}{
		{"active", http.StatusOK, `{"sid":"` + testSID + `","status":"active","type":"Full"}`, true},
		{"suspended", http.StatusOK, `{"sid":"` + testSID + `","status":"suspended","type":"Full"}`, false},
		{"wrong token", http.StatusUnauthorized, `{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTwilio{status: tc.status, body: tc.body}
			c := newFake(t, f, sendCfg)
			if err := c.CheckAccount(context.Background()); (err == nil) != tc.ok {
				t.Fatalf("CheckAccount = %v; want ok %v", err, tc.ok)
			}
			if f.method != http.MethodGet || f.path != "/2010-04-01/Accounts/"+testSID+".json" {
				t.Fatalf("request = %s %s; want GET the account", f.method, f.path)
			}
		})
	}
}
