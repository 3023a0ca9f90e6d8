package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"

	"github.com/ordertrack/ordertrack/app/analytics"
	"github.com/ordertrack/ordertrack/app/jobs"
)

// A report folds what changed since the last fold itself; the periodic
// refresh keeps that short and builds new rollups (a big shop's takes
// seconds) before anyone waits for them.
const (
	AnalyticsRefreshEvery   = 5 * time.Minute
	AnalyticsRefreshTimeout = 10 * time.Minute
)

// funcs format report numbers for the templates.
var funcs = template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"f1":  func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"day": func(t time.Time) string { return t.Format(time.DateOnly) },
	"csvLink": func(report, from, to string) string {
		return "/admin/analytics.csv?" + url.Values{"report": {report}, "from": {from}, "to": {to}}.Encode()
	},
}

func (a *Pages) analyticsReport(c echo.Context) (*analytics.Report, error) {
	shop := a.signedIn(c).Shop
	r, err := analytics.ParseRange(c.QueryParam("from"), c.QueryParam("to"), a.now(), shop.Location())
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	return analytics.Build(c.Request().Context(), a.db.Scope(shop.ID), r)
}

// Analytics shows the delivery report with server-rendered SVG charts.
func (a *Pages) Analytics(c echo.Context) error {
	rep, err := a.analyticsReport(c)
	if err != nil {
		return err
	}
	carriers := slices.Clone(rep.Carriers)
	for i := range carriers {
		carriers[i].Key = carrierName(carriers[i].Key)
	}
	return a.render(c, "analytics", map[string]any{
		"Report":  rep,
		"From":    rep.Range.First.Format(time.DateOnly),
		"To":      rep.Range.Last.Format(time.DateOnly),
		"Zone":    rep.Range.ZoneName(),
		"Trend":   analytics.TrendChart(rep.Trend, rep.Interval),
		"Rate":    analytics.OnTimeTrendChart(rep.Trend, rep.Interval),
		"Transit": analytics.TransitChart(rep.Total),
		"OnTime":  analytics.OnTimeChart(carriers),
	})
}

// AnalyticsCSV downloads the same report as CSV.
func (a *Pages) AnalyticsCSV(c echo.Context) error {
	rep, err := a.analyticsReport(c)
	if err != nil {
		return err
	}
	table := c.QueryParam("report")
	if table != "" && !slices.Contains(analytics.Tables, table) {
		return echo.NewHTTPError(http.StatusNotFound, "no such report")
	}
	suffix := ""
	if table != "" {
		suffix = "-" + table
	}
	name := fmt.Sprintf("ordertrack-analytics%s-%s-%s.csv", suffix, rep.Range.First.Format(time.DateOnly), rep.Range.Last.Format(time.DateOnly))
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	if table != "" {
		return rep.WriteTableCSV(c.Response(), table)
	}
	return rep.WriteCSV(c.Response())
}

// RefreshAnalytics is the periodic job that keeps every shop's analytics
// rollup current between reports.
func (a *Pages) RefreshAnalytics(ctx context.Context, _ *river.Job[jobs.RefreshAnalyticsArgs]) error {
	return a.db.RefreshAnalytics(ctx)
}
