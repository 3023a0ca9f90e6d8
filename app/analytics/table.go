package analytics

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Tables names the reports WriteTableCSV writes, each one table in wide
// form: one row per carrier, region, day or channel, one column per figure,
// ready for a spreadsheet.
var Tables = []string{"carriers", "regions", "trend", "transit", "channels", "reasons"}

// WriteTableCSV writes one report (see Tables) as a wide CSV table.
func (r *Report) WriteTableCSV(w io.Writer, table string) error {
	var rows [][]string
	groupHeader := []string{"shipments", "delivered", "promised", "on_time", "on_time_rate", "delayed", "delay_rate",
		"exception_rate", "failed_attempt_rate", "mean_transit_days", "transit_p90_days", "page_views", "views_per_shipment",
		"requests", "contacted_shipments", "contact_rate"}
	groupRow := func(g Group) []string {
		p90 := ""
		if d := g.TransitPercentile(0.9); d >= 0 {
			p90 = strconv.Itoa(d)
		}
		return []string{textCell(g.Key), itoa(g.Shipments), itoa(g.Delivered), itoa(g.Promised), itoa(g.OnTime), ftoa(g.OnTimeRate()),
			itoa(g.Delayed), ftoa(g.DelayRate()), ftoa(g.ExceptionRate()), ftoa(g.FailedAttemptRate()), ftoa(g.MeanTransit()), p90,
			itoa(g.PageViews), ftoa(g.ViewsPerShipment()), itoa(g.Requests), itoa(g.Contacted), ftoa(g.ContactRate())}
	}
	switch table {
	case "carriers", "regions":
		key, groups := "carrier", r.Carriers
		if table == "regions" {
			key, groups = "region", r.Regions
		}
		rows = append(rows, append([]string{key}, groupHeader...))
		for _, g := range groups {
			rows = append(rows, groupRow(g))
		}
	case "trend":
		rows = append(rows, []string{string(r.Interval), "shipments", "delivered", "promised", "on_time", "on_time_rate", "delayed"})
		for _, p := range r.Trend {
			rate := ""
			if p.Promised > 0 {
				rate = ftoa(p.OnTimeRate())
			}
			rows = append(rows, []string{p.Start.Format(time.DateOnly), itoa(p.Shipments), itoa(p.Delivered), itoa(p.Promised), itoa(p.OnTime), rate, itoa(p.Delayed)})
		}
	case "transit":
		head := []string{"business_days", "all"}
		for _, g := range r.Carriers {
			head = append(head, textCell(g.Key))
		}
		rows = append(rows, head)
		for d := range r.Total.Transit {
			row := []string{strconv.Itoa(d), itoa(r.Total.Transit[d])}
			any := r.Total.Transit[d] > 0
			for _, g := range r.Carriers {
				row = append(row, itoa(g.Transit[d]))
			}
			if any {
				rows = append(rows, row)
			}
		}
	case "channels":
		rows = append(rows, []string{"channel", "sent", "delivered", "opened", "failed", "delivery_rate", "open_rate"})
		for _, c := range r.Channels {
			dr, or := "unknown", "unknown"
			if c.Reported() {
				dr = ftoa(c.DeliveryRate())
				if c.Delivered > 0 {
					or = ftoa(c.OpenRate())
				}
			}
			rows = append(rows, []string{textCell(c.Name), itoa(c.Sent), itoa(c.Delivered), itoa(c.Opened), itoa(c.Failed), dr, or})
		}
	case "reasons":
		rows = append(rows, []string{"problem", "carrier_code", "carrier_words", "events", "shipments"})
		for _, x := range r.Reasons {
			rows = append(rows, []string{textCell(x.Problem), textCell(x.Code), textCell(x.Description), itoa(x.Events), itoa(x.Shipments)})
		}
	default:
		return fmt.Errorf("analytics csv: no report %q", table)
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write analytics csv %s: %w", table, err)
	}
	return nil
}
