package twilio

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

const (
	testSID   = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	testToken = "0123456789abcdef0123456789abcdef"
)

// fakeTwilio is the 2010-04-01 REST API: it records one request and answers
// with a fixed status and JSON body.
type fakeTwilio struct {
	status int
	body   string

	calls        int
	method, path string
	user, pass   string
	basicOK      bool
	contentType  string
	form         url.Values
}

func (f *fakeTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls++
	f.method, f.path = r.Method, r.URL.Path
	f.user, f.pass, f.basicOK = r.BasicAuth()
	f.contentType = r.Header.Get("Content-Type")
	raw, _ := io.ReadAll(r.Body)
	f.form, _ = url.ParseQuery(string(raw))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func newFake(t *testing.T, f *fakeTwilio, cfg Config) *Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg.AccountSID, cfg.AuthToken, cfg.BaseURL, cfg.HTTPClient = testSID, testToken, srv.URL, srv.Client()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// assertRequest checks the parts every Twilio REST call shares.
func assertRequest(t *testing.T, f *fakeTwilio, resource string) {
	t.Helper()
	if want := "/2010-04-01/Accounts/" + testSID + "/" + resource; f.method != http.MethodPost || f.path != want {
		t.Errorf("request = %s %s, want POST %s", f.method, f.path, want)
	}
	if !f.basicOK || f.user != testSID || f.pass != testToken {
		t.Errorf("basic auth = %q/%q (present %v), want account SID and auth token", f.user, f.pass, f.basicOK)
	}
	if f.contentType != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want form encoding", f.contentType)
	}
}

const messageCreated = `{"account_sid":"` + testSID + `","api_version":"2010-04-01","body":"Your parcel is out for delivery","date_created":"Thu, 24 Aug 2023 05:01:45 +0000","date_sent":null,"date_updated":"Thu, 24 Aug 2023 05:01:45 +0000","direction":"outbound-api","error_code":null,"error_message":null,"from":"+15017122661","messaging_service_sid":null,"num_media":"0","num_segments":"1","price":null,"price_unit":null,"sid":"SM1f0e8ae6ade43cb3c0ce4525424e404f","status":"queued","subresource_uris":{"media":"/2010-04-01/Accounts/` + testSID + `/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f/Media.json"},"to":"+15558675310","uri":"/2010-04-01/Accounts/` + testSID + `/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json"}`

const callCreated = `{"account_sid":"` + testSID + `","annotation":null,"answered_by":null,"api_version":"2010-04-01","caller_name":null,"date_created":null,"date_updated":null,"direction":"outbound-api","duration":null,"end_time":null,"forwarded_from":null,"from":"+15017122661","from_formatted":"(501) 712-2661","group_sid":null,"parent_call_sid":null,"phone_number_sid":"PN1234567890abcdef1234567890abcdef","price":null,"price_unit":"USD","sid":"CA9a7f1c9e6b4e0f8a2d3c5b7e9f1a3c5d","start_time":null,"status":"queued","subresource_uris":{},"to":"+15558675310","to_formatted":"(555) 867-5310","trunk_sid":null,"uri":"/2010-04-01/Accounts/` + testSID + `/Calls/CA9a7f1c9e6b4e0f8a2d3c5b7e9f1a3c5d.json","queue_time":"0"}`

var sendCfg = Config{
	FromSMS: "+15017122661", FromWhatsApp: "+14155238886", FromVoice: "+15017122661",
	StatusCallbackURL: "https://track.example/hooks/twilio/status?shop=7",
	VoiceURL:          "https://track.example/hooks/twilio/voice",
}

