package orders

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ordertrack/ordertrack/storage"
)

// Each fulfillment keeps its first tracking numbers up to the limit, in the
// order the platform sent them; the rest are refused per fulfillment.
func TestBoundParcelsKeepsTheFirstOfEachFulfillment(t *testing.T) {
	p := func(f, n string) Parcel { return Parcel{FulfillmentID: f, Number: n} }
	numbers := func(ps []Parcel) []string {
		out := make([]string, len(ps))
		for i, x := range ps {
			out[i] = x.Number
		}
		return out
	}
	tests := []struct {
		name        string
		limit       int
		in          []Parcel
		wantKept    []string
		wantRefused []Refusal
	}{
		{"under the limit", 2, []Parcel{p("f1", "A"), p("f2", "B")}, []string{"A", "B"}, nil},
		{"one fulfillment over", 2, []Parcel{p("f1", "A"), p("f1", "B"), p("f1", "C"), p("f2", "D")},
			[]string{"A", "B", "D"}, []Refusal{{Fulfillment: "f1", Kept: 2, Numbers: []string{"C"}}}},
		{"interleaved fulfillments", 1, []Parcel{p("f1", "A"), p("f2", "B"), p("f1", "C"), p("f2", "D"), p("f1", "E")},
			[]string{"A", "B"}, []Refusal{{Fulfillment: "f1", Kept: 1, Numbers: []string{"C", "E"}}, {Fulfillment: "f2", Kept: 1, Numbers: []string{"D"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Deps{MaxParcelsPerFulfillment: tc.limit})
			kept, refused := s.boundParcels(&storage.Shop{Domain: "shop.test"}, tc.in, byFulfillment)
			if got := numbers(kept); !slices.Equal(got, tc.wantKept) {
				t.Errorf("kept %v; want %v", got, tc.wantKept)
			}
			if !slices.EqualFunc(refused, tc.wantRefused, func(a, b Refusal) bool {
				return a.Fulfillment == b.Fulfillment && a.Kept == b.Kept && slices.Equal(a.Numbers, b.Numbers)
			}) {
				t.Errorf("refused %+v; want %+v", refused, tc.wantRefused)
			}
		})
	}
}

// The note lists at most refusedListed numbers and says how many more the
// stored payload has.
func TestRefusalNoteListsAtMostAHundredNumbers(t *testing.T) {
	many := make([]string, refusedListed+5)
	for i := range many {
		many[i] = fmt.Sprintf("N%03d", i)
	}
	tests := []struct {
		name     string
		refused  []Refusal
		want     []string
		wantNone []string
	}{
		{"a few", []Refusal{{Fulfillment: "f1", Kept: 100, Numbers: []string{"X1", "X2"}}},
			[]string{"Refused 2 tracking numbers of f1 over the limit of 100 per fulfillment", "the first 100 were stored: X1, X2."}, []string{"more"}},
		{"over the listing cap", []Refusal{{Fulfillment: "f1", Kept: 100, Numbers: many}},
			[]string{"Refused 105 tracking numbers", "N099", "and 5 more (all in the stored payload)."}, []string{"N100"}},
		{"nothing refused", nil, nil, []string{"Refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			note := refusalNote(tc.refused)
			for _, w := range tc.want {
				if !strings.Contains(note, w) {
					t.Errorf("note %q; want it to contain %q", note, w)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(note, w) {
					t.Errorf("note %q; want no %q", note, w)
				}
			}
		})
	}
}
