package carrierhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// BaseURL returns u without a trailing slash, so paths can be appended with
// a leading one, or fallback (the carrier's production host) when u is empty.
func BaseURL(u, fallback string) string {
	if u == "" {
		u = fallback
	}
	return strings.TrimRight(u, "/")
}

// Client returns c, or http.DefaultClient when the adapter's config left it nil.
func Client(c *http.Client) *http.Client {
	if c == nil {
		return http.DefaultClient
	}
	return c
}

// Clock returns now, or time.Now when the adapter's config left it nil.
func Clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// NewJSONRequest builds a request whose body is v encoded as JSON, with the
// matching Content-Type.
func NewJSONRequest(ctx context.Context, method, url string, v any) (*http.Request, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// TrackEach tracks numbers one request at a time, for carriers whose API
// takes a single number per call, and returns one Result per number in order.
// It stops at the first error, which names the carrier and the number; the
// results fetched before it are returned with it.
func TrackEach(ctx context.Context, carrier string, numbers []string, track func(ctx context.Context, number string) (tracking.Result, error)) ([]tracking.Result, error) {
	out := make([]tracking.Result, 0, len(numbers))
	for _, n := range numbers {
		r, err := track(ctx, n)
		if err != nil {
			return out, fmt.Errorf("%s: track %s: %w", carrier, n, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// TrackBatch is one request for up to a batch of numbers: the results the
// carrier gave, the numbers it rejected one by one (each error naming its
// number), and an error that failed the whole request.
type TrackBatch func(ctx context.Context, numbers []string) (results []tracking.Result, rejected []error, err error)

// TrackBatches splits numbers into requests of at most size and returns the
// results of all of them, in order. Numbers rejected one by one come back
// joined in the error next to the others' results; an error that fails a
// whole request stops there, with the results gathered so far.
func TrackBatches(ctx context.Context, carrier string, numbers []string, size int, track TrackBatch) ([]tracking.Result, error) {
	var out []tracking.Result
	var rejected []error
	for chunk := range slices.Chunk(numbers, size) {
		res, rej, err := track(ctx, chunk)
		out = append(out, res...)
		if err != nil {
			return out, fmt.Errorf("%s: track %d numbers: %w", carrier, len(chunk), err)
		}
		rejected = append(rejected, rej...)
	}
	return out, errors.Join(rejected...)
}
