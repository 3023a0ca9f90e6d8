package bench

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// load is the outcome of one load phase.
type load struct {
	n        int
	errors   int
	elapsed  time.Duration
	p50, p99 time.Duration
	lat      []time.Duration // sorted
}

func (l load) rate() float64 {
	if l.elapsed <= 0 {
		return 0
	}
	return float64(l.n) / l.elapsed.Seconds()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// hammer runs op from workers goroutines until total calls are made or
// limit passes, and records each call's latency. op gets a unique sequence
// number; an error counts as a failed call.
func hammer(ctx context.Context, workers, total int, limit time.Duration, op func(ctx context.Context, seq int) error) load {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var next atomic.Int64
	var failed atomic.Int64
	lat := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				seq := int(next.Add(1)) - 1
				if seq >= total {
					return
				}
				t := time.Now()
				if err := op(ctx, seq); err != nil {
					if ctx.Err() != nil {
						return
					}
					failed.Add(1)
					continue
				}
				lat[w] = append(lat[w], time.Since(t))
			}
		}()
	}
	wg.Wait()
	l := load{elapsed: time.Since(start), errors: int(failed.Load())}
	all := slices.Concat(lat...)
	slices.Sort(all)
	l.n, l.lat = len(all), all
	l.p50, l.p99 = pct(all, 0.50), pct(all, 0.99)
	return l
}

// add is l and m measured as one load: their calls, errors and time.
func (l load) add(m load) load {
	all := slices.Concat(l.lat, m.lat)
	slices.Sort(all)
	return load{n: len(all), errors: l.errors + m.errors, elapsed: l.elapsed + m.elapsed, lat: all, p50: pct(all, 0.50), p99: pct(all, 0.99)}
}

// loadRounds is how many turns the loads of one comparison take: turns of
// a few seconds at most, so a load that comes and goes on a shared machine
// weighs on each side alike.
const loadRounds = 10

// turn is one side of a comparison: total calls of op.
type turn struct {
	total int
	op    func(ctx context.Context, seq int) error
}

// alternate makes each turn's calls in loadRounds rounds (a tenth of the
// first turn's calls, then of the second's, …) and returns each turn's
// calls as one load. Each op gets its own sequence numbers, 0 to its total.
func alternate(ctx context.Context, workers int, limit time.Duration, turns ...turn) []load {
	out := make([]load, len(turns))
	start := time.Now()
	for r := 0; r < loadRounds && time.Since(start) < limit; r++ {
		for i, t := range turns {
			from, to := t.total*r/loadRounds, t.total*(r+1)/loadRounds
			if to <= from {
				continue
			}
			op := t.op
			out[i] = out[i].add(hammer(ctx, workers, to-from, limit, func(ctx context.Context, seq int) error { return op(ctx, from+seq) }))
		}
	}
	return out
}
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// serve runs h on a loopback port with the app's own server settings.
func serve(h http.Handler) (base string, stop func(), err error) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	ln, err := listenLoopback()
	if err != nil {
		return "", nil, err
	}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func client(workers int) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConns: workers, MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}}
}
