// Package metrics holds the Prometheus series ordertrack exports at
// /metrics; features take the counters they add to.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Set is one process's series and the registry that serves them.
type Set struct {
	Registry      *prometheus.Registry
	Requests      *prometheus.HistogramVec
	Webhooks      *prometheus.CounterVec
	UnknownCodes  *prometheus.CounterVec
	CarrierCalls  *prometheus.CounterVec
	Notifications *prometheus.CounterVec
	// CarrierPushes counts carrier pushes at the intake by carrier and
	// outcome (received, rejected); PushSubscribed is each carrier's
	// shipments with a live push subscription.
	CarrierPushes  *prometheus.CounterVec
	PushSubscribed *prometheus.GaugeVec
}

// New registers a fresh Set with the Go and process collectors.
func New() *Set {
	m := &Set{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ordertrack_http_request_duration_seconds", Help: "HTTP request latency by route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "status"}),
		Webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordertrack_webhooks_total", Help: "Webhooks received by platform and outcome.",
		}, []string{"platform", "outcome"}),
		UnknownCodes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordertrack_carrier_unknown_codes_total", Help: "Carrier status codes with no mapping, by carrier and code.",
		}, []string{"carrier", "code"}),
		CarrierCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordertrack_carrier_calls_total", Help: "Carrier API calls by carrier and outcome.",
		}, []string{"carrier", "outcome"}),
		Notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordertrack_notifications_total", Help: "Notifications by channel and status.",
		}, []string{"channel", "status"}),
		CarrierPushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ordertrack_carrier_pushes_total", Help: "Carrier tracking pushes by carrier and outcome (received, rejected).",
		}, []string{"carrier", "outcome"}),
		PushSubscribed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ordertrack_carrier_push_subscribed_shipments", Help: "Shipments with a live push subscription, by carrier.",
		}, []string{"carrier"}),
	}
	m.Registry.MustRegister(m.Requests, m.Webhooks, m.UnknownCodes, m.CarrierCalls, m.Notifications, m.CarrierPushes, m.PushSubscribed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Set) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
