package analytics

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSVHeader is the first row of WriteCSV: one measurement per row (long
// format), so a spreadsheet pivot or a script can take any slice of it.
var CSVHeader = []string{"section", "group", "item", "metric", "value"}

// WriteCSV writes the whole report as CSV.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{CSVHeader,
		{"range", "", "", "from", r.Range.First.Format(time.DateOnly)},
		{"range", "", "", "to", r.Range.Last.Format(time.DateOnly)},
		{"range", "", "", "zone", r.Range.ZoneName()},
	}
	rows = append(rows, groupRows("summary", r.Total)...)
	rows = append(rows,
		[]string{"summary", "all", "", "contacts", itoa(r.Contacts.Actions)},
		[]string{"summary", "all", "", "contacted_shipments", itoa(r.Contacts.Shipments)},
		[]string{"summary", "all", "", "contact_rate", ftoa(r.ContactRate())})
	for _, g := range r.Carriers {
		rows = append(rows, groupRows("carrier", g)...)
	}
	for _, g := range r.Regions {
		rows = append(rows, groupRows("region", g)...)
	}
	for _, g := range append([]Group{r.Total}, r.Carriers...) {
		for d, n := range g.Transit {
			if n > 0 {
				rows = append(rows, []string{"transit", g.Key, strconv.Itoa(d), "deliveries", itoa(n)})
			}
		}
	}
	for _, x := range r.Reasons {
		item := x.Code
		if x.Description != "" {
			item += ": " + x.Description
		}
		rows = append(rows,
			[]string{"reason", x.Problem, item, "events", itoa(x.Events)},
			[]string{"reason", x.Problem, item, "shipments", itoa(x.Shipments)})
	}
	for _, s := range r.Stages {
		rows = append(rows, []string{"problem_stage", s.Stage, s.Problem, "shipments", itoa(s.Shipments)})
	}
	for _, c := range r.Channels {
		rows = append(rows,
			[]string{"channel", c.Name, "", "sent", itoa(c.Sent)},
			[]string{"channel", c.Name, "", "delivered", itoa(c.Delivered)},
			[]string{"channel", c.Name, "", "opened", itoa(c.Opened)},
			[]string{"channel", c.Name, "", "failed", itoa(c.Failed)},
			[]string{"channel", c.Name, "", "delivery_rate", ftoa(c.DeliveryRate())},
			[]string{"channel", c.Name, "", "open_rate", ftoa(c.OpenRate())})
	}
	for _, p := range r.Trend {
		day := p.Start.Format(time.DateOnly)
		rows = append(rows,
			[]string{"trend", string(r.Interval), day, "shipments", itoa(p.Shipments)},
			[]string{"trend", string(r.Interval), day, "delivered", itoa(p.Delivered)},
			[]string{"trend", string(r.Interval), day, "on_time_rate", ftoa(p.OnTimeRate())},
			[]string{"trend", string(r.Interval), day, "delayed", itoa(p.Delayed)})
	}
	for _, row := range rows {
		// Only the value column is ours and numeric; the others may carry
		// carrier, merchant or address text.
		for i := range row[:len(row)-1] {
			row[i] = textCell(row[i])
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write analytics csv: %w", err)
	}
	return nil
}

func groupRows(section string, g Group) [][]string {
	row := func(metric, v string) []string { return []string{section, g.Key, "", metric, v} }
	out := [][]string{
		row("shipments", itoa(g.Shipments)),
		row("delivered", itoa(g.Delivered)),
		row("promised", itoa(g.Promised)),
		row("on_time", itoa(g.OnTime)),
		row("on_time_rate", ftoa(g.OnTimeRate())),
		row("delayed", itoa(g.Delayed)),
		row("delay_rate", ftoa(g.DelayRate())),
	}
	if section != "region" {
		out = append(out,
			row("exception_rate", ftoa(g.ExceptionRate())),
			row("failed_attempt_rate", ftoa(g.FailedAttemptRate())))
	}
	out = append(out,
		row("mean_transit_days", ftoa(g.MeanTransit())),
		row("page_views", itoa(g.PageViews)),
		row("views_per_shipment", ftoa(g.ViewsPerShipment())))
	return out
}

// textCell keeps a spreadsheet from running text as a formula (CSV
// injection): a cell that starts with = + - @, a tab or a carriage return
// gets a leading apostrophe, which Excel, LibreOffice and Google Sheets show
// as text. Apply it to text from outside (a carrier's name or wording, a
// region), never to the numbers the report computes.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
