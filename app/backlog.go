package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// pollOverdueAfter is how late a due poll must be to count as overdue: the
// scheduler claims due shipments every minute, so a few minutes is normal.
const pollOverdueAfter = 10 * time.Minute

var (
	readyJobsDesc = prometheus.NewDesc("ordertrack_jobs_ready",
		"Jobs ready to run and not yet picked up by a worker, by kind.", []string{"kind"}, nil)
	oldestReadyDesc = prometheus.NewDesc("ordertrack_jobs_oldest_ready_seconds",
		"How long the oldest ready job has waited for a worker; alert when it grows (add workers).", nil, nil)
	overduePollsDesc = prometheus.NewDesc("ordertrack_polls_overdue",
		"Shipments whose carrier poll is more than 10 minutes late.", nil, nil)
	backlogUpDesc = prometheus.NewDesc("ordertrack_backlog_up",
		"1 when the backlog figures could be read from the database, else 0.", nil, nil)
)

// backlogCollector reads the work queue's state from the database at scrape
// time, so any machine (web or worker) reports the same backlog: what an
// operator needs to decide whether to add workers.
type backlogCollector struct{ a *App }

// Describe implements prometheus.Collector.
func (backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{readyJobsDesc, oldestReadyDesc, overduePollsDesc, backlogUpDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	now := c.a.now()
	up := 1.0
	ready, err := c.a.db.ReadyJobs(ctx)
	if err != nil {
		up = 0
	}
	for kind, n := range ready {
		ch <- prometheus.MustNewConstMetric(readyJobsDesc, prometheus.GaugeValue, float64(n), kind)
	}
	oldest := 0.0
	res, err := c.a.jobs.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateAvailable).OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(1))
	switch {
	case err != nil:
		up = 0
	case len(res.Jobs) > 0:
		oldest = max(now.Sub(res.Jobs[0].ScheduledAt).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(oldestReadyDesc, prometheus.GaugeValue, oldest)
	overdue, err := c.a.db.OverduePolls(ctx, now.Add(-pollOverdueAfter))
	if err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(overduePollsDesc, prometheus.GaugeValue, float64(overdue))
	ch <- prometheus.MustNewConstMetric(backlogUpDesc, prometheus.GaugeValue, up)
}
