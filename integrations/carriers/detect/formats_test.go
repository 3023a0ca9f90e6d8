package detect

import (
	"testing"
)

// formatMatch reports whether Detect offered the format for the number with
// no company hint, which is only the case when the check digit verified (or
// the format has none).
func formatMatch(t *testing.T, number, formatID string) bool {
	t.Helper()
	for _, c := range Detect(number, "") {
		if c.Format == formatID && (c.CheckDigitValid || !checked(formatID)) {
			return true
		}
	}
	// Another format of the same carrier may outrank this one; look at the
	// format directly too.
	for _, f := range data.Formats {
		if f.ID != formatID {
			continue
		}
		m, ok := f.apply(Normalize(number))
		return ok && m.valid
	}
	t.Fatalf("no format %q in formats.json", formatID)
	return false
}

func TestFormatsAcceptTheirValidTestNumbers(t *testing.T) {
	for _, f := range data.Formats {
		for _, n := range f.Valid {
			t.Run(f.ID+"/"+n, func(t *testing.T) {
				if !formatMatch(t, n, f.ID) {
					t.Errorf("format %s rejected its valid test number %q", f.ID, n)
				}
			})
		}
	}
}

func TestFormatsRejectTheirInvalidTestNumbers(t *testing.T) {
	for _, f := range data.Formats {
		for _, n := range f.Invalid {
			t.Run(f.ID+"/"+n, func(t *testing.T) {
				if formatMatch(t, n, f.ID) {
					t.Errorf("format %s accepted its invalid test number %q", f.ID, n)
				}
			})
		}
	}
}

func TestEveryFormatHasTestNumbers(t *testing.T) {
	for _, f := range data.Formats {
		if len(f.Valid) == 0 || len(f.Invalid) == 0 {
			t.Errorf("format %s has %d valid and %d invalid test numbers; want both", f.ID, len(f.Valid), len(f.Invalid))
		}
	}
}
