package carriertest

import (
	"testing"

	"github.com/ordertrack/ordertrack/app/tracking"
)

// Mapping is the shape of an adapter's status-table entry: the stage and
// problem a carrier code stands for.
type Mapping interface {
	~struct {
		Stage   tracking.Stage
		Problem tracking.Problem
	}
}

// CheckStatusTable compares an adapter's status table with want, written
// from the carrier's documentation independently of the table as
// "stage/problem" per code: every mapped code must be documented and mapped
// as documented to a valid stage, and every documented code must be mapped.
func CheckStatusTable[M Mapping](t *testing.T, table map[string]M, want map[string]string) {
	t.Helper()
	for key, entry := range table {
		m := struct {
			Stage   tracking.Stage
			Problem tracking.Problem
		}(entry)
		w, ok := want[key]
		if !ok {
			t.Errorf("%s is mapped but has no expectation", key)
			continue
		}
		if got := string(m.Stage) + "/" + string(m.Problem); got != w {
			t.Errorf("%s maps to %s, want %s", key, got, w)
		}
		if !m.Stage.Valid() {
			t.Errorf("%s maps to invalid stage %q", key, m.Stage)
		}
	}
	for key := range want {
		if _, ok := table[key]; !ok {
			t.Errorf("%s is documented but missing from statusTable", key)
		}
	}
}

// CheckMovements compares an adapter's movement table with want, written
// from the carrier's documentation as "arrived" or "departed" per code:
// both must list the same codes the same way, and each must be a normal
// in-transit scan in the adapter's status table, since arrivals and
// departures happen between pickup and the delivery run.
func CheckMovements[M Mapping](t *testing.T, movements map[string]tracking.Movement, table map[string]M, want map[string]string) {
	t.Helper()
	for key, m := range movements {
		if w, ok := want[key]; !ok || string(m) != w {
			t.Errorf("%s is marked %q, want %q", key, m, want[key])
		}
		entry, ok := table[key]
		if !ok {
			t.Errorf("%s is marked %q but missing from statusTable", key, m)
			continue
		}
		if s := struct {
			Stage   tracking.Stage
			Problem tracking.Problem
		}(entry); s.Stage != tracking.StageInTransit || s.Problem != tracking.ProblemNone {
			t.Errorf("%s is marked %q but maps to %s/%s, want in_transit/", key, m, s.Stage, s.Problem)
		}
	}
	for key, w := range want {
		if _, ok := movements[key]; !ok {
			t.Errorf("%s is documented as %s but not marked", key, w)
		}
	}
}

// CheckStatusSample checks a status table too long to restate in full:
// every documented code must be mapped, every entry must map to a valid
// stage, and the representative codes in want (written from the carrier's
// documentation as "stage/problem") must map as documented.
func CheckStatusSample[M Mapping](t *testing.T, table map[string]M, documented []string, want map[string]string) {
	t.Helper()
	for key, entry := range table {
		if m := asMapping(entry); !m.Stage.Valid() {
			t.Errorf("%s maps to invalid stage %q", key, m.Stage)
		}
	}
	for _, key := range documented {
		if _, ok := table[key]; !ok {
			t.Errorf("%s is documented but missing from statusTable", key)
		}
	}
	for key, w := range want {
		entry, ok := table[key]
		if !ok {
			t.Errorf("%s is expected as %s but missing from statusTable", key, w)
			continue
		}
		m := asMapping(entry)
		if got := string(m.Stage) + "/" + string(m.Problem); got != w {
			t.Errorf("%s maps to %s, want %s", key, got, w)
		}
	}
}

func asMapping[M Mapping](entry M) struct {
	Stage   tracking.Stage
	Problem tracking.Problem
} {
	return struct {
		Stage   tracking.Stage
		Problem tracking.Problem
	}(entry)
}
