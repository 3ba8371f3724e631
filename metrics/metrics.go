// Package metrics is Switchboard's Prometheus registry, on
// prometheus/client_golang.
//
// Every series it registers is named with one prefix, Prefix
// ("switchboard_"), added here so no caller can pick another; the Go
// runtime (go_*) and process (process_*) collectors keep their standard
// names. A series is created only with exactly its labels' values: a call
// with too few or too many panics (a programming error the tests catch)
// rather than filling the missing ones silently. A scrape gathers under
// client_golang's own short per-metric locks and writes without any held.
package metrics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Prefix begins the name of every series this package registers.
const Prefix = "switchboard_"

// Registry holds the metrics of one process. The zero value is not
// usable; call New.
type Registry struct {
	reg *prometheus.Registry
}

// New returns a registry with the Go runtime and process collectors.
func New() *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return &Registry{reg: reg}
}

// Gatherer is the underlying registry, for tests and exporters.
func (r *Registry) Gatherer() prometheus.Gatherer { return r.reg }

// Handler serves the registry in the Prometheus exposition formats. A
// series that fails to read (a GaugeFunc whose database is down) is left
// out; the rest are still served.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Write writes every series in the Prometheus text format, as a scrape
// would (for tests and debugging). A series that fails to read is left
// out.
func (r *Registry) Write(w io.Writer) {
	mfs, _ := r.reg.Gather() // what gathered is usable even with an error
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		_ = enc.Encode(mf)
	}
}

// Counter is a monotonically increasing count per label values.
type Counter struct{ vec *prometheus.CounterVec }

// Counter registers Prefix+name with the given label names. It panics if
// the name is registered twice.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	vec := prometheus.NewCounterVec(prometheus.CounterOpts{Name: Prefix + name, Help: help}, labels)
	r.reg.MustRegister(vec)
	return &Counter{vec: vec}
}

// Inc adds one for the label values, given in the order of the labels.
func (c *Counter) Inc(values ...string) { c.vec.WithLabelValues(values...).Inc() }

// Add adds v (≥ 0) for the label values.
func (c *Counter) Add(v float64, values ...string) { c.vec.WithLabelValues(values...).Add(v) }

// Value returns the current count for the label values (for tests).
func (c *Counter) Value(values ...string) float64 {
	var m dto.Metric
	if err := c.vec.WithLabelValues(values...).Write(&m); err != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}

// DefaultSeconds are buckets for latencies in seconds, 1 ms to 60 s.
var DefaultSeconds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Histogram counts observations into fixed buckets per label values.
type Histogram struct{ vec *prometheus.HistogramVec }

// Histogram registers Prefix+name with the given upper bounds (ascending).
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *Histogram {
	vec := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: Prefix + name, Help: help, Buckets: buckets}, labels)
	r.reg.MustRegister(vec)
	return &Histogram{vec: vec}
}

// Observe records v for the label values.
func (h *Histogram) Observe(v float64, values ...string) { h.vec.WithLabelValues(values...).Observe(v) }

// Since observes the seconds elapsed since start.
func (h *Histogram) Since(start time.Time, values ...string) {
	h.Observe(time.Since(start).Seconds(), values...)
}

// Count returns how many observations the label values have (for tests).
func (h *Histogram) Count(values ...string) uint64 {
	var m dto.Metric
	if err := h.vec.WithLabelValues(values...).(prometheus.Metric).Write(&m); err != nil {
		return 0
	}
	return m.GetHistogram().GetSampleCount()
}

// GaugeFunc registers Prefix+name as a gauge read when scraped, by fn with
// a two-second timeout. A failing read leaves the gauge out of that scrape
// rather than showing a wrong value; the scrape still serves every other
// series.
func (r *Registry) GaugeFunc(name, help string, fn func(ctx context.Context) (float64, error)) {
	r.reg.MustRegister(&gaugeFunc{desc: prometheus.NewDesc(Prefix+name, help, nil, nil), fn: fn})
}

type gaugeFunc struct {
	desc *prometheus.Desc
	fn   func(ctx context.Context) (float64, error)
}

func (g *gaugeFunc) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

func (g *gaugeFunc) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := g.fn(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(g.desc, fmt.Errorf("read %s: %w", g.desc, err))
		return
	}
	ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, v)
}