func TestSendMessagePostsFormToMessagesResource(t *testing.T) {
	tests := []struct {
		name string
		send func(*Client) (string, error)
		want url.Values
	}{
		{
			name: "sms",
			send: func(c *Client) (string, error) {
				return c.SendSMS(context.Background(), "+15558675310", "Your parcel is out for delivery", "msg_42")
			},
			want: url.Values{
				"To": {"+15558675310"}, "From": {"+15017122661"}, "Body": {"Your parcel is out for delivery"},
				"StatusCallback": {"https://track.example/hooks/twilio/status?message_id=msg_42&shop=7"},
			},
		},
		{
			name: "whatsapp session message gets whatsapp prefixes",
			send: func(c *Client) (string, error) {
				return c.SendWhatsApp(context.Background(), "+15558675310", "Your parcel is out for delivery", "msg_43")
			},
			want: url.Values{
				"To": {"whatsapp:+15558675310"}, "From": {"whatsapp:+14155238886"}, "Body": {"Your parcel is out for delivery"},
				"StatusCallback": {"https://track.example/hooks/twilio/status?message_id=msg_43&shop=7"},
			},
		},
		{
			name: "whatsapp number already prefixed is not prefixed twice",
			send: func(c *Client) (string, error) {
				return c.SendWhatsApp(context.Background(), "whatsapp:+15558675310", "Hi", "msg_44")
			},
			want: url.Values{
				"To": {"whatsapp:+15558675310"}, "From": {"whatsapp:+14155238886"}, "Body": {"Hi"},
				"StatusCallback": {"https://track.example/hooks/twilio/status?message_id=msg_44&shop=7"},
			},
		},
		{
			name: "whatsapp template sends content SID and variables",
			send: func(c *Client) (string, error) {
				return c.SendWhatsAppTemplate(context.Background(), "+15558675310", "HXb5b62575e6e4ff6129ad7c8efe1f983e",
					map[string]string{"1": "Ana", "2": "Friday"}, "msg_45")
			},
			want: url.Values{
				"To": {"whatsapp:+15558675310"}, "From": {"whatsapp:+14155238886"},
				"ContentSid":       {"HXb5b62575e6e4ff6129ad7c8efe1f983e"},
				"ContentVariables": {`{"1":"Ana","2":"Friday"}`},
				"StatusCallback":   {"https://track.example/hooks/twilio/status?message_id=msg_45&shop=7"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTwilio{status: http.StatusCreated, body: messageCreated}
			c := newFake(t, f, sendCfg)

			sid, err := tt.send(c)
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			if sid != "SM1f0e8ae6ade43cb3c0ce4525424e404f" {
				t.Errorf("sid = %q, want the created message's sid", sid)
			}
			assertRequest(t, f, "Messages.json")
			if !reflect.DeepEqual(f.form, tt.want) {
				t.Errorf("form = %v\nwant   %v", f.form, tt.want)
			}
		})
	}
}

func TestSendSMSWithoutCallbackURLSendsNoStatusCallback(t *testing.T) {
	f := &fakeTwilio{status: http.StatusCreated, body: messageCreated}
	c := newFake(t, f, Config{FromSMS: "+15017122661"})

	if _, err := c.SendSMS(context.Background(), "+15558675310", "Hi", "msg_1"); err != nil {
		t.Fatalf("SendSMS: %v", err)
	}
	if _, ok := f.form["StatusCallback"]; ok {
		t.Errorf("StatusCallback = %q, want none when no callback URL is configured", f.form.Get("StatusCallback"))
	}
}

func TestCallPostsToCallsResource(t *testing.T) {
	twiml := VoiceTwiML("Your parcel arrives today.", []Option{{Digit: "1", Label: "Press 1 to confirm."}}, "https://track.example/hooks/twilio/gather?message_id=msg_9", "en-US", nil)
	tests := []struct {
		name  string
		twiml string
		want  url.Values
	}{
		{
			name:  "inline TwiML",
			twiml: twiml,
			want: url.Values{
				"To": {"+15558675310"}, "From": {"+15017122661"}, "Twiml": {twiml},
				"StatusCallback": {"https://track.example/hooks/twilio/status?message_id=msg_9&shop=7"},
			},
		},
		{
			name: "voice URL when no TwiML is given",
			want: url.Values{
				"To": {"+15558675310"}, "From": {"+15017122661"},
				"Url":            {"https://track.example/hooks/twilio/voice?message_id=msg_9"},
				"StatusCallback": {"https://track.example/hooks/twilio/status?message_id=msg_9&shop=7"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTwilio{status: http.StatusCreated, body: callCreated}
			c := newFake(t, f, sendCfg)

			sid, err := c.Call(context.Background(), "+15558675310", tt.twiml, "msg_9")
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if sid != "CA9a7f1c9e6b4e0f8a2d3c5b7e9f1a3c5d" {
				t.Errorf("sid = %q, want the created call's sid", sid)
			}
			assertRequest(t, f, "Calls.json")
			if !reflect.DeepEqual(f.form, tt.want) {
				t.Errorf("form = %v\nwant   %v", f.form, tt.want)
			}
		})
	}
}

func TestCallWithoutTwiMLOrVoiceURLFailsWithoutCallingTwilio(t *testing.T) {
	f := &fakeTwilio{status: http.StatusCreated, body: callCreated}
	c := newFake(t, f, Config{FromVoice: "+15017122661"})

	if _, err := c.Call(context.Background(), "+15558675310", "", "msg_9"); err == nil {
		t.Fatal("Call succeeded, want an error")
	}
	if f.calls != 0 {
		t.Errorf("Twilio was called %d times, want 0", f.calls)
	}
}

func TestSendClassifiesTwilioErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   Error
	}{
		{
			name:   "invalid number is permanent",
			status: 400,
			body:   `{"code": 21211, "message": "Invalid 'To' Phone Number: +1555", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}`,
			want:   Error{Status: 400, Code: "21211", Message: "Invalid 'To' Phone Number: +1555"},
		},
		{
			name:   "unsubscribed recipient is permanent",
			status: 400,
			body:   `{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "more_info": "https://www.twilio.com/docs/errors/21610", "status": 400}`,
			want:   Error{Status: 400, Code: "21610", Message: "Attempt to send to unsubscribed recipient"},
		},
		{
			name:   "bad credentials are permanent",
			status: 401,
			body:   `{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}`,
			want:   Error{Status: 401, Code: "20003", Message: "Authenticate"},
		},
		{
			name:   "too many requests is retryable",
			status: 429,
			body:   `{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}`,
			want:   Error{Status: 429, Code: "20429", Message: "Too Many Requests", Retryable: true},
		},
		{
			name:   "queue overflow code is retryable even on a 400",
			status: 400,
			body:   `{"code": 30001, "message": "Queue overflow", "more_info": "https://www.twilio.com/docs/errors/30001", "status": 400}`,
			want:   Error{Status: 400, Code: "30001", Message: "Queue overflow", Retryable: true},
		},
		{
			name:   "server error is retryable",
			status: 500,
			body:   `{"code": 20500, "message": "Internal Server Error", "more_info": "https://www.twilio.com/docs/errors/20500", "status": 500}`,
			want:   Error{Status: 500, Code: "20500", Message: "Internal Server Error", Retryable: true},
		},
		{
			name:   "proxy error page is retryable",
			status: 502,
			body:   `<html><body>Bad Gateway</body></html>`,
			want:   Error{Status: 502, Message: "Bad Gateway", Retryable: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFake(t, &fakeTwilio{status: tt.status, body: tt.body}, sendCfg)

			_, err := c.SendSMS(context.Background(), "+15558675310", "Hi", "msg_1")
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("error = %v, want *Error", err)
			}
			got.err = nil
			if *got != tt.want {
				t.Errorf("error = %+v, want %+v", *got, tt.want)
			}
			var re *tracking.RetryableError
			if errors.As(err, &re) != tt.want.Retryable {
				t.Errorf("wrapped in tracking.RetryableError: %v, want %v", errors.As(err, &re), tt.want.Retryable)
			}
		})
	}
}

func TestSendTreatsUnreachableTwilioAsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c, err := New(Config{AccountSID: testSID, AuthToken: testToken, FromSMS: "+15017122661", BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.SendSMS(context.Background(), "+15558675310", "Hi", "msg_1")
	var pe *Error
	if !errors.As(err, &pe) || !pe.Retryable || pe.Status != 0 {
		t.Fatalf("error = %#v, want retryable *Error with no status", err)
	}
}

func TestSendStopsWhenContextIsCanceled(t *testing.T) {
	f := &fakeTwilio{status: http.StatusCreated, body: messageCreated}
	c := newFake(t, f, sendCfg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := c.SendSMS(ctx, "+15558675310", "Hi", "msg_1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	var pe *Error
	if errors.As(err, &pe) && pe.Retryable {
		t.Errorf("canceled send marked retryable")
	}
	if f.calls != 0 {
		t.Errorf("Twilio was called %d times after cancel, want 0", f.calls)
	}
}

func TestNewRejectsMalformedBaseURL(t *testing.T) {
	for _, base := range []string{"api.twilio.test", "://nope", "/relative"} {
		if _, err := New(Config{BaseURL: base}); err == nil {
			t.Errorf("New(BaseURL %q) succeeded, want an error", base)
		}
	}
}
