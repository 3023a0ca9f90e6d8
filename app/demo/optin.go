package demo

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/ordertrack/ordertrack/storage"
)

// A few demo shoppers sign up for texts as any shopper does: on their
// tracking page, the form as it is shown (its number, SMS), so the outbox
// has texts with a consent on record behind each. The page's budget of
// sign-ups per client (a handful an hour) paces them.
var (
	consentForm = regexp.MustCompile(`(?s)<form method="post" action="([^"]*/consent)">(.*?)</form>`)
	formInput   = regexp.MustCompile(`<input[^>]*>`)
	inputAttr   = regexp.MustCompile(`\b(type|name|value|checked)(?:="([^"]*)")?`)
)

// errLater is a sign-up the page's budget refuses for now.
var errLater = errors.New("sign-up budget spent for now")

// OptIn has the shoppers who sign up do so on their pages at base (the
// running app), once each: those whose order exists by now and has no
// consent yet. A sign-up the page refuses for now (its budget) is tried
// again on a later call.
func (s *Store) OptIn(ctx context.Context, base string, client *http.Client) error {
	var errs []error
	for _, st := range s.signUps() {
		o, err := s.d.DB.OrderByPlatformID(ctx, s.shop.ID, st.order.PlatformID)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		cons, err := s.d.DB.Consents(ctx, s.shop.ID, o.Phone)
		if err != nil {
			return err
		}
		if hasOrder(cons, o.ID) {
			continue
		}
		token := o.PublicToken
		if ships, err := s.d.DB.OrderShipments(ctx, s.shop.ID, o.ID); err == nil && len(ships) > 0 {
			token = ships[0].PublicToken
		}
		if err := signUp(ctx, client, base+"/t/"+token); err != nil && !errors.Is(err, errLater) {
			errs = append(errs, fmt.Errorf("order %s: %w", o.Name, err))
		}
	}
	return errors.Join(errs...)
}

// signUps are the stories whose shoppers sign up, seeded and live so far.
func (s *Store) signUps() []story {
	var out []story
	for _, st := range s.seed {
		if st.optIn {
			out = append(out, st)
		}
	}
	now := s.d.Now()
	for k := max(0, int(now.Add(-catchUp).Sub(s.epoch)/OrderEvery)-1); !s.placed(k).After(now); k++ {
		if st := s.live(k); st.optIn {
			out = append(out, st)
		}
	}
	return out
}

func hasOrder(cons []storage.Consent, orderID int64) bool {
	for _, c := range cons {
		if c.OrderID != nil && *c.OrderID == orderID {
			return true
		}
	}
	return false
}

// signUp opens a tracking page and submits its text sign-up form as shown.
func signUp(ctx context.Context, client *http.Client, page string) error {
	body, err := get(ctx, client, page)
	if err != nil {
		return err
	}
	m := consentForm.FindStringSubmatch(body)
	if m == nil {
		return fmt.Errorf("no sign-up form on %s", page)
	}
	// What the form sends untouched: its fields as filled in, the boxes
	// and choices as ticked (SMS, no calls).
	form := url.Values{}
	for _, tag := range formInput.FindAllString(m[2], -1) {
		attr := map[string]string{}
		for _, a := range inputAttr.FindAllStringSubmatch(tag, -1) {
			attr[a[1]] = html.UnescapeString(a[2])
		}
		_, checked := attr["checked"]
		if (attr["type"] == "checkbox" || attr["type"] == "radio") && !checked {
			continue
		}
		form.Set(attr["name"], attr["value"])
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, html.UnescapeString(m[1]), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := noRedirect.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusTooManyRequests {
		return errLater
	}
	if res.StatusCode != http.StatusSeeOther {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 200))
		return fmt.Errorf("sign-up on %s: status %d: %s", page, res.StatusCode, msg)
	}
	return nil
}

func get(ctx context.Context, client *http.Client, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("open %s: status %d", u, res.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return string(b), err
}
